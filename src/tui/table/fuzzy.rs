//! The fuzzy matcher behind `/` and the palette: the scoring of `fuzzy-matcher`'s
//! `SkimMatcherV2` (case-insensitive), rewritten to run over tens of thousands of rows per
//! keystroke.
//!
//! It computes exactly what `SkimMatcherV2::default().ignore_case().fuzzy_indices` computes on a
//! fresh matcher (the tests compare the two on thousands of names and queries), with three
//! differences that only make it cheaper or steadier:
//! - no allocation per call: the character, bonus and score buffers are kept between calls;
//! - match positions are worked out only when asked for (the list asks for the rows it draws);
//! - each call starts from a clean score matrix. The library reuses its matrix between calls
//!   without clearing it, and one field ("bonus") read from a stale cell can shift a score by a
//!   few points depending on which string was scored before — so the library's ranking of a
//!   row could depend on the rows above it. Here a score depends on the row and query alone.
//!
//! The rules, from skim v2: a match is the query's characters in order (ASCII letters compared
//! without case), scoring 16 a character (14 if its case differs), with bonuses where a match
//! starts a word (8, doubled on the first character of the text), follows punctuation (7) or
//! is a camelCase hump (6), at least 4 for a character that continues a run, and −3 to open a
//! gap, −1 for each character skipped.

const SCORE_MATCH: i32 = 16;
const GAP_START: i32 = -3;
const GAP_EXTENSION: i32 = -1;
const BONUS_FIRST_CHAR_MULTIPLIER: i32 = 2;
const BONUS_HEAD: i32 = SCORE_MATCH / 2;
const BONUS_BREAK: i32 = SCORE_MATCH / 2 + GAP_EXTENSION;
const BONUS_CAMEL: i32 = SCORE_MATCH / 2 + 2 * GAP_EXTENSION;
const BONUS_CONSECUTIVE: i32 = -(GAP_START + GAP_EXTENSION);
const PENALTY_CASE_MISMATCH: i32 = GAP_EXTENSION * 2;
const NEG_INFINITY: i32 = i16::MIN as i32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharType {
    Empty,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

fn char_type(ch: char) -> CharType {
    match ch {
        '\0' => CharType::Empty,
        ' ' | '/' | '\\' | '|' | '(' | ')' | '[' | ']' | '{' | '}' => CharType::HardSep,
        '!'..='\'' | '*'..='.' | ':'..='@' | '^'..='`' | '~' => CharType::SoftSep,
        '0'..='9' => CharType::Number,
        'A'..='Z' => CharType::Upper,
        _ => CharType::Lower,
    }
}

fn in_place_bonus(prev: CharType, cur: CharType) -> i32 {
    match (prev, cur) {
        (CharType::Empty | CharType::HardSep, _) => BONUS_HEAD,
        (CharType::SoftSep, _) => BONUS_BREAK,
        (CharType::Lower | CharType::Number, CharType::Upper) => BONUS_CAMEL,
        _ => 0,
    }
}

/// One cell of the score matrices: the best score of an alignment ending in a match here (`m`)
/// or in a skip here (`p`), and whether each came from a match.
#[derive(Debug, Clone, Copy)]
struct Cell {
    m: i32,
    m_from_match: bool,
    p: i32,
    p_from_match: bool,
}

const RESET: Cell = Cell { m: NEG_INFINITY, m_from_match: false, p: NEG_INFINITY, p_from_match: false };

/// Appends `text` prepared for matching: its characters to `chars`, and to `bonus` each
/// character's in-place bonus (a word start, a hump …; doubled for the text's first character)
/// — which depends on the text alone, so it is worked out once, not per keystroke.
pub fn prepare(text: &str, chars: &mut Vec<char>, bonus: &mut Vec<i8>) {
    let mut prev = CharType::Empty;
    for (j, c) in text.chars().enumerate() {
        let t = char_type(c);
        let b = in_place_bonus(prev, t) * if j == 0 { BONUS_FIRST_CHAR_MULTIPLIER } else { 1 };
        chars.push(c);
        bonus.push(b as i8);
        prev = t;
    }
}

/// Whether `pattern` occurs in `choice` in order, ASCII letters compared without case — the
/// matcher's own test for a match, without building anything.
pub fn is_match(choice: &[char], pattern: &[char]) -> bool {
    let mut want = pattern.iter();
    let mut next = want.next();
    for c in choice {
        match next {
            Some(p) if c.eq_ignore_ascii_case(p) => next = want.next(),
            Some(_) => {}
            None => break,
        }
    }
    next.is_none()
}

/// A reusable matcher: the query, and buffers kept between calls.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    pattern: Vec<char>,
    first: Vec<usize>,
    matrix: Vec<Cell>,
    pair: Vec<(i32, i32)>,
}

