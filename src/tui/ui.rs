//! Drawing: a pure function of [`App`] (plus the list widgets' scroll bookkeeping). No SQL, no
//! I/O. Works at 80×24 and grows with the terminal; below [`MIN_W`]×[`MIN_H`] it says so.

use super::app::{App, Overlay};
use super::keymap::{self, HelpLine, Layer, Screen};
use super::screens::pane_block;
use super::table;
use super::theme::Role;
use crate::domain::fmt_date;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

/// Smallest usable terminal width.
pub const MIN_W: u16 = 60;
/// Smallest usable terminal height.
pub const MIN_H: u16 = 16;

/// Draws the whole app.
pub fn draw(frame: &mut Frame<'_>, app: &mut App) {
    let area = frame.area();
    let th = app.theme.clone();
    if area.width < MIN_W || area.height < MIN_H {
        let msg = vec![
            Line::from(Span::styled("terminal too small", th.style(Role::Danger))),
            Line::from(format!("(have {}×{}, need {MIN_W}×{MIN_H})", area.width, area.height)),
            Line::from(Span::styled("enlarge the window, or press q to quit", th.style(Role::Muted))),
        ];
        let y = area.height.saturating_sub(3) / 2;
        let r = Rect { x: area.x, y: area.y + y, width: area.width, height: area.height.min(3) };
        frame.render_widget(
            Paragraph::new(msg).alignment(ratatui::layout::Alignment::Center).wrap(Wrap { trim: true }),
            r,
        );
        return;
    }
    let [top, body, foot] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    draw_tabs(frame, top, app);
    if let Some(doc) = app.details.last() {
        draw_doc(frame, body, doc, app);
    } else {
        super::screens::draw(frame, body, app);
    }
    draw_footer(frame, foot, app);
    if let Some(of) = app.form.as_mut() {
        of.form.draw(frame, body, &th);
    }
    match &app.overlay {
        Overlay::Help { .. } => draw_help(frame, area, app),
        Overlay::Palette { .. } => draw_palette(frame, area, app),
        Overlay::Who(_) => {
            let th = app.theme.clone();
            if let Overlay::Who(w) = &mut app.overlay {
                w.draw(frame, body, &th);
            }
        }
        Overlay::Conflicts(list) => list.draw(frame, body, &th),
        Overlay::None => {}
    }
}

/// The tab bar: the brand, the screens and, on the right, the alliance and today's date. When
/// narrow, the alliance's name goes first, then the brand, then the tab titles shorten — the
/// date always stays.
fn draw_tabs(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let th = &app.theme;
    frame.render_widget(Block::default().style(th.style(Role::StatusBar)), area);
    let date = format!("{} ", fmt_date(app.today));
    let name = table::clean(&app.data.alliance);
    let named = format!("{name} · {date}");
    // On an away copy the header must say so: when the name and date do not fit, the name
    // alone, then "away · N changes not yet sent", before falling back to the date.
    let mut away = Vec::new();
    if name.starts_with("away copy of ") {
        away.push(format!("{name} "));
        if let Some((_, unsent)) = name.split_once(" — ") {
            away.push(format!("away · {unsent} "));
        }
    }
    let width = area.width as usize;
    let tabs = |brand: bool, short: bool| {
        let mut spans = Vec::new();
        if brand {
            spans.push(Span::styled(" alliance ", th.style(Role::StatusBar).patch(th.style(Role::Title))));
        }
        for s in Screen::ALL {
            // Narrow: tighter tabs, and the dashboard as "Dash" — every title still readable.
            let label = match (short, s) {
                (true, Screen::Dashboard) => format!(" {} Dash", s.index() + 1),
                (true, _) => format!(" {} {}", s.index() + 1, s.title()),
                (false, _) => format!(" {} {} ", s.index() + 1, s.title()),
            };
            let style = if s == app.screen { th.style(Role::Selected) } else { th.style(Role::StatusBar) };
            spans.push(Span::styled(label, style));
        }
        spans
    };
    let used = |spans: &Vec<Span<'_>>| spans.iter().map(Span::width).sum::<usize>();
    let mut chosen = None;
    let mut tries = vec![(true, false, &named)];
    // The short "away · N …" may also drop the brand and shorten the tabs: it matters more.
    tries.extend(away.iter().flat_map(|a| [(true, false, a), (false, false, a), (false, true, a)]));
    tries.extend([(true, false, &date), (false, false, &date), (false, true, &date)]);
    for (brand, short, right) in tries {
        let spans = tabs(brand, short);
        if used(&spans) + right.chars().count() <= width {
            chosen = Some((spans, right.clone()));
            break;
        }
    }
    let (mut spans, right) = chosen.unwrap_or_else(|| (tabs(false, true), String::new()));
    let pad = width.saturating_sub(used(&spans) + right.chars().count());
    spans.push(Span::styled(" ".repeat(pad), th.style(Role::StatusBar)));
    spans.push(Span::styled(right, th.style(Role::StatusBar)));
    frame.render_widget(Line::from(spans), area);
}

