//! The context layer: a few dense features per comment (lexical scores of
//! the comment, its parent and the same author's earlier comment in the
//! reply chain, the "conversation window", identity mentions and the
//! featuriser's context features) and one linfa-logistic model per label.

use linfa::traits::Fit;
use linfa::DatasetBase;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use referee_text::{
    context_feature_index, described_in_order, ContextFeatures, SparseVector, CONTEXT_FEATURES,
    CONTEXT_FEATURE_DESCRIPTIONS,
};
use serde::{Deserialize, Serialize};

use crate::error::{Result, TrainError};
use crate::lexical::sigmoid;
use crate::score::Label;
use crate::thread_features::ThreadFeatures;

/// Logits fed to the context layer are clipped to this magnitude.
const LOGIT_CLIP: f32 = 8.0;

/// Features of the context layer that referee-train derives itself, before
/// the featuriser's own context features.
const OWN_FEATURES: [&str; 19] = [
    "lexical abuse score",
    "lexical ad_hominem score",
    "lexical off_topic score",
    "most abusive sentence's score",
    "most ad_hominem sentence's score",
    "most off_topic sentence's score",
    "parent's abuse score",
    "parent's ad_hominem score",
    "parent's off_topic score",
    "own earlier comment's abuse score",
    "own earlier comment's ad_hominem score",
    "own earlier comment's off_topic score",
    "answers a question about own earlier comment",
    "conversation window abuse score",
    "names a group",
    "names a group after own abusive remark",
    "names a group answering a question about own abusive remark",
    "lexical abuse probability",
    "most abusive sentence's probability",
];

/// [`OWN_FEATURES`] in plain words for moderators, in the same order. The
/// neighbours' and the comment's own scores can push either way, so they
/// are told as measures ("how abusive ... reads"), not as claims. A feature
/// added without a description, or out of order, does not compile.
const OWN_FEATURE_DESCRIPTIONS: [(&str, &str); OWN_FEATURES.len()] = [
    ("lexical abuse score", "how abusive its words read"),
    (
        "lexical ad_hominem score",
        "how much its words attack a person",
    ),
    (
        "lexical off_topic score",
        "how far its words stray from the topic",
    ),
    (
        "most abusive sentence's score",
        "how abusive its worst sentence reads",
    ),
    (
        "most ad_hominem sentence's score",
        "how much its most pointed sentence attacks a person",
    ),
    (
        "most off_topic sentence's score",
        "how far its most off-topic sentence strays",
    ),
    (
        "parent's abuse score",
        "how abusive the comment it answers reads",
    ),
    (
        "parent's ad_hominem score",
        "how much the comment it answers attacks a person",
    ),
    (
        "parent's off_topic score",
        "how far the comment it answers strays from the topic",
    ),
    (
        "own earlier comment's abuse score",
        "how abusive its author's earlier comment in the exchange reads",
    ),
    (
        "own earlier comment's ad_hominem score",
        "how much its author's earlier comment in the exchange attacks a person",
    ),
    (
        "own earlier comment's off_topic score",
        "how far its author's earlier comment in the exchange strays",
    ),
    (
        "answers a question about own earlier comment",
        "answers a question about its author's earlier comment",
    ),
    (
        "conversation window abuse score",
        "how abusive the exchange it completes reads",
    ),
    ("names a group", "names a group"),
    (
        "names a group after own abusive remark",
        "names a group after its author's abusive remark",
    ),
    (
        "names a group answering a question about own abusive remark",
        "names a group when asked about its author's abusive remark",
    ),
    (
        "lexical abuse probability",
        "the chance its words alone are abusive",
    ),
    (
        "most abusive sentence's probability",
        "the chance its worst sentence alone is abusive",
    ),
];

const _: () = assert!(
    described_in_order(&OWN_FEATURES, &OWN_FEATURE_DESCRIPTIONS),
    "OWN_FEATURE_DESCRIPTIONS must describe OWN_FEATURES in order"
);

/// The features after the featuriser's, in plain words.
const PLACEMENT_FEATURES: [(&str, &str); 2] = [
    ("has a post", "is under a post"),
    ("has a parent", "answers another comment"),
];

/// How far a comment is from the topic the post sets, after the placement
/// features: the similarity off_topic is measured by, as one number.
const DISTANCE_FEATURES: [(&str, &str); 1] = [(
    "distance from the topic",
    "shares little with the post (or what it answers)",
)];

