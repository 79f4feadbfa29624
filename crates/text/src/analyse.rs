//! The token pipeline: text steps, tokenising, word steps, stems.
//!
//! [`Analyser::analyse`] turns a comment into [`Token`]s that keep their
//! place in the normalised text (for explanations), their canonical
//! de-obfuscated form (for character n-grams) and a stable id of their stem
//! (for word n-grams).

use std::hash::Hasher;
use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};

use crate::hash::{FastHasher, Fnv};
use crate::lexicon;
use crate::normalise;
use crate::params::{Step, ValidFeatureParams};
use crate::tokenise::{self, RawKind, RawToken};
use crate::words;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A word (its id is its stem's).
    Word,
    /// A number, kept as written.
    Number,
    /// A link, "URL" in OLID: all links are one token, `<url>`.
    Url,
    /// An @mention, "@USER" in OLID: all mentions are one token, `<user>`.
    User,
    /// One emoji.
    Emoji,
}

/// One analysed token.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    /// Byte range in the normalised text.
    pub span: Range<u32>,
    pub kind: Kind,
    /// Inside a quotation.
    pub quoted: bool,
    /// Written in capitals (3 or more letters, none lower case).
    pub shout: bool,
    /// De-obfuscation (leet, masks, homoglyphs, spacing) changed it.
    pub obfuscated: bool,
    /// A sentence or line break precedes it.
    pub break_before: bool,
    /// An English function word ("the", "of"), when stemming English.
    pub stopword: bool,
    /// Names an identity group: no features of its own (see
    /// `FeatureParams::group_blind`).
    pub group: bool,
    /// Describes an act rather than aims at anyone ([`mark_acts`]): gets
    /// features of its own under `FeatureParams::act_words`.
    pub about_act: bool,
    /// Which word lists hold a word or number ([`lexicon::flags`]),
    /// whatever the settings; 0 for other tokens.
    pub lexicon: lexicon::WordFlags,
    /// Canonical form: byte range in [`Analysis::words`].
    pub canon: Range<u32>,
    /// Second spelling with repeats kept at two ("stuupid"), if any.
    pub alt: Option<Range<u32>>,
    /// Stable id of the stem (words) or the token (others).
    pub id: u64,
    /// Stable id of the stem of `alt`.
    pub alt_id: Option<u64>,
}

/// Reusable buffers of one analysis; the result of the last call to
/// [`Analyser::analyse`].
#[derive(Default)]
pub(crate) struct Analysis {
    /// The normalised text the token spans point into.
    pub text: String,
    /// Canonical forms of the tokens, back to back.
    pub words: String,
    pub tokens: Vec<Token>,
    /// Whether `text` is the comment as given: not cut short, and no text
    /// step changed it.
    pub unchanged: bool,
    /// The raw tokens `tokens` were made from.
    pub raw: Vec<RawToken>,
    tmp: String,
    quotes: Vec<Range<usize>>,
    buf: String,
    buf2: String,
    alt: String,
}

impl Analysis {
    /// The canonical form of `token`.
    pub(crate) fn canon(&self, token: &Token) -> &str {
        &self.words[token.canon.start as usize..token.canon.end as usize]
    }
}

/// Stem ids already computed: a direct-mapped cache keyed by a 64-bit hash
/// of the canonical word (a false hit needs two words with equal 64-bit
/// hashes). Fixed size: new words overwrite old ones. Kept apart from an
/// [`Analysis`], so that the analyses of a whole thread share one cache.
#[derive(Default)]
pub(crate) struct StemCache {
    language: Option<Algorithm>,
    /// (word hash, stem id); word hash 0 marks an empty slot. Allocated on
    /// first use, so a scratch used once stays small.
    slots: Vec<(u64, u64)>,
}

const STEM_CACHE_SLOTS: usize = 1 << 14;

impl StemCache {
    fn clear(&mut self) {
        self.slots.fill((0, 0));
    }
}

/// Namespaces of token ids.
const ID_STEM: u8 = b't';
const ID_NUMBER: u8 = b'#';
const ID_EMOJI: u8 = b'e';
const ID_SPECIAL: u8 = b'<';

