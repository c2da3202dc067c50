//! `away start --from HOST:` and `away send` through a real `sshd` on a free local port, with
//! forced-command keys running `alliance gate --as NAME` (issue #16's deployment B): the
//! laptop's `ssh` runs `alliance snapshot` and `alliance apply-changes -` through the gate, with
//! the person's role — a coordinator's changes arrive; a leader's visit on another leader's
//! contract is listed as refused while their own arrives. Needs root (sshd and its host key)
//! and openssh-server; CI runs as root and `.ci/run` installs it.

mod common;

use alliance::domain::*;
use alliance::store::{Access, Store};
use common::{d, tmp};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const TODAY: &str = "2026-11-23";

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// A real `sshd` on a free local port with a temporary config and host key, stopped by pid.
struct Sshd {
    child: std::process::Child,
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

/// Whether this process runs as root (the owner of its own /proc entry is its effective uid).
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn visit(contract: i64, leader: i64, notes: &str) -> Visit {
    Visit {
        id: 0,
        contract_id: contract,
        leader_id: leader,
        visited_on: d("2026-11-20"),
        days: 1.0,
        activity: Activity::Coaching,
        notes: notes.into(),
        next_steps: String::new(),
        stamp: Stamp::default(),
    }
}

/// One person's laptop: an ssh config naming the server `hub` with their key, used through
/// `$ALLIANCE_SSH`.
struct Laptop {
    dir: tempfile::TempDir,
    ssh: PathBuf,
}

impl Laptop {
    fn new(port: u16, key: &Path) -> Laptop {
        let dir = tmp();
        let config = dir.path().join("ssh_config");
        std::fs::write(
            &config,
            format!(
                "Host hub\n  HostName 127.0.0.1\n  Port {port}\n  User root\n  IdentityFile {key}\n  IdentitiesOnly yes\n  \
                 BatchMode yes\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n  ConnectTimeout 20\n",
                key = key.display()
            ),
        )
        .expect("ssh config");
        let ssh = dir.path().join("ssh");
        std::fs::write(&ssh, format!("#!/bin/sh\nexec ssh -F {} \"$@\"\n", config.display())).expect("ssh wrapper");
        std::fs::set_permissions(&ssh, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        Laptop { dir, ssh }
    }

    fn alliance(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_alliance"))
            .args(args)
            .current_dir(self.dir.path())
            .env_clear()
            .env("HOME", self.dir.path())
            .env("PATH", "/usr/bin:/bin")
            .env("ALLIANCE_TODAY", TODAY)
            .env("ALLIANCE_SSH", &self.ssh)
            .output()
            .expect("run alliance")
    }

    fn away(&self) -> PathBuf {
        self.dir.path().join(".local/share/alliance/away-hub.db")
    }
}

#[test]
fn away_copies_are_taken_and_sent_through_the_gate_with_each_persons_role() {
    if !is_root() {
        eprintln!("away_sshd: not root, so no sshd can be started here — this test runs in CI (as root)");
        return;
    }
    let sshd_bin = Path::new("/usr/sbin/sshd");
    if !sshd_bin.exists() {
        assert!(std::env::var_os("CI").is_none(), "CI must have openssh-server (.ci/run installs it)");
        eprintln!("away_sshd: no /usr/sbin/sshd here — install openssh-server (.ci/run does) to run this test");
        return;
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_alliance"));
    // The server's file (root's: the gate runs as the file's owner), and sshd's files.
    let etc = tempfile::Builder::new().prefix("alliance-away-sshd").tempdir_in("/tmp").expect("tempdir");
    let etc = etc.path();
    std::fs::set_permissions(etc, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let db = etc.join("hub.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db"), &db).expect("copy sample.db");
    let dbs = db.display().to_string();
    // Contract 26 is led by leader 1 (Lee's); contract 22 by leader 2.
    for args in [
        vec!["people", "add", "ann", "--role", "coordinator"],
        vec!["people", "add", "lee", "--role", "leader", "--leader", "1"],
    ] {
        let mut full = vec!["--db", dbs.as_str()];
        full.extend(args);
        let out = Command::new(bin).args(&full).env("ALLIANCE_TODAY", TODAY).output().expect("people add");
        assert!(out.status.success(), "{}", text(&out));
    }

    // Each key's forced command is the gate, as that person.
    let mut authorized = String::new();
    let mut keys = std::collections::HashMap::new();
    for person in ["ann", "lee"] {
        let key = etc.join(format!("id_{person}"));
        let public = keygen(&key, &format!("{person}@laptop"));
        authorized.push_str(&format!(
            "command=\"{bin} --db {dbs} gate --as {person} --key {person}@laptop\",restrict {public}\n",
            bin = bin.display()
        ));
        keys.insert(person, key);
    }
    let auth = etc.join("authorized_keys");
    std::fs::write(&auth, authorized).expect("authorized_keys");
    std::fs::set_permissions(&auth, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let host_key = etc.join("host_key");
    keygen(&host_key, "host");
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
    let config = etc.join("sshd_config");
    std::fs::write(
        &config,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {hk}\nPidFile {pid}\nAuthorizedKeysFile {auth}\n\
             StrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n\
             PubkeyAuthentication yes\nPermitRootLogin prohibit-password\nAllowUsers root\n\
             PermitUserEnvironment no\nLogLevel ERROR\n",
            hk = host_key.display(),
            pid = etc.join("sshd.pid").display(),
            auth = auth.display(),
        ),
    )
    .expect("sshd_config");
    std::fs::create_dir_all("/run/sshd").expect("/run/sshd");
    let log = std::fs::File::create(etc.join("sshd.log")).expect("log");
    let child = Command::new(sshd_bin)
        .args(["-D", "-e", "-f"])
        .arg(&config)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start sshd");
    let _sshd = Sshd { child };
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "sshd did not start: {:?}",
            std::fs::read_to_string(etc.join("sshd.log"))
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let count = |sql: &str| -> i64 {
        Store::open(&db, Access::ReadWrite).expect("server").conn().query_row(sql, [], |r| r.get(0)).expect("count")
    };

    // Ann, a coordinator: a copy through the gate, a visit away, sent.
    let ann = Laptop::new(port, &keys["ann"]);
    let out = ann.alliance(&["away", "start", "--from", "hub:"]);
    assert!(
        out.status.success(),
        "away start: {}\nsshd: {:?}",
        text(&out),
        std::fs::read_to_string(etc.join("sshd.log"))
    );
    assert!(text(&out).contains("for ann@127.0.0.1 [key ann@laptop]"), "the gate's person: {}", text(&out));
    let away = ann.away();
    assert_eq!(std::fs::metadata(&away).expect("away copy").permissions().mode() & 0o777, 0o600);
    let mut a = Store::open(&away, Access::ReadWrite).expect("away copy");
    let (id, _) = a.add_visit(&visit(22, 2, "Ann in the car park"), d(TODAY)).expect("visit away");
    drop(a);
    let away_arg = away.display().to_string();
    let sent = ann.alliance(&["--db", &away_arg, "away", "send"]);
    assert!(sent.status.success(), "away send: {}", text(&sent));
    assert!(
        text(&sent).contains("applied 1 change") && text(&sent).contains("away copy refreshed from hub"),
        "{}",
        text(&sent)
    );
    assert_eq!(count(&format!("SELECT count(*) FROM visits WHERE id = {id} AND notes = 'Ann in the car park'")), 1);
    assert_eq!(
        count(&format!(
            "SELECT count(*) FROM audit WHERE entity = 'visits' AND entity_id = {id} AND by = 'ann@127.0.0.1 [key ann@laptop]' AND arrived_at IS NOT NULL"
        )),
        1,
        "the audit row names the away person"
    );
    // Sending again changes nothing.
    let again = ann.alliance(&["--db", &away_arg, "away", "send"]);
    assert!(again.status.success(), "{}", text(&again));
    assert_eq!(count("SELECT count(*) FROM visits WHERE notes = 'Ann in the car park'"), 1);

    // Lee, a leader: his own contract's visit arrives; one on another leader's contract (made
    // on an older alliance that did not check, say) is listed as refused, not applied.
    let lee = Laptop::new(port, &keys["lee"]);
    let out = lee.alliance(&["away", "start", "--from", "hub:"]);
    assert!(out.status.success(), "{}", text(&out));
    // Only what Lee may read went to his laptop: his contracts, their visits and reviews; other
    // schools without their notes; no history of anyone else's contracts.
    {
        let c = rusqlite::Connection::open(lee.away()).expect("lee's copy");
        let q = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).expect("query") };
        assert_eq!(q("SELECT count(*) FROM contracts WHERE leader_id != 1"), 0);
        assert!(q("SELECT count(*) FROM contracts") > 0);
        assert_eq!(q("SELECT count(*) FROM visits WHERE contract_id NOT IN (SELECT id FROM contracts)"), 0);
        assert_eq!(q("SELECT count(*) FROM visits WHERE notes = 'Ann in the car park'"), 0, "contract 22 is not Lee's");
        assert_eq!(
            q("SELECT count(*) FROM schools WHERE notes != '' AND id NOT IN (SELECT school_id FROM contracts)"),
            0
        );
        assert_eq!(
            q("SELECT count(*) FROM audit WHERE json_extract(coalesce(after, before), '$.contract_id') = 22"),
            0
        );
        assert_eq!(q("SELECT count(*) FROM pragma_foreign_key_check"), 0);
        let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity");
        assert_eq!(ok, "ok");
    }
    let mut l = Store::open(&lee.away(), Access::ReadWrite).expect("lee's copy");
    l.add_visit(&visit(26, 1, "Lee on his own contract"), d(TODAY)).expect("own visit");
    drop(l);
    let lee_arg = lee.away().display().to_string();
    let out = lee.alliance(&["--db", &lee_arg, "away", "changes", "--out", "changes.json"]);
    assert!(out.status.success(), "{}", text(&out));
    // A change on another leader's contract, as an altered document (or an older alliance that
    // did not check) would carry it: the server's role check holds it back, the rest applies.
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(lee.dir.path().join("changes.json")).expect("changes")).expect("json");
    let mut forged = doc["changes"][0].clone();
    let id = forged["entity_id"].as_i64().expect("id") + 1;
    forged["id"] = (forged["id"].as_i64().expect("change id") + 1).into();
    forged["entity_id"] = id.into();
    forged["after"]["id"] = id.into();
    forged["after"]["contract_id"] = 22.into();
    forged["after"]["leader_id"] = 2.into();
    forged["after"]["notes"] = "not his".into();
    doc["changes"].as_array_mut().expect("changes").push(forged);
    let forged_file = lee.dir.path().join("forged.json");
    std::fs::write(&forged_file, doc.to_string()).expect("write");
    let sent = Command::new(&lee.ssh)
        .args(["--", "hub", "alliance apply-changes -"])
        .stdin(std::fs::File::open(&forged_file).expect("open"))
        .output()
        .expect("ssh");
    assert_eq!(sent.status.code(), Some(9), "{}", text(&sent));
    assert!(text(&sent).contains("applied 1 change, 1 held back"), "{}", text(&sent));
    assert!(text(&sent).contains("lee is a leader: contract #22 is not one of theirs"), "{}", text(&sent));
    assert_eq!(count("SELECT count(*) FROM visits WHERE notes = 'Lee on his own contract'"), 1);
    assert_eq!(count("SELECT count(*) FROM visits WHERE notes = 'not his'"), 0);
    // His own send then finds it all received, and refreshes his copy.
    let again = lee.alliance(&["--db", &lee_arg, "away", "send"]);
    assert!(again.status.success(), "{}", text(&again));
    assert!(text(&again).contains("1 received in an earlier send"), "{}", text(&again));
    assert_eq!(count("SELECT count(*) FROM visits WHERE notes = 'Lee on his own contract'"), 1);

    // Through the gate the changes come only on standard input.
    let other = Command::new(&ann.ssh).args(["--", "hub", "alliance apply-changes /etc/passwd"]).output().expect("ssh");
    assert_eq!(other.status.code(), Some(7), "{}", text(&other));
}
