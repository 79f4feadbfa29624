//! Featuriser settings: [`FeatureParams`] checked into [`ValidFeatureParams`].
//!
//! The valid settings are stored inside every model, so scoring replays the
//! exact pipeline the model was trained with.

use rust_stemmers::Algorithm;
use serde::{Deserialize, Serialize};

use crate::error::{Result, TextError};

/// Smallest accepted number of hash bits.
pub const MIN_BITS: u32 = 8;
/// Largest accepted number of hash bits (the model stores dense weights of
/// this size per label).
pub const MAX_BITS: u32 = 24;
/// Longest accepted word n-gram.
pub const MAX_WORD_NGRAM: usize = 4;
/// Longest accepted character n-gram.
pub const MAX_CHAR_NGRAM: usize = 8;

/// One step of the text pipeline.
///
/// Text steps ([`Step::StripMarkup`], [`Step::Nfkc`]) rewrite the whole
/// comment and run first, in the listed order. The tokeniser then splits the
/// text; [`Step::JoinSpacedLetters`] rejoins spaced-out words, and the word
/// steps rewrite each word in the listed order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Remove HTML tags and decode character entities (`&amp;`, `&#39;`).
    StripMarkup,
    /// Unicode NFKC normalisation (full-width letters, ligatures, fancy digits).
    Nfkc,
    /// Join letters spaced out to dodge filters: "i d i o t" → "idiot".
    JoinSpacedLetters,
    /// Unicode lower-casing.
    CaseFold,
    /// Map look-alike Cyrillic and Greek letters to Latin: "іdiot" → "idiot".
    Homoglyphs,
    /// Map digits and symbols used as letters: "sh1t" → "shit", "@sshole" → "asshole".
    Leetspeak,
    /// Resolve masked words: "f*ck", "f**k" → "fuck".
    Unmask,
    /// Collapse runs of 3 or more equal letters: "stuuupid" → "stupid" (and
    /// a second variant keeping two: "sooo" → "so", "soo").
    SqueezeRepeats,
}

impl Step {
    /// Every step, in the default order.
    pub const ALL: [Step; 8] = [
        Step::StripMarkup,
        Step::Nfkc,
        Step::JoinSpacedLetters,
        Step::CaseFold,
        Step::Homoglyphs,
        Step::Leetspeak,
        Step::Unmask,
        Step::SqueezeRepeats,
    ];

    /// The step's snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            Step::StripMarkup => "strip_markup",
            Step::Nfkc => "nfkc",
            Step::JoinSpacedLetters => "join_spaced_letters",
            Step::CaseFold => "case_fold",
            Step::Homoglyphs => "homoglyphs",
            Step::Leetspeak => "leetspeak",
            Step::Unmask => "unmask",
            Step::SqueezeRepeats => "squeeze_repeats",
        }
    }

    /// Whether the step rewrites the whole text (before tokenising).
    pub fn is_text_step(self) -> bool {
        matches!(self, Step::StripMarkup | Step::Nfkc)
    }
}

/// Unchecked featuriser settings; [`FeatureParams::check`] validates them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeatureParams {
    bits: u32,
    word_ngrams: (usize, usize),
    char_ngrams: (usize, usize),
    word_weight: f32,
    char_weight: f32,
    language: Option<Algorithm>,
    steps: Vec<Step>,
    max_chars: usize,
    max_word_chars: usize,
    mark_quotes: bool,
    shout: bool,
    /// Absent from models written before the setting existed: they read
    /// group names as words.
    #[serde(default)]
    group_blind: bool,
    /// Absent from models written before the setting existed: they have
    /// no name-calling feature.
    #[serde(default)]
    name_calling: bool,
    /// Absent from models written before the setting existed: their
    /// name-calling feature weighs as much as a word.
    #[serde(default = "unit_weight")]
    name_calling_weight: f32,
    /// Absent from models written before the setting existed: they read
    /// words about an act as any others.
    #[serde(default)]
    act_words: bool,
}

fn unit_weight() -> f32 {
    1.0
}

impl Default for FeatureParams {
    fn default() -> Self {
        Self {
            bits: 18,
            word_ngrams: (1, 2),
            char_ngrams: (2, 5),
            word_weight: 1.0,
            char_weight: 1.0,
            language: Some(Algorithm::English),
            steps: Step::ALL.to_vec(),
            max_chars: 20_000,
            max_word_chars: 40,
            mark_quotes: true,
            shout: true,
            group_blind: true,
            name_calling: true,
            name_calling_weight: 3.0,
            act_words: true,
        }
    }
}

impl FeatureParams {
    /// Default settings (see each setter).
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of hash bits: vectors have `2^bits` buckets. Default 18.
    pub fn bits(mut self, bits: u32) -> Self {
        self.bits = bits;
        self
    }

    /// Word n-gram lengths over stems, inclusive. Default `1..=2`.
    pub fn word_ngrams(mut self, min: usize, max: usize) -> Self {
        self.word_ngrams = (min, max);
        self
    }

