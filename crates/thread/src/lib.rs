//! The thread model of referee and the readers that turn what users pipe in
//! (plain text copied from a blog, WordPress exports and pages, Disqus
//! exports, Reddit JSON, JSON Lines) into [`Thread`]s.
#![deny(missing_docs)]

use serde::{Deserialize, Serialize};

/// A discussion: the post and its comments, in reading order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    /// Stable identifier of the thread (from the source, or derived from it).
    pub id: String,
    /// The post's title, where the format has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The post's body as plain text, where the format has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Where the thread was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The post's author, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Comments in reading order; a reply follows its parent.
    #[serde(default)]
    pub comments: Vec<Comment>,
}

/// One comment of a thread.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    /// Identifier, unique within the thread.
    pub id: String,
    /// Display name of the commenter, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Id of the comment this one replies to; `None` for a top-level comment.
    #[serde(default)]
    pub parent: Option<String>,
    /// The comment as plain text.
    pub text: String,
    /// Publication time as given by the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Moderation status carried by the source (spam, trash, deleted...).
    #[serde(default, skip_serializing_if = "CommentStatus::is_approved")]
    pub status: CommentStatus,
}

/// Moderation status of a comment as recorded by the source platform.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentStatus {
    /// Published.
    #[default]
    Approved,
    /// Awaiting moderation.
    Pending,
    /// Marked as spam.
    Spam,
    /// Moved to the bin.
    Trash,
    /// Deleted by its author or a moderator.
    Deleted,
}

impl CommentStatus {
    /// True for [`CommentStatus::Approved`].
    pub fn is_approved(&self) -> bool {
        matches!(self, CommentStatus::Approved)
    }
}
