//! Hashed word and character n-gram vectors, and their explanations.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use std::ops::Range;

use crate::analyse::{Analyser, Analysis, Kind, StemCache, Token};
use crate::hash::Fnv;
use crate::lexicon;
use crate::params::{ValidFeatureParams, MAX_BITS, MAX_WORD_NGRAM};
use crate::sparse::{self, SparseVector};
use crate::tokenise::{self, RawToken};

/// Feature namespaces: the first byte hashed, so that equal strings in
/// different roles land in different buckets. Quoted text has its own.
const NS_WORD: u8 = b'w';
const NS_WORD_QUOTED: u8 = b'W';
const NS_NGRAM: u8 = b'n';
const NS_NGRAM_QUOTED: u8 = b'N';
const NS_CHAR: u8 = b'c';
const NS_CHAR_QUOTED: u8 = b'C';
const NS_SHOUT: u8 = b's';
const NS_OBFUSCATED: u8 = b'o';
const NS_NAME_CALLING: u8 = b'i';
/// Words about an act rather than aimed at anyone (`act_words`).
const NS_WORD_ACT: u8 = b'a';
const NS_NGRAM_ACT: u8 = b'A';
const NS_CHAR_ACT: u8 = b'x';
/// Word boundary markers around a word for character n-grams.
const WORD_START: u8 = 0x02;
const WORD_END: u8 = 0x03;

/// Turns comment text into hashed sparse feature vectors.
///
/// Cheap to share across threads (`Send + Sync`); per-call buffers live in
/// a [`Scratch`], and a comment analysed once lives in an [`Analysed`].
pub struct Featuriser {
    analyser: Analyser,
    /// Whether this featuriser's tokens are those of the default settings,
    /// which the context features read.
    default_tokens: bool,
    /// The name-calling feature's key and weight, when it weighs other
    /// than a word.
    boost: Option<(u32, f32)>,
}

/// Reusable buffers of one worker thread: the stem cache and the space to
/// hash and sort features in. Keep one per thread to featurise without
/// allocating.
#[derive(Default)]
pub struct Scratch {
    /// The comment analysed by the one-call methods
    /// ([`Featuriser::vectorise_with`], [`Featuriser::evidence`]...).
    analysed: Analysed,
    work: Work,
}

/// The buffers of [`Scratch`] that outlive one comment.
#[derive(Default)]
pub(crate) struct Work {
    pub(crate) stems: StemCache,
    char_bytes: Vec<u8>,
    char_starts: Vec<usize>,
    /// Space for sorting a comment's features.
    sort_buffer: Vec<u64>,
    bin_counts: Vec<u32>,
    /// The sentence each token of a comment belongs to, or
    /// [`NO_SENTENCE`], while its sentences' vectors are read.
    sentence_of: Vec<u32>,
    /// The sorted keys of each sentence read from its comment.
    sentence_keys: Vec<Vec<u32>>,
    /// The sentences read from their comment, by position.
    read: Vec<usize>,
    /// A sentence analysed on its own, where it cannot be read from its
    /// comment's analysis.
    sentence: Box<Analysed>,
    /// The raw tokens and quotations of a sentence alone.
    raw: Vec<RawToken>,
    quotes: Vec<Range<usize>>,
}

/// A comment analysed once: its tokens, every hashed feature with the
/// tokens it came from, and its feature vector. The vectors of its
/// sentences, its context features, its evidence and its explanation are
/// all read from it, without analysing the text again. Reused for the next
/// comment, it keeps its buffers.
#[derive(Default)]
pub struct Analysed {
    pub(crate) analysis: Analysis,
    /// Every hashed feature with the tokens it came from, as an
    /// [`entry`], sorted.
    entries: Vec<u64>,
    /// The comment's feature vector.
    vector: SparseVector,
    /// The distinct origins of one bucket's features, as the origin bits
    /// of their entries: space for the evidence.
    bucket_origins: Vec<u64>,
    /// Each origin's share of a score, at [`share_slot`], and whether
    /// anything was added to it.
    shares: Vec<(f32, bool)>,
    /// Whether the tokens are those of the default settings.
    pub(crate) default_tokens: bool,
}

/// The tokens one feature came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Origin {
    first: u32,
    len: u32,
}

impl Origin {
    fn last(self) -> u32 {
        self.first + self.len - 1
    }
}

