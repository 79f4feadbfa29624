//! Text featuriser of referee: turns comment text into the features the
//! classifiers see.
//!
//! The pipeline, every step configurable in [`FeatureParams`] and stored in
//! each model as [`ValidFeatureParams`]:
//!
//! 1. text steps: strip HTML markup, Unicode NFKC; only the first
//!    [`FeatureParams::max_chars`] characters (default 20,000) are read, so
//!    time and memory per comment are bounded;
//! 2. tokens: words, numbers, links (one `<url>` token, also OLID's `URL`),
//!    @mentions (one `<user>` token, also OLID's `@USER`; a retweet's
//!    leading `RT` is dropped), emoji; text in
//!    quotation marks or on `>` lines is marked as quoted and hashes apart,
//!    so quoting a word is not saying it;
//! 3. word steps undoing obfuscation: case folding, look-alike letters
//!    ("іdiot"), leetspeak ("sh1t", "@sshole"), masks ("f**k"), spaced
//!    letters ("i d i o t"), repeated letters ("stuuupid");
//! 4. Snowball stems, word n-grams (default 1..=2) and character n-grams
//!    of each word (default 2..=5), hashed with a fixed hash into `2^bits`
//!    buckets (default 18), sublinear tf, each block L2-normalised and
//!    weighted, the whole vector L2-normalised.
//!
//! [`context_features`] adds named dense features of a comment within its
//! thread (similarity to the post and parent, who is addressed, quotes,
//! shouting...).
//!
//! ```
//! use referee_text::{FeatureParams, Featuriser};
//!
//! let featuriser = Featuriser::new(FeatureParams::new().bits(16).check()?);
//! let clean = featuriser.vectorise("what an idiot");
//! let dodged = featuriser.vectorise("what an 1d10t");
//! // The de-obfuscated word shares its buckets with the clean one.
//! assert!(clean.indices.iter().filter(|i| dodged.indices.contains(i)).count() > 20);
//!
//! let mut weights = vec![0.0; featuriser.dimension()];
//! weights[clean.indices[0] as usize] = 1.0;
//! let top = featuriser.explain("what an idiot", &weights, 3);
//! assert!(!top.is_empty());
//! # Ok::<(), referee_text::TextError>(())
//! ```
#![deny(missing_docs)]

mod analyse;
mod context;
mod error;
mod featuriser;
mod hash;
mod lexicon;
mod normalise;
mod params;
mod sentences;
mod sparse;
mod tokenise;
mod words;

pub use context::{
    context_feature_index, context_features, context_features_of, describe_context_feature,
    described_in_order, identity_terms, identity_terms_of, CommentView, ContextFeatures,
    ThreadView, CONTEXT_FEATURES, CONTEXT_FEATURE_DESCRIPTIONS, CONTEXT_FEATURE_NAMES,
};
pub use error::{Result, TextError};
pub use featuriser::{Analysed, Contribution, Featuriser, Scratch};
pub use lexicon::{is_name_calling_word, is_second_person};
pub use params::{FeatureParams, Step, ValidFeatureParams, MAX_BITS, MIN_BITS};
pub use rust_stemmers::Algorithm;
pub use sentences::sentences;
pub use sparse::SparseVector;
