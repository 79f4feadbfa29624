//! Hashed word and character n-gram vectors, and their explanations.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::analyse::{Analyser, Analysis, Kind, Token};
use crate::hash::Fnv;
use crate::params::ValidFeatureParams;
use crate::sparse::{self, SparseVector};

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
/// Word boundary markers around a word for character n-grams.
const WORD_START: u8 = 0x02;
const WORD_END: u8 = 0x03;

/// Turns comment text into hashed sparse feature vectors.
///
/// Cheap to share across threads (`Send + Sync`); per-call buffers live in
/// a [`Scratch`].
pub struct Featuriser {
    analyser: Analyser,
}

/// Reusable buffers for [`Featuriser::vectorise_with`]: keep one per
/// thread to featurise without allocating. Also caches stems.
#[derive(Default)]
pub struct Scratch {
    analysis: Analysis,
    /// Hashed features: bucket << 1, low bit 0 for the word block, 1 for
    /// the character block.
    keys: Vec<u32>,
    char_bytes: Vec<u8>,
    char_starts: Vec<usize>,
    sort_buffer: Vec<u32>,
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

/// Collects buckets only: the fast path.
struct Buckets<'a> {
    keys: &'a mut Vec<u32>,
}

impl Sink for Buckets<'_> {
    #[inline]
    fn word(&mut self, bucket: u32, _: usize, _: usize) {
        self.keys.push(bucket << 1);
    }
    #[inline]
    fn char(&mut self, bucket: u32, _: usize) {
        self.keys.push(bucket << 1 | 1);
    }
}

/// Collects buckets and where each came from: for explanations.
struct Sources<'a> {
    buckets: Buckets<'a>,
    /// (bucket, first token, token count)
    origins: Vec<(u32, usize, usize)>,
}

impl Sink for Sources<'_> {
    fn word(&mut self, bucket: u32, first: usize, len: usize) {
        self.buckets.word(bucket, first, len);
        self.origins.push((bucket, first, len));
    }
    fn char(&mut self, bucket: u32, token: usize) {
        self.buckets.char(bucket, token);
        self.origins.push((bucket, token, 1));
    }
}

impl Featuriser {
    /// A featuriser with the given settings.
    pub fn new(params: ValidFeatureParams) -> Self {
        Self {
            analyser: Analyser::new(params),
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
        self.analyser.analyse(text, &mut scratch.analysis);
        scratch.keys.clear();
        let mut sink = Buckets {
            keys: &mut scratch.keys,
        };
        self.emit(
            &scratch.analysis,
            &mut sink,
            &mut scratch.char_bytes,
            &mut scratch.char_starts,
        );
        self.assemble(scratch, out);
    }

    /// The first stage of [`Featuriser::vectorise_with`] alone: normalises,
    /// tokenises, de-obfuscates and stems `text` into `scratch`, and
    /// returns its number of tokens. For measuring the stages apart.
    pub fn analyse_with(&self, text: &str, scratch: &mut Scratch) -> usize {
        self.analyser.analyse(text, &mut scratch.analysis);
        scratch.analysis.tokens.len()
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
        with_scratch(|scratch| self.explain_with(text, weights, top, scratch))
    }

    fn explain_with(
        &self,
        text: &str,
        weights: &[f32],
        top: usize,
        scratch: &mut Scratch,
    ) -> Vec<Contribution> {
        let sources = self.source_contributions(text, weights, scratch);
        let analysis = &scratch.analysis;
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
        with_scratch(|scratch| self.evidence_with(text, weights, top, scratch))
    }

    fn evidence_with(
        &self,
        text: &str,
        weights: &[f32],
        top: usize,
        scratch: &mut Scratch,
    ) -> Vec<Contribution> {
        let sources = self.source_contributions(text, weights, scratch);
        let analysis = &scratch.analysis;
        // Each token's features (unigram, character n-grams, flags) count as
        // one source; keep the strongest sources that raise the score.
        let mut strongest: Vec<(usize, usize, f32)> =
            sources.into_iter().filter(|s| s.2 > 0.0).collect();
        strongest.sort_by(|a, b| b.2.total_cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
        strongest.truncate(top.saturating_mul(3));
        strongest.sort_by_key(|&(first, len, _)| (first, len));
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

    /// Contribution `value * weight` of every source of features of `text`
    /// as `(first token, token count, contribution)`; a bucket produced by
    /// several sources is split evenly between them.
    fn source_contributions(
        &self,
        text: &str,
        weights: &[f32],
        scratch: &mut Scratch,
    ) -> Vec<(usize, usize, f32)> {
        scratch.keys.clear();
        self.analyser.analyse(text, &mut scratch.analysis);
        let mut sink = Sources {
            buckets: Buckets {
                keys: &mut scratch.keys,
            },
            origins: Vec::new(),
        };
        self.emit(
            &scratch.analysis,
            &mut sink,
            &mut scratch.char_bytes,
            &mut scratch.char_starts,
        );
        let mut origins = sink.origins;
        let mut vector = SparseVector::default();
        self.assemble(scratch, &mut vector);

        origins.sort_unstable();
        origins.dedup();
        let mut per_source: HashMap<(usize, usize), f32> = HashMap::new();
        for group in origins.chunk_by(|a, b| a.0 == b.0) {
            let bucket = group[0].0;
            let weight = weights.get(bucket as usize).copied().unwrap_or(0.0);
            let contribution = vector.get(bucket) * weight / group.len() as f32;
            if contribution == 0.0 || !contribution.is_finite() {
                continue;
            }
            for &(_, first, len) in group {
                *per_source.entry((first, len)).or_default() += contribution;
            }
        }
        let mut sources: Vec<(usize, usize, f32)> = per_source
            .into_iter()
            .map(|((first, len), c)| (first, len, c))
            .collect();
        // Sum in a fixed order, whatever the map's.
        sources.sort_unstable_by_key(|&(first, len, _)| (first, len));
        sources
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
        if params.word_weight() > 0.0 {
            let (min_n, max_n) = params.word_ngrams();
            for (k, token) in tokens.iter().enumerate() {
                if min_n == 1 && !token.group {
                    let ns = if token.quoted {
                        NS_WORD_QUOTED
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

    /// Turn the collected buckets into the final vector.
    fn assemble(&self, scratch: &mut Scratch, out: &mut SparseVector) {
        let params = self.params();
        sparse::assemble(
            &mut scratch.keys,
            params.bits(),
            [params.word_weight(), params.char_weight()],
            &mut scratch.sort_buffer,
            out,
        );
    }
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
        f.analyser.analyse("lot of them", &mut probe.analysis);
        let bigram = |a: &Token, b: &Token| {
            Fnv::new(NS_NGRAM)
                .byte(2)
                .u64(a.id)
                .u64(b.id)
                .bucket(f.params().bits()) as usize
        };
        let t = &probe.analysis.tokens;
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
