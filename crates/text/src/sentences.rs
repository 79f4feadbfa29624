//! Sentences of a text, by Unicode sentence boundaries.

use unicode_segmentation::UnicodeSegmentation;

/// The sentences of `text` with the byte offset where each starts, trimmed
/// of surrounding whitespace; empty sentences are left out.
///
/// ```
/// let s: Vec<_> = referee_text::sentences("Short.  Then a second one!").collect();
/// assert_eq!(s, [(0, "Short."), (8, "Then a second one!")]);
/// ```
pub fn sentences(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_sentence_bound_indices()
        .filter_map(|(start, sentence)| {
            let trimmed = sentence.trim();
            let lead = sentence.len() - sentence.trim_start().len();
            (!trimmed.is_empty()).then_some((start + lead, trimmed))
        })
}
