//! Dense, named features of a comment within its thread.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::analyse::{Analyser, Analysis, Kind};
use crate::lexicon;
use crate::params::ValidFeatureParams;

/// A thread as seen by [`context_features`].
#[derive(Clone, Debug, Default)]
pub struct ThreadView<'a> {
    /// The post's title.
    pub post_title: Option<&'a str>,
    /// The post's body.
    pub post_text: Option<&'a str>,
    /// The post's author.
    pub post_author: Option<&'a str>,
    /// The comments, in thread order.
    pub comments: Vec<CommentView<'a>>,
}

/// One comment of a [`ThreadView`].
#[derive(Clone, Debug, Default)]
pub struct CommentView<'a> {
    /// The commenter's name.
    pub author: Option<&'a str>,
    /// Index into [`ThreadView::comments`] of the comment it replies to.
    /// Out-of-range or forward references are ignored.
    pub parent: Option<usize>,
    /// The comment's text.
    pub text: &'a str,
}

/// Number of context features.
pub const CONTEXT_FEATURES: usize = 16;

/// Names of the context features, in the order of
/// [`ContextFeatures::values`]:
///
/// - `sim_post`: TF-IDF cosine similarity to the post (title and body),
///   IDF over the thread's documents.
/// - `sim_parent`: the same, to the parent comment.
/// - `sim_thread`: cosine similarity to the rest of the thread (the sum
///   of the other comments' TF-IDF vectors).
/// - `second_person`: share of words that are second-person pronouns.
/// - `addresses_name`: 1 when it opens with a participant's name, "Dear X"
///   or an @mention.
/// - `names_post_author`: 1 when it names the post's author.
/// - `quoted_share`: share of words inside quotations.
/// - `links`: ln(1 + number of links).
/// - `caps_ratio`: share of letters in capitals (words of 2+ letters).
/// - `exclamation_runs`: ln(1 + number of runs of `!`).
/// - `question_marks`: ln(1 + number of `?`).
/// - `log_chars`: ln(1 + number of characters).
/// - `parent_is_question`: 1 when the parent comment asks a question.
/// - `answers_about_own_comment`: 1 when its author wrote the parent's
///   parent (answering a reply to their own comment).
/// - `identity_terms`: ln(1 + [`identity_terms`]).
/// - `has_parent`: 1 when it replies to another comment.
pub const CONTEXT_FEATURE_NAMES: [&str; CONTEXT_FEATURES] = [
    "sim_post",
    "sim_parent",
    "sim_thread",
    "second_person",
    "addresses_name",
    "names_post_author",
    "quoted_share",
    "links",
    "caps_ratio",
    "exclamation_runs",
    "question_marks",
    "log_chars",
    "parent_is_question",
    "answers_about_own_comment",
    "identity_terms",
    "has_parent",
];

/// Context features of one comment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ContextFeatures {
    /// Values, named by [`CONTEXT_FEATURE_NAMES`].
    pub values: [f32; CONTEXT_FEATURES],
    /// The thread has a post (title or body).
    pub has_post: bool,
    /// The comment replies to another comment.
    pub has_parent: bool,
}

/// The default pipeline, shared by the thread-level functions.
fn analyser() -> &'static Analyser {
    static ANALYSER: OnceLock<Analyser> = OnceLock::new();
    ANALYSER.get_or_init(|| Analyser::new(ValidFeatureParams::default()))
}

/// Number of mentions of religious, ethnic, national, sexual-orientation
/// or gender groups ("muslims", "jews", "immigrants", "gays", "women"...),
/// also when obfuscated ("musl1ms"). A neutral lexicon, not slurs: context
/// for the thread model, not evidence of abuse on its own.
pub fn identity_terms(text: &str) -> usize {
    let mut analysis = Analysis::default();
    analyser().analyse(text, &mut analysis);
    count_identity_terms(&analysis)
}

fn count_identity_terms(analysis: &Analysis) -> usize {
    analysis
        .tokens
        .iter()
        .filter(|t| t.kind == Kind::Word && lexicon::is_identity_term(analysis.canon(t)))
        .count()
}