    /// Character n-gram lengths within words (with boundary markers),
    /// inclusive. Default `2..=5`. English function words ("the", "of")
    /// get no character n-grams when stemming English.
    pub fn char_ngrams(mut self, min: usize, max: usize) -> Self {
        self.char_ngrams = (min, max);
        self
    }

    /// Weight of the word block after its own L2 normalisation. Default 1.0.
    pub fn word_weight(mut self, weight: f32) -> Self {
        self.word_weight = weight;
        self
    }

    /// Weight of the character block after its own L2 normalisation; 0
    /// turns character n-grams off. Default 1.0.
    pub fn char_weight(mut self, weight: f32) -> Self {
        self.char_weight = weight;
        self
    }

    /// Snowball stemmer language, `None` for no stemming. Default English.
    pub fn language(mut self, language: Option<Algorithm>) -> Self {
        self.language = language;
        self
    }

    /// The pipeline steps, in order. Default: every [`Step`], in the order
    /// of [`Step::ALL`].
    pub fn steps(mut self, steps: Vec<Step>) -> Self {
        self.steps = steps;
        self
    }

    /// Only the first `max_chars` characters of a comment are featurised,
    /// which bounds time and memory per comment. Default 20,000.
    pub fn max_chars(mut self, max_chars: usize) -> Self {
        self.max_chars = max_chars;
        self
    }

    /// Character n-grams are taken from the first `max_word_chars`
    /// characters of a word only (long "words" are mostly junk). Default 40.
    pub fn max_word_chars(mut self, max_word_chars: usize) -> Self {
        self.max_word_chars = max_word_chars;
        self
    }

    /// Give quoted text (lines starting with `>`, text in quotation marks)
    /// features of its own, so quoting a word is not saying it. Default true.
    pub fn mark_quotes(mut self, mark_quotes: bool) -> Self {
        self.mark_quotes = mark_quotes;
        self
    }

    /// Add a "shouted" feature for words written in capitals. Default true.
    pub fn shout(mut self, shout: bool) -> Self {
        self.shout = shout;
        self
    }

    /// Give words that name an identity group ("Muslims", "gay", "Polish")
    /// no features: no unigram, no character n-grams, no word n-gram that
    /// holds one. A model then learns from what is said of a group ("...
    /// are vermin"), never that naming one is abuse. Default true.
    pub fn group_blind(mut self, group_blind: bool) -> Self {
        self.group_blind = group_blind;
        self
    }

    /// Add one shared feature for every word of
    /// [`crate::is_name_calling_word`] ("idiot", "muppet", "loon"), outside
    /// quotes, beside the word's own. The corpora teach it from the common
    /// insults, and it carries to the rare ones the corpora barely hold.
    /// Default true.
    pub fn name_calling(mut self, name_calling: bool) -> Self {
        self.name_calling = name_calling;
        self
    }

    /// How much the shared name-calling feature weighs against a word's own
    /// unigram (its term frequency is multiplied by it before the vector is
    /// normalised). Above 1 the lexical layer leans on the shared feature
    /// rather than on each insult's own n-grams, which the rare insults do
    /// not have. Default 3.
    pub fn name_calling_weight(mut self, weight: f32) -> Self {
        self.name_calling_weight = weight;
        self
    }

    /// Give the words that describe an act rather than aim at anyone
    /// features of their own: an act and what qualifies it ("homophobic
    /// attacks", "racist graffiti") and what a sentence says of such an
    /// act ("... was disgraceful"). Condemning an attack then borrows
    /// nothing from the words' use as insults. Default true.
    pub fn act_words(mut self, act_words: bool) -> Self {
        self.act_words = act_words;
        self
    }

    /// Validate the settings.
    pub fn check(self) -> Result<ValidFeatureParams> {
        self.check_ref()?;
        Ok(ValidFeatureParams(self))
    }

    fn check_ref(&self) -> Result<()> {
        if !(MIN_BITS..=MAX_BITS).contains(&self.bits) {
            return Err(TextError::Bits {
                min: MIN_BITS,
                max: MAX_BITS,
                got: self.bits,
            });
        }
        check_range("word", self.word_ngrams, MAX_WORD_NGRAM)?;
        check_range("char", self.char_ngrams, MAX_CHAR_NGRAM)?;
        for (what, weight) in [
            ("word", self.word_weight),
            ("char", self.char_weight),
            ("name_calling", self.name_calling_weight),
        ] {
            if !weight.is_finite() || weight < 0.0 {
                return Err(TextError::Weight { what, got: weight });
            }
        }
        if self.word_weight == 0.0 && self.char_weight == 0.0 {
            return Err(TextError::NoFeatures);
        }
        if self.max_chars == 0 {
            return Err(TextError::ZeroLimit { what: "max_chars" });
        }
        if self.max_word_chars == 0 {
            return Err(TextError::ZeroLimit {
                what: "max_word_chars",
            });
        }
        let mut first_token_step = None;
        for (i, step) in self.steps.iter().enumerate() {
            if self.steps[..i].contains(step) {
                return Err(TextError::DuplicateStep(step.name()));
            }
            match (step.is_text_step(), first_token_step) {
                (true, Some(token)) => {
                    return Err(TextError::StepOrder {
                        text: step.name(),
                        token,
                    })
                }
                (false, None) => first_token_step = Some(step.name()),
                _ => {}
            }
        }
        Ok(())
    }
}

