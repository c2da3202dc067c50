//! One server, many people (issue #16), with real Unix accounts: deployment A (own accounts in
//! one group, `alliance share`) and deployment B (a service account, `gate --as` forced
//! commands, a real `sshd`). These need root to make accounts; CI runs as root. Run as anyone
//! else they stop at once with a message.
//!
//! `ALLIANCE_HUB_VISITS` sets how many visits each coordinator logs (default 6; the documented
//! minute-long run in `scripts/hub.sh` uses more).

#[path = "support/accounts.rs"]
mod accounts;

use accounts::{Accounts, is_root, peek, prefix, run_as, shared_binary, text};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn sample_db() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db")
}

/// Active contracts of the sample whose period holds 20 Nov 2026, with their leader.
fn contracts(db: &Path) -> Vec<(i64, i64)> {
    // Immutable: reading the committed file must not create a -wal or -shm beside it.
    let c = rusqlite::Connection::open_with_flags(
        format!("file:{}?immutable=1", db.display()),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
    )
    .expect("open");
    let mut st = c
        .prepare(
            "SELECT id, leader_id FROM contracts WHERE status = 'active' AND start_on <= '2026-11-20'
             AND end_on >= '2026-11-20' ORDER BY id",
        )
        .expect("prepare");
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("query").map(|r| r.expect("row")).collect()
}

fn log_visit(user: &str, bin: &Path, db: &Path, contract: i64, note: &str) -> std::process::Output {
    run_as(
        user,
        bin,
        &[
            "--db",
            &db.display().to_string(),
            "log-visit",
            "--contract",
            &contract.to_string(),
            "--date",
            "2026-11-20",
            "--days",
            "0.5",
            "--activity",
            "coaching",
            "--notes",
            note,
            "--json",
        ],
    )
}

/// A tmux server of our own, killed (by its socket) when dropped.
struct Tmux(String);