/// What the thread-level features need from one document.
struct Doc {
    /// Stem id → term frequency, stopwords left out.
    terms: BTreeMap<u64, f32>,
    /// Canonical words of the first few tokens.
    opening: Vec<String>,
    words: usize,
    second_person: usize,
    quoted: usize,
    links: usize,
    mentions: usize,
    identity: usize,
    canon: Vec<String>,
}

fn doc(text: &str, analysis: &mut Analysis) -> Doc {
    analyser().analyse(text, analysis);
    let mut doc = Doc {
        terms: BTreeMap::new(),
        opening: Vec::new(),
        words: 0,
        second_person: 0,
        quoted: 0,
        links: 0,
        mentions: 0,
        identity: count_identity_terms(analysis),
        canon: Vec::new(),
    };
    for token in &analysis.tokens {
        let canon = analysis.canon(token);
        match token.kind {
            Kind::Url => doc.links += 1,
            Kind::User => doc.mentions += 1,
            Kind::Word | Kind::Number => {
                doc.words += 1;
                doc.quoted += usize::from(token.quoted);
                doc.second_person += usize::from(lexicon::is_second_person(canon));
                if !lexicon::is_stopword(canon) {
                    *doc.terms.entry(token.id).or_default() += 1.0;
                }
            }
            Kind::Emoji => {}
        }
        if doc.opening.len() < 4 {
            doc.opening.push(canon.to_string());
        }
        if token.kind == Kind::Word {
            doc.canon.push(canon.to_string());
        }
    }
    doc
}

/// TF-IDF vectors (sublinear tf, smoothed idf) normalised to unit length.
fn tfidf(docs: &[Doc]) -> Vec<BTreeMap<u64, f32>> {
    let mut df: BTreeMap<u64, f32> = BTreeMap::new();
    for doc in docs {
        for &term in doc.terms.keys() {
            *df.entry(term).or_default() += 1.0;
        }
    }
    let n = docs.len() as f32;
    docs.iter()
        .map(|doc| {
            let mut v: BTreeMap<u64, f32> = doc
                .terms
                .iter()
                .map(|(&t, &tf)| {
                    (
                        t,
                        (1.0 + tf.ln()) * (((1.0 + n) / (1.0 + df[&t])).ln() + 1.0),
                    )
                })
                .collect();
            let norm = v.values().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.values_mut().for_each(|x| *x /= norm);
            }
            v
        })
        .collect()
}

fn cosine(a: &BTreeMap<u64, f32>, b: &BTreeMap<u64, f32>) -> f32 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small
        .iter()
        .filter_map(|(t, x)| large.get(t).map(|y| x * y))
        .sum::<f32>()
        .clamp(0.0, 1.0)
}

/// Cosine similarity of unit vector `v` to `total - v`, where `total` has
/// squared norm `total_norm2`.
fn similarity_to_rest(v: &BTreeMap<u64, f32>, total: &BTreeMap<u64, f32>, total_norm2: f32) -> f32 {
    let self_norm2: f32 = v.values().map(|x| x * x).sum();
    let dot_total: f32 = v
        .iter()
        .filter_map(|(t, x)| total.get(t).map(|y| x * y))
        .sum();
    let dot_rest = dot_total - self_norm2;
    let rest_norm2 = total_norm2 - 2.0 * dot_total + self_norm2;
    if dot_rest <= 1e-6 || rest_norm2 <= 1e-6 || self_norm2 <= 0.0 {
        return 0.0;
    }
    (dot_rest / (rest_norm2.sqrt() * self_norm2.sqrt())).clamp(0.0, 1.0)
}

/// Lower-case words of a name ("Curious Cat" → ["curious", "cat"]).
fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `opening` (the first canonical words) starts with `name`,
/// optionally after "dear", "hi", "hello" or "@".
fn opens_with(opening: &[String], name: &[String]) -> bool {
    if name.is_empty() {
        return false;
    }
    let skip = usize::from(
        opening
            .first()
            .is_some_and(|w| matches!(w.as_str(), "dear" | "hi" | "hello" | "hey" | "well")),
    );
    let rest = &opening[skip.min(opening.len())..];
    rest.len() >= name.len().min(2) && name.iter().zip(rest).all(|(n, w)| n == w)
}

