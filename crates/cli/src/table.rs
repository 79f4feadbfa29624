//! The table for people: one row per comment, then a summary per thread.

use std::collections::BTreeMap;
use std::io::{self, Write};

use comfy_table::{presets, Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};
use referee_thread::Thread;
use referee_train::{Action, CommentScore, Label, Model, Reason, Thresholds};

use crate::score::action_word;

/// Width of the excerpt column, in characters.
const EXCERPT: usize = 48;
/// Phrases and circumstances shown per flag in the "why" column.
const WHY_PHRASES: usize = 3;
const WHY_CIRCUMSTANCES: usize = 2;
/// An explanation lists at most this many words, and as many
/// circumstances, per label…
const EXPLAIN_ITEMS: usize = 6;
/// …of at least this size, in logits.
const EXPLAIN_CUT: f32 = 0.05;

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
        if self.explain {
            for score in scores {
                self.explanation(score)?;
            }
        }
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
            per_label.push(format!("{} {}", label.in_words(), n));
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

    /// The evidence of each flag, strongest first.
    fn why(&self, score: &CommentScore) -> String {
        let mut lines: Vec<String> = score.reasons.iter().map(reason_line).collect();
        if !score.context {
            lines.push("(no context)".into());
        }
        lines.join("\n")
    }

    /// With `--explain`, below the table: per label, the score, the
    /// comment's words that moved it and the circumstances in the thread
    /// that pushed it up or down, largest first.
    fn explanation(&mut self, score: &CommentScore) -> io::Result<()> {
        let Some(explanation) = &score.explanation else {
            return Ok(());
        };
        let author = score.author.as_deref().unwrap_or("-");
        let heading = format!("{} · {author} · {}", score.id, action_word(score.action));
        writeln!(self.out, "{}", self.bold(&heading))?;
        for label in &explanation.labels {
            writeln!(
                self.out,
                "  {} {:.2} · its words alone {:.2}",
                label.label.in_words(),
                score.scores.get(label.label),
                label.lexical
            )?;
            let words = largest(
                label
                    .ngrams
                    .iter()
                    .map(|n| (n.weight, format!("“{}”", n.feature))),
            );
            self.items("words:", &words)?;
            let context = largest(
                label
                    .context
                    .iter()
                    .map(|c| (c.contribution, c.name.clone())),
            );
            self.items("context:", &context)?;
        }
        writeln!(self.out)
    }

    /// One line of an explanation: `items` after `title`, wrapped to the
    /// table's width under the first item; when there are none, says so
    /// (the words of a comment can all weigh too little to list).
    fn items(&mut self, title: &str, items: &[String]) -> io::Result<()> {
        let indent = format!("    {title:<9}");
        if items.is_empty() {
            return writeln!(self.out, "{indent}none moves it by {EXPLAIN_CUT} or more");
        }
        let width = usize::from(self.width).max(indent.chars().count() + 20);
        let mut line = indent.clone();
        let mut first = true;
        for item in items {
            let piece = if first {
                item.clone()
            } else {
                format!(", {item}")
            };
            let fits = line.chars().count() + piece.chars().count() <= width;
            if !first && !fits {
                writeln!(self.out, "{},", line)?;
                line = format!("{}{item}", " ".repeat(indent.chars().count()));
            } else {
                line.push_str(&piece);
            }
            first = false;
        }
        writeln!(self.out, "{line}")
    }

    fn bold(&self, text: &str) -> String {
        if self.colour {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// The largest of `(logits, what)` by size, signed: "+0.42 what".
fn largest(items: impl Iterator<Item = (f32, String)>) -> Vec<String> {
    let mut items: Vec<(f32, String)> = items.filter(|(v, _)| v.abs() >= EXPLAIN_CUT).collect();
    items.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
    items
        .into_iter()
        .take(EXPLAIN_ITEMS)
        .map(|(v, what)| format!("{v:+.2} {what}"))
        .collect()
}

/// One flag's evidence for people: the label, the comment's phrases in
/// quotation marks, then its circumstances in plain words.
pub fn reason_line(reason: &Reason) -> String {
    let phrases: Vec<String> = reason
        .phrases()
        .iter()
        .take(WHY_PHRASES)
        .map(|p| format!("“{p}”"))
        .collect();
    let circumstances: Vec<&str> = reason
        .circumstances()
        .iter()
        .take(WHY_CIRCUMSTANCES)
        .map(String::as_str)
        .collect();
    let said = [phrases.join(" "), circumstances.join("; ")]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    format!("{}: {said}", reason.label.in_words())
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
