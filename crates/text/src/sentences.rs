//! Sentences of a text, by Unicode sentence boundaries.
//!
//! Plain ASCII text, most comments, is split by [`AsciiSentences`]: the
//! rules of UAX #29 as unicode-segmentation applies them, on bytes, without
//! its per-character table searches. Other text is split by
//! unicode-segmentation itself.

use unicode_segmentation::UnicodeSegmentation;

/// The sentences of `text` with the byte offset where each starts, trimmed
/// of surrounding whitespace; empty sentences are left out.
///
/// ```
/// let s: Vec<_> = referee_text::sentences("Short.  Then a second one!").collect();
/// assert_eq!(s, [(0, "Short."), (8, "Then a second one!")]);
/// let one: Vec<_> = referee_text::sentences("  no stop at all ").collect();
/// assert_eq!(one, [(2, "no stop at all")]);
/// ```
pub fn sentences(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let ascii = text.is_ascii();
    // Plain ASCII text breaks only after `.`, `!`, `?` or a line break.
    let one = ascii
        && !text
            .bytes()
            .any(|b| matches!(b, b'.' | b'!' | b'?' | b'\n' | b'\r'));
    let mut whole = one.then_some((0, text));
    let mut split_ascii = (ascii && !one).then(|| AsciiSentences::new(text));
    let mut split = (!ascii).then(|| text.split_sentence_bound_indices());
    // `from_fn` gives no size hint: unicode-segmentation's own overflows
    // in debug builds near the end of a text.
    std::iter::from_fn(move || match whole.take() {
        Some(sentence) => Some(sentence),
        None => match split_ascii.as_mut() {
            Some(ascii) => ascii.next(),
            None => split.as_mut()?.next(),
        },
    })
    .filter_map(|(start, sentence)| {
        let trimmed = sentence.trim();
        let lead = sentence.len() - sentence.trim_start().len();
        (!trimmed.is_empty()).then_some((start + lead, trimmed))
    })
}

/// The sentence-break category of an ASCII character (UAX #29's
/// Sentence_Break property; ASCII has no Sep, OLetter, Extend or Format).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Category {
    Other,
    Cr,
    Lf,
    Sp,
    Lower,
    Upper,
    Numeric,
    ATerm,
    STerm,
    SContinue,
    Close,
}

/// The [`Category`] of every ASCII character, by its code.
const CATEGORIES: [Category; 128] = {
    let mut table = [Category::Other; 128];
    let mut byte = 0;
    while byte < 128 {
        table[byte as usize] = category_of(byte);
        byte += 1;
    }
    table
};

/// The [`Category`] of an ASCII character.
fn category(byte: u8) -> Category {
    CATEGORIES[usize::from(byte & 0x7f)]
}

const fn category_of(byte: u8) -> Category {
    match byte {
        b'\r' => Category::Cr,
        b'\n' => Category::Lf,
        b'\t' | 0x0b | 0x0c | b' ' => Category::Sp,
        b'a'..=b'z' => Category::Lower,
        b'A'..=b'Z' => Category::Upper,
        b'0'..=b'9' => Category::Numeric,
        b'.' => Category::ATerm,
        b'!' | b'?' => Category::STerm,
        b',' | b'-' | b':' | b';' => Category::SContinue,
        b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Category::Close,
        _ => Category::Other,
    }
}

/// What the last characters were, runs of closing punctuation and of
/// spaces each counted once: the state of unicode-segmentation's sentence
/// breaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Sot,
    Other,
    Cr,
    Lf,
    ATerm,
    UpperLower,
    ClosePlus,
    SpPlus,
    STerm,
}

/// The last four [`Part`]s, the latest last.
type State = [Part; 4];