impl Matcher {
    /// Sets the query the next calls score against.
    pub fn set_pattern(&mut self, pattern: &str) {
        self.pattern.clear();
        self.pattern.extend(pattern.chars());
    }

    /// The score of a prepared text ([`prepare`]) against the query, or `None` when it does not
    /// match; with the matched positions (indexes into `choice`) when `positions` is given.
    pub fn score(&mut self, choice: &[char], bonus: &[i8], positions: Option<&mut Vec<usize>>) -> Option<i64> {
        if self.pattern.is_empty() {
            if let Some(p) = positions {
                p.clear();
            }
            return Some(0);
        }
        // The first place each query character can match, in order (none: no match).
        self.first.clear();
        let mut want = self.pattern.first().copied();
        for (idx, c) in choice.iter().enumerate() {
            match want {
                Some(p) if c.eq_ignore_ascii_case(&p) => {
                    self.first.push(idx);
                    want = self.pattern.get(self.first.len()).copied();
                }
                Some(_) => {}
                None => break,
            }
        }
        if want.is_some() {
            return None;
        }
        // Nothing before the first possible match takes part: work from there (column j + 1
        // is choice[j], column 0 the empty start).
        let off = self.first[0];
        let (choice, bonus) = (&choice[off..], &bonus[off..]);
        for f in &mut self.first {
            *f -= off;
        }
        let (n, m) = (choice.len(), self.pattern.len());
        let (score, end) = if m == 1 {
            self.score_one(choice, bonus)
        } else if positions.is_none() {
            (self.score_only(choice, bonus), 0)
        } else {
            let score = self.score_rows(choice, bonus, m + 1);
            let cols = n + 1;
            let last_row = m * cols;
            let mut end = self.first[m - 1];
            for col in self.first[m - 1]..=n {
                if self.matrix[last_row + col].m >= self.matrix[last_row + end].m {
                    end = col;
                }
            }
            (score, end)
        };
        if let Some(out) = positions {
            out.clear();
            if m == 1 {
                out.push(end - 1 + off);
            } else {
                let cols = n + 1;
                let (mut i, mut j) = (m, end);
                let (mut track_m, mut from_match) = (true, true);
                while i > 0 && j > self.first[0] {
                    if from_match {
                        out.push(j - 1 + off);
                    }
                    let cell = self.matrix[i * cols + j];
                    from_match = if track_m { cell.m_from_match } else { cell.p_from_match };
                    if track_m {
                        i -= 1;
                    }
                    j -= 1;
                    track_m = from_match;
                }
                out.reverse();
            }
        }
        Some(score)
    }

    /// A one-character query, in closed form: with nothing before it, each match scores its
    /// in-place bonus + 16 (14 if the case differs) − 1 for the gap from the start; the best
    /// (the last of equals) wins. Returns the score and the column of the match.
    fn score_one(&self, choice: &[char], bonus: &[i8]) -> (i64, usize) {
        let p_ch = self.pattern[0];
        let (mut best, mut at) = (NEG_INFINITY, 0);
        for (j, &c) in choice.iter().enumerate() {
            if c.eq_ignore_ascii_case(&p_ch) {
                let here = (SCORE_MATCH + if p_ch != c { PENALTY_CASE_MISMATCH } else { 0 }).max(0);
                let score = GAP_EXTENSION + i32::from(bonus[j]) + here;
                if score >= best {
                    (best, at) = (score, j + 1);
                }
            }
        }
        (i64::from(best), at)
    }

