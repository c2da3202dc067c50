//! Drawing a form: labels as wide as the longest, one line per field (three for notes), the
//! focused picker's list under it, messages under their fields, the notice, and a question
//! (discard? resume?) over it all — scrolled to keep the focused field in view.

use super::*;

impl Form {
    /// Draws the form over `area`.
    pub fn draw(&mut self, frame: &mut Frame<'_>, area: Rect, th: &Theme) {
        let w = area.width.saturating_sub(4).min(100);
        let content: u16 = self
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let base: u16 = if matches!(f.kind, Kind::Multi) { 3 } else { 1 };
                let msg = u16::from(f.error.is_some() || f.warning.is_some());
                let list = if i == self.focus && matches!(f.kind, Kind::Pick(_)) { 5 } else { 0 };
                base + msg + list
            })
            .sum::<u16>()
            + if self.notice.is_some() { 1 + self.notice_lines.len().min(6) as u16 } else { 0 }
            + 2;
        let h = content.min(area.height);
        let r = Rect { x: area.x + (area.width - w) / 2, y: area.y, width: w, height: h };
        // A form is modal: the screen behind is cleared, not left in strips at its sides.
        frame.render_widget(Clear, area);
        frame.render_widget(Block::default().style(th.style(Role::Text)), area);
        let block = Block::bordered()
            .border_type(BorderType::Thick)
            .border_style(th.style(Role::BorderFocus))
            .title(Span::styled(format!(" {} ", clean(&self.title)), th.style(Role::Title)))
            .title_bottom(Span::styled(" Ctrl-S save · Tab next · Esc close ", th.style(Role::Muted)));
        let inner = block.inner(r);
        frame.render_widget(block, r);
        // As wide as the longest label (plus the focus mark), so "Escalate to board" is not
        // cut; the input keeps at least 30 columns at 80×24 by capping it.
        let longest = self.fields.iter().map(|f| unicode_width::UnicodeWidthStr::width(f.label)).max().unwrap_or(16);
        let label_w: u16 = u16::try_from(longest + 2).unwrap_or(18).clamp(18, 34).min(inner.width / 2);
        let input_w = inner.width.saturating_sub(label_w + 1);
        // Heights: one line per field (three for notes), plus a line for a message or picker.
        let today = self.today;
        let mut rows: Vec<(usize, u16)> = Vec::new();
        for (i, f) in self.fields.iter().enumerate() {
            let mut h: u16 = if matches!(f.kind, Kind::Multi) { 3 } else { 1 };
            if f.error.is_some() || f.warning.is_some() {
                h += 1;
            }
            if i == self.focus && matches!(f.kind, Kind::Pick(_)) {
                h += 5;
            }
            rows.push((i, h));
        }
        let notice_h: u16 = if self.notice.is_some() { 1 + self.notice_lines.len().min(6) as u16 } else { 0 };
        let avail = inner.height.saturating_sub(notice_h);
        let focus_top: u16 = rows.iter().take(self.focus).map(|(_, h)| h).sum();
        let focus_h = rows.get(self.focus).map_or(1, |(_, h)| *h);
        if focus_top < self.scroll {
            self.scroll = focus_top;
        } else if focus_top + focus_h > self.scroll + avail {
            self.scroll = focus_top + focus_h - avail;
        }
        let mut y_virtual: u16 = 0;
        let mut cursor: Option<(u16, u16)> = None;
        for (i, h) in rows {
            let top = y_virtual;
            y_virtual += h;
            if top < self.scroll || top + h > self.scroll + avail {
                continue;
            }
            let y = inner.y + (top - self.scroll);
            let focused = i == self.focus;
            let f = &mut self.fields[i];
            let label_style =
                if focused { th.style(Role::Accent).add_modifier(Modifier::BOLD) } else { th.style(Role::Muted) };
            let mark = if focused { "▶ " } else { "  " };
            frame.render_widget(
                Line::from(Span::styled(format!("{mark}{}", f.label), label_style)),
                Rect { x: inner.x, y, width: label_w, height: 1 },
            );
            let input = Rect {
                x: inner.x + label_w + 1,
                y,
                width: input_w,
                height: if matches!(f.kind, Kind::Multi) { 3 } else { 1 },
            };
            match &f.kind {
                Kind::Choice(opts) => {
                    let all: usize = opts.iter().map(|o| o.chars().count() + 2).sum::<usize>() + 6;
                    let mut spans = Vec::new();
                    if all <= input.width as usize {
                        for (k, o) in opts.iter().enumerate() {
                            let st = if k == f.choice { th.style(Role::Selected) } else { th.style(Role::Muted) };
                            spans.push(Span::styled(format!(" {o} "), st));
                        }
                        if focused {
                            spans.push(Span::styled("  ←/→", th.style(Role::Muted)));
                        }
                    } else {
                        // Too many to show at once: the current one, with where it is in the list.
                        let current = opts.get(f.choice).map_or("", String::as_str);
                        spans.push(Span::styled("‹ ", th.style(Role::Muted)));
                        spans.push(Span::styled(format!(" {current} "), th.style(Role::Selected)));
                        spans.push(Span::styled(" ›", th.style(Role::Muted)));
                        spans.push(Span::styled(
                            format!(
                                "  {}/{}{}",
                                f.choice + 1,
                                opts.len(),
                                if focused { " · ←/→ or first letter" } else { "" }
                            ),
                            th.style(Role::Muted),
                        ));
                    }
                    frame.render_widget(Line::from(spans), input);
                }
                Kind::Bool => {
                    let (yes, no) =
                        if f.choice == 1 { (Role::Selected, Role::Muted) } else { (Role::Muted, Role::Selected) };
                    frame.render_widget(
                        Line::from(vec![
                            Span::styled(" yes ", th.style(yes)),
                            Span::styled(" no ", th.style(no)),
                            Span::styled(if focused { "  space toggles" } else { "" }, th.style(Role::Muted)),
                        ]),
                        input,
                    );
                }
                Kind::Pick(model) => {
                    let mut spans = vec![];
                    if f.picked.is_some() {
                        spans.push(Span::styled(format!("{} ", clean(&f.picked_label)), th.style(Role::Text)));
                    } else if !focused {
                        spans.push(Span::styled("— none —", th.style(Role::Muted)));
                    }
                    if focused {
                        let q = f.value();
                        spans.push(Span::styled(format!("/{}▏", clean(&q)), th.style(Role::Accent)));
                        cursor = None;
                    }
                    frame.render_widget(Line::from(spans), input);
                    if focused {
                        let list_area = Rect { x: input.x, y: y + 1, width: input.width, height: 5 };
                        let block = Block::default();
                        crate::tui::table::draw(frame, list_area, block, model, &mut f.list, th, true);
                    }
                }
                _ => {
                    // A suggestion shows as selected text does: the first key typed replaces it.
                    let style = if f.locked {
                        th.style(Role::Muted)
                    } else if f.suggested && focused {
                        th.style(Role::Selected)
                    } else {
                        th.style(Role::Text)
                    };
                    f.text.set_style(style);
                    f.text.set_cursor_line_style(Style::default());
                    f.text.set_cursor_style(if focused {
                        Style::default().add_modifier(Modifier::REVERSED)
                    } else {
                        style
                    });
                    let preview = if focused || f.error.is_none() { f.preview(today) } else { None };
                    let pw = preview.as_ref().map_or(0, |p| p.chars().count() as u16 + 3);
                    let text_area = if matches!(f.kind, Kind::Multi) {
                        input
                    } else {
                        Rect { width: input.width.saturating_sub(pw), ..input }
                    };
                    frame.render_widget(&f.text, text_area);
                    if let Some(p) = preview
                        && !matches!(f.kind, Kind::Multi)
                    {
                        frame.render_widget(
                            Line::from(Span::styled(format!(" → {p}"), th.style(Role::Info))),
                            Rect { x: text_area.x + text_area.width, y, width: pw, height: 1 },
                        );
                    }
                    if focused {
                        let c = f.text.screen_cursor();
                        cursor = Some((text_area.x + c.col as u16, text_area.y + c.row as u16));
                    }
                }
            }
            let msg_y = y + if matches!(f.kind, Kind::Multi) { 3 } else { 1 };
            let msg =
                f.error.as_ref().map(|e| (e, Role::Danger, "✗ ")).or(f.warning.as_ref().map(|w| (w, Role::Warn, "! ")));
            if let Some((m, role, g)) = msg
                && !(focused && matches!(f.kind, Kind::Pick(_)))
            {
                frame.render_widget(
                    Line::from(Span::styled(format!("{g}{}", clean(m)), th.style(role))),
                    Rect { x: input.x, y: msg_y, width: input.width, height: 1 },
                );
            }
        }
        if let Some((msg, err)) = &self.notice {
            let y = inner.y + avail;
            let mut lines =
                vec![Line::from(Span::styled(clean(msg), th.style(if *err { Role::Danger } else { Role::Info })))];
            for l in self.notice_lines.iter().take(6) {
                lines.push(Line::from(Span::styled(format!("  {}", clean(l)), th.style(Role::Muted))));
            }
            frame.render_widget(
                Paragraph::new(lines),
                Rect { x: inner.x + 1, y, width: inner.width.saturating_sub(2), height: notice_h },
            );
        }
        if let Some(c) = &self.confirm {
            let text = match c {
                Confirm::Discard => "Discard your changes? y discard · n keep editing".to_string(),
                Confirm::Resume(_, at) => {
                    format!("You left a draft of this form at {at}. Resume it? y resume · n start afresh")
                }
            };
            // Wrapped, never cut: the question and its answers are always whole.
            let w = (text.chars().count() as u16 + 4).min(r.width);
            let lines = crate::tui::who::wrap(&text, usize::from(w.saturating_sub(4)).max(10));
            let h = (lines.len() as u16 + 2).min(r.height.max(3));
            let b = Rect { x: r.x + (r.width - w) / 2, y: r.y + r.height.saturating_sub(h) / 2, width: w, height: h };
            frame.render_widget(Clear, b);
            frame.render_widget(
                Paragraph::new(
                    lines
                        .into_iter()
                        .map(|l| Line::from(Span::styled(format!(" {l}"), th.style(Role::Warn))))
                        .collect::<Vec<_>>(),
                )
                .block(Block::bordered().border_style(th.style(Role::Warn))),
                b,
            );
        } else if let Some((x, y)) = cursor
            && y < inner.y + inner.height
        {
            frame.set_cursor_position((x, y));
        }
    }
}