impl Analysed {
    /// Roughly how many bytes its buffers hold: what keeping it for the
    /// next comment costs.
    pub fn capacity_bytes(&self) -> usize {
        use std::mem::size_of;
        let a = &self.analysis;
        a.text.capacity()
            + a.words.capacity()
            + a.tokens.capacity() * size_of::<Token>()
            + a.raw.capacity() * size_of::<RawToken>()
            + self.entries.capacity() * size_of::<u64>()
            + self.vector.indices.capacity() * size_of::<u32>()
            + self.vector.values.capacity() * size_of::<f32>()
            + self.bucket_origins.capacity() * size_of::<u64>()
            + self.shares.capacity() * size_of::<(f32, bool)>()
    }

    /// The comment's feature vector, as [`Featuriser::vectorise`] gives it.
    pub fn vector(&self) -> &SparseVector {
        &self.vector
    }

    /// Number of tokens.
    pub fn tokens(&self) -> usize {
        self.analysis.tokens.len()
    }
}

/// A hashed feature `key` (`bucket << 1 | block`, block 0 for words, 1 for
/// characters) from tokens `first..first + len`, packed so that sorting
/// orders features by key, then first token, then token count.
fn entry(key: u32, first: usize, len: usize) -> u64 {
    debug_assert!(len < 1 << ENTRY_LEN_BITS && (first as u64) < 1 << ENTRY_FIRST_BITS);
    u64::from(key) << ENTRY_KEY_SHIFT | (first as u64) << ENTRY_LEN_BITS | len as u64
}

/// The key of an [`entry`].
fn entry_key(entry: u64) -> u32 {
    (entry >> ENTRY_KEY_SHIFT) as u32
}

/// The bits of an [`entry`] that hold its origin: ordered as the origins.
fn entry_origin_bits(entry: u64) -> u64 {
    entry & ((1 << ENTRY_KEY_SHIFT) - 1)
}

/// The origin of an [`entry`].
fn entry_origin(entry: u64) -> Origin {
    Origin {
        first: ((entry >> ENTRY_LEN_BITS) & ((1 << ENTRY_FIRST_BITS) - 1)) as u32,
        len: (entry & ((1 << ENTRY_LEN_BITS) - 1)) as u32,
    }
}

/// Bits of an [`entry`] that hold the token count.
const ENTRY_LEN_BITS: u32 = 3;
/// Bits of an [`entry`] that hold the first token: more tokens than a
/// comment can hold in memory.
const ENTRY_FIRST_BITS: u32 = 36;
/// Where the key starts in an [`entry`].
const ENTRY_KEY_SHIFT: u32 = ENTRY_FIRST_BITS + ENTRY_LEN_BITS;
const _: () = assert!(
    MAX_WORD_NGRAM < 1 << ENTRY_LEN_BITS && ENTRY_KEY_SHIFT + MAX_BITS < 64,
    "an entry holds every key and origin"
);

/// Marks a token outside the sentences being read.
const NO_SENTENCE: u32 = u32::MAX;

/// The distinct origins of the features of one bucket, `group` of a
/// comment's sorted entries, into `out` in origin order: a bucket's word
/// features and then its character features, each already in origin
/// order.
fn distinct_origins(group: &[u64], out: &mut Vec<u64>) {
    out.clear();
    out.extend(group.iter().map(|&e| entry_origin_bits(e)));
    if entry_key(group[0]) & 1 != entry_key(group[group.len() - 1]) & 1 {
        out.sort_unstable();
    }
    out.dedup();
}

/// Where the share of the features of `origin` is summed: origins in
/// token order, shorter before longer.
fn share_slot(origin: Origin) -> usize {
    origin.first as usize * (MAX_WORD_NGRAM + 1) + origin.len as usize
}

/// One feature's share of a score, as shown to a moderator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// The words that produced the feature, as written ("lot of them");
    /// quoted text is shown as `quoted: ...`.
    pub feature: String,
    /// Sum of `value * weight` over the feature's buckets.
    pub weight: f32,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's reusable buffers, or fresh ones when they are
/// already in use further up the stack.
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => f(&mut scratch),
        Err(_) => f(&mut Scratch::default()),
    })
}

