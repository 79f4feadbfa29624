//! Consistency checks over the label files of a project.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::latest::winners;
use crate::read::Entry;
use crate::{LabelRecord, Labels};

/// Something wrong with one line of a label file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The label file.
    pub path: PathBuf,
    /// 1-based line number of the record concerned.
    pub line: usize,
    /// Thread id of the record.
    pub thread: String,
    /// Comment id of the record.
    pub comment: String,
    /// What is wrong.
    pub kind: ProblemKind,
}

/// The kinds of [`Problem`].
#[derive(Debug, Clone, PartialEq)]
pub enum ProblemKind {
    /// The judgement in force in this file differs from the one in force in
    /// another file.
    Contradiction {
        /// Labels in this file.
        labels: Labels,
        /// Labels in the other file.
        other: Labels,
        /// The other file.
        other_path: PathBuf,
        /// The line of the other file.
        other_line: usize,
    },
    /// The thread or the comment is not among the threads kept in the project.
    UnknownComment,
    /// At least one label is set and there is no note saying why.
    MissingNote {
        /// Labels set.
        labels: Labels,
    },
}

impl ProblemKind {
    /// True for what makes the labels wrong (a contradiction, a comment
    /// that is not kept); false for a warning (a positive without a note),
    /// which leaves the labels usable.
    pub fn is_error(&self) -> bool {
        !matches!(self, ProblemKind::MissingNote { .. })
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (path, line, thread, comment) =
            (self.path.display(), self.line, &self.thread, &self.comment);
        match &self.kind {
            ProblemKind::Contradiction {
                labels,
                other,
                other_path,
                other_line,
            } => write!(
                f,
                "{path}:{line}: {thread}/{comment} is labelled {labels} here but {other} in {}:{other_line}",
                other_path.display()
            ),
            ProblemKind::UnknownComment => write!(
                f,
                "{path}:{line}: {thread}/{comment} is not a comment of any thread kept in the project"
            ),
            ProblemKind::MissingNote { labels } => write!(
                f,
                "{path}:{line}: {thread}/{comment} is labelled {labels} without a note saying why"
            ),
        }
    }
}

/// Checks records as [`read_dir`](crate::read_dir) returns them.
///
/// Those pairs carry no line numbers, so a record's line is taken to be its
/// position among the records of its file: exact for files written by this
/// crate, which hold no blank lines. Use [`check_entries`] with
/// [`read_dir_entries`](crate::read_dir_entries) for exact lines in any file.
pub fn check(
    records: &[(PathBuf, LabelRecord)],
    known: &dyn Fn(&str, &str) -> bool,
) -> Vec<Problem> {
    let mut counters: BTreeMap<&Path, usize> = BTreeMap::new();
    let entries: Vec<Entry> = records
        .iter()
        .map(|(path, record)| {
            let n = counters.entry(path.as_path()).or_default();
            *n += 1;
            Entry {
                path: path.clone(),
                line: *n,
                record: record.clone(),
            }
        })
        .collect();
    check_entries(&entries, known)
}

