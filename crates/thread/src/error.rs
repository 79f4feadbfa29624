//! The error type of the readers.

use crate::InputFormat;

/// Everything that can go wrong while reading threads.
///
/// Every variant names the input (a path, `<stdin>`, or the name given to
/// [`read_str`](crate::read_str)) and where in it the problem is, in the
/// form `what (input:line)` or `what (input, byte N)`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input holds no bytes, or only white space.
    #[error("empty input ({input})")]
    Empty {
        /// The input's name.
        input: String,
    },
    /// The input is not valid UTF-8.
    #[error("invalid utf-8 ({input}, byte {offset})")]
    Utf8 {
        /// The input's name.
        input: String,
        /// Byte offset of the first invalid byte.
        offset: u64,
    },
    /// A line of a line-oriented input cannot be read.
    #[error("{message} ({input}:{line})")]
    Line {
        /// The input's name.
        input: String,
        /// 1-based line number.
        line: u64,
        /// What was found and what was expected.
        message: String,
    },
    /// A structured (XML, HTML or JSON) input is malformed or is not the
    /// expected document.
    #[error("{message} ({input}, byte {offset})")]
    Syntax {
        /// The input's name.
        input: String,
        /// Byte offset where the problem was found.
        offset: u64,
        /// What was found and what was expected.
        message: String,
    },
    /// The input could not be opened or read.
    #[error("cannot read {input}")]
    Io {
        /// The input's name.
        input: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An input format name that is not one of [`InputFormat::ALL`](crate::InputFormat::ALL).
    #[error(
        "unknown input format {name:?}, expected one of: {}",
        InputFormat::names()
    )]
    UnknownFormat {
        /// The name given.
        name: String,
    },
    /// The input holds a NUL byte: it is binary (an archive, an image, a
    /// database, UTF-16 text), not text in any of the formats.
    #[error(
        "input looks binary, not text in one of the formats {} ({input}, byte {offset})",
        InputFormat::names()
    )]
    Binary {
        /// The input's name.
        input: String,
        /// Byte offset of the first NUL byte.
        offset: u64,
    },
    /// The input did not read in the format detected from its content; the
    /// message says how to name another one.
    #[error("{source}; read as {format}, detected from the content (name the format with --input-format: {})", InputFormat::names())]
    Detected {
        /// The format detected.
        format: InputFormat,
        /// What went wrong reading it in that format.
        source: Box<Error>,
    },
}

/// Result of the readers.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// True when reading goes on after this error: a JSON Lines (or
    /// line-delimited Reddit) line that could not be read. Any other error
    /// ends the input.
    pub fn is_recoverable(&self) -> bool {
        match self {
            Error::Line { .. } => true,
            Error::Detected { source, .. } => source.is_recoverable(),
            _ => false,
        }
    }

    /// The line of a line error.
    pub(crate) fn line_number(&self) -> Option<u64> {
        match self {
            Error::Line { line, .. } => Some(*line),
            Error::Detected { source, .. } => source.line_number(),
            _ => None,
        }
    }

    /// This error, said to come from reading `format` as detected; errors
    /// that any format would give (empty, unreadable, binary, not UTF-8) stay as they are.
    pub(crate) fn detected_as(self, format: InputFormat) -> Self {
        match self {
            Error::Empty { .. } | Error::Io { .. } | Error::Binary { .. } | Error::Utf8 { .. } => {
                self
            }
            source => Error::Detected {
                format,
                source: Box::new(source),
            },
        }
    }

    pub(crate) fn syntax(input: &str, offset: u64, message: impl Into<String>) -> Self {
        Error::Syntax {
            input: input.to_owned(),
            offset,
            message: message.into(),
        }
    }

    pub(crate) fn line(input: &str, line: u64, message: impl Into<String>) -> Self {
        Error::Line {
            input: input.to_owned(),
            line,
            message: message.into(),
        }
    }
}

/// serde_json's message without its ` at line L column C` suffix: the
/// readers name the place themselves, as a line of the input or a byte.
pub(crate) fn json_message(err: &serde_json::Error) -> String {
    let message = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    match message.strip_suffix(&suffix) {
        Some(message) => message.to_owned(),
        None => message,
    }
}