/// `state` after a character of category `category`.
fn advance(state: State, category: Category) -> State {
    match (state[3], category) {
        (Part::ClosePlus, Category::Close) | (Part::SpPlus, Category::Sp) => state,
        _ => [
            state[1],
            state[2],
            state[3],
            match category {
                Category::Cr => Part::Cr,
                Category::Lf => Part::Lf,
                Category::ATerm => Part::ATerm,
                Category::Upper | Category::Lower => Part::UpperLower,
                Category::Close => Part::ClosePlus,
                Category::Sp => Part::SpPlus,
                Category::STerm => Part::STerm,
                _ => Part::Other,
            },
        ],
    }
}

/// Where `state` ends in `SATerm Close* Sp*`, the part before the closing
/// punctuation and spaces.
fn before_close_and_spaces(state: &State) -> Part {
    let mut at = if state[3] == Part::SpPlus { 2 } else { 3 };
    if state[at] == Part::ClosePlus {
        at -= 1;
    }
    state[at]
}

fn is_sa_term(part: Part) -> bool {
    matches!(part, Part::STerm | Part::ATerm)
}

/// SB8: `ATerm Close* Sp*` followed by a lower-case letter before any
/// letter, terminator or line break, in `ahead`.
fn sb8(state: &State, ahead: &[u8]) -> bool {
    before_close_and_spaces(state) == Part::ATerm
        && ahead
            .iter()
            .map(|&b| category(b))
            .find(|c| {
                matches!(
                    c,
                    Category::Lower
                        | Category::Upper
                        | Category::Cr
                        | Category::Lf
                        | Category::STerm
                        | Category::ATerm
                )
            })
            .is_some_and(|c| c == Category::Lower)
}

/// SB9: `SATerm Close*`.
fn sb9(state: &State) -> bool {
    let at = if state[3] == Part::ClosePlus { 2 } else { 3 };
    is_sa_term(state[at])
}

/// SB11: `SATerm Close* Sp* ParaSep?`.
fn sb11(state: &State) -> bool {
    let mut at = match state[3] {
        Part::Cr | Part::Lf => 2,
        _ => 3,
    };
    if state[at] == Part::SpPlus {
        at -= 1;
    }
    if state[at] == Part::ClosePlus {
        at -= 1;
    }
    is_sa_term(state[at])
}

/// Whether a sentence ends before the character of `category` that
/// `ahead` starts with, in state `before`: the rules of UAX #29 in the
/// order unicode-segmentation applies them.
fn breaks(before: &State, category: Category, ahead: &[u8]) -> bool {
    use Category::{ATerm, Close, Cr, Lf, Numeric, SContinue, STerm, Sp, Upper};
    if before[3] == Part::Sot {
        return true; // SB1
    }
    if category == Lf && before[3] == Part::Cr {
        return false; // SB3
    }
    if matches!(before[3], Part::Cr | Part::Lf) {
        return true; // SB4
    }
    let no_break = (category == Numeric && before[3] == Part::ATerm) // SB6
        || (category == Upper && before[2] == Part::UpperLower && before[3] == Part::ATerm) // SB7
        || sb8(before, ahead)
        || (matches!(category, SContinue | STerm | ATerm)
            && is_sa_term(before_close_and_spaces(before))) // SB8a
        || (matches!(category, Close | Sp | Cr | Lf) && sb9(before))
        || (matches!(category, Sp | Cr | Lf) && is_sa_term(before_close_and_spaces(before))); // SB10
    !no_break && sb11(before)
}

/// The sentences of ASCII text with their byte offsets, exactly as
/// unicode-segmentation's `split_sentence_bound_indices` gives them.
struct AsciiSentences<'a> {
    text: &'a str,
    /// Where the next character to read is.
    pos: usize,
    state: State,
    /// Where the sentence being read starts.
    start: Option<usize>,
}

impl<'a> AsciiSentences<'a> {
    fn new(text: &'a str) -> Self {
        debug_assert!(text.is_ascii());
        AsciiSentences {
            text,
            pos: 0,
            state: [Part::Sot; 4],
            start: None,
        }
    }

