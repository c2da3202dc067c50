//! `away start --from HOST:PATH` and `away send` over SSH: the commands the laptop runs on the
//! server (`alliance snapshot`, `alliance apply-changes -`), their quoting and streams, with a
//! stand-in `ssh` ($ALLIANCE_SSH) that runs the remote command line through `sh -c` the way
//! sshd runs it through the account's shell. (The real sshd with forced-command keys is the
//! hub's test harness.)

mod common;

use alliance::domain::*;
use alliance::store::{Access, Store};
use common::{d, tmp};
use std::path::Path;
use std::process::{Command, Output};

const TODAY: &str = "2026-11-23";

fn alliance(dir: &Path, args: &[&str]) -> Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_alliance"));
    Command::new(bin)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("HOME", dir)
        .env("USER", "ann")
        .env("ALLIANCE_TODAY", TODAY)
        .env("ALLIANCE_CONFIG", dir.join("no-config.toml"))
        .env("ALLIANCE_SSH", dir.join("fake-ssh"))
        .env("PATH", format!("{}:/usr/bin:/bin", bin.parent().expect("bin dir").display()))
        .output()
        .expect("run alliance")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn a_copy_taken_and_sent_over_ssh_arrives_once() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tmp();
    let dir = dir.path();
    let server_dir = dir.join("srv dir");
    std::fs::create_dir(&server_dir).expect("server dir");
    let server = server_dir.join("hub's file.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db"), &server).expect("copy sample.db");
    // ssh -- HOST 'COMMAND LINE': the line is run by the remote account's shell; it records
    // each line so the test can see what was asked of the server.
    let fake = dir.join("fake-ssh");
    std::fs::write(
        &fake,
        "#!/bin/sh\n[ \"$1\" = -- ] && shift\nhost=$1; shift\necho \"$host $*\" >> \"$HOME/ssh.log\"\nexec sh -c \"$*\"\n",
    )
    .expect("fake ssh");
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");

    let from = format!("hub:{}", server.display());
    let out = alliance(dir, &["away", "start", "--from", &from, "--out", "away.db"]);
    assert!(out.status.success(), "{}", text(&out));
    let me = alliance::identity::current().account;
    assert!(text(&out).contains(&format!("away copy of hub taken into away.db for {me}")), "{}", text(&out));
    let log = std::fs::read_to_string(dir.join("ssh.log")).expect("ssh log");
    assert!(log.contains("hub alliance --db '") && log.ends_with("' snapshot\n"), "{log}");

    let mut away = Store::open(&dir.join("away.db"), Access::ReadWrite).expect("away copy");
    let copy = away.away_copy().expect("read").expect("an away copy");
    assert_eq!((copy.server.as_str(), copy.source.as_str()), ("hub", from.as_str()));
    let v = Visit {
        id: 0,
        contract_id: 26,
        leader_id: 1,
        visited_on: d("2026-11-20"),
        days: 1.0,
        activity: Activity::Coaching,
        notes: "logged in the car park".into(),
        next_steps: String::new(),
        stamp: Stamp::default(),
    };
    let (id, _) = away.add_visit(&v, d(TODAY)).expect("visit away");
    drop(away);

    let sent = alliance(dir, &["--db", "away.db", "away", "send"]);
    assert!(sent.status.success(), "{}", text(&sent));
    assert!(text(&sent).contains("applied 1 change"), "{}", text(&sent));
    assert!(text(&sent).contains("away copy refreshed from hub"), "{}", text(&sent));
    let log = std::fs::read_to_string(dir.join("ssh.log")).expect("ssh log");
    assert!(log.contains("' apply-changes -\n"), "{log}");
    let s = Store::open(&server, Access::ReadWrite).expect("server");
    let got: Visit = s.get(id).expect("the visit made away is on the server, with its id");
    assert_eq!(got.notes, "logged in the car park");
    drop(s);
    let status = alliance(dir, &["--db", "away.db", "status"]);
    assert!(text(&status).starts_with("away copy of hub, taken "), "{}", text(&status));
    assert!(text(&status).contains("— 0 changes not yet sent"), "{}", text(&status));

    // A server that cannot be reached: nothing taken, nothing left behind.
    std::fs::write(&fake, "#!/bin/sh\necho 'ssh: connect to host nowhere: Connection refused' >&2\nexit 255\n")
        .expect("fake ssh");
    let out = alliance(dir, &["away", "start", "--from", "nowhere:", "--out", "other.db"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("nowhere sent no snapshot (ssh exited 255)"), "{}", text(&out));
    assert!(!dir.join("other.db").exists());
    assert!(common::listing(dir).iter().all(|f| !f.contains("incoming")), "{:?}", common::listing(dir));
}