/// Finds, over all label files:
///
/// - contradictions: the judgement in force for a comment in one file
///   differs from the one in force in another file (a later record in the
///   same file superseding an earlier one is not a contradiction);
/// - records about a thread or comment for which `known(thread, comment)` is
///   false;
/// - records with a label set and no note.
///
/// Problems come sorted by file and line.
pub fn check_entries(entries: &[Entry], known: &dyn Fn(&str, &str) -> bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    let problem = |entry: &Entry, kind| Problem {
        path: entry.path.clone(),
        line: entry.line,
        thread: entry.record.thread.clone(),
        comment: entry.record.comment.clone(),
        kind,
    };
    for entry in entries {
        let record = &entry.record;
        if !known(&record.thread, &record.comment) {
            problems.push(problem(entry, ProblemKind::UnknownComment));
        }
        if !record.withdrawn && record.labels().any() && !record.has_note() {
            problems.push(problem(
                entry,
                ProblemKind::MissingNote {
                    labels: record.labels(),
                },
            ));
        }
    }

    // The judgement in force in each file, then compared across files.
    let mut by_file: BTreeMap<&Path, Vec<&Entry>> = BTreeMap::new();
    for entry in entries {
        by_file.entry(entry.path.as_path()).or_default().push(entry);
    }
    let mut first_seen: BTreeMap<(&str, &str), &Entry> = BTreeMap::new();
    for file_entries in by_file.into_values() {
        for entry in winners(file_entries, |e| &e.record) {
            if entry.record.withdrawn {
                continue;
            }
            let key = entry.record.key();
            match first_seen.get(&key) {
                None => {
                    first_seen.insert(key, entry);
                }
                Some(reference) if reference.record.labels() != entry.record.labels() => {
                    problems.push(problem(
                        entry,
                        ProblemKind::Contradiction {
                            labels: entry.record.labels(),
                            other: reference.record.labels(),
                            other_path: reference.path.clone(),
                            other_line: reference.line,
                        },
                    ));
                }
                Some(_) => {}
            }
        }
    }
    problems.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        path: &str,
        line: usize,
        comment: &str,
        abuse: bool,
        note: Option<&str>,
        at: &str,
    ) -> Entry {
        let mut record = LabelRecord::new(
            "t1",
            comment,
            Labels {
                abuse,
                ..Labels::NONE
            },
            "ann",
        );
        record.note = note.map(str::to_string);
        record.at = at.into();
        Entry {
            path: path.into(),
            line,
            record,
        }
    }

    fn everything_known(_: &str, _: &str) -> bool {
        true
    }

    #[test]
    fn supersession_within_a_file_is_fine() {
        let entries = [
            entry(
                "a.jsonl",
                1,
                "c1",
                true,
                Some("slur"),
                "2026-01-01T00:00:00Z",
            ),
            entry("a.jsonl", 2, "c1", false, None, "2026-01-02T00:00:00Z"),
        ];
        assert!(check_entries(&entries, &everything_known).is_empty());
    }

    #[test]
    fn disagreement_across_files_names_both_places() {
        let entries = [
            entry(
                "a.jsonl",
                3,
                "c1",
                true,
                Some("slur"),
                "2026-01-01T00:00:00Z",
            ),
            entry("b.jsonl", 7, "c1", false, None, "2026-01-02T00:00:00Z"),
        ];
        let problems = check_entries(&entries, &everything_known);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "b.jsonl:7: t1/c1 is labelled none here but abuse in a.jsonl:3"
        );
    }

    #[test]
    fn files_agree_after_a_correction() {
        let entries = [
            entry(
                "a.jsonl",
                1,
                "c1",
                true,
                Some("slur"),
                "2026-01-01T00:00:00Z",
            ),
            entry("a.jsonl", 2, "c1", false, None, "2026-01-03T00:00:00Z"),
            entry("b.jsonl", 1, "c1", false, None, "2026-01-02T00:00:00Z"),
        ];
        assert!(check_entries(&entries, &everything_known).is_empty());
    }

    #[test]
    fn unknown_comments_and_missing_notes_are_reported() {
        let entries = [
            entry("a.jsonl", 1, "c1", true, None, "2026-01-01T00:00:00Z"),
            entry("a.jsonl", 2, "c9", false, None, "2026-01-01T00:00:00Z"),
            entry("a.jsonl", 3, "c2", true, Some("  "), "2026-01-01T00:00:00Z"),
        ];
        let known = |thread: &str, comment: &str| thread == "t1" && comment != "c9";
        let shown: Vec<String> = check_entries(&entries, &known)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            shown,
            [
                "a.jsonl:1: t1/c1 is labelled abuse without a note saying why",
                "a.jsonl:2: t1/c9 is not a comment of any thread kept in the project",
                "a.jsonl:3: t1/c2 is labelled abuse without a note saying why",
            ]
        );
    }

    #[test]
    fn check_numbers_records_per_file() {
        let records = [
            (
                PathBuf::from("a.jsonl"),
                entry("", 0, "c1", false, None, "2026-01-01T00:00:00Z").record,
            ),
            (
                PathBuf::from("b.jsonl"),
                entry("", 0, "c1", false, None, "2026-01-01T00:00:00Z").record,
            ),
            (
                PathBuf::from("b.jsonl"),
                entry("", 0, "c2", true, None, "2026-01-01T00:00:00Z").record,
            ),
        ];
        let problems = check(&records, &everything_known);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (problems[0].path.to_str(), problems[0].line),
            (Some("b.jsonl"), 2)
        );
    }
}
