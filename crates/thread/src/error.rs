//! The error type of the readers.

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
    #[error("unknown input format {name:?}, expected one of: text, wxr, wordpress-html, disqus, reddit, jsonl")]
    UnknownFormat {
        /// The name given.
        name: String,
    },
}

/// Result of the readers.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
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
