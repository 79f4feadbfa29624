//! The thread model of referee and the readers that turn what users pipe in
//! (plain text copied from a blog, WordPress exports and pages, Disqus
//! exports, Reddit JSON, JSON Lines) into [`Thread`]s.
//!
//! One entry point, [`open`], reads a file or standard input in a given or
//! detected [`InputFormat`]; [`read_str`] does the same for a string.
//! [`write_jsonl`] writes a thread back as one line of JSON.
//!
//! ```
//! use referee_thread::{read_str, write_jsonl, InputFormat};
//!
//! let page = "A post title\n\nThe post.\n\n  1. Jane says:\n\n    First!\n\n    1. Joe says:\n\n      Welcome, Jane.\n";
//! let threads = read_str("post.txt", page, None)?;
//! let thread = &threads[0];
//! assert_eq!(thread.id, "post");
//! assert_eq!(thread.title.as_deref(), Some("A post title"));
//! assert_eq!(thread.comments[1].author.as_deref(), Some("Joe"));
//! assert_eq!(thread.comments[1].parent.as_deref(), Some("c1"));
//!
//! let line = r#"{"id":"c7","text":"hello","thread":"t1"}"#;
//! let threads = read_str("-", line, Some(InputFormat::Jsonl))?;
//! let mut out = Vec::new();
//! write_jsonl(&mut out, &threads[0])?;
//! assert_eq!(String::from_utf8(out).unwrap(), "{\"id\":\"t1\",\"comments\":[{\"id\":\"c7\",\"parent\":null,\"text\":\"hello\"}]}\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod date;
mod disqus;
mod error;
mod format;
mod html;
mod jsonl;
mod order;
mod reddit;
mod source;
mod text;
mod wordpress_html;
mod wxr;
mod xml;

pub use error::{Error, Result};
pub use format::{detect, InputFormat, DETECT_LEN};
pub use html::{decode_entities, html_to_text};
pub use jsonl::write_jsonl;
pub use source::{open, read_bytes, read_str, Source, Threads};

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
    /// Moderation status carried by the source (pending, spam, trash,
    /// deleted), or [`CommentStatus::Ping`] for a pingback or trackback.
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
    /// A pingback or trackback: another site's notice that it links to the
    /// post, not a comment anyone wrote here. Scoring leaves it out unless
    /// asked.
    Ping,
}

impl CommentStatus {
    /// True for [`CommentStatus::Approved`].
    pub fn is_approved(&self) -> bool {
        matches!(self, CommentStatus::Approved)
    }

    /// The name in JSON and on the command line (`approved`, `pending`, …).
    pub fn name(self) -> &'static str {
        match self {
            CommentStatus::Approved => "approved",
            CommentStatus::Pending => "pending",
            CommentStatus::Spam => "spam",
            CommentStatus::Trash => "trash",
            CommentStatus::Deleted => "deleted",
            CommentStatus::Ping => "ping",
        }
    }
}

impl std::fmt::Display for CommentStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Comment {
    /// True when the comment has no text to score: empty, white space, or
    /// only invisible characters (a deleted comment, or a page cut short).
    pub fn is_blank(&self) -> bool {
        self.text.chars().all(|c| {
            c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
        })
    }
}
