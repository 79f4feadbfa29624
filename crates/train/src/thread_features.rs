//! Everything the model needs to know about one thread: the hashed n-grams
//! of every comment, the featuriser's context features, who replies to whom
//! and the "conversation windows".

use std::cell::RefCell;
use std::collections::HashMap;

use referee_text::{
    context_features_of, identity_terms_of, Analysed, CommentView, ContextFeatures, Featuriser,
    Scratch, SparseVector, ThreadView,
};
use referee_thread::Thread;

/// Sentences of one comment scored on their own, at most: bounds the cost
/// of a long comment.
pub const MAX_SENTENCES: usize = 16;

/// Reusable buffers for featurising threads: the featuriser's scratch and
/// one [`Analysed`] per comment of the last thread featurised, which stay
/// readable (for evidence) until the next.
#[derive(Default)]
pub struct ThreadScratch {
    scratch: Scratch,
    analysed: Vec<Analysed>,
}

/// Buffers of one comment's analysis kept for the next thread at most: a
/// very long comment's are let go rather than held by every worker.
const KEPT_ANALYSIS_BYTES: usize = 256 << 10;

impl ThreadScratch {
    /// Lets go of the buffers of analyses grown beyond
    /// [`KEPT_ANALYSIS_BYTES`], so that a few long comments do not hold
    /// their memory for the rest of the run.
    pub fn trim(&mut self) {
        for analysed in &mut self.analysed {
            if analysed.capacity_bytes() > KEPT_ANALYSIS_BYTES {
                *analysed = Analysed::default();
            }
        }
    }

    /// The analyses of the first `comments` comments of the last thread
    /// featurised.
    pub fn analysed(&mut self, comments: usize) -> &mut [Analysed] {
        &mut self.analysed[..comments]
    }
}

thread_local! {
    static THREAD_SCRATCH: RefCell<ThreadScratch> = RefCell::new(ThreadScratch::default());
}

/// Runs `f` with this thread's [`ThreadScratch`], or a fresh one when it is
/// in use further up the stack.
pub fn with_thread_scratch<R>(f: impl FnOnce(&mut ThreadScratch) -> R) -> R {
    THREAD_SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => f(&mut scratch),
        Err(_) => f(&mut ThreadScratch::default()),
    })
}

/// The sentences of `text` ([`referee_text::sentences`]) that hold a
/// letter or digit, the first [`MAX_SENTENCES`], with their byte offsets;
/// nothing when that leaves a single sentence.
fn sentences(text: &str) -> Vec<(usize, &str)> {
    let mut out: Vec<(usize, &str)> = referee_text::sentences(text)
        .filter(|(_, s)| s.chars().any(char::is_alphanumeric))
        .take(MAX_SENTENCES)
        .collect();
    if out.len() < 2 {
        out.clear();
    }
    out
}

/// The vectors of the [`sentences`] of `text`, which `analysed` holds
/// analysed.
fn sentence_vectors(
    featuriser: &Featuriser,
    text: &str,
    analysed: &Analysed,
    scratch: &mut Scratch,
) -> Vec<SparseVector> {
    let sentences = sentences(text);
    let mut vectors = Vec::new();
    if !sentences.is_empty() {
        featuriser.sentence_vectors(analysed, &sentences, scratch, &mut vectors);
    }
    vectors
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

/// Index of each comment's parent in `thread`, if the thread has it (and
/// it is not the comment itself).
fn parents(thread: &Thread) -> Vec<Option<usize>> {
    if thread.comments.iter().all(|c| c.parent.is_none()) {
        return vec![None; thread.comments.len()];
    }
    let index: HashMap<&str, usize> = thread
        .comments
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    thread
        .comments
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.parent
                .as_deref()
                .and_then(|p| index.get(p).copied())
                .filter(|&p| p != i)
        })
        .collect()
}

impl ThreadFeatures {
    /// Featurises every comment of `thread`.
    pub fn new(featuriser: &Featuriser, thread: &Thread) -> ThreadFeatures {
        with_thread_scratch(|scratch| {
            let features = ThreadFeatures::new_with(featuriser, thread, scratch);
            scratch.trim();
            features
        })
    }

    /// Featurises every comment of `thread`, analysing each once into
    /// `scratch`, where the analyses stay until the next thread.
    pub fn new_with(
        featuriser: &Featuriser,
        thread: &Thread,
        scratch: &mut ThreadScratch,
    ) -> ThreadFeatures {
        let n = thread.comments.len();
        if scratch.analysed.len() < n {
            scratch.analysed.resize_with(n, Analysed::default);
        }
        let ThreadScratch {
            scratch: text_scratch,
            analysed,
        } = scratch;
        let analysed = &mut analysed[..n];
        for (comment, out) in thread.comments.iter().zip(analysed.iter_mut()) {
            featuriser.analyse_into(&comment.text, text_scratch, out);
        }
        let analysed = &*analysed;
        let parent = parents(thread);
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
        let rows = analysed.iter().map(|a| a.vector().clone()).collect();
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
            .zip(analysed)
            .map(|(c, a)| sentence_vectors(featuriser, &c.text, a, text_scratch))
            .collect();
        let identity = thread
            .comments
            .iter()
            .zip(analysed)
            .map(|(c, a)| identity_terms_of(a, &c.text))
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
        let context = context_features_of(&view, analysed);
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

    /// The sentence vectors of `text`, read from its analysis.
    fn sentence_rows(text: &str) -> Vec<SparseVector> {
        let featuriser = Featuriser::new(referee_text::ValidFeatureParams::default());
        let mut scratch = Scratch::default();
        let mut analysed = Analysed::default();
        featuriser.analyse_into(text, &mut scratch, &mut analysed);
        sentence_vectors(&featuriser, text, &analysed, &mut scratch)
    }

    #[test]
    fn sentences_of_a_comment() {
        assert!(sentences("Just one sentence here").is_empty());
        assert_eq!(
            sentences("You are simply a nobody. The budget is fine! Why?"),
            [
                (0, "You are simply a nobody."),
                (25, "The budget is fine!"),
                (45, "Why?")
            ]
        );
        let long = "Yes. ".repeat(40);
        assert_eq!(sentences(&long).len(), MAX_SENTENCES);
    }

    #[test]
    fn sentence_vectors_are_those_of_the_sentences_alone() {
        let featuriser = Featuriser::new(referee_text::ValidFeatureParams::default());
        for text in [
            "You are simply a nobody. The budget is fine! Why?",
            // A quotation across sentences is no quotation in either alone.
            "\"You idiot. Go away,\" he said. Fine.",
            "> quoted line. Then more\nplain. Sh!t happens",
            "Tom &amp; Jerry. You 1d10t!! RT. @USER hi",
            "<p>You idiot.</p><p>Go &quot;away&quot; now. Really.</p>",
            "end.&quot; Next one &#128514;. Fine &lt;3. f<b>u</b>ck. off",
            "i d i o t. f u c k off. Sooo stuuupid.",
        ] {
            let alone: Vec<SparseVector> = sentences(text)
                .iter()
                .map(|(_, s)| featuriser.vectorise(s))
                .collect();
            assert_eq!(sentence_rows(text), alone, "{text}");
        }
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
