//! How rare each word is across a background corpus: the inverse document
//! frequencies that weigh a comment's similarity to its post and parent.
//!
//! Counted within one thread, a word's rarity says little: in a short
//! thread every word is rare, and the similarity is near a plain word
//! overlap. Counted over the many comments a model is trained on, common
//! words ("the", "think", "people") weigh little and the words that carry a
//! topic ("budget", "licensing", "mayor") weigh much.

use crate::analyse::{Analysis, Kind};
use crate::context::analyse_default;

/// Bits of the hashed word table: `2^IDF_BITS` buckets.
pub const IDF_BITS: u32 = 17;

/// Quantisation step of a stored inverse document frequency.
const STEP: f32 = 0.05;

/// Inverse document frequencies of words (Snowball stems of the default
/// pipeline, stop words included), smoothed (`ln((1 + n) / (1 + df)) +
/// 1`), hashed into `2^IDF_BITS` buckets and quantised to a byte each
/// (steps of 0.05 from 1): what a model stores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackgroundIdf {
    quantised: Vec<u8>,
}

impl BackgroundIdf {
    /// Reads the table stored by [`BackgroundIdf::quantised`]; `None` when
    /// it does not have `2^IDF_BITS` entries.
    pub fn from_quantised(quantised: Vec<u8>) -> Option<BackgroundIdf> {
        (quantised.len() == 1 << IDF_BITS).then_some(BackgroundIdf { quantised })
    }

    /// The quantised table, one byte per bucket.
    pub fn quantised(&self) -> &[u8] {
        &self.quantised
    }

    /// The inverse document frequency of the word with stem id `term`.
    pub fn idf(&self, term: u64) -> f32 {
        1.0 + self.quantised[bucket(term)] as f32 * STEP
    }
}

fn bucket(term: u64) -> usize {
    (term % (1u64 << IDF_BITS)) as usize
}

/// Counts in how many documents each word occurs; [`IdfCounter::finish`]
/// turns the counts into a [`BackgroundIdf`]. Counters of parts of a
/// corpus merge into the counter of the whole.
pub struct IdfCounter {
    documents: u64,
    frequencies: Vec<u32>,
    analysis: Analysis,
    seen: Vec<usize>,
}

impl Default for IdfCounter {
    fn default() -> Self {
        IdfCounter {
            documents: 0,
            frequencies: vec![0; 1 << IDF_BITS],
            analysis: Analysis::default(),
            seen: Vec::new(),
        }
    }
}

impl std::fmt::Debug for IdfCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdfCounter")
            .field("documents", &self.documents)
            .finish_non_exhaustive()
    }
}

impl IdfCounter {
    /// An empty counter.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one document.
    pub fn add(&mut self, text: &str) {
        analyse_default(text, &mut self.analysis);
        self.seen.clear();
        self.seen.extend(
            self.analysis
                .tokens
                .iter()
                .filter(|t| matches!(t.kind, Kind::Word | Kind::Number))
                .map(|t| bucket(t.id)),
        );
        self.seen.sort_unstable();
        self.seen.dedup();
        for &b in &self.seen {
            self.frequencies[b] = self.frequencies[b].saturating_add(1);
        }
        self.documents += 1;
    }

    /// The counts of this counter's documents and `other`'s.
    pub fn merge(mut self, other: IdfCounter) -> IdfCounter {
        self.documents += other.documents;
        for (a, b) in self.frequencies.iter_mut().zip(&other.frequencies) {
            *a = a.saturating_add(*b);
        }
        self
    }

    /// Documents counted.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// The inverse document frequencies of the counted documents.
    pub fn finish(self) -> BackgroundIdf {
        let n = self.documents as f64;
        let quantised = self
            .frequencies
            .iter()
            .map(|&df| {
                let idf = ((1.0 + n) / (1.0 + df as f64)).ln() as f32;
                (idf / STEP).round().clamp(0.0, u8::MAX as f32) as u8
            })
            .collect();
        BackgroundIdf { quantised }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_weigh_less_than_rare_ones() {
        let mut counter = IdfCounter::new();
        for i in 0..50 {
            counter.add(&format!("the council said {i} things"));
        }
        counter.add("the licensing committee");
        let idf = counter.finish();
        let id = |word: &str| {
            let mut a = Analysis::default();
            analyse_default(word, &mut a);
            a.tokens[0].id
        };
        assert!(idf.idf(id("the")) < 1.05);
        assert!(idf.idf(id("council")) < 1.05);
        assert!(idf.idf(id("licensing")) > 4.0);
        // A word never seen is as rare as a word can be here.
        assert!(idf.idf(id("budget")) >= idf.idf(id("licensing")));
    }

    #[test]
    fn merged_counters_count_every_document() {
        let mut a = IdfCounter::new();
        a.add("one budget");
        let mut b = IdfCounter::new();
        b.add("another budget");
        b.add("no money");
        let whole = a.merge(b);
        assert_eq!(whole.documents(), 3);
        let idf = whole.finish();
        let stored = BackgroundIdf::from_quantised(idf.quantised().to_vec()).unwrap();
        assert_eq!(stored, idf);
        assert!(BackgroundIdf::from_quantised(vec![0; 10]).is_none());
    }
}