/// Where the probabilities of the comment's and its strongest sentence's
/// lexical abuse scores sit. With them beside the logits, the abuse layer
/// can bend the lexical score: the corpora disagree on how far a very
/// confident word model should be trusted.
const ABUSE_PROBABILITIES: usize = 17;

/// Where the comment's strongest sentence's lexical scores start: right
/// after its own three.
const SENTENCE_SCORES: usize = 3;

/// The leading features that are the comment's own lexical scores, whole
/// and strongest sentence (its n-grams' evidence already names them).
const LEXICAL_FEATURES: usize = 2 * SENTENCE_SCORES;

/// Context features that describe a comment's shape rather than what it
/// says or answers.
const STRUCTURAL: [&str; 5] = [
    "has a post",
    "has a parent",
    "has_parent",
    "log_chars",
    "sim_thread",
];

/// Context features that another feature's name already says as evidence.
const SAID_OTHERWISE: [&str; 1] = [
    // "answers a question about own earlier comment"
    "answers_about_own_comment",
];

/// The parent's and the own earlier comment's lexical logits.
const NEIGHBOUR_SCORES: std::ops::Range<usize> = LEXICAL_FEATURES..LEXICAL_FEATURES + 6;

/// The scores of a comment's neighbours that abuse and ad_hominem do not
/// read (see [`reads`]).
const NEIGHBOUR_SCORE_NAMES: [&str; 5] = [
    "parent's abuse score",
    "parent's ad_hominem score",
    "own earlier comment's abuse score",
    "own earlier comment's ad_hominem score",
    "conversation window abuse score",
];

/// Features of where a comment sits in its thread, which neither abuse nor
/// ad_hominem reads (see [`reads`]).
const THREAD_PLACEMENT: [&str; 8] = [
    "sim_post",
    "sim_parent",
    "sim_thread",
    "names_post_author",
    "parent_is_question",
    "answers_about_own_comment",
    "names_participant",
    "answers a question about own earlier comment",
];

/// Whether a context feature with `value` may be named as evidence for a
/// flag: not the comment's own lexical scores (its n-grams say that
/// better), not its shape, and a neighbour's score only when that
/// neighbour leans to the label itself. A clean parent's very negative
/// logit times a negative coefficient adds to the score, but "parent's
/// abuse score" would read as if the parent were abusive.
pub fn is_evidence(name: &str, value: f32) -> bool {
    !OWN_FEATURES[..LEXICAL_FEATURES].contains(&name)
        && !OWN_FEATURES[ABUSE_PROBABILITIES..].contains(&name)
        && !SAID_OTHERWISE.contains(&name)
        && may_name(name, value)
}

/// Whether a context feature with `value` may be named for a flag at all,
/// when nothing better explains it: not the comment's shape (a length
/// or the mere presence of a parent says nothing about what it says), nor
/// a neighbour's score that leans away from the label.
pub fn may_name(name: &str, value: f32) -> bool {
    !STRUCTURAL.contains(&name) && (!OWN_FEATURES[NEIGHBOUR_SCORES].contains(&name) || value > 0.0)
}

/// How much one logit of `label`'s lexical layer moves the final logit
/// through `layer` for a comment whose lexical logit is `logit`: the
/// coefficients of the comment's own lexical score and of its strongest
/// sentence's, and for abuse those of their probabilities at `logit`.
pub fn word_scale(layer: &ContextLayer, label: Label, logit: f32) -> f32 {
    let c = &layer.coefficients;
    let linear = c[label.index()] + c[SENTENCE_SCORES + label.index()];
    if label != Label::Abuse {
        return linear;
    }
    let p = sigmoid(clip(logit) as f64) as f32;
    linear + (c[ABUSE_PROBABILITIES] + c[ABUSE_PROBABILITIES + 1]) * p * (1.0 - p)
}

/// The name of the distance from the topic, which [`unrelated`] says more
/// precisely when it applies.
pub const DISTANCE_FEATURE: &str = DISTANCE_FEATURES[0].0;

/// Below this TF-IDF cosine similarity a comment shares little with a
/// post, a parent or the rest of a thread.
const LOW_SIMILARITY: f32 = 0.05;

/// What a comment shares little with, as evidence for off_topic: the post
/// (when there is one), its parent (when it has one) and the rest of the
/// thread (when there is more of it).
pub fn unrelated(features: &ContextFeatures, thread_len: usize) -> Vec<String> {
    [
        (features.has_post, SIM_POST, "shares little with the post"),
        (
            features.has_parent,
            SIM_PARENT,
            "shares little with its parent",
        ),
        (thread_len > 1, SIM_THREAD, "shares little with the thread"),
    ]
    .into_iter()
    .filter(|&(applies, j, _)| applies && features.values[j] < LOW_SIMILARITY)
    .map(|(_, _, why)| why.to_string())
    .collect()
}