/// Receives every hashed feature, with the tokens it came from.
trait Sink {
    /// A word-block feature from tokens `first..first + len`.
    fn word(&mut self, bucket: u32, first: usize, len: usize);
    /// A character n-gram of token `token`.
    fn char(&mut self, bucket: u32, token: usize);
}

/// Collects every feature with its origin as an [`entry`].
struct Entries<'a>(&'a mut Vec<u64>);

impl Sink for Entries<'_> {
    #[inline]
    fn word(&mut self, bucket: u32, first: usize, len: usize) {
        self.0.push(entry(bucket << 1, first, len));
    }
    #[inline]
    fn char(&mut self, bucket: u32, token: usize) {
        self.0.push(entry(bucket << 1 | 1, token, 1));
    }
}

impl Featuriser {
    /// A featuriser with the given settings.
    pub fn new(params: ValidFeatureParams) -> Self {
        let boost = (params.name_calling() && params.name_calling_weight() != 1.0).then(|| {
            (
                name_calling_bucket(params.bits()) << 1,
                params.name_calling_weight(),
            )
        });
        let analyser = Analyser::new(params);
        let default_tokens = analyser.same_tokens(&ValidFeatureParams::default());
        Self {
            analyser,
            default_tokens,
            boost,
        }
    }

    /// The settings, to store with a model.
    pub fn params(&self) -> &ValidFeatureParams {
        self.analyser.params()
    }

    /// Number of hash buckets, `2^bits`: the length of a dense weight vector.
    pub fn dimension(&self) -> usize {
        1 << self.params().bits()
    }

    /// Analyses `text` once into `out`: normalises, tokenises,
    /// de-obfuscates and stems it, hashes its features and builds its
    /// vector. Once `scratch` and `out` have grown, ordinary text allocates
    /// nothing (only rare obfuscated spellings take a small temporary
    /// buffer).
    pub fn analyse_into(&self, text: &str, scratch: &mut Scratch, out: &mut Analysed) {
        self.analyse_in(text, &mut scratch.work, out);
    }

    fn analyse_in(&self, text: &str, work: &mut Work, out: &mut Analysed) {
        self.analyser
            .analyse(text, &mut out.analysis, &mut work.stems);
        out.default_tokens = self.default_tokens;
        out.entries.clear();
        self.emit(
            &out.analysis,
            &mut Entries(&mut out.entries),
            &mut work.char_bytes,
            &mut work.char_starts,
        );
        sparse::sort_hashed(
            &mut out.entries,
            ENTRY_KEY_SHIFT + self.params().bits() + 1,
            &mut work.sort_buffer,
            &mut work.bin_counts,
        );
        self.assemble(out.entries.iter().map(|&e| entry_key(e)), &mut out.vector);
    }

    /// The feature vector of one sentence of a comment analysed already,
    /// into `out`: [`Featuriser::sentence_vectors`] of that one sentence.
    pub fn sentence_vector(
        &self,
        analysed: &Analysed,
        start: usize,
        sentence: &str,
        scratch: &mut Scratch,
        out: &mut SparseVector,
    ) {
        let mut vectors = vec![std::mem::take(out)];
        self.sentence_vectors(analysed, &[(start, sentence)], scratch, &mut vectors);
        *out = vectors.pop().unwrap_or_default();
    }

