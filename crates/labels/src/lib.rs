//! The durable hand-label store of referee.
//!
//! Moderators' judgements live in `labels/*.jsonl`, one [`LabelRecord`] per
//! line, each naming a comment of a thread kept in the project. Files are
//! append-only history: a new judgement of a comment supersedes the old one
//! ([`latest`]) without erasing it. [`LabelWriter`] appends so that a crash
//! loses at most the record being written, [`read_file`] and [`read_dir`]
//! name `file:line` on anything they cannot read, and [`check_entries`]
//! finds contradictions, labels for unknown comments and positives without a
//! note.
//!
//! ```
//! use referee_labels::{latest, read_file, LabelRecord, LabelWriter, Labels};
//!
//! # fn main() -> referee_labels::Result<()> {
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("ann.jsonl");
//! let mut writer = LabelWriter::open(&path)?;
//! let abuse = Labels { abuse: true, ..Labels::NONE };
//! writer.append(&LabelRecord::new("t1", "c7", abuse, "ann").with_note("slur"))?;
//! // A second look: not abuse after all. The first record stays in the file.
//! writer.append(&LabelRecord::new("t1", "c7", Labels::NONE, "ann"))?;
//!
//! let history = read_file(&path)?;
//! assert_eq!(history.len(), 2);
//! let current = latest(history);
//! assert_eq!(current.len(), 1);
//! assert!(!current[0].abuse);
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod check;
mod error;
mod latest;
mod read;
mod record;
mod time;
mod write;

pub use check::{check, check_entries, Problem, ProblemKind};
pub use error::{Error, Result};
pub use latest::latest;
pub use read::{
    label_files, parse_entries, read_dir, read_dir_entries, read_entries, read_file, Entry,
};
pub use record::{LabelRecord, Labels};
pub use time::{now_rfc3339, Timestamp};
pub use write::{torn_path, write_atomic, write_bytes_atomic, LabelWriter};
