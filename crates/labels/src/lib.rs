//! Hand labels: the durable label store of referee.
#![deny(missing_docs)]

use serde::{Deserialize, Serialize};

/// One moderator's judgement of one comment of a thread kept in the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelRecord {
    /// Thread id.
    pub thread: String,
    /// Comment id within the thread.
    pub comment: String,
    /// Insults, demeans, threatens or harasses a person or group.
    pub abuse: bool,
    /// Attacks a participant instead of their argument.
    pub ad_hominem: bool,
    /// Engages neither with the post nor with the parent comment.
    pub off_topic: bool,
    /// Short reason, required on positives and borderline cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who labelled it.
    pub by: String,
    /// When (RFC 3339, UTC).
    pub at: String,
}
