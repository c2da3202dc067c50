//! `away start --from HOST:` and `away send` through a real `sshd` on a free local port, with a
//! forced-command key: the laptop's `ssh` runs `alliance snapshot` and `alliance apply-changes -`
//! on the server, which are all the key may do. Needs root (sshd and its host key) and
//! openssh-server; CI runs as root and `.ci/run` installs it.

mod common;

use alliance::domain::*;
use alliance::store::{Access, Store};
use common::{d, tmp};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
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

#[test]
fn an_away_copy_is_taken_and_sent_through_sshd_with_a_forced_command_key() {
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
    // The server's file, and sshd's files, where sshd (as root) can read them.
    let etc = tempfile::Builder::new().prefix("alliance-away-sshd").tempdir_in("/tmp").expect("tempdir");
    let etc = etc.path();
    std::fs::set_permissions(etc, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let db = etc.join("hub.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db"), &db).expect("copy sample.db");

    // The key may run one alliance command on hub.db and nothing else: the forced command
    // takes the command line the laptop sent, refuses anything but `alliance snapshot` and
    // `alliance apply-changes -`, and runs it on the server's file.
    let forced = etc.join("forced.sh");
    std::fs::write(
        &forced,
        format!(
            "#!/bin/sh\ncase \"$SSH_ORIGINAL_COMMAND\" in\n  'alliance snapshot') exec {bin} --db {db} snapshot ;;\n  'alliance apply-changes -') exec {bin} --db {db} apply-changes - ;;\n  *) echo \"refused: $SSH_ORIGINAL_COMMAND\" >&2; exit 7 ;;\nesac\n",
            bin = bin.display(),
            db = db.display()
        ),
    )
    .expect("forced command");
    std::fs::set_permissions(&forced, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let key = etc.join("id_ann");
    let public = keygen(&key, "ann@laptop");
    let auth = etc.join("authorized_keys");
    std::fs::write(&auth, format!("command=\"{}\",restrict {public}\n", forced.display())).expect("authorized_keys");
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

    // The laptop: an ssh config naming the server `hub`, used through $ALLIANCE_SSH.
    let laptop = tmp();
    let laptop = laptop.path();
    let ssh_config = laptop.join("ssh_config");
    std::fs::write(
        &ssh_config,
        format!(
            "Host hub\n  HostName 127.0.0.1\n  Port {port}\n  User root\n  IdentityFile {key}\n  IdentitiesOnly yes\n  \
             BatchMode yes\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n  ConnectTimeout 20\n",
            key = key.display()
        ),
    )
    .expect("ssh config");
    let wrapper = laptop.join("ssh");
    std::fs::write(&wrapper, format!("#!/bin/sh\nexec ssh -F {} \"$@\"\n", ssh_config.display())).expect("ssh wrapper");
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let alliance = |args: &[&str]| {
        Command::new(bin)
            .args(args)
            .current_dir(laptop)
            .env_clear()
            .env("HOME", laptop)
            .env("PATH", "/usr/bin:/bin")
            .env("ALLIANCE_TODAY", TODAY)
            .env("ALLIANCE_SSH", &wrapper)
            .output()
            .expect("run alliance")
    };

    let out = alliance(&["away", "start", "--from", "hub:"]);
    assert!(
        out.status.success(),
        "away start over ssh: {}\nsshd: {:?}",
        text(&out),
        std::fs::read_to_string(etc.join("sshd.log"))
    );
    let away = laptop.join(".local/share/alliance/away-hub.db");
    assert!(away.exists(), "{}", text(&out));
    assert_eq!(std::fs::metadata(&away).expect("away copy").permissions().mode() & 0o777, 0o600);

    let mut a = Store::open(&away, Access::ReadWrite).expect("away copy");
    let v = Visit {
        id: 0,
        contract_id: 26,
        leader_id: 1,
        visited_on: d("2026-11-20"),
        days: 1.0,
        activity: Activity::Coaching,
        notes: "car park, no signal".into(),
        next_steps: String::new(),
        stamp: Stamp::default(),
    };
    let (id, _) = a.add_visit(&v, d(TODAY)).expect("visit away");
    drop(a);
    let away_arg = away.display().to_string();
    let sent = alliance(&["--db", &away_arg, "away", "send"]);
    assert!(sent.status.success(), "away send over ssh: {}", text(&sent));
    assert!(
        text(&sent).contains("applied 1 change") && text(&sent).contains("away copy refreshed from hub"),
        "{}",
        text(&sent)
    );
    let server = Store::open(&db, Access::ReadWrite).expect("server");
    let got: Visit = server.get(id).expect("the visit made away is on the server");
    assert_eq!(got.notes, "car park, no signal");
    let arrived: i64 = server
        .conn()
        .query_row(
            "SELECT count(*) FROM audit WHERE entity = 'visits' AND entity_id = ?1 AND arrived_at IS NOT NULL",
            [id],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(arrived, 1);
    drop(server);
    // Sending again (nothing new) changes nothing; the key can do nothing else.
    let again = alliance(&["--db", &away_arg, "away", "send"]);
    assert!(again.status.success(), "{}", text(&again));
    assert_eq!(
        Store::open(&db, Access::ReadWrite)
            .expect("server")
            .conn()
            .query_row("SELECT count(*) FROM visits WHERE notes = 'car park, no signal'", [], |r| r.get::<_, i64>(0))
            .expect("count"),
        1
    );
    let other = Command::new(&wrapper).args(["--", "hub", "alliance status"]).output().expect("ssh");
    assert_eq!(other.status.code(), Some(7), "{}", text(&other));
}