/// Whether `words` mention `name` anywhere (its first word, or its whole).
fn mentions(words: &[String], name: &[String]) -> bool {
    match name {
        [] => false,
        [one] => one.len() >= 3 && words.iter().any(|w| w == one),
        _ => words.windows(name.len()).any(|w| w == name),
    }
}

/// Whether `text` asks a question: a `?` after some words.
fn asks_question(text: &str) -> bool {
    text.trim_end().contains('?')
}

/// Context features of every comment of `view`, in order.
pub fn context_features(view: &ThreadView<'_>) -> Vec<ContextFeatures> {
    let mut analysis = Analysis::default();
    let post_text = match (view.post_title, view.post_text) {
        (Some(title), Some(body)) => format!("{title}\n{body}"),
        (Some(one), None) | (None, Some(one)) => one.to_string(),
        (None, None) => String::new(),
    };
    let has_post = !post_text.trim().is_empty();
    let mut docs: Vec<Doc> = view
        .comments
        .iter()
        .map(|c| doc(c.text, &mut analysis))
        .collect();
    docs.push(doc(&post_text, &mut analysis));
    let vectors = tfidf(&docs);
    let post_vector = &vectors[docs.len() - 1];
    // Sum of the comments' vectors: similarity to "the rest of the thread"
    // in linear time.
    let mut thread_total: BTreeMap<u64, f32> = BTreeMap::new();
    for vector in &vectors[..view.comments.len()] {
        for (&term, &x) in vector {
            *thread_total.entry(term).or_default() += x;
        }
    }
    let thread_norm2: f32 = thread_total.values().map(|x| x * x).sum();
    let names: Vec<Vec<String>> = view
        .comments
        .iter()
        .map(|c| c.author.map(name_words).unwrap_or_default())
        .collect();
    let post_author = view.post_author.map(name_words).unwrap_or_default();
    let parent_of = |i: usize| {
        view.comments[i]
            .parent
            .filter(|&p| p < view.comments.len() && p != i)
    };

    view.comments
        .iter()
        .enumerate()
        .map(|(i, comment)| {
            let d = &docs[i];
            let parent = parent_of(i);
            let words = d.words.max(1) as f32;
            let sim_post = if has_post {
                cosine(&vectors[i], post_vector)
            } else {
                0.0
            };
            let sim_parent = parent.map_or(0.0, |p| cosine(&vectors[i], &vectors[p]));
            let sim_thread = similarity_to_rest(&vectors[i], &thread_total, thread_norm2);
            let addresses = d.opening.first().is_some_and(|w| w == "<user>")
                || std::iter::once(&post_author)
                    .chain(names.iter())
                    .any(|name| opens_with(&d.opening, name));
            let names_post_author = mentions(&d.canon, &post_author);
            let (letters, capitals) = caps(comment.text);
            let caps_ratio = if letters >= 10 {
                capitals as f32 / letters as f32
            } else {
                0.0
            };
            let exclamation_runs = count_runs(comment.text, '!');
            let questions = comment.text.matches('?').count();
            let parent_is_question = parent.is_some_and(|p| asks_question(view.comments[p].text));
            let own_comment = match (comment.author, parent.and_then(parent_of)) {
                (Some(me), Some(grand)) => {
                    view.comments[grand]
                        .author
                        .is_some_and(|a| a.trim().eq_ignore_ascii_case(me.trim()))
                        && !me.trim().is_empty()
                }
                _ => false,
            };
            let values = [
                sim_post,
                sim_parent,
                sim_thread,
                d.second_person as f32 / words,
                f32::from(u8::from(addresses)),
                f32::from(u8::from(names_post_author)),
                d.quoted as f32 / words,
                (d.links as f32).ln_1p(),
                caps_ratio,
                (exclamation_runs as f32).ln_1p(),
                (questions as f32).ln_1p(),
                (comment.text.chars().count() as f32).ln_1p(),
                f32::from(u8::from(parent_is_question)),
                f32::from(u8::from(own_comment)),
                (d.identity as f32).ln_1p(),
                f32::from(u8::from(parent.is_some())),
            ];
            ContextFeatures {
                values,
                has_post,
                has_parent: parent.is_some(),
            }
        })
        .collect()
}

