//! Drawing: a pure function of [`App`] (plus the list widgets' scroll bookkeeping). No SQL, no
//! I/O. Works at 80×24 and grows with the terminal; below [`MIN_W`]×[`MIN_H`] it says so.

use super::app::{App, BOARD_AGENDA, BOARD_BUDGET, BOARD_DECISIONS, Overlay, PANES};
use super::keymap::{self, HelpLine, Layer, Screen};
use super::table;
use super::theme::Role;
use crate::domain::fmt_date;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Sparkline, Wrap};

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
        match app.screen {
            Screen::Dashboard => draw_dashboard(frame, body, app),
            Screen::Board => draw_board(frame, body, app),
            s => draw_list(frame, body, app, s),
        }
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
        Overlay::None => {}
    }
}

fn pane_block<'a>(title: String, app: &App, focused: bool) -> Block<'a> {
    let th = &app.theme;
    Block::bordered()
        .border_type(if focused { BorderType::Thick } else { BorderType::Plain })
        .border_style(th.style(if focused { Role::BorderFocus } else { Role::Border }))
        .title(Span::styled(title, th.style(Role::Title)))
}

/// The tab bar: the brand, the screens and, on the right, the alliance and today's date. When
/// narrow, the alliance's name goes first, then the brand, then the tab titles shorten — the
/// date always stays.
fn draw_tabs(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let th = &app.theme;
    frame.render_widget(Block::default().style(th.style(Role::StatusBar)), area);
    let date = format!("{} ", fmt_date(app.today));
    let named = format!("{} · {date}", table::clean(&app.data.alliance));
    let width = area.width as usize;
    let tabs = |brand: bool, short: bool| {
        let mut spans = Vec::new();
        if brand {
            spans.push(Span::styled(" alliance ", th.style(Role::StatusBar).patch(th.style(Role::Title))));
        }
        for s in Screen::ALL {
            let title: String = if short { s.title().chars().take(4).collect() } else { s.title().to_string() };
            let label = format!(" {} {title} ", s.index() + 1);
            let style = if s == app.screen { th.style(Role::Selected) } else { th.style(Role::StatusBar) };
            spans.push(Span::styled(label, style));
        }
        spans
    };
    let used = |spans: &Vec<Span<'_>>| spans.iter().map(Span::width).sum::<usize>();
    let mut chosen = None;
    for (brand, short, right) in
        [(true, false, &named), (true, false, &date), (false, false, &date), (false, true, &date)]
    {
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
    let mut hints = keymap::footer_hints(layer, app.screen, !app.details.is_empty());
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
    if app.screen == Screen::Dashboard {
        app.panes[app.pane].filter.clone()
    } else if app.screen == Screen::Board && app.board_pane == BOARD_AGENDA {
        app.agenda.filter.clone()
    } else if app.screen == Screen::Board && app.board_pane == BOARD_BUDGET {
        app.budget.filter.clone()
    } else {
        app.lists[app.screen.index()].filter.clone()
    }
}

fn filter_note(st: &table::ListState, total: usize) -> String {
    if st.filter.is_empty() {
        format!(" ({total})")
    } else {
        format!(" ({} of {total}) /{}", st.view.len(), table::clean(&st.filter))
    }
}

fn draw_dashboard(frame: &mut Frame<'_>, area: Rect, app: &mut App) {
    let th = app.theme.clone();
    let [strip, grid] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let t = &app.data.snap.totals;
    let high = app.data.snap.alerts.iter().filter(|a| a.severity == crate::metrics::Severity::High).count();
    let text = vec![
        Span::styled(format!(" {} ", app.data.snap.year.label()), th.style(Role::Title)),
        Span::styled(format!("live {} ", t.live), th.style(Role::Text)),
        Span::styled(
            format!("red {} ", t.by_rag[2]),
            th.style(if t.by_rag[2] > 0 { Role::Danger } else { Role::Muted }),
        ),
        Span::styled(
            format!("· alerts {} ({high} high) ", app.data.snap.alerts.len()),
            th.style(if high > 0 { Role::Warn } else { Role::Muted }),
        ),
        Span::styled(
            format!("· {} days free ", crate::domain::money::fmt_days((t.available_days * 2.0).round() / 2.0)),
            th.style(Role::Muted),
        ),
        Span::styled("· visits/week ", th.style(Role::Muted)),
    ];
    let used: u16 = text.iter().map(|s| s.width() as u16).sum();
    frame.render_widget(Line::from(text), strip);
    let weeks: Vec<u64> = app.data.weekly.iter().map(|(_, n, _)| (*n).max(0) as u64).collect();
    if strip.width > used + 4 {
        let w = (strip.width - used - 1).min(weeks.len() as u16).max(1);
        let data: Vec<u64> = weeks.iter().rev().take(w as usize).rev().copied().collect();
        let r = Rect { x: strip.x + used, y: strip.y, width: w, height: 1 };
        frame.render_widget(Sparkline::default().data(&data).style(th.style(Role::Info)), r);
    }
    let [top, bottom] = Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(grid);
    let wide = grid.width >= 120;
    let (l_pct, r_pct) = if wide { (64, 36) } else { (55, 45) };
    let [a, b] = Layout::horizontal([Constraint::Percentage(l_pct), Constraint::Percentage(r_pct)]).areas(top);
    let [c, d] = Layout::horizontal([Constraint::Percentage(l_pct), Constraint::Percentage(r_pct)]).areas(bottom);
    let models = [&app.data.dash_contracts, &app.data.dash_capacity, &app.data.dash_schools, &app.data.dash_alerts];
    let titles = [
        format!("Active contracts{}", filter_note(&app.panes[0], models[0].rows.len())),
        format!("Leader capacity{}", filter_note(&app.panes[1], models[1].rows.len())),
        format!("School status{}", filter_note(&app.panes[2], models[2].rows.len())),
        format!("Alerts{}", filter_note(&app.panes[3], models[3].rows.len())),
    ];
    for (i, area) in [a, b, c, d].into_iter().enumerate() {
        let focused = app.pane == i;
        let title = format!("{} {}", i + 1, titles[i]).replacen(&format!("{} ", i + 1), "", 1);
        let block = pane_block(format!(" {title} "), app, focused);
        let _ = PANES[i];
        table::draw(frame, area, block, models[i], &mut app.panes[i], &th, focused);
    }
}

fn draw_list(frame: &mut Frame<'_>, area: Rect, app: &mut App, s: Screen) {
    let th = app.theme.clone();
    let i = s.index();
    let Some(model) = (match s {
        Screen::Contracts => Some(&app.data.contracts),
        Screen::Leaders => Some(&app.data.leaders),
        Screen::Schools => Some(&app.data.schools),
        Screen::Visits => Some(&app.data.visits),
        _ => None,
    }) else {
        return;
    };
    let shown = model.rows.len();
    let name = match s {
        // Bounded lists say so: the rest are in each school's, leader's and contract's detail.
        Screen::Visits if app.data.visit_count > shown => {
            format!("Visits in {} · the latest of {}", app.data.snap.year.label(), app.data.visit_count)
        }
        Screen::Visits => format!("Visits in {}", app.data.snap.year.label()),
        Screen::Contracts if app.data.contract_count > shown => {
            format!("Contracts · live, proposed and recent, of {}", app.data.contract_count)
        }
        Screen::Leaders => format!("System leaders · capacity {}", app.data.snap.year.label()),
        other => other.title().to_string(),
    };
    let title = format!(" {name}{} ", filter_note(&app.lists[i], model.rows.len()));
    let block = pane_block(title, app, true);
    table::draw(frame, area, block, model, &mut app.lists[i], &th, true);
}

fn draw_board(frame: &mut Frame<'_>, area: Rect, app: &mut App) {
    let th = app.theme.clone();
    let [strip, middle, bottom] =
        Layout::vertical([Constraint::Length(2), Constraint::Percentage(55), Constraint::Fill(1)]).areas(area);
    let today = app.today;
    let mut spans = vec![Span::styled(" Meetings: ", th.style(Role::Title))];
    if app.data.meetings.is_empty() {
        spans.push(Span::styled("none recorded yet — m records one", th.style(Role::Muted)));
    }
    for (i, (d, _, n)) in app.data.meetings.iter().take(6).enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", th.style(Role::Muted)));
        }
        let role = if *d > today { Role::Accent } else { Role::Text };
        spans.push(Span::styled(format!("{} ({n})", fmt_date(*d)), th.style(role)));
    }
    let open =
        app.data.decisions.rows.iter().filter(|r| r.cells.first().is_some_and(|c| c.plain().contains("open"))).count();
    let latest_notes =
        app.data.meetings.first().map(|(_, n, _)| n.lines().next().unwrap_or("").to_string()).unwrap_or_default();
    let lines = vec![
        Line::from(spans),
        Line::from(vec![
            Span::styled(format!(" {open} open decisions"), th.style(Role::Warn)),
            Span::styled(format!(" · latest minutes: {}", table::clean(&latest_notes)), th.style(Role::Muted)),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines), strip);
    let wide = middle.width >= 110;
    let [left, right] = if wide {
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(middle)
    } else {
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(middle)
    };
    let agenda_title = format!(" Agenda{} ", filter_note(&app.agenda, app.data.agenda.rows.len()));
    let on = |pane: usize| app.board_pane == pane;
    let (agenda_on, budget_on, decisions_on) = (on(BOARD_AGENDA), on(BOARD_BUDGET), on(BOARD_DECISIONS));
    let block = pane_block(agenda_title, app, agenda_on);
    table::draw(frame, left, block, &app.data.agenda, &mut app.agenda, &th, agenda_on);
    let hint = if budget_on { " · n new stream · e edit" } else { "" };
    let budget_title = format!(
        " Budget {}{}{hint} ",
        app.data.snap.year.label(),
        if app.budget.filter.is_empty() { String::new() } else { filter_note(&app.budget, app.data.budget.rows.len()) }
    );
    let block = pane_block(budget_title, app, budget_on);
    table::draw(frame, right, block, &app.data.budget, &mut app.budget, &th, budget_on);
    let model = &app.data.decisions;
    let i = Screen::Board.index();
    let title = format!(
        " Decisions{} · Tab switches · d done · n new · m meeting ",
        filter_note(&app.lists[i], model.rows.len())
    );
    let block = pane_block(title, app, decisions_on);
    table::draw(frame, bottom, block, model, &mut app.lists[i], &th, decisions_on);
}

fn draw_doc(frame: &mut Frame<'_>, area: Rect, doc: &super::detail::Doc, app: &App) {
    let th = &app.theme;
    let block = pane_block(format!(" {} ", table::clean(&doc.title)), app, true).title_bottom(Span::styled(
        format!(" {}/{} · Esc back ", doc.scroll + 1, doc.lines.len()),
        th.style(Role::Muted),
    ));
    let lines: Vec<Line<'_>> = doc
        .lines
        .iter()
        .skip(doc.scroll)
        .take(area.height as usize)
        .map(|l| Line::from(l.iter().map(|(s, r)| Span::styled(s.as_str(), th.style(*r))).collect::<Vec<_>>()))
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
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