/// Top-level domains that make a dotted word a link ("example.com").
const TLDS: &[&str] = &[
    "com", "org", "net", "uk", "io", "co", "gov", "edu", "info", "eu", "de", "fr", "ly", "me",
    "tv", "us", "biz",
];

/// Runs the token pipeline of one set of settings.
pub(crate) struct Analyser {
    params: ValidFeatureParams,
    stemmer: Option<Stemmer>,
    word_steps: Vec<Step>,
}

impl Analyser {
    pub(crate) fn new(params: ValidFeatureParams) -> Self {
        let stemmer = params.language().map(Stemmer::create);
        let word_steps = params
            .steps()
            .iter()
            .copied()
            .filter(|s| !s.is_text_step() && *s != Step::JoinSpacedLetters)
            .collect();
        Self {
            params,
            stemmer,
            word_steps,
        }
    }

    pub(crate) fn params(&self) -> &ValidFeatureParams {
        &self.params
    }

    /// Whether analyses under `other` give the same tokens as under these
    /// settings: the two differ at most in how tokens are hashed.
    pub(crate) fn same_tokens(&self, other: &ValidFeatureParams) -> bool {
        let p = &self.params;
        p.steps() == other.steps()
            && p.language() == other.language()
            && p.max_chars() == other.max_chars()
            && p.mark_quotes() == other.mark_quotes()
            && p.shout() == other.shout()
    }

    /// Analyse `text` into `out`, looking stems up in `stems`.
    pub(crate) fn analyse(&self, text: &str, out: &mut Analysis, stems: &mut StemCache) {
        let whole = text;
        let text = normalise::truncate(text, self.params.max_chars());
        out.unchanged = text.len() == whole.len();
        out.text.clear();
        out.text.push_str(text);
        for step in self.params.steps().iter().filter(|s| s.is_text_step()) {
            let changed = match step {
                Step::StripMarkup => normalise::strip_markup(&out.text, &mut out.tmp),
                Step::Nfkc => normalise::nfkc(&out.text, &mut out.tmp),
                _ => false,
            };
            if changed {
                std::mem::swap(&mut out.text, &mut out.tmp);
                out.unchanged = false;
            }
        }
        tokenise::tokenise(
            &out.text,
            self.params.mark_quotes(),
            &mut out.raw,
            &mut out.quotes,
        );
        if stems.language != self.params.language() {
            stems.clear();
            stems.language = self.params.language();
        }
        out.words.clear();
        out.tokens.clear();
        let join_spaced = self.params.has_step(Step::JoinSpacedLetters);
        let mut i = 0;
        while i < out.raw.len() {
            if is_retweet_marker(&out.text, &out.raw[i..]) {
                i += 1;
                continue;
            }
            let run = if join_spaced {
                spaced_letter_run(&out.text, &out.raw[i..])
            } else {
                0
            };
            let (first, last) = if run >= 3 { (i, i + run - 1) } else { (i, i) };
            self.token(out, stems, first, last);
            i = last + 1;
        }
        mark_acts(&mut out.tokens, &out.words);
    }

