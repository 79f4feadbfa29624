//! The one error type of this crate.

use std::io;
use std::path::PathBuf;

/// Everything that can go wrong reading or writing label files.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read, written or synced.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// A line of a label file is not a valid label record.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The label file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What was expected and what was found.
        message: String,
    },
    /// A timestamp is not RFC 3339.
    #[error("invalid timestamp {value:?}: expected RFC 3339 such as \"2026-01-31T12:00:00Z\" ({reason})")]
    Timestamp {
        /// The offending text.
        value: String,
        /// Which part is wrong.
        reason: &'static str,
    },
    /// A record is not fit to be written: a reader would reject it.
    #[error("cannot write label for {thread}/{comment}: {reason}")]
    Invalid {
        /// Thread id of the record.
        thread: String,
        /// Comment id of the record.
        comment: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A record cannot be written as one JSON line.
    #[error("cannot encode label for {thread}/{comment}: {source}")]
    Encode {
        /// Thread id of the record.
        thread: String,
        /// Comment id of the record.
        comment: String,
        /// The serialiser's error.
        source: serde_json::Error,
    },
}

/// Result with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