    /// The next sentence boundary.
    fn next_break(&mut self) -> Option<usize> {
        let bytes = self.text.as_bytes();
        while self.pos < bytes.len() {
            let at = self.pos;
            let before = self.state;
            let category = category(bytes[at]);
            self.pos += 1;
            self.state = advance(before, category);
            // Within a run of words no rule breaks: skip the rules.
            if matches!(before[3], Part::Other | Part::UpperLower)
                && matches!(
                    category,
                    Category::Lower
                        | Category::Upper
                        | Category::Numeric
                        | Category::Other
                        | Category::SContinue
                )
            {
                continue;
            }
            let breaks = breaks(&before, category, &bytes[at..]);
            if breaks {
                return Some(at);
            }
        }
        // SB2: the end of a text that has begun.
        if self.state[3] == Part::Sot || self.pos > bytes.len() {
            return None;
        }
        self.pos = bytes.len() + 1;
        Some(bytes.len())
    }
}

impl<'a> Iterator for AsciiSentences<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let start = match self.start {
            Some(start) => start,
            None => self.next_break()?,
        };
        let end = self.next_break()?;
        self.start = Some(end);
        Some((start, &self.text[start..end]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The sentences as Unicode segmentation alone finds them.
    fn segmented(text: &str) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        for (start, sentence) in text.split_sentence_bound_indices() {
            let trimmed = sentence.trim();
            let lead = sentence.len() - sentence.trim_start().len();
            if !trimmed.is_empty() {
                out.push((start + lead, trimmed));
            }
        }
        out
    }

    /// One character of each sentence-break category ASCII has.
    const ONE_OF_EACH: &[u8] = b"#\r\n aA1.!,\"";

    #[test]
    fn ascii_splits_as_unicode_segmentation_on_every_short_text() {
        let base = ONE_OF_EACH.len();
        let mut text = Vec::new();
        for len in 0..=5u32 {
            for mut code in 0..base.pow(len) {
                text.clear();
                for _ in 0..len {
                    text.push(ONE_OF_EACH[code % base]);
                    code /= base;
                }
                let text = std::str::from_utf8(&text).expect("ASCII");
                let ascii: Vec<_> = AsciiSentences::new(text).collect();
                let unicode: Vec<_> = text.split_sentence_bound_indices().collect();
                assert_eq!(ascii, unicode, "{text:?}");
            }
        }
    }

    #[test]
    fn every_ascii_character_has_its_unicode_category() {
        // Each character between letters, after a full stop and after a
        // closing quotation mark: where categories change the breaks.
        for byte in 0..=0x7fu8 {
            let c = char::from(byte);
            for text in [
                format!("Hi{c}there. Yes"),
                format!("Hi.{c}there. Yes"),
                format!("Hi.{c} there"),
                format!("Hi.\"{c}There"),
                format!("Hi!{c}{c}A b"),
                format!("e.g{c}x. Y"),
            ] {
                let ascii: Vec<_> = AsciiSentences::new(&text).collect();
                let unicode: Vec<_> = text.split_sentence_bound_indices().collect();
                assert_eq!(ascii, unicode, "{text:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn plain_ascii_without_stops_is_one_sentence(text in "[ -~\t\x0b\x0c]{0,80}") {
            prop_assert_eq!(sentences(&text).collect::<Vec<_>>(), segmented(&text));
        }

        #[test]
        fn ascii_sentences_are_unicode_sentences(
            text in "[a-cA-C0-2 .!?,;:\"'()\\[\\]{}\r\n\t#&-]{0,80}"
        ) {
            prop_assert_eq!(sentences(&text).collect::<Vec<_>>(), segmented(&text));
        }

        #[test]
        fn any_text_splits_as_unicode_segmentation(text in "\\PC{0,60}") {
            prop_assert_eq!(sentences(&text).collect::<Vec<_>>(), segmented(&text));
        }
    }
}