fn check_range(what: &'static str, (min, max): (usize, usize), limit: usize) -> Result<()> {
    if min == 0 || min > max || max > limit {
        return Err(TextError::NgramRange {
            what,
            limit,
            min,
            max,
        });
    }
    Ok(())
}

/// Checked featuriser settings. `Default` gives the documented defaults.
///
/// Serialised as the plain settings; deserialising checks them again, so a
/// damaged model file cannot smuggle in invalid settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FeatureParams", into = "FeatureParams")]
pub struct ValidFeatureParams(FeatureParams);

impl TryFrom<FeatureParams> for ValidFeatureParams {
    type Error = TextError;

    fn try_from(params: FeatureParams) -> Result<Self> {
        params.check()
    }
}

impl From<ValidFeatureParams> for FeatureParams {
    fn from(valid: ValidFeatureParams) -> Self {
        valid.0
    }
}

impl ValidFeatureParams {
    /// Number of hash bits.
    pub fn bits(&self) -> u32 {
        self.0.bits
    }
    /// Word n-gram lengths, inclusive.
    pub fn word_ngrams(&self) -> (usize, usize) {
        self.0.word_ngrams
    }
    /// Character n-gram lengths, inclusive.
    pub fn char_ngrams(&self) -> (usize, usize) {
        self.0.char_ngrams
    }
    /// Weight of the word block.
    pub fn word_weight(&self) -> f32 {
        self.0.word_weight
    }
    /// Weight of the character block.
    pub fn char_weight(&self) -> f32 {
        self.0.char_weight
    }
    /// Stemmer language, if any.
    pub fn language(&self) -> Option<Algorithm> {
        self.0.language
    }
    /// Pipeline steps, in order.
    pub fn steps(&self) -> &[Step] {
        &self.0.steps
    }
    /// Whether `step` is part of the pipeline.
    pub fn has_step(&self, step: Step) -> bool {
        self.0.steps.contains(&step)
    }
    /// Characters featurised per comment at most.
    pub fn max_chars(&self) -> usize {
        self.0.max_chars
    }
    /// Characters per word that character n-grams are taken from at most.
    pub fn max_word_chars(&self) -> usize {
        self.0.max_word_chars
    }
    /// Whether quoted text gets features of its own.
    pub fn mark_quotes(&self) -> bool {
        self.0.mark_quotes
    }
    /// Whether capitalised words get a "shouted" feature.
    pub fn shout(&self) -> bool {
        self.0.shout
    }
    /// Whether words naming identity groups get no features.
    pub fn group_blind(&self) -> bool {
        self.0.group_blind
    }
    /// Whether name-calling words share a feature.
    pub fn name_calling(&self) -> bool {
        self.0.name_calling
    }
    /// Weight of the shared name-calling feature against a word's unigram.
    pub fn name_calling_weight(&self) -> f32 {
        self.0.name_calling_weight
    }
    /// Whether words about an act get features of their own.
    pub fn act_words(&self) -> bool {
        self.0.act_words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        let valid = FeatureParams::new().check().unwrap();
        assert_eq!(valid, ValidFeatureParams::default());
        assert_eq!(valid.bits(), 18);
        assert_eq!(valid.word_ngrams(), (1, 2));
        assert_eq!(valid.char_ngrams(), (2, 5));
    }

    #[test]
    fn rejects_bad_settings_with_the_value() {
        let err = FeatureParams::new().bits(40).check().unwrap_err();
        assert_eq!(
            err.to_string(),
            "hash bits must be between 8 and 24, got 40"
        );
        assert!(FeatureParams::new().word_ngrams(2, 1).check().is_err());
        assert!(FeatureParams::new().char_ngrams(0, 3).check().is_err());
        assert!(FeatureParams::new().char_weight(f32::NAN).check().is_err());
        assert!(FeatureParams::new()
            .word_weight(0.0)
            .char_weight(0.0)
            .check()
            .is_err());
        assert!(FeatureParams::new().max_chars(0).check().is_err());
        let err = FeatureParams::new()
            .steps(vec![Step::Nfkc, Step::Nfkc])
            .check()
            .unwrap_err();
        assert_eq!(err, TextError::DuplicateStep("nfkc"));
        let err = FeatureParams::new()
            .steps(vec![Step::CaseFold, Step::Nfkc])
            .check()
            .unwrap_err();
        assert!(err.to_string().contains("`nfkc`"), "{err}");
    }

    #[test]
    fn serde_round_trip_and_recheck() {
        let valid = FeatureParams::new().bits(12).check().unwrap();
        let json = serde_json::to_string(&valid).unwrap();
        assert!(json.contains("\"case_fold\""), "{json}");
        let back: ValidFeatureParams = serde_json::from_str(&json).unwrap();
        assert_eq!(back, valid);
        let bad = json.replace("\"bits\":12", "\"bits\":2");
        assert!(serde_json::from_str::<ValidFeatureParams>(&bad).is_err());
    }
}
