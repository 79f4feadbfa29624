//! Training, evaluation and the model file of referee.
//!
//! ```
//! use referee_train::{Label, Scores, Thresholds, Action};
//!
//! let mut scores = Scores::default();
//! scores.set(Label::Abuse, 0.95);
//! assert_eq!(Thresholds::default().action(&scores), Action::Reject);
//! ```
#![deny(missing_docs)]

mod error;
mod score;

pub use error::{Result, TrainError};
pub use score::{
    Action, CommentScore, ContextContribution, Explanation, Label, LabelExplanation,
    NgramContribution, Reason, ScoreOptions, Scores, Threshold, Thresholds,
};