    /// Analyse raw tokens `first..=last` (more than one for spaced letters)
    /// into one token.
    fn token(&self, out: &mut Analysis, stems: &mut StemCache, first: usize, last: usize) {
        let raw = &out.raw[first];
        let span = raw.start..out.raw[last].end;
        let joined = last > first;
        let raw_text = &out.text[span.start as usize..span.end as usize];
        out.buf.clear();
        if joined {
            out.buf
                .extend(raw_text.chars().filter(|c| !c.is_whitespace()));
        } else {
            out.buf.push_str(raw_text);
        }
        let shout = self.params.shout() && raw.kind == RawKind::Word && is_shouted(&out.buf);
        let mut token = Token {
            span,
            kind: Kind::Word,
            quoted: raw.quoted,
            shout,
            obfuscated: joined,
            break_before: raw.break_before,
            stopword: false,
            group: false,
            about_act: false,
            lexicon: 0,
            canon: 0..0,
            alt: None,
            id: 0,
            alt_id: None,
        };
        match raw.kind {
            RawKind::Url => token.kind = Kind::Url,
            RawKind::Emoji => token.kind = Kind::Emoji,
            RawKind::Word => {
                token.kind = self.classify_word(out);
                token.shout &= token.kind == Kind::Word;
                if token.kind == Kind::Word {
                    token.obfuscated |= self.word_steps(out);
                }
            }
        }
        out.buf.make_ascii_lowercase();
        let start = out.words.len() as u32;
        match token.kind {
            Kind::Url => out.words.push_str("<url>"),
            Kind::User => out.words.push_str("<user>"),
            _ => out.words.push_str(&out.buf),
        }
        token.canon = start..out.words.len() as u32;
        if matches!(token.kind, Kind::Word | Kind::Number) {
            token.lexicon = lexicon::flags(&out.buf);
        }
        token.stopword = token.kind == Kind::Word
            && self.params.language() == Some(Algorithm::English)
            && token.lexicon & lexicon::STOPWORD != 0;
        token.group = token.kind == Kind::Word
            && self.params.group_blind()
            && token.lexicon & (lexicon::IDENTITY | lexicon::LOOSE_GROUP) != 0;
        token.id = match token.kind {
            Kind::Word => self.stem_id(stems, &out.buf),
            Kind::Number => Fnv::new(ID_NUMBER).bytes(out.buf.as_bytes()).finish(),
            Kind::Emoji => Fnv::new(ID_EMOJI).bytes(out.buf.as_bytes()).finish(),
            Kind::Url => Fnv::new(ID_SPECIAL).bytes(b"url").finish(),
            Kind::User => Fnv::new(ID_SPECIAL).bytes(b"user").finish(),
        };
        if token.kind == Kind::Word && !out.alt.is_empty() && out.alt != out.buf {
            let start = out.words.len() as u32;
            out.words.push_str(&out.alt);
            token.alt = Some(start..out.words.len() as u32);
            token.alt_id = Some(self.stem_id(stems, &out.alt));
        }
        out.tokens.push(token);
    }

    /// Kind of the word in `out.buf`; mentions and links become their
    /// placeholder tokens.
    fn classify_word(&self, out: &mut Analysis) -> Kind {
        let word = out.buf.as_str();
        if word == "URL" {
            return Kind::Url;
        }
        if let Some(name) = word.strip_prefix('@') {
            if word == "@USER" || name.is_empty() {
                return Kind::User;
            }
            // "@sshole" is a word in disguise, "@Badger" a mention.
            if self.params.has_step(Step::Leetspeak) {
                out.buf2.clear();
                out.buf2.push_str(word);
                out.buf2.make_ascii_lowercase();
                let mut tmp = std::mem::take(&mut out.tmp);
                let leet = words::leetspeak(&mut out.buf2, &mut tmp);
                out.tmp = tmp;
                if leet && !out.buf2.contains('@') {
                    return Kind::Word;
                }
            }
            return Kind::User;
        }
        let bytes = word.as_bytes();
        if bytes.iter().any(u8::is_ascii_digit)
            && bytes
                .iter()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b','))
        {
            return Kind::Number;
        }
        if let Some((host, tld)) = word.rsplit_once('.') {
            if !host.is_empty()
                && !word.contains('@')
                && TLDS.iter().any(|t| t.eq_ignore_ascii_case(tld))
            {
                return Kind::Url;
            }
        }
        Kind::Word
    }

    /// Apply the word steps to `out.buf`; whether de-obfuscation changed it.
    fn word_steps(&self, out: &mut Analysis) -> bool {
        if out.buf.contains('\u{2019}') {
            out.tmp.clear();
            let apostrophes = out
                .buf
                .chars()
                .map(|c| if c == '\u{2019}' { '\'' } else { c });
            out.tmp.extend(apostrophes);
            std::mem::swap(&mut out.buf, &mut out.tmp);
        }
        out.alt.clear();
        let mut obfuscated = false;
        if self.params.has_step(Step::JoinSpacedLetters) {
            obfuscated |= words::join_separated_letters(&mut out.buf, &mut out.tmp);
        }
        for step in &self.word_steps {
            match step {
                Step::CaseFold => {
                    words::case_fold(&mut out.buf, &mut out.tmp);
                }
                Step::Homoglyphs => obfuscated |= words::homoglyphs(&mut out.buf, &mut out.tmp),
                Step::Leetspeak => obfuscated |= words::leetspeak(&mut out.buf, &mut out.tmp),
                Step::Unmask => obfuscated |= words::unmask(&mut out.buf),
                Step::SqueezeRepeats => {
                    words::squeeze_repeats(&mut out.buf, &mut out.tmp, &mut out.alt);
                }
                Step::StripMarkup | Step::Nfkc | Step::JoinSpacedLetters => {}
            }
        }
        obfuscated
    }

    /// Stable id of the stem of `word`.
    fn stem_id(&self, cache: &mut StemCache, word: &str) -> u64 {
        let mut hasher = FastHasher::default();
        hasher.write(word.as_bytes());
        let key = hasher.finish() | 1;
        if cache.slots.is_empty() {
            cache.slots = vec![(0, 0); STEM_CACHE_SLOTS];
        }
        let slot = &mut cache.slots[(key >> 50) as usize % STEM_CACHE_SLOTS];
        if slot.0 == key {
            return slot.1;
        }
        let id = match &self.stemmer {
            Some(stemmer) => Fnv::new(ID_STEM).bytes(stemmer.stem(word).as_bytes()),
            None => Fnv::new(ID_STEM).bytes(word.as_bytes()),
        }
        .finish();
        *slot = (key, id);
        id
    }
}