    /// The score alone, by the same recurrence as [`Matcher::score_rows`] over two rows in
    /// turn, with no record of where each value came from.
    fn score_only(&mut self, choice: &[char], bonus: &[i8]) -> i64 {
        let (n, m) = (choice.len(), self.pattern.len());
        let cols = n + 1;
        // (m, p) of the previous and the current row.
        self.pair.clear();
        self.pair.resize(2 * cols, (NEG_INFINITY, GAP_EXTENSION));
        let (prev, cur) = self.pair.split_at_mut(cols);
        let (mut prev, mut cur) = (prev, cur);
        for (i, &p_ch) in self.pattern.iter().enumerate() {
            let start = self.first[i];
            cur[..=start].fill((NEG_INFINITY, NEG_INFINITY));
            let mut last = (NEG_INFINITY, NEG_INFINITY);
            for col in start + 1..=n {
                let c_ch = choice[col - 1];
                let in_place = i32::from(bonus[col - 1]);
                let diag = prev[col - 1];
                let m_score = if c_ch.eq_ignore_ascii_case(&p_ch) {
                    let here = if p_ch != c_ch { SCORE_MATCH + PENALTY_CASE_MISMATCH } else { SCORE_MATCH };
                    (diag.0 + in_place.max(BONUS_CONSECUTIVE)).max(diag.1 + in_place) + here
                } else {
                    NEG_INFINITY
                };
                let p_score = (GAP_START + GAP_EXTENSION + last.0).max(GAP_EXTENSION + last.1);
                last = (m_score, p_score);
                cur[col] = last;
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        let best = prev[self.first[m - 1]..=n].iter().map(|c| c.0).max();
        i64::from(best.unwrap_or(NEG_INFINITY))
    }

    /// The score by the recurrence over the whole matrix (one row per query character, plus
    /// the start), keeping where each value came from so the positions can be traced back.
    fn score_rows(&mut self, choice: &[char], bonus: &[i8], rows: usize) -> i64 {
        let (n, m) = (choice.len(), self.pattern.len());
        let cols = n + 1;
        self.matrix.clear();
        self.matrix.resize(rows * cols, RESET);
        for cell in &mut self.matrix[..cols] {
            cell.p = GAP_EXTENSION;
        }
        let row_of = |i: usize| i * cols;
        for (i, &p_ch) in self.pattern.iter().enumerate() {
            let (row, row_prev) = (row_of(i + 1), row_of(i));
            for col in self.first[i] + 1..=n {
                let c_ch = choice[col - 1];
                let in_place = i32::from(bonus[col - 1]);
                let last = self.matrix[row + col - 1];
                let diag = self.matrix[row_prev + col - 1];
                let mut cur = RESET;
                if c_ch.eq_ignore_ascii_case(&p_ch) {
                    let here = (SCORE_MATCH + if p_ch != c_ch { PENALTY_CASE_MISMATCH } else { 0 }).max(0);
                    let score_match = diag.m + in_place.max(BONUS_CONSECUTIVE);
                    let score_skip = diag.p + in_place;
                    if score_match >= score_skip {
                        cur.m = score_match + here;
                        cur.m_from_match = true;
                    } else {
                        cur.m = score_skip + here;
                    }
                }
                let from_match = GAP_START + GAP_EXTENSION + last.m;
                let from_skip = GAP_EXTENSION + last.p;
                if from_match >= from_skip {
                    cur.p = from_match;
                    cur.p_from_match = true;
                } else {
                    cur.p = from_skip;
                }
                self.matrix[row + col] = cur;
            }
        }
        let last_row = row_of(m);
        let best = self.matrix[last_row + self.first[m - 1]..last_row + cols].iter().map(|c| c.m).max();
        i64::from(best.unwrap_or(NEG_INFINITY))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fuzzy_matcher::FuzzyMatcher;
    use fuzzy_matcher::skim::SkimMatcherV2;

    /// The library on a fresh matcher (so no earlier call can leave its mark on the score).
    fn library(choice: &str, pattern: &str) -> Option<(i64, Vec<usize>)> {
        SkimMatcherV2::default().ignore_case().fuzzy_indices(choice, pattern)
    }

    fn prepared(text: &str) -> (Vec<char>, Vec<i8>) {
        let (mut chars, mut bonus) = (Vec::new(), Vec::new());
        prepare(text, &mut chars, &mut bonus);
        (chars, bonus)
    }

    fn ours(choice: &str, pattern: &str) -> Option<(i64, Vec<usize>)> {
        let mut m = Matcher::default();
        m.set_pattern(pattern);
        let (chars, bonus) = prepared(choice);
        let mut pos = Vec::new();
        let score = m.score(&chars, &bonus, Some(&mut pos))?;
        Some((score, pos))
    }

    #[test]
    fn scores_and_positions_are_the_librarys() {
        let choices = [
            "Oakfield Primary School",
            "Holy Cross Catholic Primary School",
            "St Mary's Church of England Academy",
            "Sarah O'Neill (SLE) · 3.5 days available",
            "Abbeywood Community College — Maths — Curriculum, 2/10 days",
            "aaaa bbbb aaaa",
            "HTTPServer/pathFinder_v2 [beta] {x}",
            "École Saint-Éloi",
            "x",
            "",
        ];
        let patterns = ["a", "A", "ab", "oak", "OaK", "st m", "sch", "holy cross", "aa", "é", "pf", "v2", "zz", " "];
        let mut m = Matcher::default();
        for c in choices {
            for p in patterns {
                let want = library(c, p);
                assert_eq!(ours(c, p), want, "{c:?} / {p:?}");
                m.set_pattern(p);
                let (chars, bonus) = prepared(c);
                assert_eq!(m.score(&chars, &bonus, None), want.map(|w| w.0), "score alone: {c:?} / {p:?}");
            }
        }
    }

    #[test]
    fn is_match_agrees_with_the_score() {
        for (c, p) in [("Oakfield", "ofd"), ("Oakfield", "dfo"), ("abc", "ABC"), ("é", "É"), ("", "a")] {
            let pattern: Vec<char> = p.chars().collect();
            assert_eq!(is_match(&prepared(c).0, &pattern), library(c, p).is_some(), "{c:?} / {p:?}");
        }
    }
}
