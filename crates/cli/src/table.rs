//! The table for people: one row per comment, then a summary per thread.

use std::collections::BTreeMap;
use std::io::{self, Write};

use comfy_table::{presets, Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};
use referee_thread::Thread;
use referee_train::{Action, CommentScore, Label, Model, Thresholds};

use crate::score::action_word;

/// Width of the excerpt column, in characters.
const EXCERPT: usize = 48;

/// Writes each scored thread as a table as soon as it is scored.
pub struct TableWriter<'a> {
    out: io::StdoutLock<'static>,
    model: &'a Model,
    thresholds: &'a Thresholds,
    colour: bool,
    explain: bool,
    width: u16,
    threads: usize,
}

impl<'a> TableWriter<'a> {
    pub fn new(
        out: io::StdoutLock<'static>,
        model: &'a Model,
        thresholds: &'a Thresholds,
        colour: bool,
        explain: bool,
    ) -> Self {
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(120);
        TableWriter {
            out,
            model,
            thresholds,
            colour,
            explain,
            width,
            threads: 0,
        }
    }

    pub fn thread(&mut self, thread: &Thread, scores: &[CommentScore]) -> io::Result<()> {
        self.threads += 1;
        let title = thread.title.as_deref().unwrap_or("(untitled)");
        writeln!(
            self.out,
            "{} {}",
            self.bold(&format!("Thread {}:", thread.id)),
            title
        )?;
        if scores.is_empty() {
            writeln!(self.out, "  no comments\n")?;
            return Ok(());
        }
        let mut table = Table::new();
        table
            .load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(self.width);
        if self.colour {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        table.set_header([
            "id",
            "author",
            "comment",
            "abuse",
            "ad hom.",
            "off-topic",
            "action",
            "why",
        ]);
        for (comment, score) in thread.comments.iter().zip(scores) {
            let id = match comment.status.is_approved() {
                true => score.id.clone(),
                false => format!("{} ({})", score.id, comment.status),
            };
            let mut row = vec![
                Cell::new(id),
                Cell::new(score.author.as_deref().unwrap_or("-")),
                Cell::new(excerpt(&comment.text, EXCERPT)),
            ];
            for label in Label::ALL {
                row.push(self.score_cell(score, label));
            }
            row.push(self.action_cell(score.action));
            row.push(Cell::new(self.why(score)));
            table.add_row(row);
        }
        for column in 3..6 {
            if let Some(c) = table.column_mut(column) {
                c.set_cell_alignment(CellAlignment::Right);
            }
        }
        writeln!(self.out, "{table}")?;
        self.summary(scores)?;
        writeln!(self.out)?;
        self.out.flush()
    }

    pub fn finish(mut self) -> io::Result<()> {
        if self.threads > 0 {
            writeln!(
                self.out,
                "model {} · thresholds review/reject: {}",
                self.model.version(),
                self.thresholds_line()
            )?;
        }
        self.out.flush()
    }

    fn thresholds_line(&self) -> String {
        Label::ALL
            .iter()
            .map(|&l| {
                let t = self.thresholds.get(l);
                format!("{} {:.2}/{:.2}", l.as_str(), t.review, t.reject)
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Counts per label and the authors with the most flagged comments.
    fn summary(&mut self, scores: &[CommentScore]) -> io::Result<()> {
        let mut per_label = Vec::new();
        for label in Label::ALL {
            let n = scores.iter().filter(|s| s.flags.contains(&label)).count();
            per_label.push(format!("{} {}", label.as_str(), n));
        }
        let rejected = scores.iter().filter(|s| s.action == Action::Reject).count();
        let review = scores.iter().filter(|s| s.action == Action::Review).count();
        writeln!(
            self.out,
            "{} comments: {} reject, {} review · flagged: {}",
            scores.len(),
            rejected,
            review,
            per_label.join(", ")
        )?;
        let mut by_author: BTreeMap<&str, usize> = BTreeMap::new();
        for s in scores.iter().filter(|s| !s.flags.is_empty()) {
            *by_author
                .entry(s.author.as_deref().unwrap_or("(anonymous)"))
                .or_default() += 1;
        }
        let mut authors: Vec<_> = by_author.into_iter().collect();
        authors.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        if !authors.is_empty() {
            let top: Vec<String> = authors
                .iter()
                .take(5)
                .map(|(a, n)| format!("{a} ({n})"))
                .collect();
            writeln!(self.out, "most flagged: {}", top.join(", "))?;
        }
        let without_context = scores.iter().filter(|s| !s.context).count();
        if without_context > 0 {
            writeln!(
                self.out,
                "{without_context} comment(s) scored from their text alone (no post or parent)"
            )?;
        }
        Ok(())
    }

    fn score_cell(&self, score: &CommentScore, label: Label) -> Cell {
        let value = score.scores.get(label);
        let t = self.thresholds.get(label);
        let cell = Cell::new(format!("{value:.2}"));
        if !self.colour {
            return cell;
        }
        if value >= t.reject {
            cell.fg(Color::Red).add_attribute(Attribute::Bold)
        } else if value >= t.review {
            cell.fg(Color::Yellow)
        } else {
            cell
        }
    }

    fn action_cell(&self, action: Action) -> Cell {
        let cell = Cell::new(action_word(action));
        if !self.colour {
            return cell;
        }
        match action {
            Action::Reject => cell.fg(Color::Red).add_attribute(Attribute::Bold),
            Action::Review => cell.fg(Color::Yellow),
            Action::Approve => cell.fg(Color::Green),
        }
    }

    /// The top reasons; with `--explain`, the evidence behind every label.
    fn why(&self, score: &CommentScore) -> String {
        let mut parts = Vec::new();
        for reason in &score.reasons {
            let evidence: Vec<String> = reason
                .evidence
                .iter()
                .take(3)
                .map(|e| format!("“{e}”"))
                .collect();
            parts.push(format!("{}: {}", reason.label.as_str(), evidence.join(" ")));
        }
        if self.explain {
            if let Some(explanation) = &score.explanation {
                if let Ok(text) = serde_json::to_string(explanation) {
                    parts.push(text);
                }
            }
        }
        if !score.context {
            parts.push("(no context)".into());
        }
        parts.join("\n")
    }

    fn bold(&self, text: &str) -> String {
        if self.colour {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// The first `max` characters of `text` on one line, with an ellipsis when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpt_flattens_and_cuts_on_characters() {
        assert_eq!(excerpt("a\n  b", 10), "a b");
        assert_eq!(excerpt("ééééé", 3), "éé…");
    }
}