/// The footer: what the current layer offers on this screen, most useful first, cut from the
/// least useful end to fit — `help` is always kept. A filter being typed, or a message, comes
/// first.
fn draw_footer(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let th = &app.theme;
    frame.render_widget(Block::default().style(th.style(Role::StatusBar)), area);
    let layer = app.layer();
    let bar = th.style(Role::StatusBar);
    let key_style = bar.patch(th.style(Role::Title));
    let mut lead: Vec<Span<'_>> = vec![Span::raw(" ")];
    if app.read_only {
        lead.push(Span::styled("READ-ONLY", th.style(Role::Selected)));
        lead.push(Span::raw("  "));
    }
    if let Some(badge) = &app.data.away_badge {
        lead.push(Span::styled(badge.clone(), th.style(Role::Selected)));
        lead.push(Span::raw("  "));
    }
    // Away changes left conflicts here: how many, and the key that lists them.
    if app.data.open_conflicts > 0 && !matches!(layer, Layer::Conflicts | Layer::Answer) {
        let n = app.data.open_conflicts;
        lead.push(Span::styled(
            format!("{} — C", plural(n, "away conflict", "away conflicts")),
            th.style(Role::Warn).patch(th.style(Role::Selected)),
        ));
        lead.push(Span::raw("  "));
    }
    if layer == Layer::Filter {
        lead.push(Span::styled(" / ", th.style(Role::Selected)));
        lead.push(Span::styled(format!(" {}▏ ", table::clean(&current_filter(app))), bar));
        let (shown, total) = current_counts(app);
        lead.push(Span::styled(
            format!("{} of {total}  ", plural(shown, "match", "matches")),
            bar.patch(th.style(Role::Muted)),
        ));
    } else if let Some((msg, err)) = &app.message
        && layer != Layer::Form
        && layer != Layer::Confirm
    {
        let role = if *err { Role::Danger } else { Role::Info };
        lead.push(Span::styled(format!("{}  ", table::clean(msg)), bar.patch(th.style(role))));
    }
    let offered = |a| match (layer, &app.overlay) {
        (Layer::Normal, _) => app.offers(a),
        (Layer::Conflicts, super::app::Overlay::Conflicts(list)) => list.offers(a),
        _ => true,
    };
    let mut hints = keymap::footer_hints(layer, app.screen, !app.details.is_empty(), &offered);
    if layer == Layer::Form && app.form.as_ref().is_some_and(|of| of.form.conflicts() > 0) {
        // A field both people changed: how to resolve it comes first.
        hints.splice(0..0, keymap::conflict_hints());
    }
    if app.message.is_some() && layer == Layer::Normal {
        // A message leaves room for help only.
        hints.retain(|h| h.1 == "help");
    }
    let help = hints.pop();
    let width = |k: &str, w: &str| k.chars().count() + w.chars().count() + 3;
    let help_w = help.map_or(0, |(k, w)| width(k, w));
    let lead_w: usize = lead.iter().map(Span::width).sum();
    let room = (area.width as usize).saturating_sub(help_w);
    let mut lead_fit = Vec::new();
    let mut used = 0;
    for sp in lead {
        let w = sp.width();
        if used + w > room {
            let cut: String = sp.content.chars().take(room.saturating_sub(used + 1)).collect();
            lead_fit.push(Span::styled(format!("{cut}…"), sp.style));
            used = room;
            break;
        }
        used += w;
        lead_fit.push(sp);
    }
    let _ = lead_w;
    let mut spans = lead_fit;
    for (k, w) in hints {
        if used + width(k, w) > room {
            break;
        }
        used += width(k, w);
        spans.push(Span::styled(k, key_style));
        spans.push(Span::styled(format!(" {w}  "), bar));
    }
    if let Some((k, w)) = help {
        spans.push(Span::styled(k, key_style));
        spans.push(Span::styled(format!(" {w} "), bar));
    }
    frame.render_widget(Line::from(spans), area);
}