impl Tmux {
    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux").args(["-L", &self.0, "-f", "/dev/null"]).args(args).output().expect("tmux")
    }
    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "s"]).stdout).into_owned()
    }
    fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(what) || start.elapsed() > Duration::from_secs(20) {
                return s;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    /// Quits the app with `q` and waits for the session to end.
    fn quit(&self) {
        self.cmd(&["send-keys", "-t", "s", "q"]);
        let start = Instant::now();
        while self.cmd(&["has-session", "-t", "s"]).status.success() && start.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

/// The TUI as `user` (umask 077, `$USER` naming someone else) in a tmux session of our own.
fn tui_as(user: &str, group: &str, bin: &Path, db: &Path, tag: &str) -> Tmux {
    let t = Tmux(format!("alliance-hub-{tag}-{}", std::process::id()));
    let line = format!(
        "setpriv --reuid {user} --regid {group} --clear-groups env -i PATH=/usr/bin:/bin HOME=/nonexistent USER=someone-else \
         TERM=xterm-256color ALLIANCE_CONFIG=/nonexistent ALLIANCE_TODAY=2026-11-23 \
         sh -c 'umask 077; exec {bin} --db {db}'",
        bin = bin.display(),
        db = db.display()
    );
    let out = t.cmd(&["new-session", "-d", "-s", "s", "-x", "100", "-y", "30", &line]);
    assert!(out.status.success(), "tmux: {}", String::from_utf8_lossy(&out.stderr));
    t
}

#[test]
fn three_coordinators_a_tui_and_the_board_share_one_file_with_their_own_accounts() {
    if !is_root() {
        eprintln!("hub: not root, so no Unix accounts can be made here — this test runs in CI (as root)");
        return;
    }
    let p = prefix();
    let (hub, board) = (format!("{p}g"), format!("{p}r"));
    let (c1, c2, c3, b1, u1, l1) =
        (format!("{p}c1"), format!("{p}c2"), format!("{p}c3"), format!("{p}b1"), format!("{p}u1"), format!("{p}l1"));
    let mut acc = Accounts::default();
    acc.group(&hub);
    acc.group(&board);
    for u in [&c1, &c2, &c3, &u1, &l1] {
        acc.user(u, &hub);
    }
    acc.user(&b1, &board);
    let (_bin_dir, bin) = shared_binary();

    // c1's directory and file, private to start with (the way a file usually begins).
    let dir = tempfile::Builder::new().prefix("alliance-hub").tempdir_in("/tmp").expect("tempdir");
    let (c1_uid, hub_gid) = accounts::ids(&c1);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    nix::unistd::chown(dir.path(), Some(nix::unistd::Uid::from_raw(c1_uid)), None).expect("chown dir");
    let db = dir.path().join("hub.db");
    std::fs::copy(sample_db(), &db).expect("copy sample");
    let all = contracts(&sample_db());
    nix::unistd::chown(&db, Some(nix::unistd::Uid::from_raw(c1_uid)), None).expect("chown db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).expect("chmod db");
    let dbs = db.display().to_string();

    let out = run_as(&c1, &bin, &["--db", &dbs, "share", "--group", &hub, "--readers", &board]);
    assert!(out.status.success(), "share: {}", text(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("0755 → 2775") && said.contains("0600 → 0660"), "{said}");
    let wal = PathBuf::from(format!("{dbs}-wal"));
    let shm = PathBuf::from(format!("{dbs}-shm"));
    for f in [&db, &wal, &shm] {
        let m = std::fs::metadata(f).expect("shared file");
        assert_eq!((m.gid(), m.mode() & 0o777), (hub_gid, 0o660), "{}", f.display());
    }
    assert_eq!(std::fs::metadata(dir.path()).expect("dir").mode() & 0o7777, 0o2775);

    // c1 owns the file: admin while `people` is empty; the first add records them as admin.
    let leader1 = all[0].1;
    let theirs = all.iter().find(|(_, l)| *l == leader1).expect("leader's contract").0;
    let others = all.iter().find(|(_, l)| *l != leader1).expect("another's contract").0;
    for (who, role) in [(&c2, "coordinator"), (&c3, "coordinator"), (&b1, "board")] {
        let out = run_as(&c1, &bin, &["--db", &dbs, "people", "add", who, "--role", role]);
        assert!(out.status.success(), "people add: {}", text(&out));
    }
    let out =
        run_as(&c1, &bin, &["--db", &dbs, "people", "add", &l1, "--role", "leader", "--leader", &leader1.to_string()]);
    assert!(out.status.success(), "people add leader: {}", text(&out));
    let listed = String::from_utf8_lossy(&run_as(&c2, &bin, &["--db", &dbs, "people"]).stdout).into_owned();
    assert!(listed.contains(&format!("{c1:<16} admin")), "{listed}");

    let before: i64 = peek(&db).query_row("SELECT count(*) FROM visits", [], |r| r.get(0)).expect("count");
    let per: usize = std::env::var("ALLIANCE_HUB_VISITS").ok().and_then(|v| v.parse().ok()).unwrap_or(6);

    // A coordinator's TUI stays open on the file through the run.
    let tui = tui_as(&c2, &hub, &bin, &db, "c2");
    let screen = tui.wait_for("Dashboard");
    assert!(screen.contains("Dashboard"), "TUI:\n{screen}");

    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (bin, dbs, b1, done) = (bin.clone(), dbs.clone(), b1.clone(), done.clone());
        std::thread::spawn(move || {
            let (mut reads, mut failures) = (0, Vec::new());
            while !done.load(std::sync::atomic::Ordering::SeqCst) || reads == 0 {
                let out = run_as(&b1, &bin, &["--db", &dbs, "status", "--json"]);
                if out.status.success() && out.stdout.starts_with(b"{") {
                    reads += 1;
                } else {
                    failures.push(text(&out));
                }
            }
            (reads, failures)
        })
    };
    let writers: Vec<_> = [&c1, &c2, &c3]
        .into_iter()
        .enumerate()
        .map(|(w, user)| {
            let (bin, db, user) = (bin.clone(), db.clone(), user.clone());
            let targets: Vec<i64> = all.iter().map(|c| c.0).collect();
            std::thread::spawn(move || {
                let mut acks = Vec::new();
                let mut failures = Vec::new();
                for i in 0..per {
                    let note = format!("{user} visit {i}");
                    let out = log_visit(&user, &bin, &db, targets[(w + i) % targets.len()], &note);
                    let json: Option<serde_json::Value> = serde_json::from_slice(&out.stdout).ok();
                    match json.and_then(|j| j["id"].as_i64()) {
                        Some(id) if out.status.success() => acks.push((id, note, user.clone())),
                        _ => failures.push(text(&out)),
                    }
                }
                (acks, failures)
            })
        })
        .collect();
    let mut acks = Vec::new();
    let mut failures = Vec::new();
    for w in writers {
        let (a, f) = w.join().expect("writer");
        acks.extend(a);
        failures.extend(f);
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let (reads, read_failures) = reader.join().expect("reader");
    tui.quit();
    drop(tui);

    assert!(failures.is_empty(), "{} of {} writes failed:\n{}", failures.len(), 3 * per, failures.join("\n"));
    assert!(read_failures.is_empty(), "board status failed:\n{}", read_failures.join("\n"));
    assert!(reads > 0);
    let c = peek(&db);
    let after: i64 = c.query_row("SELECT count(*) FROM visits", [], |r| r.get(0)).expect("count");
    assert_eq!(after - before, (3 * per) as i64, "every acknowledged write is in the file");
    for (id, note, user) in &acks {
        let (stored, by): (String, String) = c
            .query_row(
                "SELECT v.notes, a.by FROM visits v JOIN audit a ON a.entity = 'visits' AND a.entity_id = v.id
                 AND a.action = 'insert' WHERE v.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("visit and its audit row");
        assert_eq!(&stored, note);
        assert_eq!(&by, user, "the audit trail names the account, whatever $USER says");
    }
    drop(c);
    eprintln!("hub: {} visits by 3 coordinators, {reads} board status runs, 0 failures", acks.len());

    // Nobody connected: the -wal is empty and both sidecars stay for the read-only members.
    assert_eq!(std::fs::metadata(&wal).expect("-wal kept").len(), 0, "-wal is empty once everyone has gone");
    assert!(shm.exists(), "-shm kept");
    let out = run_as(&b1, &bin, &["--db", &dbs, "status"]);
    assert!(out.status.success(), "board status with nobody connected: {}", text(&out));
    let tui = tui_as(&b1, &board, &bin, &db, "b1");
    let screen = tui.wait_for("read-only");
    assert!(screen.contains("read-only") && screen.contains("Dashboard"), "board TUI:\n{screen}");
    tui.quit();
    drop(tui);

    // Each in their place: board, unlisted, leader, coordinator on admin things.
    let refused = |out: std::process::Output, says: &str| {
        assert_eq!(out.status.code(), Some(7), "{}", text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says) && err.lines().count() == 1, "{err}");
    };
    refused(log_visit(&b1, &bin, &db, theirs, "board"), "board member");
    refused(log_visit(&u1, &bin, &db, theirs, "unlisted"), "not one of this alliance's people");
    refused(log_visit(&l1, &bin, &db, others, "not mine"), &format!("contract #{others} is not one of theirs"));
    let out = log_visit(&l1, &bin, &db, theirs, "my own");
    assert!(out.status.success(), "leader on their own contract: {}", text(&out));
    refused(run_as(&c2, &bin, &["--db", &dbs, "settings", "set", "review-interval=40"]), "only an admin");
    refused(run_as(&c2, &bin, &["--db", &dbs, "people", "add", "mallory", "--role", "admin"]), "only an admin");
    let out = run_as(&c1, &bin, &["--db", &dbs, "people", "remove", &c1]);
    assert_eq!(out.status.code(), Some(3), "the last admin stays: {}", text(&out));

    // check as a coordinator: healthy, reports the share, and never advises breaking it.
    let out = run_as(&c3, &bin, &["--db", &dbs, "check"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && report.contains("healthy"), "{}", text(&out));
    assert!(
        report.contains(&format!("group {hub} read-write")) && report.contains(&format!("group:{board}:r--")),
        "{report}"
    );
    assert!(!report.contains("chmod 600"), "{report}");
    assert_eq!(std::fs::metadata(&wal).expect("-wal").len(), 0);

    // init --group makes a shared file at once, its creator the admin.
    let fresh = dir.path().join("fresh.db");
    let out = run_as(&c1, &bin, &["init", &fresh.display().to_string(), "--group", &hub]);
    assert!(out.status.success(), "init --group: {}", text(&out));
    let m = std::fs::metadata(&fresh).expect("fresh");
    assert_eq!((m.gid(), m.mode() & 0o777), (hub_gid, 0o660));
    let out = run_as(&c1, &bin, &["--db", &fresh.display().to_string(), "people", "--json"]);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(j["people"][0]["account"], c1.as_str());
    assert_eq!(j["people"][0]["role"], "admin");
}

#[test]
fn a_leftover_read_only_shm_is_reported_not_called_damage() {
    if !is_root() {
        eprintln!("hub: not root, so no Unix accounts can be made here — this test runs in CI (as root)");
        return;
    }
    let p = prefix();
    let (hub, c1, c2) = (format!("{p}h"), format!("{p}x1"), format!("{p}x2"));
    let mut acc = Accounts::default();
    acc.group(&hub);
    acc.user(&c1, &hub);
    acc.user(&c2, &hub);
    let (_bin_dir, bin) = shared_binary();
    let dir = tempfile::Builder::new().prefix("alliance-shm").tempdir_in("/tmp").expect("tempdir");
    let (c1_uid, _) = accounts::ids(&c1);
    nix::unistd::chown(dir.path(), Some(nix::unistd::Uid::from_raw(c1_uid)), None).expect("chown dir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let db = dir.path().join("hub.db");
    std::fs::copy(sample_db(), &db).expect("copy");
    nix::unistd::chown(&db, Some(nix::unistd::Uid::from_raw(c1_uid)), None).expect("chown");
    let dbs = db.display().to_string();
    assert!(run_as(&c1, &bin, &["--db", &dbs, "share", "--group", &hub]).status.success());
    // The -shm left as another tool with a private umask would leave it.
    let shm = PathBuf::from(format!("{dbs}-shm"));
    std::fs::set_permissions(&shm, std::fs::Permissions::from_mode(0o600)).expect("chmod shm");
    let out = run_as(&c2, &bin, &["--db", &dbs, "check"]);
    let all = text(&out);
    assert!(!all.contains("DAMAGED"), "{all}");
    assert!(all.contains("-shm is read-only for you") && all.contains("alliance share"), "{all}");
    // The owner's share puts it right, and the second coordinator writes again.
    assert!(run_as(&c1, &bin, &["--db", &dbs, "share"]).status.success());
    let out = run_as(&c2, &bin, &["--db", &dbs, "check"]);
    assert!(out.status.success() && !text(&out).contains("read-only for you"), "{}", text(&out));
}

/// A real `sshd` on a free local port with a temporary config and host key, stopped by pid.
struct Sshd {
    child: std::process::Child,
    port: u16,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        // Stopped by its own pid, never by name.
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let _ = self.child.wait();
    }
}

fn keygen(path: &Path, comment: &str) -> String {
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(path)
        .output()
        .expect("ssh-keygen");
    assert!(out.status.success(), "ssh-keygen: {}", text(&out));
    std::fs::read_to_string(path.with_extension("pub")).expect("public key").trim().to_string()
}

fn ssh(sshd: &Sshd, key: &Path, account: &str, remote: &str) -> std::process::Output {
    Command::new("ssh")
        .args(["-F", "/dev/null", "-i"])
        .arg(key)
        .args(["-p", &sshd.port.to_string()])
        .args(["-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no"])
        .args(["-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=20"])
        .arg(format!("{account}@127.0.0.1"))
        .arg(remote)
        .env("USER", "someone-else")
        .output()
        .expect("ssh")
}

#[test]
fn people_come_in_by_ssh_key_through_the_gate_each_with_their_role() {
    if !is_root() {
        eprintln!("hub: not root, so no service account can be made here — this test runs in CI (as root)");
        return;
    }
    let sshd_bin = Path::new("/usr/sbin/sshd");
    if !sshd_bin.exists() {
        assert!(std::env::var_os("CI").is_none(), "CI must have openssh-server (.ci/run installs it)");
        eprintln!("hub: no /usr/sbin/sshd here — install openssh-server (.ci/run does) to run this test");
        return;
    }
    let p = prefix();
    let svc = format!("{p}svc");
    let mut acc = Accounts::default();
    acc.group(&svc);
    acc.user(&svc, &svc);
    let out = Command::new("usermod").args(["-p", "*", &svc]).output().expect("usermod");
    assert!(out.status.success(), "usermod: {}", text(&out));
    let (_bin_dir, bin) = shared_binary();
    let (svc_uid, svc_gid) = accounts::ids(&svc);

    // The service account's private file.
    let data = tempfile::Builder::new().prefix("alliance-svc").tempdir_in("/tmp").expect("tempdir");
    let db = data.path().join("hub.db");
    std::fs::copy(sample_db(), &db).expect("copy sample");
    let all = contracts(&sample_db());
    for f in [data.path(), db.as_path()] {
        nix::unistd::chown(f, Some(nix::unistd::Uid::from_raw(svc_uid)), Some(nix::unistd::Gid::from_raw(svc_gid)))
            .expect("chown");
    }
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let dbs = db.display().to_string();
    let (leader1, leader2) = (all[0].1, all.iter().find(|c| c.1 != all[0].1).expect("two leaders").1);
    let mine = all[0].0;
    let not_mine = all.iter().find(|c| c.1 == leader2).expect("leader 2's contract").0;
    for args in [
        vec!["people", "add", "ann", "--role", "coordinator", "--name", "Ann Coordinator"],
        vec!["people", "add", "bea", "--role", "board"],
        vec!["people", "add", "lee", "--role", "leader", "--leader", &leader1.to_string()],
        vec!["people", "add", "lou", "--role", "leader", "--leader", &leader2.to_string()],
    ] {
        let mut full = vec!["--db", dbs.as_str()];
        full.extend(args);
        let out = run_as(&svc, &bin, &full);
        assert!(out.status.success(), "{}", text(&out));
    }

    // Keys, each with its forced command, and sshd's own files.
    let etc = tempfile::Builder::new().prefix("alliance-sshd").tempdir_in("/tmp").expect("tempdir");
    std::fs::set_permissions(etc.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let mut authorized = String::new();
    let mut keys = std::collections::HashMap::new();
    for person in ["ann", "bea", "lee"] {
        let key = etc.path().join(format!("id_{person}"));
        let public = keygen(&key, &format!("{person}@laptop"));
        authorized.push_str(&format!(
            "command=\"{bin} --db {dbs} gate --as {person} --key {person}@laptop\",restrict {public}\n",
            bin = bin.display()
        ));
        keys.insert(person, key);
    }
    let auth_file = etc.path().join("authorized_keys");
    std::fs::write(&auth_file, authorized).expect("authorized_keys");
    std::fs::set_permissions(&auth_file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let host_key = etc.path().join("host_key");
    keygen(&host_key, "host");
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
    let config = etc.path().join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {hk}\nPidFile {pid}\nAuthorizedKeysFile {auth}\n\
             StrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n\
             PubkeyAuthentication yes\nAllowUsers {svc}\nPermitUserEnvironment no\nLogLevel ERROR\n",
            hk = host_key.display(),
            pid = etc.path().join("sshd.pid").display(),
            auth = auth_file.display(),
        ),
    )
    .expect("sshd_config");
    std::fs::create_dir_all("/run/sshd").expect("/run/sshd");
    let log = std::fs::File::create(etc.path().join("sshd.log")).expect("log");
    let child = Command::new(sshd_bin)
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start sshd");
    let sshd = Sshd { child, port };
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "sshd did not start: {:?}",
            std::fs::read_to_string(etc.path().join("sshd.log"))
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let visit = |contract: i64, note: &str| {
        format!(
            "alliance log-visit --contract {contract} --date 2026-11-20 --days 1 --activity coaching --notes '{note}' --json"
        )
    };

    // A coordinator logs a visit over ssh; the audit names them and their key, not $USER.
    let out = ssh(&sshd, &keys["ann"], &svc, &visit(mine, "Ann over ssh"));
    assert!(
        out.status.success(),
        "coordinator's log-visit: {}\nsshd: {:?}",
        text(&out),
        std::fs::read_to_string(etc.path().join("sshd.log"))
    );
    let id = serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("json")["id"].as_i64().expect("id");
    let by: String = peek(&db)
        .query_row("SELECT by FROM audit WHERE entity = 'visits' AND entity_id = ?1", [id], |r| r.get(0))
        .expect("audit row");
    assert!(by.starts_with("ann") && by.contains("[key ann@laptop]") && !by.contains("someone-else"), "{by}");

    let refused = |out: std::process::Output, code: i32, says: &str| {
        assert_eq!(out.status.code(), Some(code), "{}", text(&out));
        assert!(String::from_utf8_lossy(&out.stderr).contains(says), "{}", text(&out));
    };
    refused(ssh(&sshd, &keys["bea"], &svc, &visit(mine, "board")), 7, "board member");
    refused(ssh(&sshd, &keys["ann"], &svc, "alliance --db /etc/passwd status"), 7, "the gate chooses the database");
    refused(ssh(&sshd, &keys["ann"], &svc, "alliance status; rm -rf /"), 2, "");
    refused(ssh(&sshd, &keys["ann"], &svc, "rm -rf /"), 7, "only `alliance");
    refused(ssh(&sshd, &keys["ann"], &svc, "alliance gate --as bea"), 7, "gate");
    refused(
        ssh(&sshd, &keys["lee"], &svc, &visit(not_mine, "not mine")),
        7,
        &format!("contract #{not_mine} is not one of theirs"),
    );
    let out = ssh(&sshd, &keys["lee"], &svc, &visit(mine, "Lee on his own"));
    assert!(out.status.success(), "leader's own contract: {}", text(&out));
    let out = ssh(&sshd, &keys["bea"], &svc, "alliance status");
    assert!(out.status.success(), "board status: {}", text(&out));
    assert!(db.exists() && Path::new("/etc/passwd").exists());
    // Removing a person from `people` closes the gate to their key at once.
    let out = run_as(&svc, &bin, &["--db", &dbs, "people", "remove", "bea"]);
    assert!(out.status.success(), "people remove: {}", text(&out));
    refused(ssh(&sshd, &keys["bea"], &svc, "alliance status"), 7, "bea is not one of this alliance's people");

    // Only the file's owner may speak for others.
    let out = Command::new(&bin)
        .args(["--db", &dbs, "gate", "--as", "ann"])
        .env("SSH_ORIGINAL_COMMAND", "alliance status")
        .output()
        .expect("gate");
    assert_eq!(out.status.code(), Some(7), "root is not the file's owner: {}", text(&out));
    let visits: i64 = peek(&db)
        .query_row("SELECT count(*) FROM visits WHERE notes IN ('board', 'not mine')", [], |r| r.get(0))
        .expect("count");
    assert_eq!(visits, 0, "no refused write reached the file");
}

/// A tmpfs of our own, unmounted (by its path) when dropped.
struct Mount(tempfile::TempDir);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

#[test]
fn a_file_on_a_read_only_mount_opens_for_reading() {
    if !is_root() {
        eprintln!("hub: not root, so nothing can be mounted here — this test runs in CI (as root)");
        return;
    }
    let m = Mount(tempfile::tempdir().expect("tempdir"));
    let out =
        Command::new("mount").args(["-t", "tmpfs", "-o", "size=16m", "none"]).arg(m.0.path()).output().expect("mount");
    if !out.status.success() {
        assert!(std::env::var_os("CI").is_none(), "CI runs as root and can mount: {}", text(&out));
        eprintln!("hub: cannot mount a tmpfs here ({}) — skipping the read-only mount test", text(&out));
        return;
    }
    let db = m.0.path().join("hub.db");
    std::fs::copy(sample_db(), &db).expect("copy");
    let out = Command::new("mount").args(["-o", "remount,ro"]).arg(m.0.path()).output().expect("remount");
    assert!(out.status.success(), "remount ro: {}", text(&out));
    let bin = env!("CARGO_BIN_EXE_alliance");
    let dbs = db.display().to_string();
    for args in [vec!["status"], vec!["render", "dashboard"], vec!["check"], vec!["people"]] {
        let out = Command::new(bin)
            .args(["--db", &dbs, "--today", "2026-11-23"])
            .args(&args)
            .env("ALLIANCE_CONFIG", "/nonexistent/alliance.toml")
            .output()
            .expect("run");
        assert!(out.status.success(), "{args:?} on a read-only mount: {}", text(&out));
    }
    let out = Command::new(bin)
        .args(["--db", &dbs, "log-visit", "--contract", "1", "--days", "1", "--activity", "coaching"])
        .env("ALLIANCE_CONFIG", "/nonexistent/alliance.toml")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(7), "a write is refused: {}", text(&out));
    assert_eq!(std::fs::read_dir(m.0.path()).expect("list").count(), 1, "nothing was created beside the file");
}