/// The features the off_topic layer reads: its own lexical score, how much
/// the comment shares with the post, its parent and the thread, and the
/// marks of advertising and greetings. Its training positives are mostly
/// transplants, which differ from real off-topic comments in everything but
/// their context (quoting, questions, who answers whom, and length: moved
/// arguments are long, real asides short), so the other features would
/// learn how transplants are made.
const OFF_TOPIC_READS: [&str; 10] = [
    "lexical off_topic score",
    "distance from the topic",
    "sim_post",
    "sim_parent",
    "sim_thread",
    "links",
    "phatic_share",
    "promotion_terms",
    "has a post",
    "has a parent",
];

/// Per label, the features the context layer may weigh freely: the
/// comment's own lexical evidence, for abuse the naming of a group to make
/// the author's own remark explicit (what words alone cannot show), and
/// for off_topic its distance from the topic (which [`DISTANCE_SCALE`]
/// tempers) and its share of greetings and thanks (the chit-chat
/// LABELLING.md calls off topic, which the corpora's transplants never
/// show). Every other feature's coefficient is shrunk
/// hard towards zero, so that a thread unlike the training threads moves a
/// score only modestly away from what the comment's words say.
pub fn is_anchor(label: Label, name: &str) -> bool {
    own_lexical(label, name)
        || match label {
            Label::Abuse => matches!(
                name,
                "names a group after own abusive remark"
                    | "names a group answering a question about own abusive remark"
            ),
            Label::AdHominem => false,
            Label::OffTopic => matches!(
                name,
                "distance from the topic" | "has a post" | "has a parent" | "phatic_share"
            ),
        }
}

/// Whether `name` is one of `label`'s own lexical features: the comment's
/// and its strongest sentence's scores (and for abuse their
/// probabilities).
fn own_lexical(label: Label, name: &str) -> bool {
    match label {
        Label::Abuse => matches!(
            name,
            "lexical abuse score"
                | "most abusive sentence's score"
                | "lexical abuse probability"
                | "most abusive sentence's probability"
        ),
        Label::AdHominem => matches!(
            name,
            "lexical ad_hominem score" | "most ad_hominem sentence's score"
        ),
        Label::OffTopic => matches!(
            name,
            "lexical off_topic score" | "most off_topic sentence's score"
        ),
    }
}

/// Whether `label`'s context layer reads the feature called `name`; the
/// coefficients of the others stay zero.
///
/// Only abuse reads the lexical probabilities (for ad_hominem they only
/// added noise). Abuse does not read `person_attack_terms`: that lexicon
/// marks ad hominem ("naive", "no idea", "grow up"), mostly civil words
/// whose abusive uses the lexical layer already weighs one by one.
///
/// Neither abuse nor ad_hominem reads whether a comment has a post or a
/// parent: which corpora come with threads decides those coefficients
/// (every CAT-LARGE reply is a negative, every tweet stands alone), not
/// anything about the comment. Nor do they read off-topic scores, the
/// distance from the topic, or the scores of the comment's neighbours
/// (its parent, its author's earlier comment, the exchange it completes):
/// held out of training, those ranked CAT-LARGE abuse and ChangeMyView ad
/// hominem the wrong way round (abusive replies there answer civil
/// comments), and made the text alone the better judge. The author's
/// earlier remark still counts where words alone cannot show abuse: in
/// the naming of a group after it.
///
/// Neither reads anything of where a comment sits in its thread either
/// (what it shares with the post or parent, whether it answers a question
/// or a reply to its author, whether it names a participant): on threads
/// held out of training those made them worse than the comment's own
/// words (CAT-LARGE abuse, ChangeMyView ad hominem). The group anchors
/// carry what abuse needs of the thread.
pub fn reads(label: Label, name: &str) -> bool {
    let shape = matches!(name, "has a post" | "has a parent" | "has_parent");
    // How far a comment or its neighbours stray says nothing about abuse or
    // attacks; read by those layers, it only learns how the synthetic
    // exchanges were put together.
    let straying = name.contains("off_topic") || name == "distance from the topic";
    if label != Label::OffTopic && straying {
        return false;
    }
    if label != Label::OffTopic && NEIGHBOUR_SCORE_NAMES.contains(&name) {
        return false;
    }
    match label {
        Label::OffTopic => OFF_TOPIC_READS.contains(&name),
        Label::AdHominem => {
            !shape
                && !OWN_FEATURES[ABUSE_PROBABILITIES..].contains(&name)
                && !THREAD_PLACEMENT.contains(&name)
        }
        Label::Abuse => {
            !shape && name != "person_attack_terms" && !THREAD_PLACEMENT.contains(&name)
        }
    }
}

