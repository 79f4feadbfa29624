//! Dense, named features of a comment within its thread.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::analyse::{Analyser, Analysis, Kind, StemCache};
use crate::featuriser::Analysed;
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
pub const CONTEXT_FEATURES: usize = 22;

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
/// - `names_participant`: 1 when it names another participant (a
///   commenter of the thread or the post's author) anywhere, outside quotes.
/// - `person_attack_terms`: ln(1 + words and phrases that disparage a
///   person: "nobody", "troll", "deluded", "grow up"), outside quotes.
/// - `attacks_participant`: ln(1 + sentences that use such a word and
///   point at a participant: a second-person word or a participant's name).
/// - `labels_participant`: ln(1 + sentences that label a participant with
///   a noun: "you are simply a nobody", "LONDONER is just another ...").
/// - `phatic_share`: share of words that greet, thank, congratulate,
///   bless or laugh ("well done", "thanks", "lol").
/// - `promotion_terms`: ln(1 + words that advertise or point elsewhere:
///   "visit", "petition", "subscribe").
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
    "names_participant",
    "person_attack_terms",
    "attacks_participant",
    "labels_participant",
    "phatic_share",
    "promotion_terms",
];

/// Every context feature in plain words for moderators, as `(name,
/// description)` in the order of [`CONTEXT_FEATURE_NAMES`]: what the
/// feature says about a comment when it raises a score. Reasons and
/// explanations show the description, never the name. A feature added
/// without a description, or out of order, does not compile.
pub const CONTEXT_FEATURE_DESCRIPTIONS: [(&str, &str); CONTEXT_FEATURES] = [
    ("sim_post", "shares words with the post"),
    ("sim_parent", "shares words with the comment it answers"),
    ("sim_thread", "shares words with the rest of the thread"),
    ("second_person", "speaks to someone as “you”"),
    ("addresses_name", "opens by addressing someone by name"),
    ("names_post_author", "names the post's author"),
    ("quoted_share", "quotes other text"),
    ("links", "contains links"),
    ("caps_ratio", "uses capital letters"),
    ("exclamation_runs", "uses exclamation marks"),
    ("question_marks", "asks questions"),
    ("log_chars", "its length"),
    ("parent_is_question", "answers a question"),
    (
        "answers_about_own_comment",
        "answers a reply to its author's own comment",
    ),
    (
        "identity_terms",
        "mentions religious, ethnic or other groups",
    ),
    ("has_parent", "replies to another comment"),
    (
        "names_participant",
        "names another commenter or the post's author",
    ),
    ("person_attack_terms", "uses words that disparage a person"),
    (
        "attacks_participant",
        "aims disparaging words at someone in the thread",
    ),
    (
        "labels_participant",
        "labels someone in the thread (“you are a …”)",
    ),
    ("phatic_share", "greets, thanks or laughs"),
    ("promotion_terms", "advertises or sends readers elsewhere"),
];

const _: () = assert!(
    described_in_order(&CONTEXT_FEATURE_NAMES, &CONTEXT_FEATURE_DESCRIPTIONS),
    "CONTEXT_FEATURE_DESCRIPTIONS must describe CONTEXT_FEATURE_NAMES in order"
);

/// Whether `described` names exactly `names`, in order: for compile-time
/// checks that every feature has a description.
pub const fn described_in_order(names: &[&str], described: &[(&str, &str)]) -> bool {
    if names.len() != described.len() {
        return false;
    }
    let mut i = 0;
    while i < names.len() {
        if !same_str(names[i], described[i].0) || described[i].1.is_empty() {
            return false;
        }
        i += 1;
    }
    true
}

/// Where the context feature called `name` sits in
/// [`ContextFeatures::values`]; in a constant, a name that is not one does
/// not compile.
///
/// # Panics
/// When `name` is not in [`CONTEXT_FEATURE_NAMES`].
pub const fn context_feature_index(name: &str) -> usize {
    let mut i = 0;
    while i < CONTEXT_FEATURE_NAMES.len() {
        if same_str(CONTEXT_FEATURE_NAMES[i], name) {
            return i;
        }
        i += 1;
    }
    panic!("not a context feature")
}

/// String equality usable in constants.
const fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut k = 0;
    while k < a.len() {
        if a[k] != b[k] {
            return false;
        }
        k += 1;
    }
    true
}

