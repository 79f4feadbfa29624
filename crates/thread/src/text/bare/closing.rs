//! Comments of several paragraphs in a copy without blank lines between
//! paragraphs. Each paragraph starts out as a comment of its own; a mark
//! that closes a comment joins the paragraphs before it, back to the
//! comment's opening and never past another commenter's text:
//! - a signature line closes the signer's comment;
//! - a salutation or an address (`Dear Mr Roberts,`, `Rob – …`) answers the
//!   comment right above it, which it closes;
//! - a smiley (`🙂`) signs a comment off, when its opening is in reach.

use std::collections::HashSet;

use super::Segment;
use crate::text::lines::{
    ends_question, ends_with_comma, ends_with_emoticon, introduces_quote, is_salutation,
    is_short_reaction, opens_quote, starts_with_address,
};

/// What a segment before a closing mark is to the comment it closes.
enum Before {
    /// Part of the comment; look further back.
    Inside,
    /// Opens the comment: a salutation, an address, a short reaction,
    /// words ending with a comma, a quotation's introduction, or the first
    /// comment of the thread.
    Opening,
    /// Another commenter's: a signed comment, the answer right after one, a
    /// quotation, a question or a smiley that ends a comment, a comment
    /// addressing a signer by name.
    Outside,
}

/// The marks a thread's signers leave: their signature keys.
struct Signers<'s>(&'s HashSet<String>);

impl Signers<'_> {
    /// Opens by naming a signer (`Curious Cat. In case…`): an answer to
    /// that signer's comment, wherever it is.
    fn named_in(&self, line: &str) -> bool {
        let lower = line.trim_start().to_lowercase();
        self.0.iter().any(|key| {
            lower
                .strip_prefix(key.as_str())
                .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
        })
    }
}

/// The mark that closes a comment.
#[derive(Clone, Copy, PartialEq)]
enum Mark {
    /// A signature: the signer does not answer their own comment, so an
    /// answer to another comment is outside the signed one.
    Signature,
    /// An address or salutation below the comment, answering it.
    Answered,
    /// A smiley ending the comment.
    SignOff,
}