/// Letters and capital letters in words of two or more letters (so "I" and
/// initials do not count as shouting).
fn caps(text: &str) -> (usize, usize) {
    let mut letters = 0;
    let mut capitals = 0;
    for word in text.split(|c: char| !c.is_alphabetic()) {
        if word.chars().nth(1).is_none() {
            continue;
        }
        for c in word.chars() {
            letters += 1;
            capitals += usize::from(c.is_uppercase());
        }
    }
    (letters, capitals)
}

/// Number of maximal runs of `c`.
fn count_runs(text: &str, c: char) -> usize {
    let mut runs = 0;
    let mut inside = false;
    for ch in text.chars() {
        if ch == c {
            runs += usize::from(!inside);
            inside = true;
        } else {
            inside = false;
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(features: &ContextFeatures, name: &str) -> f32 {
        let i = CONTEXT_FEATURE_NAMES
            .iter()
            .position(|n| *n == name)
            .unwrap();
        features.values[i]
    }

    #[test]
    fn names_are_unique_snake_case() {
        for (i, name) in CONTEXT_FEATURE_NAMES.iter().enumerate() {
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            assert!(!CONTEXT_FEATURE_NAMES[..i].contains(name));
        }
    }

    #[test]
    fn identity_terms_counts_groups_not_words() {
        assert_eq!(identity_terms("Muslims and Jews and musl1ms"), 3);
        assert_eq!(identity_terms("the black cat"), 0);
        assert_eq!(identity_terms(""), 0);
    }

    #[test]
    fn thread_features() {
        let view = ThreadView {
            post_title: Some("Council tax rises again"),
            post_text: Some("The council voted to raise council tax by five percent."),
            post_author: Some("Ted Jeory"),
            comments: vec![
                CommentView {
                    author: Some("Badger"),
                    parent: None,
                    text: "Council tax is already too high, why raise it?",
                },
                CommentView {
                    author: Some("Curious Cat"),
                    parent: Some(0),
                    text: "Badger, you are a nobody!!! Is this a husband and wife tiff?",
                },
                CommentView {
                    author: Some("Badger"),
                    parent: Some(1),
                    text: "> you are a nobody\nLOL, WHO ASKED YOU",
                },
                CommentView {
                    author: None,
                    parent: Some(99),
                    text: "",
                },
            ],
        };
        let f = context_features(&view);
        assert_eq!(f.len(), 4);
        assert!(value(&f[0], "sim_post") > 0.3);
        assert!(value(&f[1], "sim_post") < 0.1);
        assert_eq!(value(&f[1], "addresses_name"), 1.0);
        assert_eq!(value(&f[1], "parent_is_question"), 1.0);
        assert!(value(&f[1], "second_person") > 0.0);
        assert!(value(&f[1], "exclamation_runs") > 0.0);
        assert_eq!(value(&f[2], "answers_about_own_comment"), 1.0);
        assert!(value(&f[2], "quoted_share") > 0.3);
        assert!(value(&f[2], "caps_ratio") > 0.5);
        assert!(value(&f[2], "sim_parent") > 0.0);
        assert!(value(&f[2], "sim_thread") > 0.0);
        assert_eq!(value(&f[0], "sim_thread"), 0.0);
        assert_eq!(value(&f[3], "sim_thread"), 0.0);
        assert!(f[1].has_parent && f[1].has_post && !f[0].has_parent);
        // A parent index out of range is ignored, not a panic.
        assert!(!f[3].has_parent);
        assert!(f[3].values.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn no_post_no_comments() {
        assert!(context_features(&ThreadView::default()).is_empty());
        let view = ThreadView {
            comments: vec![CommentView {
                text: "hello",
                ..Default::default()
            }],
            ..Default::default()
        };
        let f = context_features(&view);
        assert!(!f[0].has_post);
        assert_eq!(value(&f[0], "sim_post"), 0.0);
    }
}
