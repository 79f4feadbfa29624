//! Building the [`Thread`] that a Perspective request describes, so that
//! referee's context features see the post and the parent comment.

use referee_thread::{Comment, Thread};
use sha2::{Digest, Sha256};

use crate::perspective::CommentContext;

/// Id of the analysed comment inside the thread built for it.
pub const COMMENT_ID: &str = "comment";
/// Id of the parent comment given in `articleAndParentComment`.
pub const PARENT_ID: &str = "parent";

/// The thread `id` holding `text` in its `context`; the analysed comment is
/// the last comment and has id [`COMMENT_ID`].
///
/// - `articleAndParentComment`: the article is the post; the parent comment
///   is a top-level comment that the analysed one replies to.
/// - `entries`: the entries are the preceding top-level comments (ids `e1`,
///   `e2`, …), and the analysed comment follows them.
pub fn thread_for(id: &str, text: &str, context: &CommentContext) -> Thread {
    let mut thread = Thread {
        id: id.to_owned(),
        ..Thread::default()
    };
    let mut parent = None;
    match context {
        CommentContext::None => {}
        CommentContext::ArticleAndParent {
            article,
            parent: parent_text,
        } => {
            thread.text = article.clone();
            if let Some(p) = parent_text {
                thread.comments.push(comment(PARENT_ID, p, None));
                parent = Some(PARENT_ID.to_owned());
            }
        }
        CommentContext::Entries(entries) => {
            for (i, entry) in entries.iter().enumerate() {
                thread
                    .comments
                    .push(comment(&format!("e{}", i + 1), entry, None));
            }
        }
    }
    thread.comments.push(comment(COMMENT_ID, text, parent));
    thread
}

fn comment(id: &str, text: &str, parent: Option<String>) -> Comment {
    Comment {
        id: id.to_owned(),
        text: text.to_owned(),
        parent,
        ..Comment::default()
    }
}

/// A stable id for a comment in its context: `suggest-` and 16 hex digits
/// of the SHA-256 of the texts, so the same comment in the same context
/// always lands in the same thread.
pub fn stable_thread_id(text: &str, context: &CommentContext) -> String {
    let mut hash = Sha256::new();
    let mut field = |tag: &[u8], value: &str| {
        hash.update(tag);
        hash.update((value.len() as u64).to_le_bytes());
        hash.update(value.as_bytes());
    };
    field(b"comment", text);
    match context {
        CommentContext::None => {}
        CommentContext::ArticleAndParent { article, parent } => {
            if let Some(a) = article {
                field(b"article", a);
            }
            if let Some(p) = parent {
                field(b"parent", p);
            }
        }
        CommentContext::Entries(entries) => {
            for e in entries {
                field(b"entry", e);
            }
        }
    }
    let digest = hash.finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("suggest-{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_and_parent_become_post_and_parent_comment() {
        let ctx = CommentContext::ArticleAndParent {
            article: Some("The post".into()),
            parent: Some("First!".into()),
        };
        let t = thread_for("t", "You fool", &ctx);
        assert_eq!(t.text.as_deref(), Some("The post"));
        assert_eq!(t.comments.len(), 2);
        assert_eq!(t.comments[1].id, COMMENT_ID);
        assert_eq!(t.comments[1].parent.as_deref(), Some(PARENT_ID));
    }

    #[test]
    fn entries_precede_the_comment() {
        let t = thread_for(
            "t",
            "c",
            &CommentContext::Entries(vec!["a".into(), "b".into()]),
        );
        let ids: Vec<&str> = t.comments.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["e1", "e2", COMMENT_ID]);
    }

    #[test]
    fn ids_are_stable_and_depend_on_context() {
        let none = stable_thread_id("hi", &CommentContext::None);
        assert_eq!(none, stable_thread_id("hi", &CommentContext::None));
        assert!(none.starts_with("suggest-") && none.len() == "suggest-".len() + 16);
        let with_parent = stable_thread_id(
            "hi",
            &CommentContext::ArticleAndParent {
                article: None,
                parent: Some("x".into()),
            },
        );
        assert_ne!(none, with_parent);
        // Field boundaries matter: ("ab","c") differs from ("a","bc").
        let a = stable_thread_id("ab", &CommentContext::Entries(vec!["c".into()]));
        let b = stable_thread_id("a", &CommentContext::Entries(vec!["bc".into()]));
        assert_ne!(a, b);
    }
}