fn before(segments: &[Segment<'_>], at: usize, mark: Mark, signers: &Signers<'_>) -> Before {
    let segment = &segments[at];
    let first = segment.first();
    let signature = mark == Mark::Signature;
    if segment.signed
        || ends_question(segment.last())
        || ends_with_emoticon(segment.last())
        || (signature && (opens_quote(first) || signers.named_in(first)))
    {
        Before::Outside
    } else if at == 0 || opens_comment(first) {
        Before::Opening
    } else if answers_other(segment, signers) {
        if signature {
            Before::Outside
        } else {
            Before::Opening
        }
    } else {
        Before::Inside
    }
}

/// Starts by answering another comment: right after a signed one, by
/// quoting, or by naming a signer.
fn answers_other(segment: &Segment<'_>, signers: &Signers<'_>) -> bool {
    segment.after_signed || opens_quote(segment.first()) || signers.named_in(segment.first())
}

/// A first line that opens a comment.
fn opens_comment(first: &str) -> bool {
    is_salutation(first)
        || starts_with_address(first)
        || is_short_reaction(first)
        || ends_with_comma(first)
        || introduces_quote(first)
}

/// The first segment of the comment that segment `end` closes; after a
/// smiley, `end` alone unless an opening is in reach.
fn reach_back(segments: &[Segment<'_>], end: usize, mark: Mark, signers: &Signers<'_>) -> usize {
    let last = &segments[end];
    if opens_comment(last.first()) || answers_other(last, signers) {
        return end;
    }
    let mut start = end;
    while start > 0 {
        match before(segments, start - 1, mark, signers) {
            Before::Outside => break,
            Before::Inside => start -= 1,
            Before::Opening => return start - 1,
        }
    }
    if mark == Mark::SignOff {
        end
    } else {
        start
    }
}

/// Joins the segments that closing marks show to be one comment.
pub(super) fn join_closed_comments<'a>(
    segments: Vec<Segment<'a>>,
    signatures: &HashSet<String>,
) -> Vec<Segment<'a>> {
    let signers = Signers(signatures);
    // Whether each segment belongs to the one before it.
    let mut joins_previous = vec![false; segments.len()];
    for (at, segment) in segments.iter().enumerate() {
        let closed = if segment.signed {
            Some((at, Mark::Signature))
        } else if at > 0
            && !segments[at - 1].signed
            && (is_salutation(segment.first()) || starts_with_address(segment.first()))
            && !signers.named_in(segment.first())
        {
            Some((at - 1, Mark::Answered))
        } else if ends_with_emoticon(segment.last()) {
            Some((at, Mark::SignOff))
        } else {
            None
        };
        if let Some((end, mark)) = closed {
            let start = reach_back(&segments, end, mark, &signers);
            joins_previous[start + 1..=end].fill(true);
        }
    }
    let mut out: Vec<Segment<'a>> = Vec::with_capacity(segments.len());
    for (segment, joins) in segments.into_iter().zip(joins_previous) {
        match out.last_mut() {
            Some(previous) if joins => {
                previous.lines.extend(segment.lines);
                previous.signed = segment.signed;
            }
            _ => out.push(segment),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::read;

    fn texts(lines: &[&str]) -> Vec<String> {
        read(lines)
            .into_iter()
            .map(|found| found.lines.join(" / "))
            .collect()
    }

    #[test]
    fn a_signature_takes_the_paragraphs_back_to_the_opening() {
        let page = [
            "Good news.",
            "The library stays open on three days.",
            "The volunteers will cover the other days.",
            "Ann Lee.",
            "Someone else answers the first comment.",
            "The next comment by Ann starts here.",
            "And it goes on here.",
            "It has a third paragraph as well.",
            "Ann Lee.",
        ];
        assert_eq!(
            texts(&page),
            [
                "Good news. / The library stays open on three days. / \
                 The volunteers will cover the other days. / Ann Lee.",
                "Someone else answers the first comment.",
                "The next comment by Ann starts here. / And it goes on here. / \
                 It has a third paragraph as well. / Ann Lee.",
            ]
        );
    }

    #[test]
    fn a_signature_stops_at_a_question_or_a_quotation() {
        let page = [
            "Is the library open on Sundays?",
            "Not any more, since April.",
            "Ann Lee.",
            "“Not any more, since April.”",
            "That is not what the minutes say.",
            "The minutes were corrected in May.",
            "Ann Lee.",
        ];
        assert_eq!(
            texts(&page),
            [
                "Is the library open on Sundays?",
                "Not any more, since April. / Ann Lee.",
                "“Not any more, since April.” / That is not what the minutes say.",
                "The minutes were corrected in May. / Ann Lee.",
            ]
        );
    }

    #[test]
    fn a_signer_is_named_by_whole_words() {
        let keys = ["sam".to_owned()].into_iter().collect();
        let signers = super::Signers(&keys);
        assert!(signers.named_in("Sam, you are right."));
        assert!(signers.named_in("Sam"));
        assert!(!signers.named_in("Same here."));
    }

    #[test]
    fn an_address_closes_the_comment_it_answers() {
        let page = [
            "Could anyone explain the vote?",
            "Dear Tom,",
            "the vote was on the budget.",
            "It passed by two votes in the end.",
            "Rob – thanks, that explains it.",
        ];
        assert_eq!(
            texts(&page),
            [
                "Could anyone explain the vote?",
                "Dear Tom, / the vote was on the budget. / It passed by two votes in the end.",
                "Rob – thanks, that explains it.",
            ]
        );
    }

    #[test]
    fn a_smiley_signs_off_only_with_its_opening_in_reach() {
        let opened = [
            "Is it open on Sunday?",
            "Dear Ann,",
            "it is not open on Sundays.",
            "Ask again in May 🙂",
        ];
        assert_eq!(
            texts(&opened)[1],
            "Dear Ann, / it is not open on Sundays. / Ask again in May 🙂"
        );
        let unopened = [
            "Is it open on Sunday?",
            "It is not open on Sundays.",
            "Ask again in May 🙂",
        ];
        assert_eq!(texts(&unopened).len(), 3);
    }
}