    /// The feature vectors of sentences of a comment analysed already, one
    /// per sentence into `out`: each the same as
    /// [`Featuriser::vectorise_with`] of the sentence alone. Each sentence
    /// is `(start, text)`, the text at byte `start` of the comment's text,
    /// which `analysed` holds analysed; sentences as
    /// [`crate::sentences`] gives them, in order and apart, are read from
    /// the comment's analysis in one pass wherever the sentence alone would
    /// be analysed the same. Sentences that overlap an earlier one, or
    /// would be analysed otherwise alone (markup or Unicode forms
    /// rewritten, quotations that run across sentences, a word split
    /// between two) are analysed again.
    pub fn sentence_vectors(
        &self,
        analysed: &Analysed,
        sentences: &[(usize, &str)],
        scratch: &mut Scratch,
        out: &mut Vec<SparseVector>,
    ) {
        out.resize_with(sentences.len(), SparseVector::default);
        let work = &mut scratch.work;
        let mark_quotes = self.params().mark_quotes();
        work.sentence_of.clear();
        work.sentence_of
            .resize(analysed.analysis.tokens.len(), NO_SENTENCE);
        if work.sentence_keys.len() < sentences.len() {
            work.sentence_keys.resize_with(sentences.len(), Vec::new);
        }
        work.read.clear();
        let mut end_of_earlier = 0;
        for (s, &(start, sentence)) in sentences.iter().enumerate() {
            let apart = start >= end_of_earlier;
            end_of_earlier = end_of_earlier.max(start + sentence.len());
            match apart
                .then(|| slice_as_alone(analysed, start, sentence, mark_quotes, work))
                .flatten()
            {
                Some(tokens) => {
                    work.sentence_of[tokens].fill(s as u32);
                    work.sentence_keys[s].clear();
                    work.read.push(s);
                }
                None => {
                    let mut alone = std::mem::take(&mut work.sentence);
                    self.analyse_in(sentence, work, &mut alone);
                    out[s].clone_from(&alone.vector);
                    work.sentence = alone;
                }
            }
        }
        if work.read.is_empty() {
            return;
        }
        // The comment's entries are sorted, so each sentence's keys are too.
        for &e in &analysed.entries {
            let origin = entry_origin(e);
            let s = work.sentence_of[origin.first as usize];
            if s != NO_SENTENCE && work.sentence_of[origin.last() as usize] == s {
                work.sentence_keys[s as usize].push(entry_key(e));
            }
        }
        for &s in &work.read {
            self.assemble(work.sentence_keys[s].iter().copied(), &mut out[s]);
        }
    }

    /// The feature vector of `text`.
    pub fn vectorise(&self, text: &str) -> SparseVector {
        let mut out = SparseVector::default();
        with_scratch(|scratch| self.vectorise_with(text, scratch, &mut out));
        out
    }

    /// The feature vector of `text` into `out`, reusing `scratch`'s
    /// buffers: once they have grown, ordinary text allocates nothing (only
    /// rare obfuscated spellings take a small temporary buffer).
    pub fn vectorise_with(&self, text: &str, scratch: &mut Scratch, out: &mut SparseVector) {
        self.analyse_in(text, &mut scratch.work, &mut scratch.analysed);
        out.clone_from(&scratch.analysed.vector);
    }

    /// The first stage of [`Featuriser::vectorise_with`] alone: normalises,
    /// tokenises, de-obfuscates and stems `text` into `scratch`, and
    /// returns its number of tokens. For measuring the stages apart.
    pub fn analyse_with(&self, text: &str, scratch: &mut Scratch) -> usize {
        let analysis = &mut scratch.analysed.analysis;
        self.analyser
            .analyse(text, analysis, &mut scratch.work.stems);
        analysis.tokens.len()
    }

    /// The `top` features of `text` that contribute most to the score
    /// `vectorise(text).dot(weights)`, largest absolute contribution first.
    ///
    /// Features are shown as the words that produced them: word n-grams as
    /// written ("lot of them"), character n-grams as their word. A word's
    /// unigram, character n-grams and flags add up under one name.
    /// `weights` shorter than [`Featuriser::dimension`] count as 0 beyond
    /// their end.
    pub fn explain(&self, text: &str, weights: &[f32], top: usize) -> Vec<Contribution> {
        with_scratch(|scratch| {
            self.analyse_in(text, &mut scratch.work, &mut scratch.analysed);
            self.explain_analysed(&mut scratch.analysed, dense(weights), top)
        })
    }

    /// [`Featuriser::explain`] of a comment analysed already, with the
    /// weight of each bucket from `weight`.
    pub fn explain_analysed(
        &self,
        analysed: &mut Analysed,
        weight: impl Fn(u32) -> f32,
        top: usize,
    ) -> Vec<Contribution> {
        let sources = source_contributions(analysed, weight);
        let analysis = &analysed.analysis;
        let mut totals: HashMap<String, f32> = HashMap::new();
        for &(first, len, contribution) in &sources {
            *totals
                .entry(feature_name(analysis, first, len))
                .or_default() += contribution;
        }
        ranked(
            totals
                .into_iter()
                .filter(|(_, weight)| *weight != 0.0)
                .map(|(feature, weight)| Contribution { feature, weight }),
            top,
            |c| c.weight.abs(),
        )
    }