/// Number of features of the context layer.
pub fn dimension() -> usize {
    OWN_FEATURES.len() + CONTEXT_FEATURES + PLACEMENT_FEATURES.len() + DISTANCE_FEATURES.len()
}

/// Every context-layer feature as `(name, description)`, in vector order.
fn features() -> impl Iterator<Item = (&'static str, &'static str)> {
    OWN_FEATURE_DESCRIPTIONS
        .into_iter()
        .chain(CONTEXT_FEATURE_DESCRIPTIONS)
        .chain(PLACEMENT_FEATURES)
        .chain(DISTANCE_FEATURES)
}

/// The names of every context-layer feature, in vector order: how the
/// model file and the code refer to them.
pub fn feature_names() -> Vec<String> {
    features().map(|(name, _)| name.to_string()).collect()
}

/// Every context-layer feature in plain words, in vector order: how
/// reasons and explanations show them. Built once.
pub fn feature_descriptions() -> &'static [&'static str] {
    static DESCRIPTIONS: std::sync::LazyLock<Vec<&'static str>> =
        std::sync::LazyLock::new(|| features().map(|(_, description)| description).collect());
    &DESCRIPTIONS
}

fn clip(z: f32) -> f32 {
    z.clamp(-LOGIT_CLIP, LOGIT_CLIP)
}

/// The lexical layer's logits of one thread, per label.
#[derive(Clone, Debug, Default)]
pub struct ThreadLogits {
    /// Every comment's.
    pub comments: Vec<[f32; 3]>,
    /// The highest of each comment's sentences, per label (the comment's
    /// own for a comment of one sentence).
    pub sentence_max: Vec<[f32; 3]>,
    /// The abuse logit of each comment's conversation window.
    pub windows: Vec<Option<f32>>,
    /// The chance each comment holds an abusive remark ([`remark_abuse`]).
    pub remarks: Vec<f32>,
}

impl ThreadLogits {
    /// Logits of a thread from one function scoring a sparse row for the
    /// three labels.
    pub fn new(features: &ThreadFeatures, decide: impl Fn(&SparseVector) -> [f32; 3]) -> Self {
        let comments = features.rows.iter().map(&decide).collect();
        let sentences = features.sentences.iter().map(|s| s.iter().map(&decide));
        let windows = features
            .windows
            .iter()
            .map(|w| w.as_ref().map(|w| decide(w)[0]))
            .collect();
        Self::from_logits(comments, sentences, windows)
    }

    /// Logits of a thread from every comment's, each comment's sentences'
    /// (none for a comment of one sentence) and each conversation window's
    /// abuse logit: how scoring and training alike derive the strongest
    /// sentence and the chance of an abusive remark.
    pub fn from_logits<S: IntoIterator<Item = [f32; 3]>>(
        comments: Vec<[f32; 3]>,
        sentences: impl IntoIterator<Item = S>,
        windows: Vec<Option<f32>>,
    ) -> Self {
        // Each sentence is scored once: its logits give the strongest
        // sentence per label and the chance of an abusive remark.
        let mut logits = Vec::new();
        let (sentence_max, remarks) = sentences
            .into_iter()
            .zip(&comments)
            .map(|(sentences, &own)| {
                logits.clear();
                logits.extend(sentences);
                (
                    max_over(logits.iter().copied(), own),
                    remark_abuse(logits.iter().map(|z| z[0]), own[0]),
                )
            })
            .unzip();
        ThreadLogits {
            comments,
            sentence_max,
            windows,
            remarks,
        }
    }
}

/// The label-wise maximum of `scores`, or `otherwise` when there are none.
fn max_over(scores: impl Iterator<Item = [f32; 3]>, otherwise: [f32; 3]) -> [f32; 3] {
    scores
        .reduce(|a, b| [0, 1, 2].map(|l| a[l].max(b[l])))
        .unwrap_or(otherwise)
}