/// The plain-words description of the context feature called `name`.
pub fn describe_context_feature(name: &str) -> Option<&'static str> {
    CONTEXT_FEATURE_DESCRIPTIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, description)| description)
}

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

thread_local! {
    /// This thread's stem cache for the default pipeline.
    static STEMS: RefCell<StemCache> = RefCell::new(StemCache::default());
}

/// Analyses `text` with the default pipeline into `out`.
fn analyse_default(text: &str, out: &mut Analysis) {
    STEMS.with(|stems| match stems.try_borrow_mut() {
        Ok(mut stems) => analyser().analyse(text, out, &mut stems),
        Err(_) => analyser().analyse(text, out, &mut StemCache::default()),
    })
}

/// Number of mentions of religious, ethnic, national, sexual-orientation
/// or gender groups ("muslims", "jews", "immigrants", "gays", "women"...),
/// also when obfuscated ("musl1ms"). A neutral lexicon, not slurs: context
/// for the thread model, not evidence of abuse on its own.
pub fn identity_terms(text: &str) -> usize {
    let mut analysis = Analysis::default();
    analyse_default(text, &mut analysis);
    count_identity_terms(&analysis)
}

/// [`identity_terms`] of `text`, read from its analysis `analysed` when the
/// featuriser that made it tokenises as the default settings do.
pub fn identity_terms_of(analysed: &Analysed, text: &str) -> usize {
    match analysed.default_tokens {
        true => count_identity_terms(&analysed.analysis),
        false => identity_terms(text),
    }
}

fn count_identity_terms(analysis: &Analysis) -> usize {
    analysis
        .tokens
        .iter()
        .filter(|t| t.kind == Kind::Word && t.lexicon & lexicon::IDENTITY != 0)
        .count()
}

/// What the thread-level features need from one document, borrowing its
/// words from the document's analysis.
struct Doc<'a> {
    /// Stem id → term frequency, stopwords left out.
    terms: Terms,
    /// Canonical words of the first few tokens.
    opening: Vec<&'a str>,
    words: usize,
    second_person: usize,
    quoted: usize,
    links: usize,
    mentions: usize,
    identity: usize,
    phatic: usize,
    promotion: usize,
    canon: Vec<&'a str>,
    /// The [`lexicon::flags`] of each word of `canon`.
    flags: Vec<lexicon::WordFlags>,
    /// Sentence number and quotedness of each word of `canon`.
    placement: Vec<(u32, bool)>,
    /// Second-person words of each sentence (outside quotes).
    sentence_second_person: Vec<u32>,
}

fn doc(analysis: &Analysis) -> Doc<'_> {
    let tokens = analysis.tokens.len();
    let mut doc = Doc {
        terms: Terms::default(),
        opening: Vec::with_capacity(4),
        words: 0,
        second_person: 0,
        quoted: 0,
        links: 0,
        mentions: 0,
        identity: count_identity_terms(analysis),
        phatic: 0,
        promotion: 0,
        canon: Vec::with_capacity(tokens),
        flags: Vec::with_capacity(tokens),
        placement: Vec::with_capacity(tokens),
        sentence_second_person: Vec::new(),
    };
    let mut sentence = 0u32;
    let mut term_ids = Vec::with_capacity(tokens);
    for (i, token) in analysis.tokens.iter().enumerate() {
        if token.break_before && i > 0 {
            sentence += 1;
        }
        let canon = analysis.canon(token);
        match token.kind {
            Kind::Url => doc.links += 1,
            Kind::User => doc.mentions += 1,
            Kind::Word | Kind::Number => {
                doc.words += 1;
                doc.quoted += usize::from(token.quoted);
                let flags = token.lexicon;
                doc.second_person += usize::from(flags & lexicon::SECOND_PERSON != 0);
                doc.phatic += usize::from(flags & lexicon::PHATIC != 0);
                doc.promotion += usize::from(flags & lexicon::PROMOTION != 0);
                if flags & lexicon::STOPWORD == 0 {
                    term_ids.push(token.id);
                }
            }
            Kind::Emoji => {}
        }
        if doc.opening.len() < 4 {
            doc.opening.push(canon);
        }
        if token.kind == Kind::Word {
            doc.canon.push(canon);
            doc.flags.push(token.lexicon);
            doc.placement.push((sentence, token.quoted));
            if !token.quoted && token.lexicon & lexicon::SECOND_PERSON != 0 {
                let at = sentence as usize;
                if doc.sentence_second_person.len() <= at {
                    doc.sentence_second_person.resize(at + 1, 0);
                }
                doc.sentence_second_person[at] += 1;
            }
        }
    }
    doc.terms = Terms::counted(term_ids);
    doc
}