    /// Like [`Featuriser::explain`], for showing why a comment was flagged:
    /// only features that raise the score, and overlapping or adjacent
    /// word features of one sentence joined into the phrase they cover
    /// ("lot of" and "of them" become "lot of them"), weighted by their
    /// sum, and a phrase that occurs more than once named once with the
    /// sum of its occurrences. The `top` strongest phrases, strongest
    /// first.
    pub fn evidence(&self, text: &str, weights: &[f32], top: usize) -> Vec<Contribution> {
        with_scratch(|scratch| {
            self.analyse_in(text, &mut scratch.work, &mut scratch.analysed);
            self.evidence_analysed(&mut scratch.analysed, dense(weights), top)
        })
    }

    /// [`Featuriser::evidence`] of a comment analysed already, with the
    /// weight of each bucket from `weight`.
    pub fn evidence_analysed(
        &self,
        analysed: &mut Analysed,
        weight: impl Fn(u32) -> f32,
        top: usize,
    ) -> Vec<Contribution> {
        let sources = source_contributions(analysed, weight);
        let analysis = &analysed.analysis;
        // Each token's features (unigram, character n-grams, flags) count as
        // one source; keep the strongest sources that raise the score.
        let mut strongest: Vec<(usize, usize, f32)> =
            sources.into_iter().filter(|s| s.2 > 0.0).collect();
        // The strongest first, ties by position: each source is in one
        // place, so this orders them fully and the kept ones are the same
        // whichever way they are found.
        let keep = top.saturating_mul(3);
        if strongest.len() > keep && keep > 0 {
            strongest.select_nth_unstable_by(keep - 1, |a, b| {
                b.2.total_cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1)))
            });
        }
        strongest.truncate(keep);
        strongest.sort_unstable_by_key(|&(first, len, _)| (first, len));
        let mut phrases: Vec<(usize, usize, f32)> = Vec::new();
        for (first, len, weight) in strongest {
            if let Some(last) = phrases.last_mut() {
                let end = last.0 + last.1;
                let joins = first <= end
                    && analysis.tokens[last.0..first + len]
                        .windows(2)
                        .all(|w| !w[1].break_before && w[1].quoted == w[0].quoted);
                if joins {
                    last.1 = end.max(first + len) - last.0;
                    last.2 += weight;
                    continue;
                }
            }
            phrases.push((first, len, weight));
        }
        // The same phrase in several places is one piece of evidence.
        let mut totals: HashMap<String, f32> = HashMap::new();
        for (first, len, weight) in phrases {
            *totals
                .entry(feature_name(analysis, first, len))
                .or_default() += weight;
        }
        ranked(
            totals
                .into_iter()
                .map(|(feature, weight)| Contribution { feature, weight }),
            top,
            |c| c.weight,
        )
    }

    /// Hash every feature of the analysed tokens into `sink`.
    fn emit(
        &self,
        analysis: &Analysis,
        sink: &mut impl Sink,
        char_bytes: &mut Vec<u8>,
        char_starts: &mut Vec<usize>,
    ) {
        let params = self.params();
        let bits = params.bits();
        let tokens = &analysis.tokens;
        let acts = params.act_words();
        if params.word_weight() > 0.0 {
            let (min_n, max_n) = params.word_ngrams();
            for (k, token) in tokens.iter().enumerate() {
                if min_n == 1 && !token.group {
                    let ns = if token.quoted {
                        NS_WORD_QUOTED
                    } else if acts && token.about_act {
                        NS_WORD_ACT
                    } else {
                        NS_WORD
                    };
                    sink.word(Fnv::new(ns).u64(token.id).bucket(bits), k, 1);
                    if let Some(alt_id) = token.alt_id {
                        sink.word(Fnv::new(ns).u64(alt_id).bucket(bits), k, 1);
                    }
                }
                if token.shout && !token.quoted && !token.group {
                    sink.word(Fnv::new(NS_SHOUT).u64(token.id).bucket(bits), k, 1);
                }
                if token.obfuscated && !token.quoted {
                    sink.word(Fnv::new(NS_OBFUSCATED).bucket(bits), k, 1);
                }
                if params.name_calling()
                    && token.lexicon & lexicon::NAME_CALLING != 0
                    && !token.quoted
                {
                    sink.word(name_calling_bucket(bits), k, 1);
                }
                for n in min_n.max(2)..=max_n {
                    let Some(first) = (k + 1).checked_sub(n) else {
                        break;
                    };
                    let gram = &tokens[first..=k];
                    if !same_phrase(gram) || gram.iter().any(|t| t.group) {
                        break;
                    }
                    let ns = if token.quoted {
                        NS_NGRAM_QUOTED
                    } else if acts && gram.iter().any(|t| t.about_act) {
                        NS_NGRAM_ACT
                    } else {
                        NS_NGRAM
                    };
                    let hash = gram
                        .iter()
                        .fold(Fnv::new(ns).byte(n as u8), |h, t| h.u64(t.id));
                    sink.word(hash.bucket(bits), first, n);
                }
            }
        }
        if params.char_weight() > 0.0 {
            let (min_n, max_n) = params.char_ngrams();
            for (k, token) in tokens.iter().enumerate() {
                // Function words are covered by their unigram; their
                // character n-grams would only dilute the block.
                if token.kind != Kind::Word || token.stopword || token.group {
                    continue;
                }
                let ns = if token.quoted {
                    NS_CHAR_QUOTED
                } else if acts && token.about_act {
                    NS_CHAR_ACT
                } else {
                    NS_CHAR
                };
                word_with_markers(
                    analysis.canon(token),
                    params.max_word_chars(),
                    char_bytes,
                    char_starts,
                );
                if char_starts.is_empty() {
                    // ASCII: one byte per character.
                    let chars = char_bytes.len();
                    for start in 0..chars {
                        let mut hash = Fnv::new(ns);
                        for n in 1..=max_n.min(chars - start) {
                            hash = hash.byte(char_bytes[start + n - 1]);
                            if n >= min_n {
                                sink.char(hash.bucket(bits), k);
                            }
                        }
                    }
                } else {
                    let chars = char_starts.len() - 1;
                    for start in 0..chars {
                        let mut hash = Fnv::new(ns);
                        for n in 1..=max_n.min(chars - start) {
                            let piece =
                                &char_bytes[char_starts[start + n - 1]..char_starts[start + n]];
                            hash = hash.bytes(piece);
                            if n >= min_n {
                                sink.char(hash.bucket(bits), k);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Turn sorted feature keys into the final vector.
    fn assemble(&self, sorted_keys: impl Iterator<Item = u32>, out: &mut SparseVector) {
        let params = self.params();
        sparse::assemble(
            sorted_keys,
            [params.word_weight(), params.char_weight()],
            self.boost,
            out,
        );
    }
}

/// The bucket of the feature every name-calling word shares.
fn name_calling_bucket(bits: u32) -> u32 {
    Fnv::new(NS_NAME_CALLING).bucket(bits)
}

/// The tokens of `analysed` that make up its sentence `sentence` at byte
/// `start`, when they are exactly the tokens of the sentence analysed on
/// its own; `None` when they may not be.
fn slice_as_alone(
    analysed: &Analysed,
    start: usize,
    sentence: &str,
    mark_quotes: bool,
    work: &mut Work,
) -> Option<Range<usize>> {
    let analysis = &analysed.analysis;
    if !analysis.unchanged {
        return None;
    }
    let end = start + sentence.len();
    let starts_in = |span_start: u32| (span_start as usize) < start;
    let tokens = &analysis.tokens;
    let first = tokens.partition_point(|t| starts_in(t.span.start));
    let last = first + tokens[first..].partition_point(|t| (t.span.start as usize) < end);
    // No token (nor run of spaced letters) crosses either end.
    if first > 0 && tokens[first - 1].span.end as usize > start
        || last > first && tokens[last - 1].span.end as usize > end
    {
        return None;
    }
    let raw = &analysis.raw;
    let raw_first = raw.partition_point(|t| starts_in(t.start));
    let raw_last = raw_first + raw[raw_first..].partition_point(|t| (t.start as usize) < end);
    let raw = &raw[raw_first..raw_last];
    // A retweet marker is dropped only before a mention; the mention may be
    // in the next sentence.
    if raw
        .last()
        .is_some_and(|t| &analysis.text[t.range()] == "RT")
    {
        return None;
    }
    // Quotations: the sentence alone pairs its own quotation marks and
    // starts on a line of its own.
    if !sentence.contains(QUOTING) {
        if raw.iter().any(|t| t.quoted) {
            return None;
        }
    } else {
        tokenise::tokenise(sentence, mark_quotes, &mut work.raw, &mut work.quotes);
        let same = work.raw.len() == raw.len()
            && work.raw.iter().zip(raw).all(|(alone, within)| {
                alone.start as usize + start == within.start as usize
                    && alone.end as usize + start == within.end as usize
                    && alone.kind == within.kind
                    && alone.quoted == within.quoted
            });
        if !same {
            return None;
        }
    }
    Some(first..last)
}

/// Characters that may quote text: quotation marks, and `>` at the start
/// of a line.
const QUOTING: [char; 7] = [
    '"', '>', '\u{201c}', '\u{201d}', '\u{201e}', '\u{ab}', '\u{bb}',
];

/// The weight of each bucket of a dense weight vector; 0 beyond its end.
fn dense(weights: &[f32]) -> impl Fn(u32) -> f32 + '_ {
    |bucket| weights.get(bucket as usize).copied().unwrap_or(0.0)
}

/// Contribution `value * weight` of every source of features of
/// `analysed` as `(first token, token count, contribution)`, in token
/// order; a bucket produced by several sources is split evenly between
/// them.
fn source_contributions(
    analysed: &mut Analysed,
    weight: impl Fn(u32) -> f32,
) -> Vec<(usize, usize, f32)> {
    let slots = analysed.analysis.tokens.len() * (MAX_WORD_NGRAM + 1);
    let shares = &mut analysed.shares;
    shares.clear();
    shares.resize(slots, (0.0, false));
    let vector = &analysed.vector;
    let origins = &mut analysed.bucket_origins;
    let mut at = 0;
    // Buckets in increasing order, so each source's shares are summed in
    // bucket order.
    let bucket_of = |entry: u64| entry_key(entry) >> 1;
    for group in analysed
        .entries
        .chunk_by(|&a, &b| bucket_of(a) == bucket_of(b))
    {
        let bucket = bucket_of(group[0]);
        while vector.indices.get(at).is_some_and(|&i| i < bucket) {
            at += 1;
        }
        let value = match vector.indices.get(at) {
            Some(&i) if i == bucket => vector.values[at],
            _ => 0.0,
        };
        // Nothing to share, whatever the weight.
        if value == 0.0 {
            continue;
        }
        match group {
            [one] => {
                origins.clear();
                origins.push(entry_origin_bits(*one));
            }
            _ => distinct_origins(group, origins),
        }
        let contribution = value * weight(bucket) / origins.len() as f32;
        if contribution == 0.0 || !contribution.is_finite() {
            continue;
        }
        for &origin in origins.iter() {
            let share = &mut shares[share_slot(entry_origin(origin))];
            share.0 += contribution;
            share.1 = true;
        }
    }
    let per_slot = MAX_WORD_NGRAM + 1;
    let mut out = Vec::with_capacity(shares.iter().filter(|share| share.1).count());
    out.extend(
        shares
            .iter()
            .enumerate()
            .filter(|(_, share)| share.1)
            .map(|(slot, share)| (slot / per_slot, slot % per_slot, share.0)),
    );
    out
}

/// The `top` items with the largest `key`, largest first; ties by name.
fn ranked(
    items: impl Iterator<Item = Contribution>,
    top: usize,
    key: impl Fn(&Contribution) -> f32,
) -> Vec<Contribution> {
    let mut items: Vec<Contribution> = items.collect();
    items.sort_by(|a, b| {
        key(b)
            .total_cmp(&key(a))
            .then_with(|| a.feature.cmp(&b.feature))
    });
    items.truncate(top);
    items
}

/// Whether tokens form one phrase for word n-grams: no sentence break
/// inside, all quoted or none.
fn same_phrase(gram: &[Token]) -> bool {
    let quoted = gram[0].quoted;
    gram.iter().all(|t| t.quoted == quoted) && gram[1..].iter().all(|t| !t.break_before)
}

/// `word` (at most `max_chars` characters) between boundary markers, as
/// bytes, with the byte offset of every character plus the end; `starts`
/// stays empty for ASCII words, where characters are bytes.
fn word_with_markers(word: &str, max_chars: usize, bytes: &mut Vec<u8>, starts: &mut Vec<usize>) {
    bytes.clear();
    starts.clear();
    if word.is_ascii() {
        bytes.push(WORD_START);
        bytes.extend_from_slice(&word.as_bytes()[..word.len().min(max_chars)]);
        bytes.push(WORD_END);
        return;
    }
    starts.push(0);
    bytes.push(WORD_START);
    for c in word.chars().take(max_chars) {
        starts.push(bytes.len());
        let mut utf8 = [0; 4];
        bytes.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }
    starts.push(bytes.len());
    bytes.push(WORD_END);
    starts.push(bytes.len());
}

/// How the feature from tokens `first..first + len` is shown.
fn feature_name(analysis: &Analysis, first: usize, len: usize) -> String {
    let tokens = &analysis.tokens[first..first + len];
    let start = tokens[0].span.start as usize;
    let end = tokens[len - 1].span.end as usize;
    let mut name = String::new();
    for word in analysis.text[start..end].split_whitespace() {
        if !name.is_empty() {
            name.push(' ');
        }
        name.push_str(word);
    }
    if tokens[0].quoted {
        name.insert_str(0, "quoted: ");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn featuriser() -> Featuriser {
        Featuriser::new(ValidFeatureParams::default())
    }

    #[test]
    fn condemning_an_act_shares_no_feature_with_an_insult() {
        let f = featuriser();
        let shared = |a: &str, b: &str| {
            let (a, b) = (f.vectorise(a), f.vectorise(b));
            a.indices.iter().filter(|&&i| b.get(i) != 0.0).count()
        };
        assert_eq!(shared("disgraceful", "The attack was disgraceful."), 0);
        assert!(shared("disgraceful", "He was disgraceful.") > 0);
        let old = Featuriser::new(
            crate::FeatureParams::new()
                .act_words(false)
                .check()
                .unwrap(),
        );
        let a = old.vectorise("disgraceful");
        let b = old.vectorise("The attack was disgraceful.");
        assert!(a.indices.iter().any(|&i| b.get(i) != 0.0));
    }

    #[test]
    fn vectors_are_sorted_unique_and_normalised() {
        let v = featuriser().vectorise("You are an idiot, an IDIOT! http://x.com");
        assert!(v.indices.windows(2).all(|w| w[0] < w[1]));
        let norm: f32 = v.values.iter().map(|x| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-4);
        assert!(v
            .indices
            .iter()
            .all(|&i| (i as usize) < featuriser().dimension()));
    }

    #[test]
    fn scratch_reuse_gives_the_same_vector() {
        let f = featuriser();
        let mut scratch = Scratch::default();
        let mut a = SparseVector::default();
        f.vectorise_with("first comment here", &mut scratch, &mut a);
        f.vectorise_with("stuuupid 1d10t", &mut scratch, &mut a);
        assert_eq!(a, f.vectorise("stuuupid 1d10t"));
    }

    #[test]
    fn explain_names_phrases_not_buckets() {
        let f = featuriser();
        let text = "Drama queens the lot of them";
        let v = f.vectorise(text);
        // Weight only the bigram "lot of" and the trigram-free "of them".
        let mut weights = vec![0.0; f.dimension()];
        let mut probe = Scratch::default();
        f.analyse_with("lot of them", &mut probe);
        let bigram = |a: &Token, b: &Token| {
            Fnv::new(NS_NGRAM)
                .byte(2)
                .u64(a.id)
                .u64(b.id)
                .bucket(f.params().bits()) as usize
        };
        let t = &probe.analysed.analysis.tokens;
        weights[bigram(&t[0], &t[1])] = 2.0;
        weights[bigram(&t[1], &t[2])] = 1.0;
        let top = f.explain(text, &weights, 5);
        assert_eq!(top.len(), 2, "{top:?}");
        assert_eq!(top[0].feature, "lot of");
        assert_eq!(top[1].feature, "of them");
        let total: f32 = top.iter().map(|c| c.weight).sum();
        assert!((total - v.dot(&weights)).abs() < 1e-5);
    }

    #[test]
    fn explain_sums_a_word_and_its_character_ngrams() {
        let f = featuriser();
        let weights = vec![0.5; f.dimension()];
        let top = f.explain("idiot", &weights, 10);
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].feature, "idiot");
        let v = f.vectorise("idiot");
        assert!((top[0].weight - v.dot(&weights)).abs() < 1e-4);
    }

    #[test]
    fn explain_handles_short_weights() {
        let f = featuriser();
        assert!(f.explain("hello there", &[], 5).is_empty());
        assert!(f.explain("", &[1.0; 4], 5).is_empty());
    }
}