/// The chance that a comment holds an abusive remark, from the abuse logits
/// of its sentences (its `own` when it has none): at least one of its two
/// most abusive sentences is abusive, as if they were independent. A sneer
/// spread over two sentences counts for more than either alone.
fn remark_abuse(sentences: impl Iterator<Item = f32>, own: f32) -> f32 {
    let (mut first, mut second) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
    for z in sentences {
        if z > first {
            second = first;
            first = z;
        } else if z > second {
            second = z;
        }
    }
    let p = |z: f32| sigmoid(clip(z) as f64) as f32;
    if first == f32::NEG_INFINITY {
        return p(own);
    }
    let first = p(first.max(own));
    let second = if second == f32::NEG_INFINITY {
        0.0
    } else {
        p(second)
    };
    1.0 - (1.0 - first) * (1.0 - second)
}

/// Builds the dense context vector of comment `i` from its thread's
/// lexical logits.
pub fn vector(features: &ThreadFeatures, i: usize, lexical: &ThreadLogits) -> Vec<f32> {
    let logits = &lexical.comments;
    let window = lexical.windows[i];
    let mut v = Vec::with_capacity(dimension());
    v.extend(logits[i].iter().map(|&z| clip(z)));
    v.extend(lexical.sentence_max[i].iter().map(|&z| clip(z)));
    match features.parent[i] {
        Some(p) => v.extend(logits[p].iter().map(|&z| clip(z))),
        None => v.extend([0.0; 3]),
    }
    match features.own_earlier[i] {
        Some(e) => v.extend(logits[e].iter().map(|&z| clip(z))),
        None => v.extend([0.0; 3]),
    }
    let answers = features.window_applies(i);
    v.push(answers as u8 as f32);
    let window_p = match (answers, window) {
        (true, Some(z)) => sigmoid(z as f64) as f32,
        _ => 0.0,
    };
    v.push(window_p);
    let names_group = (features.identity[i] > 0) as u8 as f32;
    v.push(names_group);
    // The earlier remark counts by its most abusive sentences: a sneer in
    // a longer comment is not averaged away.
    let earlier_abuse = features.own_earlier[i]
        .map(|e| lexical.remarks[e])
        .unwrap_or(0.0);
    v.push(names_group * earlier_abuse);
    v.push(names_group * window_p);
    v.push(sigmoid(clip(logits[i][0]) as f64) as f32);
    v.push(sigmoid(clip(lexical.sentence_max[i][0]) as f64) as f32);
    v.extend_from_slice(&features.context[i].values);
    v.push(features.context[i].has_post as u8 as f32);
    v.push(features.context[i].has_parent as u8 as f32);
    v.push(distance(&features.context[i], features.rows.len()));
    debug_assert_eq!(v.len(), dimension());
    v
}

/// 1 − a comment's similarity to what sets its topic: the post; without
/// one, the comment it answers; without either, the rest of the thread.
/// 0 for a comment alone, which nothing can show to stray.
fn distance(features: &ContextFeatures, thread_len: usize) -> f32 {
    let reference = if features.has_post {
        features.values[SIM_POST]
    } else if features.has_parent {
        features.values[SIM_PARENT]
    } else if thread_len > 1 {
        features.values[SIM_THREAD]
    } else {
        return 0.0;
    };
    1.0 - reference.clamp(0.0, 1.0)
}

/// Scale of the distance from the topic while fitting: the transplants
/// that teach off_topic are told apart by it alone, and at full scale it
/// would call every short comment that shares few words with a post off
/// topic. Half scale, because the off_topic words, held as strongly as
/// they are, say less than the distance does (at a quarter, scoring blog
/// threads in context fell below scoring their text alone).
const DISTANCE_SCALE: f64 = 0.5;

/// Where the featuriser's similarities to the post, the parent and the
/// rest of the thread sit in its values, found when compiling.
const SIM_POST: usize = context_feature_index("sim_post");
const SIM_PARENT: usize = context_feature_index("sim_parent");
const SIM_THREAD: usize = context_feature_index("sim_thread");

/// The least L2 penalty on the summed loss of a context layer: a refit on a
/// few hundred hand labels keeps it, so that a couple of new labels move the
/// layer's coefficients no more than the labels warrant.
const MIN_PENALTY: f64 = 1.0;

/// Hyperparameters of the context layer.
#[derive(Clone, Debug, PartialEq)]
pub struct ContextParams {
    alpha: f64,
    shrink: f64,
    max_iterations: u64,
}

impl Default for ContextParams {
    fn default() -> Self {
        ContextParams {
            alpha: 1e-4,
            shrink: 0.05,
            max_iterations: 200,
        }
    }
}

impl ContextParams {
    /// L2 penalty per training row (default `1e-4`): linfa-logistic's
    /// penalty on the summed loss is this times the number of rows (at
    /// least 1), so the strength does not fade as the training set grows.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }

    /// Scale of the features that are not a label's anchors (see
    /// [`is_anchor`]) while fitting (default 0.05): their coefficients are
    /// penalised `1 / shrink²` times as hard as the anchors'.
    pub fn shrink(mut self, shrink: f64) -> Self {
        self.shrink = shrink;
        self
    }

    /// Maximum L-BFGS iterations (default 200).
    pub fn max_iterations(mut self, n: u64) -> Self {
        self.max_iterations = n;
        self
    }
}

/// One label's fitted context layer: the probability of the label is
/// `sigmoid(intercept + coefficients · x)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContextLayer {
    /// One coefficient per context feature.
    pub coefficients: Vec<f32>,
    /// The bias term.
    pub intercept: f32,
}

impl ContextLayer {
    /// The logit of one context vector.
    pub fn logit(&self, x: &[f32]) -> f32 {
        self.intercept
            + self
                .coefficients
                .iter()
                .zip(x)
                .map(|(c, v)| c * v)
                .sum::<f32>()
    }

    /// The probability of the label for one context vector.
    pub fn probability(&self, x: &[f32]) -> f32 {
        sigmoid(self.logit(x) as f64) as f32
    }

    /// Fits `label`'s layer on rows of context vectors with boolean
    /// targets, reading only the features [`reads`] allows. Whole-number
    /// weights repeat rows (linfa-logistic takes no sample weights).
    ///
    /// A feature whose coefficient comes out against its [`direction`] is
    /// dropped and the layer refitted, until every coefficient agrees: the
    /// training sources may not teach, say, that sharing words with the
    /// post makes a comment more off-topic.
    pub fn fit(
        params: &ContextParams,
        label: Label,
        rows: &[Vec<f32>],
        targets: &[bool],
        repeats: &[usize],
    ) -> Result<ContextLayer> {
        if !targets.iter().any(|&t| t) || targets.iter().all(|&t| t) {
            return Err(TrainError::Data(
                "the context layer needs both positive and negative examples".into(),
            ));
        }
        let names = feature_names();
        let mut columns: Vec<usize> = (0..names.len())
            .filter(|&j| reads(label, &names[j]))
            .collect();
        loop {
            let layer = fit_columns(params, label, &columns, rows, targets, repeats)?;
            let against = |j: &usize| {
                direction(label, &names[*j]).is_some_and(|sign| layer.coefficients[*j] * sign < 0.0)
            };
            if !columns.iter().any(against) {
                return Ok(layer);
            }
            columns.retain(|j| !against(j));
        }
    }
}

/// The sign a feature's coefficient must have in `label`'s layer, where
/// the meaning of the feature fixes it: a label's own lexical evidence
/// raises it; for off_topic, sharing words with the post, the parent or
/// the thread lowers it while advertising and greetings raise it.
pub fn direction(label: Label, name: &str) -> Option<f32> {
    if own_lexical(label, name) {
        return Some(1.0);
    }
    match (label, name) {
        (Label::OffTopic, "sim_post" | "sim_parent" | "sim_thread") => Some(-1.0),
        (
            Label::OffTopic,
            "promotion_terms" | "phatic_share" | "links" | "distance from the topic",
        ) => Some(1.0),
        _ => None,
    }
}