/// A sparse vector over stem ids: `(id, value)` in increasing id order,
/// each id once.
#[derive(Clone, Debug, Default)]
struct Terms(Vec<(u64, f32)>);

impl Terms {
    /// Each id of `ids` with the number of times it occurs.
    fn counted(mut ids: Vec<u64>) -> Terms {
        ids.sort_unstable();
        let mut terms: Vec<(u64, f32)> = Vec::with_capacity(ids.len());
        for id in ids {
            match terms.last_mut() {
                Some((last, count)) if *last == id => *count += 1.0,
                _ => terms.push((id, 1.0)),
            }
        }
        Terms(terms)
    }

    /// The value of `id`, if it has one.
    fn get(&self, id: u64) -> Option<f32> {
        self.0
            .binary_search_by_key(&id, |&(t, _)| t)
            .ok()
            .map(|at| self.0[at].1)
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    /// The values, in id order.
    fn values(&self) -> impl Iterator<Item = f32> + '_ {
        self.0.iter().map(|&(_, x)| x)
    }
}

/// What one comment says about the people in its thread.
#[derive(Default)]
struct PersonFeatures {
    names_participant: bool,
    attack_terms: usize,
    attack_sentences: usize,
    labelling_sentences: usize,
}

/// Copulas after which a noun phrase labels the subject.
fn is_copula(word: &str) -> bool {
    matches!(word, "are" | "is" | "was" | "were" | "r" | "being")
}

/// Articles that open the labelling noun phrase ("a nobody").
fn is_article(word: &str) -> bool {
    matches!(word, "a" | "an" | "another" | "one")
}

/// Whether `words[at..]` labels someone with a noun: an optional copula
/// (absent after "you're"), hedges ("just", "simply"), then an article.
fn labels_with_noun(words: &[&str], at: usize, contracted: bool) -> bool {
    let mut i = at;
    if !contracted {
        if !words.get(i).is_some_and(|w| is_copula(w)) {
            return false;
        }
        i += 1;
    }
    let mut hedges = 0;
    while hedges < 3 && words.get(i).is_some_and(|w| lexicon::is_hedge(w)) {
        i += 1;
        hedges += 1;
    }
    words.get(i).is_some_and(|w| is_article(w))
}

/// The distinctive words of every participant's name, indexed once per
/// thread: which names each word belongs to.
struct Participants<'a> {
    /// Word → (the first name holding it, how many distinct names hold it).
    words: HashMap<&'a str, (&'a [String], usize)>,
}

impl<'a> Participants<'a> {
    fn new(names: impl Iterator<Item = &'a Vec<String>>) -> Self {
        let mut distinct: Vec<&[String]> =
            names.filter(|n| !n.is_empty()).map(Vec::as_slice).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let mut words: HashMap<&str, (&[String], usize)> = HashMap::new();
        for name in distinct {
            let mut seen: Vec<&str> = distinctive_name_words(name).collect();
            seen.sort_unstable();
            seen.dedup();
            for word in seen {
                words.entry(word).or_insert((name, 0)).1 += 1;
            }
        }
        Participants { words }
    }

    /// Whether `word` belongs to the name of a participant other than `me`.
    fn names_other_than(&self, word: &str, me: &[String]) -> bool {
        self.words
            .get(word)
            .is_some_and(|&(first, count)| count > 1 || first != me)
    }
}

