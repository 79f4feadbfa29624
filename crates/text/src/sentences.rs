//! Sentences of a text, by Unicode sentence boundaries.

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
    // Plain ASCII text breaks only after `.`, `!`, `?` or a line break.
    let one = text.is_ascii()
        && !text
            .bytes()
            .any(|b| matches!(b, b'.' | b'!' | b'?' | b'\n' | b'\r'));
    let mut whole = one.then_some((0, text));
    let mut split = (!one).then(|| text.split_sentence_bound_indices());
    // `from_fn` gives no size hint: unicode-segmentation's own overflows
    // in debug builds near the end of a text.
    std::iter::from_fn(move || match whole.take() {
        Some(sentence) => Some(sentence),
        None => split.as_mut()?.next(),
    })
    .filter_map(|(start, sentence)| {
        let trimmed = sentence.trim();
        let lead = sentence.len() - sentence.trim_start().len();
        (!trimmed.is_empty()).then_some((start + lead, trimmed))
    })
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

    proptest! {
        #[test]
        fn plain_ascii_without_stops_is_one_sentence(text in "[ -~\t\x0b\x0c]{0,80}") {
            prop_assert_eq!(sentences(&text).collect::<Vec<_>>(), segmented(&text));
        }
    }
}