/// Fits `label`'s layer on the feature `columns` alone.
fn fit_columns(
    params: &ContextParams,
    label: Label,
    columns: &[usize],
    rows: &[Vec<f32>],
    targets: &[bool],
    repeats: &[usize],
) -> Result<ContextLayer> {
    let names = feature_names();
    let scale: Vec<f64> = columns
        .iter()
        .map(|&j| match names[j].as_str() {
            "distance from the topic" => DISTANCE_SCALE,
            name if is_anchor(label, name) => 1.0,
            _ => params.shrink,
        })
        .collect();
    let n: usize = repeats.iter().sum();
    let mut x = Array2::<f64>::zeros((n, columns.len()));
    let mut y = Vec::with_capacity(n);
    let mut r = 0;
    for ((row, &t), &k) in rows.iter().zip(targets).zip(repeats) {
        for _ in 0..k {
            for (c, &j) in columns.iter().enumerate() {
                x[[r, c]] = row[j] as f64 * scale[c];
            }
            y.push(t);
            r += 1;
        }
    }
    let data = DatasetBase::new(x, Array1::from(y));
    let fitted = LogisticRegression::default()
        .alpha((params.alpha * n as f64).max(MIN_PENALTY))
        .max_iterations(params.max_iterations)
        .fit(&data)
        .map_err(|e| TrainError::Optimiser(e.to_string()))?;
    // linfa-logistic calls one of the two classes "positive" by its own
    // rule; its probabilities refer to that class, so flip when it is
    // `false`.
    let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
    let mut coefficients = vec![0.0; dimension()];
    for ((&j, &c), &k) in columns.iter().zip(fitted.params()).zip(&scale) {
        coefficients[j] = (sign * c * k) as f32;
    }
    Ok(ContextLayer {
        coefficients,
        intercept: (sign * fitted.intercept()) as f32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minority_positives_get_high_probability() {
        // 1 positive in 10: linfa-logistic's "positive" class is then `false`.
        let d = dimension();
        let mut rows = Vec::new();
        let mut targets = Vec::new();
        for i in 0..100 {
            let positive = i % 10 == 0;
            let mut row = vec![0.0; d];
            row[0] = if positive { 2.0 } else { -2.0 } + (i % 7) as f32 * 0.1;
            rows.push(row);
            targets.push(positive);
        }
        let repeats = vec![1; rows.len()];
        let layer = ContextLayer::fit(
            &ContextParams::default(),
            Label::Abuse,
            &rows,
            &targets,
            &repeats,
        )
        .unwrap();
        for (row, &t) in rows.iter().zip(&targets) {
            assert_eq!(layer.probability(row) > 0.5, t);
        }
    }

    #[test]
    fn a_remark_counts_by_its_two_most_abusive_sentences() {
        let p = |z: f64| sigmoid(z) as f32;
        let close = |a: f32, b: f32| (a - b).abs() < 1e-6;
        // One sentence, or none: its own chance.
        assert!(close(remark_abuse([1.0].into_iter(), -3.0), p(1.0)));
        assert!(close(remark_abuse(std::iter::empty(), -2.0), p(-2.0)));
        // Two even sentences: either may be the abusive one.
        assert!(close(remark_abuse([0.0, 0.0].into_iter(), -1.0), 0.75));
        // A third, weaker sentence adds nothing.
        assert!(close(
            remark_abuse([0.0, -6.0, 0.0].into_iter(), -1.0),
            0.75
        ));
        // A sneer spread over two sentences counts for more than either.
        let spread = remark_abuse([-1.0, -1.5, -3.0].into_iter(), -2.0);
        assert!(spread > p(-1.0) && spread < p(-1.0) + p(-1.5), "{spread}");
    }

    #[test]
    fn naming_a_group_after_an_abusive_remark_reads_the_remark() {
        let featuriser = referee_text::Featuriser::new(referee_text::ValidFeatureParams::default());
        let comment =
            |id: &str, author: &str, parent: Option<&str>, text: &str| referee_thread::Comment {
                id: id.into(),
                author: Some(author.into()),
                parent: parent.map(str::to_string),
                text: text.into(),
                ..Default::default()
            };
        let thread = referee_thread::Thread {
            id: "t".into(),
            title: Some("Market fees".into()),
            comments: vec![
                comment("a1", "X", None, "Long remark. Sneer at them!"),
                comment("a2", "Y", Some("a1"), "Who do you mean?"),
                comment("a3", "X", Some("a2"), "Muslims, obviously."),
            ],
            ..Default::default()
        };
        let features = ThreadFeatures::new(&featuriser, &thread);
        assert_eq!(features.own_earlier[2], Some(0));
        let remark = remark_abuse([-3.0, 1.0].into_iter(), -3.0);
        let lexical = ThreadLogits {
            comments: vec![[-3.0, 0.0, 0.0], [-4.0, 0.0, 0.0], [-4.0, 0.0, 0.0]],
            sentence_max: vec![[1.0, 0.0, 0.0], [-4.0, 0.0, 0.0], [-4.0, 0.0, 0.0]],
            windows: vec![None, None, None],
            remarks: vec![remark, 0.02, 0.02],
        };
        let names = feature_names();
        let at = |name: &str| names.iter().position(|n| n == name).unwrap();
        let v = vector(&features, 2, &lexical);
        assert_eq!(v[at("names a group")], 1.0);
        assert_eq!(v[at("names a group after own abusive remark")], remark);
        // The question's author names no group: nothing to read.
        let v = vector(&features, 1, &lexical);
        assert_eq!(v[at("names a group after own abusive remark")], 0.0);
    }

    #[test]
    fn a_clean_neighbour_is_no_evidence() {
        assert!(!is_evidence("parent's abuse score", -5.0));
        assert!(is_evidence("parent's abuse score", 2.0));
        assert!(!is_evidence("own earlier comment's ad_hominem score", -1.0));
        assert!(is_evidence("names a group after own abusive remark", 0.4));
        assert!(!is_evidence("lexical abuse score", 3.0));
        assert!(!is_evidence("has a parent", 1.0));
        assert!(!is_evidence("answers_about_own_comment", 1.0));
    }

    #[test]
    fn abuse_and_attacks_are_judged_on_what_a_comment_says() {
        let names = feature_names();
        for name in NEIGHBOUR_SCORE_NAMES.iter().chain(&THREAD_PLACEMENT) {
            assert!(names.iter().any(|n| n == name), "{name} is a feature");
        }
        for name in NEIGHBOUR_SCORE_NAMES {
            assert!(!reads(Label::Abuse, name) && !reads(Label::AdHominem, name));
        }
        for name in THREAD_PLACEMENT {
            assert!(
                !reads(Label::Abuse, name) && !reads(Label::AdHominem, name),
                "{name}"
            );
        }
        // The author's earlier remark still counts when a group is named
        // after it or when asked about it, and both still read whom the
        // words are aimed at.
        assert!(reads(
            Label::Abuse,
            "names a group after own abusive remark"
        ));
        assert!(reads(
            Label::Abuse,
            "names a group answering a question about own abusive remark"
        ));
        assert!(reads(Label::Abuse, "attacks_participant"));
        assert!(reads(Label::AdHominem, "attacks_participant"));
        assert!(reads(Label::AdHominem, "second_person"));
    }

    #[test]
    fn unrelated_names_only_what_applies() {
        let mut f = ContextFeatures {
            values: [0.0; CONTEXT_FEATURES],
            has_post: true,
            has_parent: false,
        };
        assert_eq!(
            unrelated(&f, 1),
            ["shares little with the post"],
            "no parent, no other comments"
        );
        f.has_parent = true;
        f.values[0] = 0.3; // sim_post
        assert_eq!(
            unrelated(&f, 5),
            [
                "shares little with its parent",
                "shares little with the thread"
            ]
        );
    }

    #[test]
    fn names_match_dimension() {
        assert_eq!(feature_names().len(), dimension());
        assert_eq!(feature_descriptions().len(), dimension());
    }

    #[test]
    fn every_feature_has_its_own_plain_description() {
        let descriptions = feature_descriptions();
        for (i, description) in descriptions.iter().enumerate() {
            assert!(
                !description.is_empty() && !description.contains('_'),
                "{description:?}"
            );
            assert!(
                !descriptions[..i].contains(description),
                "{description} describes two features"
            );
        }
    }

    #[test]
    fn each_layer_reads_only_its_features() {
        let names = feature_names();
        for name in OFF_TOPIC_READS {
            assert!(names.iter().any(|n| n == name), "{name} is a feature");
        }
        let d = dimension();
        let mut rows = Vec::new();
        let mut targets = Vec::new();
        for i in 0..40 {
            let positive = i % 2 == 0;
            // Every feature separates the classes; off_topic may use only
            // its own.
            rows.push(vec![if positive { 1.0 } else { -1.0 }; d]);
            targets.push(positive);
        }
        let repeats = vec![1; rows.len()];
        let params = ContextParams::default();
        let layer = ContextLayer::fit(&params, Label::OffTopic, &rows, &targets, &repeats).unwrap();
        for (name, &c) in names.iter().zip(&layer.coefficients) {
            // Similarities may only lower off_topic: rising with the
            // classes here, they are dropped.
            let against = direction(Label::OffTopic, name) == Some(-1.0);
            assert_eq!(
                c != 0.0,
                OFF_TOPIC_READS.contains(&name.as_str()) && !against,
                "{name}"
            );
        }
        assert_eq!(direction(Label::OffTopic, "sim_post"), Some(-1.0));
        for label in [Label::Abuse, Label::AdHominem] {
            let layer = ContextLayer::fit(&params, label, &rows, &targets, &repeats).unwrap();
            for (name, &c) in names.iter().zip(&layer.coefficients) {
                assert_eq!(c != 0.0, reads(label, name), "{label}: {name}");
            }
        }
        assert!(!reads(Label::Abuse, "person_attack_terms"));
        assert!(reads(Label::AdHominem, "person_attack_terms"));
        assert!(reads(Label::Abuse, "lexical abuse probability"));
        assert!(!reads(Label::AdHominem, "lexical abuse probability"));
    }
}