/// Person-directed features of `doc`; `is_participant` tells whether a word
/// belongs to the name of another participant.
fn person_features(doc: &Doc, is_participant: impl Fn(&str) -> bool) -> PersonFeatures {
    let mut out = PersonFeatures::default();
    let sentences = doc.placement.last().map_or(0, |&(s, _)| s as usize + 1);
    let mut attack = vec![0u32; sentences];
    let mut named = vec![false; sentences];
    let mut labelling = vec![false; sentences];
    let words: &[&str] = &doc.canon;
    // Phrases and labels stay within one run of unquoted words of one
    // sentence: where each word's run ends, in one backward pass.
    let mut run_end = vec![words.len(); words.len()];
    for j in (0..words.len().saturating_sub(1)).rev() {
        run_end[j] = if doc.placement[j + 1] == doc.placement[j] {
            run_end[j + 1]
        } else {
            j + 1
        };
    }
    let mut i = 0;
    while i < words.len() {
        let (sentence, quoted) = doc.placement[i];
        let s = sentence as usize;
        if quoted {
            i += 1;
            continue;
        }
        let span = &words[i..run_end[i]];
        let w = words[i];
        let is_name = is_participant(w);
        if is_name {
            out.names_participant = true;
            named[s] = true;
        }
        let flags = doc.flags[i];
        if let Some(len) = lexicon::person_attack_phrase(span, flags) {
            attack[s] += 1;
            out.attack_terms += 1;
            i += len;
            continue;
        }
        if flags & lexicon::ATTACK_TERM != 0 {
            attack[s] += 1;
            out.attack_terms += 1;
        }
        let contracted = matches!(w, "you're" | "youre" | "ur");
        if (contracted || w == "you" || w == "u" || is_name)
            && labels_with_noun(span, 1, contracted)
        {
            labelling[s] = true;
        }
        i += 1;
    }
    for s in 0..sentences {
        let points = named[s] || doc.sentence_second_person.get(s).is_some_and(|&n| n > 0);
        out.attack_sentences += usize::from(points && attack[s] > 0);
        out.labelling_sentences += usize::from(labelling[s]);
    }
    out
}

/// Words of a participant's name distinctive enough to spot in a comment:
/// three letters or more, not a title or function word.
fn distinctive_name_words(name: &[String]) -> impl Iterator<Item = &str> {
    name.iter().map(String::as_str).filter(|w| {
        w.chars().count() >= 3
            && w.chars().all(char::is_alphabetic)
            && !lexicon::is_stopword(w)
            && !lexicon::is_second_person(w)
            && !matches!(
                *w,
                "mr" | "mrs" | "miss" | "dr" | "anonymous" | "anon" | "guest"
            )
    })
}

/// TF-IDF vectors (sublinear tf, smoothed idf) normalised to unit length.
fn tfidf(docs: &[Doc]) -> Vec<Terms> {
    let df = Terms::counted(
        docs.iter()
            .flat_map(|doc| doc.terms.0.iter().map(|&(t, _)| t))
            .collect(),
    );
    let n = docs.len() as f32;
    docs.iter()
        .map(|doc| {
            let mut v: Vec<(u64, f32)> = doc
                .terms
                .0
                .iter()
                .map(|&(t, tf)| {
                    let df = df.get(t).expect("every term is counted");
                    (t, (1.0 + tf.ln()) * (((1.0 + n) / (1.0 + df)).ln() + 1.0))
                })
                .collect();
            let norm = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|(_, x)| *x /= norm);
            }
            Terms(v)
        })
        .collect()
}

/// The sum of `vectors`, each term's values added in the order of the
/// vectors.
fn sum_terms(vectors: &[Terms]) -> Terms {
    let mut all: Vec<(u64, f32)> = vectors.iter().flat_map(|v| v.0.iter().copied()).collect();
    // Stable: a term's values stay in the order of the vectors.
    all.sort_by_key(|&(t, _)| t);
    let mut total: Vec<(u64, f32)> = Vec::with_capacity(all.len());
    for (t, x) in all {
        match total.last_mut() {
            Some((last, sum)) if *last == t => *sum += x,
            _ => total.push((t, 0.0 + x)),
        }
    }
    Terms(total)
}

fn cosine(a: &Terms, b: &Terms) -> f32 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small
        .0
        .iter()
        .filter_map(|&(t, x)| large.get(t).map(|y| x * y))
        .sum::<f32>()
        .clamp(0.0, 1.0)
}

