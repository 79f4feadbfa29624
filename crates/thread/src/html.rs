//! HTML to plain text, shared by every reader whose source holds HTML.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};

/// Turns an HTML fragment into plain text.
///
/// Paragraphs and other blocks become blank-line separated paragraphs,
/// `<br>` a newline, entities are decoded, white space is collapsed outside
/// `<pre>`, scripts and styles are dropped, and every line inside a
/// `<blockquote>` is prefixed with `> ` (once per level) so quoting stays
/// visible. The tree is walked iteratively: nesting depth costs no stack.
pub fn html_to_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        // No markup and no references: only white space to collapse.
        return html.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let fragment = Html::parse_fragment(html);
    element_to_text(fragment.root_element())
}

/// Renders the text of one element and its descendants, like [`html_to_text`].
pub(crate) fn element_to_text(element: ElementRef<'_>) -> String {
    let mut writer = TextWriter::default();
    let mut skipped = 0usize;
    for edge in element.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Text(text) if skipped == 0 => writer.push_text(text),
                Node::Element(element) => {
                    let name = element.name();
                    if is_skipped(name) {
                        skipped += 1;
                    } else if skipped == 0 {
                        writer.open(name);
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(element) = node.value() {
                    let name = element.name();
                    if is_skipped(name) {
                        skipped = skipped.saturating_sub(1);
                    } else if skipped == 0 {
                        writer.close(name);
                    }
                }
            }
        }
    }
    writer.finish()
}

fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "noscript" | "template" | "head" | "title"
    )
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "tr"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "main"
            | "figure"
            | "figcaption"
            | "address"
            | "form"
            | "hr"
    )
}

/// Accumulates paragraphs while the tree is walked.
#[derive(Default)]
struct TextWriter {
    out: String,
    paragraph: String,
    pending_space: bool,
    quote_depth: usize,
    pre_depth: usize,
}

impl TextWriter {
    fn push_text(&mut self, text: &str) {
        if self.pre_depth > 0 {
            self.paragraph.push_str(text);
            return;
        }
        for c in text.chars() {
            if c.is_whitespace() {
                self.pending_space = true;
                continue;
            }
            if self.pending_space && !self.paragraph.is_empty() && !self.paragraph.ends_with('\n') {
                self.paragraph.push(' ');
            }
            self.pending_space = false;
            self.paragraph.push(c);
        }
    }

    fn open(&mut self, name: &str) {
        if name == "br" {
            self.paragraph.push('\n');
            self.pending_space = false;
        } else if is_block(name) {
            self.flush();
            match name {
                "blockquote" => self.quote_depth += 1,
                "pre" => self.pre_depth += 1,
                _ => {}
            }
        }
    }

    fn close(&mut self, name: &str) {
        if is_block(name) {
            self.flush();
            match name {
                "blockquote" => self.quote_depth = self.quote_depth.saturating_sub(1),
                "pre" => self.pre_depth = self.pre_depth.saturating_sub(1),
                _ => {}
            }
        }
    }

    fn flush(&mut self) {
        self.pending_space = false;
        let paragraph = std::mem::take(&mut self.paragraph);
        let lines = paragraph
            .lines()
            .map(str::trim_end)
            .skip_while(|line| line.trim().is_empty());
        let mut lines: Vec<&str> = lines.collect();
        while lines.last().is_some_and(|line| line.trim().is_empty()) {
            lines.pop();
        }
        if lines.is_empty() {
            return;
        }
        if !self.out.is_empty() {
            self.out.push_str("\n\n");
        }
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                self.out.push('\n');
            }
            for _ in 0..self.quote_depth {
                self.out.push_str("> ");
            }
            self.out.push_str(if self.pre_depth > 0 {
                line
            } else {
                line.trim_start()
            });
        }
    }

    fn finish(mut self) -> String {
        self.flush();
        self.out
    }
}

/// Decodes HTML character references (`&amp;`, `&#39;`, `&eacute;`...) in
/// text that is otherwise plain. Anything that is not a known reference,
/// such as a bare `&`, is kept as written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let reference = after
            .char_indices()
            .take(40)
            .find(|&(_, c)| c == ';' || c == '&' || c.is_whitespace())
            .filter(|&(_, c)| c == ';')
            .map(|(end, _)| &after[..end]);
        match reference.and_then(resolve_reference) {
            Some(decoded) => {
                out.push_str(&decoded);
                rest = &after[reference.map_or(0, str::len) + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn resolve_reference(name: &str) -> Option<String> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse::<u32>().ok()?,
        };
        return char::from_u32(code)
            .filter(|&c| c != '\0')
            .map(String::from);
    }
    quick_xml::escape::resolve_html5_entity(name).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_breaks_and_entities() {
        let text = html_to_text(
            "<p>Hello &amp; <b>welcome</b>,\n  friends.</p><p>Line one<br>line two</p>",
        );
        assert_eq!(text, "Hello & welcome, friends.\n\nLine one\nline two");
    }

    #[test]
    fn blockquotes_are_prefixed_per_level() {
        let text = html_to_text(
            "<blockquote><p>You said this.</p><blockquote>And before, that.</blockquote></blockquote><p>I disagree.</p>",
        );
        assert_eq!(
            text,
            "> You said this.\n\n> > And before, that.\n\nI disagree."
        );
    }

    #[test]
    fn plain_text_is_collapsed_like_html() {
        let text = "  Plain\n text,\t no markup.  ";
        assert_eq!(html_to_text(text), "Plain text, no markup.");
        assert_eq!(html_to_text(text), html_to_text(&format!("{text}<b></b>")));
    }

    #[test]
    fn scripts_dropped_and_plain_text_kept() {
        assert_eq!(
            html_to_text("<script>alert(1)</script>Just text"),
            "Just text"
        );
        assert_eq!(html_to_text("a < b and c > d"), "a < b and c > d");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<div>".repeat(20_000) + "deep" + &"</div>".repeat(20_000);
        assert_eq!(html_to_text(&html), "deep");
    }

    #[test]
    fn entities_decode_leniently() {
        assert_eq!(
            decode_entities("AT&T &amp; &gt;quote &#39;x&#x27; &eacute; &bogus; &"),
            "AT&T & >quote 'x' é &bogus; &"
        );
        assert_eq!(decode_entities("&#0; &#xFFFFFFFF;"), "&#0; &#xFFFFFFFF;");
    }
}
