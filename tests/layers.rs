//! The layers point one way (DESIGN §2, issue #12): domain < metrics (with matching and board) <
//! store < front ends (cli, tui, export, import, views). Each test reads the sources under `src/`
//! and fails on an arrow that points up or sideways — in code and in doc comments alike, since a
//! doc link into a higher layer is the same dependency waiting to happen.

use std::path::{Path, PathBuf};

/// Every `.rs` file of module `name`: `src/NAME.rs` and everything under `src/NAME/`.
fn module_files(name: &str) -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let file = src.join(format!("{name}.rs"));
    if file.is_file() {
        out.push(file);
    }
    let mut dirs = vec![src.join(name)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    assert!(!out.is_empty(), "no sources found for module {name}");
    out.sort();
    out
}

/// Each line of the module's files, with where it is.
fn lines(module: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (shown, text) in sources(module) {
        for (i, line) in text.lines().enumerate() {
            out.push((format!("{shown}:{}", i + 1), line.to_string()));
        }
    }
    out
}

/// Each of the module's files, by its path under the crate, with its text.
fn sources(module: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    module_files(module)
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).expect("read source");
            (f.strip_prefix(root).unwrap_or(&f).display().to_string(), text)
        })
        .collect()
}

/// The top-level modules a text names as `crate::NAME`, or inside a group
/// `crate::{NAME::…, OTHER}` (spread over lines or not), each with the line it starts on.
fn crate_modules_at(text: &str) -> Vec<(usize, String)> {
    let ident = |s: &str| -> String { s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect() };
    let mut out = Vec::new();
    for (i, m) in text.match_indices("crate::") {
        if text[..i].ends_with('$') {
            continue;
        }
        let line = text[..i].matches('\n').count() + 1;
        let rest = &text[i + m.len()..];
        match rest.strip_prefix('{') {
            Some(group) => {
                // The group's top-level items: split at commas outside nested braces.
                let (mut depth, mut start) = (0usize, 0usize);
                for (j, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => {
                            out.push((line, ident(group[start..j].trim())));
                            break;
                        }
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            out.push((line, ident(group[start..j].trim())));
                            start = j + 1;
                        }
                        _ => {}
                    }
                }
            }
            None => out.push((line, ident(rest))),
        }
    }
    out.retain(|(_, name)| !name.is_empty() && name != "self");
    out
}

/// The top-level modules one line names.
fn crate_modules(line: &str) -> Vec<String> {
    crate_modules_at(line).into_iter().map(|(_, m)| m).collect()
}

/// Fails with every line of `module` that names a crate module outside `allowed`, or that
/// names one of `words` (foreign crates the layer must not touch).
fn assert_depends_only_on(module: &str, allowed: &[&str], words: &[&str]) {
    let mut bad = Vec::new();
    for (file, text) in sources(module) {
        for (line, m) in crate_modules_at(&text) {
            if m != module && !allowed.contains(&m.as_str()) {
                bad.push(format!("{file}:{line}: crate::{m}"));
            }
        }
    }
    for (at, line) in lines(module) {
        for w in words {
            if line.contains(w) {
                bad.push(format!("{at}: {w} — {}", line.trim()));
            }
        }
    }
    assert!(bad.is_empty(), "`{module}` may depend only on {allowed:?}, and never on {words:?}:\n{}", bad.join("\n"));
}

#[test]
fn the_bottom_modules_depend_on_nothing_above_them() {
    assert_depends_only_on("text", &[], &["rusqlite"]);
    assert_depends_only_on("terminal", &["text"], &["rusqlite"]);
    assert_depends_only_on("identity", &[], &["rusqlite"]);
    // File sharing's facts (is a file shared, its side files, the umask) sit below the store,
    // which asks them; the `share` command hands in the store's part.
    assert_depends_only_on("share", &["identity", "text"], &["rusqlite"]);
    assert_depends_only_on("paths", &[], &["rusqlite"]);
}

#[test]
fn domain_is_pure() {
    assert_depends_only_on("domain", &[], &["rusqlite", "ratatui", "crossterm"]);
}