/// Cosine similarity of unit vector `v` to `total - v`, where `total` has
/// squared norm `total_norm2`.
fn similarity_to_rest(v: &Terms, total: &Terms, total_norm2: f32) -> f32 {
    let self_norm2: f32 = v.values().map(|x| x * x).sum();
    let dot_total: f32 =
        v.0.iter()
            .filter_map(|&(t, x)| total.get(t).map(|y| x * y))
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
fn opens_with(opening: &[&str], name: &[String]) -> bool {
    if name.is_empty() {
        return false;
    }
    let skip = usize::from(
        opening
            .first()
            .is_some_and(|w| matches!(*w, "dear" | "hi" | "hello" | "hey" | "well")),
    );
    let rest = &opening[skip.min(opening.len())..];
    rest.len() >= name.len().min(2) && name.iter().zip(rest).all(|(n, w)| n == w)
}

/// Whether `words` mention `name` anywhere (its first word, or its whole).
fn mentions(words: &[&str], name: &[String]) -> bool {
    match name {
        [] => false,
        [one] => one.len() >= 3 && words.iter().any(|w| w == one),
        _ => words
            .windows(name.len())
            .any(|w| w.iter().zip(name).all(|(a, b)| a == b)),
    }
}

/// Whether `text` asks a question: a `?` after some words.
fn asks_question(text: &str) -> bool {
    text.trim_end().contains('?')
}

/// Context features of every comment of `view`, in order.
pub fn context_features(view: &ThreadView<'_>) -> Vec<ContextFeatures> {
    let analyses: Vec<Analysis> = view
        .comments
        .iter()
        .map(|c| {
            let mut analysis = Analysis::default();
            analyse_default(c.text, &mut analysis);
            analysis
        })
        .collect();
    features_of_docs(view, analyses.iter().map(doc).collect())
}

/// [`context_features`] of `view`, whose comments' texts `analysed` holds
/// analysed already (`analysed[i]` is `view.comments[i].text`): read from
/// those analyses when the featuriser that made them tokenises as the
/// default settings do, analysed again otherwise.
///
/// # Panics
///
/// When `analysed` and `view.comments` differ in length.
pub fn context_features_of(view: &ThreadView<'_>, analysed: &[Analysed]) -> Vec<ContextFeatures> {
    assert_eq!(
        analysed.len(),
        view.comments.len(),
        "one analysis per comment"
    );
    // Comments analysed by a featuriser with other token settings are
    // analysed again with the default ones.
    let again: Vec<Option<Analysis>> = view
        .comments
        .iter()
        .zip(analysed)
        .map(|(c, a)| {
            (!a.default_tokens).then(|| {
                let mut analysis = Analysis::default();
                analyse_default(c.text, &mut analysis);
                analysis
            })
        })
        .collect();
    let docs = analysed
        .iter()
        .zip(&again)
        .map(|(a, again)| doc(again.as_ref().unwrap_or(&a.analysis)))
        .collect();
    features_of_docs(view, docs)
}

/// Context features of every comment of `view`, whose documents are
/// `docs`.
fn features_of_docs(view: &ThreadView<'_>, comment_docs: Vec<Doc<'_>>) -> Vec<ContextFeatures> {
    let post_text = match (view.post_title, view.post_text) {
        (Some(title), Some(body)) => format!("{title}\n{body}"),
        (Some(one), None) | (None, Some(one)) => one.to_string(),
        (None, None) => String::new(),
    };
    let has_post = !post_text.trim().is_empty();
    let mut post = Analysis::default();
    analyse_default(&post_text, &mut post);
    let mut docs: Vec<Doc<'_>> = comment_docs;
    docs.push(doc(&post));
    let vectors = tfidf(&docs);
    let post_vector = &vectors[docs.len() - 1];
    // Sum of the comments' vectors: similarity to "the rest of the thread"
    // in linear time.
    let thread_total = sum_terms(&vectors[..view.comments.len()]);
    let thread_norm2: f32 = thread_total.values().map(|x| x * x).sum();
    let names: Vec<Vec<String>> = view
        .comments
        .iter()
        .map(|c| c.author.map(name_words).unwrap_or_default())
        .collect();
    let post_author = view.post_author.map(name_words).unwrap_or_default();
    let participants = Participants::new(std::iter::once(&post_author).chain(&names));
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
            let addresses = d.opening.first().is_some_and(|w| *w == "<user>")
                || std::iter::once(&post_author)
                    .chain(names.iter())
                    .any(|name| opens_with(&d.opening, name));
            let names_post_author = mentions(&d.canon, &post_author);
            let person = person_features(d, |w| participants.names_other_than(w, &names[i]));
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
                f32::from(u8::from(person.names_participant)),
                (person.attack_terms as f32).ln_1p(),
                (person.attack_sentences as f32).ln_1p(),
                (person.labelling_sentences as f32).ln_1p(),
                d.phatic as f32 / words,
                (d.promotion as f32).ln_1p(),
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
        features.values[context_feature_index(name)]
    }

    #[test]
    fn names_are_unique_snake_case() {
        for (i, name) in CONTEXT_FEATURE_NAMES.iter().enumerate() {
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            assert!(!CONTEXT_FEATURE_NAMES[..i].contains(name));
        }
    }

    #[test]
    fn descriptions_are_plain_words_one_per_feature() {
        for (i, (name, description)) in CONTEXT_FEATURE_DESCRIPTIONS.iter().enumerate() {
            assert_eq!(describe_context_feature(name), Some(*description));
            assert!(!description.contains('_'), "{name}: {description}");
            assert!(
                !CONTEXT_FEATURE_DESCRIPTIONS[..i]
                    .iter()
                    .any(|(_, d)| d == description),
                "{description} describes two features"
            );
        }
        assert_eq!(describe_context_feature("no_such_feature"), None);
        assert!(!described_in_order(
            &["sim_post", "links"],
            &[("sim_post", "a"), ("link", "b")]
        ));
        assert!(!described_in_order(&["sim_post"], &[("sim_post", "")]));
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

    fn person_view<'a>(texts: &[(&'a str, &'a str)]) -> Vec<ContextFeatures> {
        context_features(&ThreadView {
            post_title: Some("The council's budget"),
            post_text: Some("The mayor has cut the budget again."),
            post_author: Some("Jessica Asato"),
            comments: texts
                .iter()
                .map(|&(author, text)| CommentView {
                    author: Some(author),
                    parent: None,
                    text,
                })
                .collect(),
        })
    }

    #[test]
    fn attacks_on_participants_are_told_from_attacks_on_the_subject() {
        let f = person_view(&[
            ("Londoner", "The budget is too small."),
            ("Dan McCurry", "LONDONER is just another anonymous nobody."),
            ("Dave Roberts", "Dear Mr Smith, you are simply a nobody."),
            ("Ann", "Is that honestly the best you’ve got?"),
            ("Bob", "The mayor is a deluded fool. He has no idea."),
            (
                "Cat",
                "You are mistaken in your understanding of the budget.",
            ),
            ("Dee", "“You are a nobody” is no way to answer Jessica."),
        ]);
        let labels = |i: usize| value(&f[i], "labels_participant");
        let attacks = |i: usize| value(&f[i], "attacks_participant");
        assert!(labels(1) > 0.0 && attacks(1) > 0.0);
        assert_eq!(value(&f[1], "names_participant"), 1.0);
        assert!(labels(2) > 0.0 && attacks(2) > 0.0);
        assert!(attacks(3) > 0.0, "a phrase aimed at 'you'");
        // The post's subject, not a participant: disparaging words, no attack.
        assert!(value(&f[4], "person_attack_terms") > 0.0);
        assert_eq!(attacks(4), 0.0);
        assert_eq!(labels(4), 0.0);
        // A pointed rebuttal labels no one.
        assert_eq!(labels(5) + attacks(5), 0.0);
        // Quoting an attack to condemn it is not making it.
        assert_eq!(labels(6) + attacks(6), 0.0);
        assert_eq!(value(&f[6], "names_participant"), 1.0);
        assert_eq!(value(&f[0], "names_participant"), 0.0);
    }

    #[test]
    fn chit_chat_and_promotion() {
        let f = person_view(&[
            ("Ann", "Well done Peter, congratulations!"),
            ("Bob", "The budget cuts hit the libraries hardest."),
            ("Cat", "Please visit our site and sign the petition."),
        ]);
        assert!(value(&f[0], "phatic_share") > 0.5);
        assert_eq!(value(&f[1], "phatic_share"), 0.0);
        assert!(value(&f[2], "promotion_terms") > 1.0);
        assert_eq!(value(&f[1], "promotion_terms"), 0.0);
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
