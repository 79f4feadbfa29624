//! Everything the model needs to know about one thread: the hashed n-grams
//! of every comment, the featuriser's context features, who replies to whom
//! and the "conversation windows".

use std::collections::HashMap;

use referee_text::{
    context_features, identity_terms, CommentView, ContextFeatures, Featuriser, SparseVector,
    ThreadView,
};
use referee_thread::Thread;

/// Sentences of one comment scored on their own, at most: bounds the cost
/// of a long comment.
pub const MAX_SENTENCES: usize = 16;

/// The sentences of `text` ([`referee_text::sentences`]) that hold a
/// letter or digit, the first [`MAX_SENTENCES`]; nothing when that leaves
/// a single sentence.
fn sentences(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = referee_text::sentences(text)
        .map(|(_, s)| s)
        .filter(|s| s.chars().any(char::is_alphanumeric))
        .take(MAX_SENTENCES)
        .collect();
    if out.len() < 2 {
        out.clear();
    }
    out
}

/// Per-comment features of one thread, indexed like `thread.comments`.
#[derive(Clone, Debug)]
pub struct ThreadFeatures {
    /// Hashed n-grams of each comment's text.
    pub rows: Vec<SparseVector>,
    /// Index of the parent comment.
    pub parent: Vec<Option<usize>>,
    /// Index of the same author's nearest earlier comment up the reply chain.
    pub own_earlier: Vec<Option<usize>>,
    /// Hashed n-grams of the own earlier comment followed by this one, when
    /// this comment answers a question about that earlier comment.
    pub windows: Vec<Option<SparseVector>>,
    /// Hashed n-grams of each sentence of a comment of two or more
    /// sentences (the first [`MAX_SENTENCES`]); empty for one sentence.
    pub sentences: Vec<Vec<SparseVector>>,
    /// Number of identity-group mentions in each comment.
    pub identity: Vec<usize>,
    /// The featuriser's context features.
    pub context: Vec<ContextFeatures>,
}

/// Whether a comment asks something: a question mark, or an opening
/// question word.
fn asks(text: &str) -> bool {
    if text.contains('?') {
        return true;
    }
    let first = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    matches!(
        first.as_str(),
        "who" | "what" | "which" | "whom" | "meaning"
    )
}

fn same_author(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let (a, b) = (a.trim(), b.trim());
            !a.is_empty() && a.eq_ignore_ascii_case(b)
        }
        _ => false,
    }
}

impl ThreadFeatures {
    /// Featurises every comment of `thread`.
    pub fn new(featuriser: &Featuriser, thread: &Thread) -> ThreadFeatures {
        let index: HashMap<&str, usize> = thread
            .comments
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let parent: Vec<Option<usize>> = thread
            .comments
            .iter()
            .enumerate()
            .map(|(i, c)| {
                c.parent
                    .as_deref()
                    .and_then(|p| index.get(p).copied())
                    .filter(|&p| p != i)
            })
            .collect();
        let own_earlier: Vec<Option<usize>> = (0..thread.comments.len())
            .map(|i| {
                let author = thread.comments[i].author.as_deref();
                let mut seen = 0;
                let mut at = parent[i];
                while let Some(p) = at {
                    if same_author(author, thread.comments[p].author.as_deref()) {
                        return Some(p);
                    }
                    seen += 1;
                    if seen > thread.comments.len() {
                        break; // a cycle in malformed input
                    }
                    at = parent[p];
                }
                None
            })
            .collect();
        let rows = thread
            .comments
            .iter()
            .map(|c| featuriser.vectorise(&c.text))
            .collect();
        let windows = (0..thread.comments.len())
            .map(|i| {
                let e = own_earlier[i]?;
                let p = parent[i]?;
                if p == e || !asks(&thread.comments[p].text) {
                    return None;
                }
                let text = format!("{}\n{}", thread.comments[e].text, thread.comments[i].text);
                Some(featuriser.vectorise(&text))
            })
            .collect();
        let sentences = thread
            .comments
            .iter()
            .map(|c| {
                sentences(&c.text)
                    .into_iter()
                    .map(|s| featuriser.vectorise(s))
                    .collect()
            })
            .collect();
        let identity = thread
            .comments
            .iter()
            .map(|c| identity_terms(&c.text))
            .collect();
        let view = ThreadView {
            post_title: thread.title.as_deref(),
            post_text: thread.text.as_deref(),
            post_author: thread.author.as_deref(),
            comments: thread
                .comments
                .iter()
                .zip(&parent)
                .map(|(c, &p)| CommentView {
                    author: c.author.as_deref(),
                    parent: p,
                    text: &c.text,
                })
                .collect(),
        };
        let context = context_features(&view);
        ThreadFeatures {
            rows,
            parent,
            own_earlier,
            windows,
            sentences,
            identity,
            context,
        }
    }

    /// Number of comments.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True for a thread without comments.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Whether comment `i` answers a question about its author's earlier
    /// comment.
    pub fn window_applies(&self, i: usize) -> bool {
        self.windows[i].is_some()
    }

    /// Whether comment `i` had a post or a parent to be read against.
    pub fn has_context(&self, i: usize) -> bool {
        self.context[i].has_post || self.context[i].has_parent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_of_a_comment() {
        assert!(sentences("Just one sentence here").is_empty());
        assert_eq!(
            sentences("You are simply a nobody. The budget is fine! Why?"),
            ["You are simply a nobody.", "The budget is fine!", "Why?"]
        );
        let long = "Yes. ".repeat(40);
        assert_eq!(sentences(&long).len(), MAX_SENTENCES);
    }

    #[test]
    fn questions() {
        assert!(asks("‘Them’, ‘they’: who? What do you mean?"));
        assert!(asks("Who do you mean"));
        assert!(!asks("Well done Peter"));
    }

    #[test]
    fn authors_compare_loosely_but_need_a_name() {
        assert!(same_author(Some("Badger"), Some("badger ")));
        assert!(!same_author(None, None));
        assert!(!same_author(Some(""), Some("")));
    }
}
