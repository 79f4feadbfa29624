//! Turning what clients send into the plain text referee scores: HTML
//! stripping, and sentence spans with the UTF-16 offsets Perspective uses.

/// Elements whose boundaries separate words when rendered.
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

/// The visible text of an HTML fragment: tags dropped, entities decoded,
/// block boundaries turned into line breaks, script and style left out.
pub fn strip_html(html: &str) -> String {
    use scraper::node::Node;
    let fragment = scraper::Html::parse_fragment(html);
    let mut out = String::with_capacity(html.len());
    let mut skip_depth: Option<usize> = None;
    for edge in fragment.root_element().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if skip_depth.is_none() && matches!(name, "script" | "style") {
                        skip_depth = Some(node.ancestors().count());
                    }
                    if BLOCK_ELEMENTS.contains(&name) {
                        out.push('\n');
                    }
                }
                Node::Text(t) if skip_depth.is_none() => out.push_str(t),
                _ => {}
            },
            ego_tree::iter::Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if skip_depth == Some(node.ancestors().count()) {
                        skip_depth = None;
                    }
                    if BLOCK_ELEMENTS.contains(&e.name()) {
                        out.push('\n');
                    }
                }
            }
        }
    }
    tidy_lines(&out)
}

/// Collapses runs of spaces within lines and runs of blank lines.
fn tidy_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&line);
    }
    out
}

/// A sentence of a text: its byte range (for slicing) and its UTF-16 range
/// (what Perspective's `spanScores` report; `end` exclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Byte offset of the first character.
    pub byte_begin: usize,
    /// Byte offset one past the last character.
    pub byte_end: usize,
    /// UTF-16 offset of the first character.
    pub begin: usize,
    /// UTF-16 offset one past the last character.
    pub end: usize,
}

/// The sentences of `text`, trimmed of surrounding whitespace; empty
/// sentences are left out.
pub fn sentences(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut utf16_at = 0usize;
    let mut byte_at = 0usize;
    for (byte_begin, sentence) in referee_text::sentences(text) {
        // Advance the UTF-16 counter to the sentence's start.
        utf16_at += utf16_len(&text[byte_at..byte_begin]);
        byte_at = byte_begin;
        spans.push(Span {
            byte_begin,
            byte_end: byte_begin + sentence.len(),
            begin: utf16_at,
            end: utf16_at + utf16_len(sentence),
        });
    }
    spans
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_decodes_entities() {
        assert_eq!(
            strip_html("<p>You are <b>an idiot</b> &amp; a liar.</p><p>Bye</p>"),
            "You are an idiot & a liar.\nBye"
        );
        assert_eq!(strip_html("a<br>b<script>alert(1)</script>c"), "a\nbc");
        assert_eq!(strip_html("plain text"), "plain text");
    }

    #[test]
    fn sentence_spans_use_utf16_offsets() {
        let text = "Hi there. 😀 You fool! ok";
        let spans = sentences(text);
        let parts: Vec<&str> = spans
            .iter()
            .map(|s| &text[s.byte_begin..s.byte_end])
            .collect();
        assert_eq!(parts, ["Hi there.", "😀 You fool!", "ok"]);
        assert_eq!((spans[0].begin, spans[0].end), (0, 9));
        // The emoji is two UTF-16 code units.
        assert_eq!((spans[1].begin, spans[1].end), (10, 22));
        assert_eq!((spans[2].begin, spans[2].end), (23, 25));
    }

    #[test]
    fn blank_text_has_no_sentences() {
        assert!(sentences("   \n ").is_empty());
    }
}
