//! The `:` palette: every school, leader (by name and specialism), contract and action, and
//! what choosing one does.

use super::*;

impl App {
    pub(super) fn palette_key(&mut self, key: KeyEvent, action: Option<Action>) {
        let Overlay::Palette { query, list } = &mut self.overlay else { return };
        let page = list.page.max(1) as isize;
        match action {
            Some(Action::Cancel) => return self.overlay = Overlay::None,
            Some(Action::Open) => {
                let cmd = list.view.get(list.selected).and_then(|(i, _)| self.palette_cmds.get(*i)).cloned();
                match cmd {
                    Some(cmd) => {
                        self.overlay = Overlay::None;
                        self.run_command(cmd);
                    }
                    // Nothing to go to: say so, and keep what was typed to correct it.
                    None => {
                        self.message = Some((
                            format!("nothing matches `{}` — Backspace to correct it, Esc to close", clean(query)),
                            true,
                        ))
                    }
                }
                return;
            }
            Some(Action::Down) => return list.step(1),
            Some(Action::Up) => return list.step(-1),
            Some(Action::PageDown) => return list.step(page),
            Some(Action::PageUp) => return list.step(-page),
            Some(Action::ClearText) => query.clear(),
            Some(Action::DeleteBack) => {
                query.pop();
            }
            Some(Action::Help) => return self.overlay = Overlay::Help { scroll: 0, page: 0 },
            Some(Action::Quit) => return self.quit = true,
            Some(_) => return,
            None => match Self::typed(key) {
                Some(c) if query.chars().count() < 80 => query.push(c),
                _ => return,
            },
        }
        self.message = None;
        list.filter = query.clone();
        list.refilter_to_best(&self.palette);
    }

    /// Runs a palette command.
    pub fn run_command(&mut self, cmd: Command) {
        match cmd {
            Command::Go(s) => self.update(Action::Go(s)),
            Command::Open(t) => self.open(t),
            Command::Theme(name) => self.set_theme(&name),
            Command::Help => self.update(Action::Help),
            Command::Quit => self.quit = true,
            Command::BoardPack(ext) => self.export_board_pack(ext),
            Command::Form(kind) => self.open_form(kind),
            Command::Who => self.who_can_help(),
            Command::Conflicts => self.open_conflicts(),
            Command::Impact(action) => {
                use crate::tui::impact_view::ImpactAction;
                match (self.context().contract, action) {
                    (None, _) => {
                        self.message = Some((
                            "select a contract first (on Contracts or the dashboard, or open its detail)".into(),
                            true,
                        ));
                    }
                    (Some(id), ImpactAction::Close) => self.open_form(FormKind::Closeout(id)),
                    (Some(id), ImpactAction::Sign) => self.open_form(FormKind::Sign(id)),
                    (Some(id), ImpactAction::Agreement) => {
                        self.message = Some(crate::tui::impact_view::export_agreement(&self.store, id, self.today));
                    }
                }
            }
        }
    }

    pub(super) fn set_theme(&mut self, name: &str) {
        let depth = if self.theme.depth == ColorDepth::None && self.theme.name == "mono" {
            ColorDepth::detect()
        } else if self.theme.depth == ColorDepth::None {
            ColorDepth::None
        } else {
            self.theme.depth
        };
        let (t, why) = Theme::load(name, depth);
        self.message = Some(match why {
            Some(w) => (w, true),
            None => (format!("theme: {}", t.name), false),
        });
        self.theme = t;
    }
}

pub(super) fn palette_model(data: &Data) -> (TableModel, Vec<Command>) {
    let mut rows: Vec<TRow> = Vec::new();
    let mut cmds: Vec<Command> = Vec::new();
    let mut add = |kind: &str, kind_role: Role, label: String, target: Target, cmd: Command| {
        rows.push(TRow {
            target,
            cells: vec![TCell::text(kind, kind_role), TCell::text(label, Role::Text)],
            search: &[1],
        });
        cmds.push(cmd);
    };
    for s in Screen::ALL {
        add("screen", Role::Accent, format!("Go to {} ({})", s.title(), s.index() + 1), Target::None, Command::Go(s));
    }
    for name in Theme::available() {
        add("theme", Role::Accent, format!("Theme: {name}"), Target::None, Command::Theme(name));
    }
    add(
        "action",
        Role::Accent,
        "Export this month's board pack (Markdown)".into(),
        Target::None,
        Command::BoardPack("md"),
    );
    add(
        "action",
        Role::Accent,
        "Export this month's board pack (HTML, printable)".into(),
        Target::None,
        Command::BoardPack("html"),
    );
    add(
        "action",
        Role::Accent,
        "Settings: day rates, brokerage, review interval, alliance name".into(),
        Target::None,
        Command::Form(FormKind::Settings),
    );
    add("action", Role::Accent, "New funding stream".into(), Target::None, Command::Form(FormKind::Stream(None)));
    add("action", Role::Accent, "New system leader".into(), Target::None, Command::Form(FormKind::Leader(None)));
    add("action", Role::Accent, "New school".into(), Target::None, Command::Form(FormKind::School(None)));
    add("action", Role::Accent, "New contract".into(), Target::None, Command::Form(FormKind::Contract(None)));
    crate::tui::impact_view::palette_entries(&mut |label, cmd| add("action", Role::Accent, label, Target::None, cmd));
    add(
        "action",
        Role::Accent,
        "Who can help? Leaders ranked for a school, focus and days (w)".into(),
        Target::None,
        Command::Who,
    );
    add(
        "action",
        Role::Accent,
        format!("Away conflicts to resolve ({}) (C)", data.open_conflicts),
        Target::None,
        Command::Conflicts,
    );
    add("action", Role::Accent, "Help: keys".into(), Target::None, Command::Help);
    add("action", Role::Accent, "Quit alliance".into(), Target::None, Command::Quit);
    for s in &data.snap.schools {
        let urn = s.school.urn.map_or(String::new(), |u| format!(" · {u}"));
        let t = Target::School(s.school.id);
        add("school", Role::Muted, format!("{}{urn} · {}", s.school.name, s.status.label()), t, Command::Open(t));
    }
    for l in &data.snap.leaders {
        let t = Target::Leader(l.leader.id);
        // What they know is searchable: `:maths` finds the maths specialists.
        let knows = data.specialisms.get(&l.leader.id).filter(|s| !s.trim().is_empty());
        let label = format!(
            "{} ({}){} · {} days available",
            l.leader.name,
            l.leader.designation,
            knows.map_or(String::new(), |k| format!(" · {k}")),
            fmt_days(l.available)
        );
        add("leader", Role::Muted, label, t, Command::Open(t));
    }
    for p in &data.snap.contracts {
        let c = &p.contract;
        let t = Target::Contract(c.id);
        let label = format!(
            "{} — {} — {}, {}/{} days",
            c.school_name,
            c.leader_name,
            c.focus,
            fmt_days(c.delivered),
            fmt_days(c.days_commissioned)
        );
        add("contract", Role::Muted, label, t, Command::Open(t));
    }
    let model = TableModel::new(
        vec![
            Column { title: "Kind", width: Constraint::Length(9), min: 8, drop: 1 },
            Column { title: "Go to", width: Constraint::Fill(1), min: 20, drop: 0 },
        ],
        rows,
    );
    (model, cmds)
}