#[test]
fn the_rules_never_reach_the_store() {
    assert_depends_only_on("metrics", &["domain"], &["rusqlite", "ratatui"]);
    assert_depends_only_on("matching", &["domain"], &["rusqlite", "ratatui"]);
    assert_depends_only_on("board", &["domain", "metrics"], &["rusqlite", "ratatui"]);
}

#[test]
fn the_store_calls_only_down() {
    // `sample` is the store's test data (its aggregate tests generate a national file).
    let below = ["domain", "metrics", "matching", "text", "identity", "share", "sample", "paths"];
    assert_depends_only_on("store", &below, &["ratatui", "crossterm"]);
}

#[test]
fn front_ends_do_not_reach_into_each_other() {
    let mut bad = Vec::new();
    for module in ["tui", "export", "import", "views", "sample"] {
        for (file, text) in sources(module) {
            for (line, m) in crate_modules_at(&text) {
                if m == "cli" || (m == "tui" && module != "tui") {
                    bad.push(format!("{file}:{line}: crate::{m}"));
                }
            }
        }
    }
    assert!(bad.is_empty(), "no front end but the CLI's launcher names another front end:\n{}", bad.join("\n"));
}

/// The CLI names of the TUI only what launches it and renders a screen (`alliance`, `render`).
#[test]
fn the_cli_uses_only_what_launches_and_renders_the_tui() {
    const LAUNCH: &[&str] = &["App", "Screen", "run", "render_screen", "theme::Theme"];
    let mut bad = Vec::new();
    for (at, line) in lines("cli") {
        for (i, m) in line.match_indices("crate::tui::") {
            let rest = &line[i + m.len()..];
            let named: Vec<String> = match rest.strip_prefix('{') {
                Some(group) => group.split('}').next().unwrap_or("").split(',').map(|s| s.trim().to_string()).collect(),
                None => {
                    vec![rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':').collect()]
                }
            };
            for n in named {
                let n = n.trim_end_matches("::");
                if !n.is_empty() && !LAUNCH.contains(&n) {
                    bad.push(format!("{at}: crate::tui::{n} — {}", line.trim()));
                }
            }
        }
        if line.contains("crate::tui") && !line.contains("crate::tui::") {
            bad.push(format!("{at}: {}", line.trim()));
        }
    }
    // `crate::{tui::…}` groups escape the walk above: none may name the TUI.
    for (file, text) in sources("cli") {
        let named = crate_modules_at(&text).into_iter().filter(|(_, m)| m == "tui").count();
        if named > text.matches("crate::tui::").count() {
            bad.push(format!("{file}: names the TUI inside a `crate::{{…}}` group"));
        }
    }
    assert!(bad.is_empty(), "the CLI borrows TUI internals:\n{}", bad.join("\n"));
}

#[test]
fn sql_runs_only_in_the_store() {
    // The sample generator writes through the store's transaction (`rusqlite::Transaction` in
    // its signatures) and the TUI's reader thread holds an interrupt handle; neither runs SQL.
    let mut bad = Vec::new();
    for module in ["domain", "metrics", "matching", "board", "cli", "tui", "export", "import", "views", "sample"] {
        for (at, line) in lines(module) {
            for sql in [".execute(", ".query_row(", ".prepare(", ".prepare_cached(", ".query_map(", "execute_batch("] {
                if line.contains(sql) && !line.trim_start().starts_with("//") {
                    bad.push(format!("{at}: {}", line.trim()));
                }
            }
        }
    }
    assert!(bad.is_empty(), "SQL outside src/store:\n{}", bad.join("\n"));
}

#[test]
fn the_checker_sees_a_named_module_in_code_and_in_doc_links() {
    assert_eq!(crate_modules("use crate::store::Settings;"), ["store"]);
    assert_eq!(crate_modules("//! ([`crate::store::Store::open`]) and crate::metrics"), ["store", "metrics"]);
    assert!(crate_modules("$crate::domain::x").is_empty());
    assert_eq!(crate_modules("use crate::{domain::Settings, store::{self, Store}};"), ["domain", "store"]);
    let spread = "use crate::{\n    domain::{A, B},\n    store::Settings,\n};";
    assert_eq!(crate_modules_at(spread), [(1, "domain".to_string()), (1, "store".to_string())]);
}
