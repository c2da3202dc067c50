//! The agreement and the board pack are documents people print: each is printed to PDF with
//! headless Chromium (installed by `.ci/run`), and `pdftotext` must find every success
//! criterion, the price and the signature block in the agreement, the impact section in the
//! pack, and no word of either outside its page (a line cut at the page edge).

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn alliance(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_alliance"))
        .args(args)
        .env("ALLIANCE_TODAY", TODAY)
        .env_remove("ALLIANCE_DB")
        .output()
        .expect("run alliance")
}

fn tool(name: &str) -> PathBuf {
    let found =
        std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).map(|d| d.join(name)).find(|f| f.is_file()));
    found.unwrap_or_else(|| panic!("{name} is not installed — .ci/run installs chromium and poppler-utils"))
}

/// Prints `html` to a PDF beside it with headless Chromium, waiting at most two minutes.
fn print(html: &Path, profile: &Path) -> PathBuf {
    let pdf = html.with_extension("pdf");
    let mut child = Command::new(tool("chromium"))
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not print {} within two minutes", html.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(pdf.is_file(), "chromium wrote no PDF for {}", html.display());
    pdf
}

fn pdftotext(pdf: &Path, args: &[&str]) -> String {
    let o = Command::new(tool("pdftotext")).args(args).arg(pdf).arg("-").output().expect("pdftotext");
    assert!(o.status.success(), "pdftotext failed");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// (`-raw` reads in the order Chromium drew the text, so a table cell stays whole.)
/// Text without any whitespace, so a phrase wrapped over lines or pages still matches.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn attr(tag: &str, name: &str) -> f64 {
    let start = tag.find(&format!("{name}=\"")).map(|i| i + name.len() + 2).expect("attribute");
    tag[start..].split('"').next().and_then(|v| v.parse().ok()).expect("number")
}

/// Every word's box lies inside its page (pdftotext -bbox): nothing is cut at an edge.
fn nothing_cut(pdf: &Path) -> usize {
    let boxes = pdftotext(pdf, &["-bbox"]);
    let (mut w, mut h, mut words) = (0.0, 0.0, 0);
    for line in boxes.lines() {
        let t = line.trim();
        if t.starts_with("<page ") {
            (w, h) = (attr(t, "width"), attr(t, "height"));
        } else if t.starts_with("<word ") {
            words += 1;
            let (x0, y0, x1, y1) = (attr(t, "xMin"), attr(t, "yMin"), attr(t, "xMax"), attr(t, "yMax"));
            assert!(x0 >= 0.0 && y0 >= 0.0 && x1 <= w && y1 <= h, "a word is cut at the page edge: {t} (page {w}×{h})");
        }
    }
    words
}

#[test]
fn the_agreement_and_the_board_pack_print_whole() {
    let dir = tmp();
    let db = dir.path().join("s.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample.db"), &db).expect("copy sample");
    let db = db.display().to_string();
    // A criterion with a long unbroken word must wrap, not run off the page.
    let long = format!("Evidence at {} & <b>kept</b>", "https://example.org/".repeat(8));
    let o =
        alliance(&["--db", &db, "criterion", "add", "--contract", "38", &long, "--baseline", "40", "--target", "65"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = dir.path().join("agreement.html");
    let o = alliance(&["--db", &db, "export", "agreement", "--contract", "38", "--out", &html.display().to_string()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let written = std::fs::read_to_string(&html).expect("html");
    assert!(written.contains("&lt;b&gt;kept&lt;/b&gt;") && !written.contains("<b>kept"), "typed text is escaped");
    let profile = tmp();
    let pdf = print(&html, profile.path());
    let text = pdftotext(&pdf, &["-raw"]);
    let flat = squeeze(&text);
    let conn = rusqlite::Connection::open(&db).expect("open");
    let mut st = conn.prepare("SELECT text FROM criteria WHERE contract_id = 38 ORDER BY id").expect("sql");
    let criteria: Vec<String> = st.query_map([], |r| r.get(0)).expect("q").collect::<Result<_, _>>().expect("rows");
    assert!(criteria.len() >= 3);
    for k in &criteria {
        assert!(flat.contains(&squeeze(k)), "criterion missing from the printed agreement: {k}");
    }
    let (days, rate): (f64, i64) = conn
        .query_row("SELECT days_commissioned, day_rate_pence FROM contracts WHERE id = 38", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("contract");
    let price = alliance::domain::money::fmt_pence((days * rate as f64).round() as i64);
    assert!(flat.contains(&squeeze(&format!("= {price}"))), "price {price} missing");
    for part in [
        "Signatures",
        "Signed for the supported school",
        "Signed for the provider",
        "Signed for the commissioner",
        "Name and role",
    ] {
        assert!(flat.contains(&squeeze(part)), "signature block: {part} missing");
    }
    assert!(
        flat.contains(&squeeze("Safeguarding assurance"))
            && flat.contains(&squeeze("Confidentiality and data sharing"))
    );
    assert!(nothing_cut(&pdf) > 300, "the agreement has its words");

    let pack = dir.path().join("pack.html");
    let o = alliance(&["--db", &db, "export", "board-pack", "--out", &pack.display().to_string()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = print(&pack, profile.path());
    let flat = squeeze(&pdftotext(&pdf, &["-raw"]));
    assert!(flat.contains(&squeeze("7. Impact, 2026/27")), "the pack's impact section");
    assert!(flat.contains(&squeeze("Live contracts")) || flat.contains(&squeeze("Decisions")));
    assert!(nothing_cut(&pdf) > 500, "the pack has its words");
}