/// How many words before an act noun may qualify it ("vile racist abuse").
const ACT_QUALIFIERS: usize = 2;
/// How many words may stand between an act noun and the verb "to be" of the
/// sentence it is the subject of ("the attack on a family in the high
/// street was ...").
const ACT_SUBJECT_TAIL: usize = 10;
/// How many words after that verb say what the act was ("a disgrace and
/// must stop").
const ACT_PREDICATE: usize = 5;

/// Marks the tokens that describe an act rather than aim at anyone: every
/// act noun ([`lexicon::ACT_NOUN`], outside quotes) with the words right
/// before it that qualify it ("homophobic attacks", "a stupid plan"), and,
/// when the act is the subject of its sentence ("the attack on ... was",
/// "attacks ... are"), the words that say what it was ("disgraceful", "a
/// disgrace"). Qualifiers stop at a sentence break, a function word, a
/// pronoun, a group's name or a name-calling word; predicates hold only
/// such describing words, articles, intensifiers and "and": "the attack
/// was planned by thugs" keeps "thugs" its own.
fn mark_acts(tokens: &mut [Token], words: &str) {
    let word = |t: &Token| &words[t.canon.start as usize..t.canon.end as usize];
    let is_act =
        |t: &Token| t.kind == Kind::Word && !t.quoted && t.lexicon & lexicon::ACT_NOUN != 0;
    // A word that may say something about an act: not a function word, not
    // a person, not a group.
    let describes = |t: &Token| {
        t.kind == Kind::Word
            && !t.quoted
            && t.lexicon
                & (lexicon::STOPWORD
                    | lexicon::SECOND_PERSON
                    | lexicon::IDENTITY
                    | lexicon::LOOSE_GROUP
                    | lexicon::NAME_CALLING)
                == 0
    };
    let copula = |t: &Token| matches!(word(t), "is" | "was" | "are" | "were" | "been" | "be");
    let tie = |t: &Token| {
        matches!(
            word(t),
            "on" | "in"
                | "against"
                | "at"
                | "by"
                | "of"
                | "to"
                | "towards"
                | "toward"
                | "from"
                | "near"
                | "outside"
                | "the"
                | "a"
                | "an"
                | "this"
                | "that"
                | "these"
                | "those"
                | "our"
                | "my"
                | "his"
                | "her"
                | "their"
                | "its"
        )
    };
    // What a predicate may hold besides describing words: articles,
    // intensifiers and "and".
    let predicate_glue = |t: &Token| {
        matches!(
            word(t),
            "a" | "an"
                | "so"
                | "very"
                | "utterly"
                | "absolutely"
                | "totally"
                | "truly"
                | "quite"
                | "really"
                | "just"
                | "and"
                | "most"
                | "completely"
                | "simply"
                | "must"
                | "should"
                | "be"
                | "not"
        )
    };
    for k in 0..tokens.len() {
        if !is_act(&tokens[k]) {
            continue;
        }
        tokens[k].about_act = true;
        let mut j = k;
        while j > 0 && k - (j - 1) <= ACT_QUALIFIERS && !tokens[j].break_before {
            if !describes(&tokens[j - 1]) {
                break;
            }
            j -= 1;
            tokens[j].about_act = true;
        }
        // The act as the subject of its sentence: only what ties a noun
        // phrase together may come between the noun and the verb.
        let mut verb = None;
        for (at, t) in tokens.iter().enumerate().skip(k + 1).take(ACT_SUBJECT_TAIL) {
            if t.break_before || t.quoted {
                break;
            }
            if copula(t) {
                verb = Some(at);
                break;
            }
            let group = t.lexicon & (lexicon::IDENTITY | lexicon::LOOSE_GROUP) != 0;
            if !(tie(t) || describes(t) || group) {
                break;
            }
        }
        let Some(verb) = verb else { continue };
        for t in tokens.iter_mut().skip(verb + 1).take(ACT_PREDICATE) {
            if t.break_before || !(describes(t) || predicate_glue(t)) {
                break;
            }
            t.about_act = true;
        }
    }
}

