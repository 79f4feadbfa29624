//! The error type of this crate.

/// Everything that can go wrong when configuring the featuriser.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TextError {
    /// `bits` outside the supported range.
    #[error("hash bits must be between {min} and {max}, got {got}")]
    Bits {
        /// Smallest accepted value.
        min: u32,
        /// Largest accepted value.
        max: u32,
        /// The rejected value.
        got: u32,
    },
    /// An n-gram range that is empty or out of bounds.
    #[error("{what} n-gram range must satisfy 1 <= min <= max <= {limit}, got {min}..={max}")]
    NgramRange {
        /// Which range: "word" or "char".
        what: &'static str,
        /// Largest accepted `max`.
        limit: usize,
        /// The rejected lower bound.
        min: usize,
        /// The rejected upper bound.
        max: usize,
    },
    /// A feature weight that is negative or not finite.
    #[error("{what} weight must be finite and >= 0, got {got}")]
    Weight {
        /// Which weight: "word", "char" or "name_calling".
        what: &'static str,
        /// The rejected value.
        got: f32,
    },
    /// Both blocks weighted zero: every vector would be empty.
    #[error("word and char weights are both 0: every vector would be empty")]
    NoFeatures,
    /// A limit that must be positive is zero.
    #[error("{what} must be at least 1, got 0")]
    ZeroLimit {
        /// The rejected limit.
        what: &'static str,
    },
    /// The same pipeline step listed twice.
    #[error("pipeline step `{0}` is listed more than once")]
    DuplicateStep(&'static str),
    /// A text step listed after a token step.
    #[error(
        "text step `{text}` is listed after token step `{token}`: text steps run before tokenising"
    )]
    StepOrder {
        /// The misplaced text step.
        text: &'static str,
        /// The token step before it.
        token: &'static str,
    },
}

/// Result with [`TextError`].
pub type Result<T> = std::result::Result<T, TextError>;