/// "1 match", "2 matches".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn current_counts(app: &App) -> (usize, usize) {
    let st = app.focused_list();
    (st.0.view.len(), st.1)
}

fn current_filter(app: &App) -> String {
    app.focused_list().0.filter.clone()
}

fn draw_doc(frame: &mut Frame<'_>, area: Rect, doc: &super::detail::Doc, app: &App) {
    let th = &app.theme;
    let block = pane_block(format!(" {} ", table::clean(&doc.title)), app, true).title_bottom(Span::styled(
        format!(" {}/{} · Esc back ", doc.scroll + 1, doc.lines.len()),
        th.style(Role::Muted),
    ));
    let width = usize::from(area.width.saturating_sub(2));
    let lines: Vec<Line<'_>> = doc
        .lines
        .iter()
        .skip(doc.scroll)
        .take(area.height as usize)
        .flat_map(|l| wrap_indented(l, width))
        .map(|l| Line::from(l.into_iter().map(|(s, r)| Span::styled(s, th.style(r))).collect::<Vec<_>>()))
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// Wraps one detail line to `width`, continuing under its text: under the value when it starts
/// with a label column (a first piece ending in two spaces), else under its own indent.
pub fn wrap_indented(line: &[(String, Role)], width: usize) -> Vec<Vec<(String, Role)>> {
    use unicode_width::UnicodeWidthStr;
    let total: usize = line.iter().map(|(s, _)| s.width()).sum();
    if total <= width || width < 12 {
        return vec![line.to_vec()];
    }
    let text: String = line.iter().map(|(s, _)| s.as_str()).collect();
    let lead = text.chars().take_while(|c| *c == ' ').count();
    let hang = match line.first() {
        Some((first, _)) if first.ends_with("  ") && first.width() < width / 2 => first.width(),
        _ => label_gap(&text, lead).filter(|g| *g < width / 2).unwrap_or(lead),
    }
    .min(width / 2);
    // Words with their role, each keeping the spaces before it.
    let mut words: Vec<Vec<(char, Role)>> = Vec::new();
    let mut in_space = true;
    for (piece, role) in line {
        for c in piece.chars() {
            if c == ' ' {
                if !in_space || words.is_empty() {
                    words.push(Vec::new());
                }
                in_space = true;
            } else {
                if words.is_empty() {
                    words.push(Vec::new());
                }
                in_space = false;
            }
            if let Some(w) = words.last_mut() {
                w.push((c, *role));
            }
        }
    }
    let mut out: Vec<Vec<(char, Role)>> = vec![Vec::new()];
    let mut used = 0;
    let indent = || (0..hang).map(|_| (' ', Role::Text)).collect::<Vec<_>>();
    for word in words {
        let word: Vec<(char, Role)> = if used + word.len() > width && used > hang {
            out.push(indent());
            used = hang;
            // A continuation starts at its word, not at the space before it.
            word.into_iter().skip_while(|(c, _)| *c == ' ').collect()
        } else {
            word
        };
        for ch in word {
            if used >= width {
                out.push(indent());
                used = hang;
            }
            if let Some(l) = out.last_mut() {
                l.push(ch);
            }
            used += 1;
        }
    }
    out.into_iter()
        .map(|l| {
            let mut spans: Vec<(String, Role)> = Vec::new();
            for (c, r) in l {
                match spans.last_mut() {
                    Some((s, role)) if *role == r => s.push(c),
                    _ => spans.push((c.to_string(), r)),
                }
            }
            spans
        })
        .collect()
}

/// Where the text after a label column starts, when a line is written as one piece in the
/// views' "label  text" shape ("  concern  high data trigger …", "  14 May 2026  report card …"):
/// the end of the first run of two or more spaces after the indent and a label. The views share
/// their lines with the CLI as plain strings, so the column is found from the text.
fn label_gap(text: &str, lead: usize) -> Option<usize> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = lead;
    while i + 1 < chars.len() {
        if chars[i] == ' ' && chars[i + 1] == ' ' && i > lead {
            let end = (i..chars.len()).find(|&j| chars[j] != ' ')?;
            return Some(end);
        }
        i += 1;
    }
    None
}

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// The `?` overlay: [`keymap::help_lines`] in a scrolling box, with where you are in it on the
/// bottom edge when it does not all fit.
fn draw_help(frame: &mut Frame<'_>, area: Rect, app: &mut App) {
    let th = app.theme.clone();
    let lines: Vec<Line<'static>> = keymap::help_lines()
        .into_iter()
        .map(|l| match l {
            HelpLine::Heading(t) => Line::from(Span::styled(t, th.style(Role::Title))),
            HelpLine::Key(k, h) => Line::from(vec![
                Span::styled(
                    format!("  {k:<width$}", width = if k.chars().count() > 8 { 17 } else { 8 }),
                    th.style(Role::Accent),
                ),
                Span::styled(h, th.style(Role::Text)),
            ]),
            HelpLine::Theme => Line::from(Span::styled(
                format!("Theme {} ({}) · data refreshes when others save", th.name, th.depth.label()),
                th.style(Role::Muted),
            )),
        })
        .collect();
    const TITLE: &str = " Help — keys · j/k PgUp/PgDn g/G scroll · Esc closes ";
    // As wide as its longest line (no help is cut off), as tall as the terminal allows.
    let width = lines.iter().map(Line::width).chain([TITLE.chars().count()]).max().unwrap_or(0) + 2;
    let r = centered(area, u16::try_from(width).unwrap_or(u16::MAX), area.height.saturating_sub(2));
    let Overlay::Help { scroll, page } = &mut app.overlay else { return };
    // Remember what fits, and keep the last page full after a resize.
    *page = usize::from(r.height.saturating_sub(2));
    *scroll = (*scroll).min(lines.len().saturating_sub(*page));
    let (scroll, page, total) = (*scroll, *page, lines.len());
    let shown = (scroll + page).min(total);
    let more = if shown < total {
        let arrows = if scroll > 0 { "↑↓" } else { "↓" };
        format!(" {arrows} more ({shown}/{total}) ")
    } else if scroll > 0 {
        format!(" ↑ end ({total}/{total}) ")
    } else {
        String::new()
    };
    frame.render_widget(Clear, r);
    let block = pane_block(TITLE.into(), &*app, true)
        .title_bottom(Line::from(Span::styled(more, th.style(Role::Muted))).right_aligned());
    let visible: Vec<Line<'_>> = lines.into_iter().skip(scroll).collect();
    frame.render_widget(Paragraph::new(visible).block(block).style(th.style(Role::Text)), r);
}

fn draw_palette(frame: &mut Frame<'_>, area: Rect, app: &mut App) {
    let th = app.theme.clone();
    let r = centered(area, area.width.saturating_sub(8).min(90), area.height.saturating_sub(4).min(20));
    frame.render_widget(Clear, r);
    let Overlay::Palette { query, list } = &mut app.overlay else { return };
    let [input, rest] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(r);
    let block = Block::bordered()
        .border_type(BorderType::Thick)
        .border_style(th.style(Role::BorderFocus))
        .title(Span::styled(" Go to — schools, leaders, contracts, actions ", th.style(Role::Title)));
    let q = table::clean(query);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(": ", th.style(Role::Accent)),
            Span::styled(format!("{q}▏"), th.style(Role::Text)),
        ]))
        .block(block),
        input,
    );
    let block = Block::bordered().border_style(th.style(Role::Border)).title(Span::styled(
        format!(" {} · Enter go · ↓↑ move · Esc close ", plural(list.view.len(), "match", "matches")),
        th.style(Role::Muted),
    ));
    table::draw(frame, rest, block, &app.palette, list, &th, true);
    let _ = Style::default();
}