/// Whether `raw[0]` is Twitter's retweet marker ("RT @someone"): a corpus
/// artefact that says nothing about the comment, so it is dropped.
fn is_retweet_marker(text: &str, raw: &[RawToken]) -> bool {
    match raw {
        [rt, next, ..] => &text[rt.range()] == "RT" && text[next.range()].starts_with('@'),
        _ => false,
    }
}

/// Whether `word` is written in capitals: 3 or more letters, none lower
/// case ("STUPID", not "EU" or "McDonald").
fn is_shouted(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars() {
        if c.is_lowercase() {
            return false;
        }
        letters += usize::from(c.is_uppercase());
    }
    letters >= 3
}

/// Length of the run of spaced-out single letters ("i d i o t") starting
/// at `raw[0]`: single-letter words separated by spaces only, on one line,
/// with the same quoting. Runs shorter than 3 do not count.
fn spaced_letter_run(text: &str, raw: &[RawToken]) -> usize {
    let single_letter = |t: &RawToken| {
        t.kind == RawKind::Word && {
            let mut chars = text[t.range()].chars();
            chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
        }
    };
    if raw.is_empty() || !single_letter(&raw[0]) {
        return 0;
    }
    let mut n = 1;
    while n < raw.len() {
        let (prev, next) = (&raw[n - 1], &raw[n]);
        let gap = &text[prev.end as usize..next.start as usize];
        if !single_letter(next)
            || next.quoted != prev.quoted
            || next.break_before
            || gap.is_empty()
            || !gap.bytes().all(|b| b == b' ' || b == b'\t')
        {
            break;
        }
        n += 1;
    }
    if n >= 3 {
        n
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(text: &str) -> Vec<(String, Kind)> {
        let analyser = Analyser::new(ValidFeatureParams::default());
        let mut out = Analysis::default();
        analyser.analyse(text, &mut out, &mut StemCache::default());
        out.tokens
            .iter()
            .map(|t| (out.canon(t).to_string(), t.kind))
            .collect()
    }

    fn words(text: &str) -> Vec<String> {
        canon(text).into_iter().map(|w| w.0).collect()
    }

    #[test]
    fn token_ids_do_not_depend_on_what_the_scratch_analysed_before() {
        let analyser = Analyser::new(ValidFeatureParams::default());
        let ids = |out: &Analysis| out.tokens.iter().map(|t| t.id).collect::<Vec<_>>();
        let mut fresh = Analysis::default();
        analyser.analyse(
            "shamefully organised bullying",
            &mut fresh,
            &mut StemCache::default(),
        );
        let mut used = Analysis::default();
        let mut stems = StemCache::default();
        analyser.analyse("living organisms", &mut used, &mut stems);
        analyser.analyse("shamefully organised bullying", &mut used, &mut stems);
        assert_eq!(ids(&used), ids(&fresh));
    }

    #[test]
    fn de_obfuscates() {
        assert_eq!(
            words("You 1d10t, f**k off, a$$ @sshole i d i o t stuuupid \u{456}diot"),
            ["you", "idiot", "fuck", "off", "ass", "asshole", "idiot", "stupid", "idiot"]
        );
    }

    #[test]
    fn placeholders_for_links_and_mentions() {
        assert_eq!(
            canon("@USER @Badger see URL or http://x.com and bbc.co.uk 2019"),
            [
                ("<user>".into(), Kind::User),
                ("<user>".into(), Kind::User),
                ("see".into(), Kind::Word),
                ("<url>".into(), Kind::Url),
                ("or".into(), Kind::Word),
                ("<url>".into(), Kind::Url),
                ("and".into(), Kind::Word),
                ("<url>".into(), Kind::Url),
                ("2019".into(), Kind::Number),
            ]
        );
    }

    #[test]
    fn drops_retweet_markers() {
        assert_eq!(words("RT @mayasolovely: hi"), ["<user>", "hi"]);
        assert_eq!(words("RT is fine"), ["rt", "is", "fine"]);
    }

    #[test]
    fn spaced_letters_need_three() {
        assert_eq!(words("a b is ok"), ["a", "b", "is", "ok"]);
        assert_eq!(words("f u c k you"), ["fuck", "you"]);
    }

    #[test]
    fn shout_and_obfuscation_flags() {
        let analyser = Analyser::new(ValidFeatureParams::default());
        let mut out = Analysis::default();
        analyser.analyse("STUPID EU sh1t fine", &mut out, &mut StemCache::default());
        let flags: Vec<_> = out.tokens.iter().map(|t| (t.shout, t.obfuscated)).collect();
        assert_eq!(
            flags,
            [(true, false), (false, false), (false, true), (false, false)]
        );
    }

    #[test]
    fn stems_share_ids() {
        let analyser = Analyser::new(ValidFeatureParams::default());
        let mut out = Analysis::default();
        analyser.analyse("idiots idiot", &mut out, &mut StemCache::default());
        assert_eq!(out.tokens[0].id, out.tokens[1].id);
    }

    /// The words of `text` marked as about an act.
    fn act_words(text: &str) -> Vec<String> {
        let analyser = Analyser::new(ValidFeatureParams::default());
        let mut out = Analysis::default();
        analyser.analyse(text, &mut out, &mut StemCache::default());
        out.tokens
            .iter()
            .filter(|t| t.about_act)
            .map(|t| out.canon(t).to_string())
            .collect()
    }

    #[test]
    fn words_condemning_an_act_are_told_from_words_aimed_at_people() {
        assert_eq!(
            act_words("Homophobic attacks in our street are a disgrace and must stop."),
            [
                "homophobic",
                "attacks",
                "a",
                "disgrace",
                "and",
                "must",
                "stop"
            ]
        );
        assert_eq!(
            act_words("The attack on a Muslim family in the high street was disgraceful."),
            ["attack", "disgraceful"]
        );
        assert_eq!(
            act_words("This is a stupid plan from a council."),
            ["stupid", "plan"]
        );
        // Aimed at people: the insult stays its own.
        assert!(act_words("You are disgraceful.").is_empty());
        assert!(act_words("Those thugs who attacked the family are disgraceful.").is_empty());
        assert_eq!(
            act_words("The attack was planned by thugs."),
            ["attack", "planned"]
        );
        assert_eq!(
            act_words("You are an idiot and your comments are stupid."),
            ["comments", "stupid"]
        );
    }

    #[test]
    fn quoted_and_next_sentence_words_are_not_about_the_act() {
        assert!(act_words("He wrote \"racist attacks are fine\" today.").is_empty());
        assert_eq!(act_words("What an attack. Disgraceful people."), ["attack"]);
    }
}
