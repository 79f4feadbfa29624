//! The error type of referee-train.

use std::path::PathBuf;

/// Everything that can go wrong while reading training data, fitting,
/// evaluating, or loading and saving a model.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// A label name that is none of abuse, ad_hominem, off_topic.
    #[error("unknown label {0:?} (expected abuse, ad_hominem or off_topic)")]
    UnknownLabel(String),
    /// A file or directory could not be read or written.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// What the operating system said (part of the message, so not
        /// repeated as a separate cause).
        error: std::io::Error,
    },
    /// A line of a data file could not be understood.
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What was expected.
        message: String,
    },
    /// A model file that is not one, is damaged, or is too new.
    #[error("model {source_name}: {message}")]
    ModelFormat {
        /// Path or description of where the bytes came from.
        source_name: String,
        /// What is wrong with it.
        message: String,
    },
    /// A hyperparameter outside its valid range.
    #[error("invalid parameter {name} = {value}: {expected}")]
    InvalidParams {
        /// The parameter.
        name: &'static str,
        /// Its offending value.
        value: String,
        /// The valid range.
        expected: &'static str,
    },
    /// Training data that cannot be fitted (no rows, a single class...).
    #[error("cannot fit: {0}")]
    Data(String),
    /// An error reported by linfa.
    #[error("linfa: {0}")]
    Linfa(#[from] linfa::Error),
    /// The optimiser failed.
    #[error("optimiser failed: {0}")]
    Optimiser(String),
}

/// Result alias of referee-train.
pub type Result<T> = std::result::Result<T, TrainError>;

impl TrainError {
    /// An I/O error about `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> TrainError {
        TrainError::Io {
            path: path.into(),
            error: source,
        }
    }

    /// A parse error at `path:line`.
    pub fn parse(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> TrainError {
        TrainError::Parse {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}
