//! Small helpers over quick-xml shared by the XML readers.

use quick_xml::events::{BytesCData, BytesRef, BytesStart, BytesText};

/// Appends the text of a text event (references come as separate events).
pub(crate) fn push_text(out: &mut String, text: &BytesText<'_>) -> Result<(), String> {
    let text = text
        .xml10_content()
        .map_err(|err| format!("invalid text: {err}"))?;
    out.push_str(&text);
    Ok(())
}

/// Appends the content of a CDATA section.
pub(crate) fn push_cdata(out: &mut String, cdata: &BytesCData<'_>) -> Result<(), String> {
    let text = cdata
        .decode()
        .map_err(|err| format!("invalid cdata: {err}"))?;
    out.push_str(&text);
    Ok(())
}

/// Appends a reference: character references and the five XML entities are
/// resolved; any other entity is kept as written (`&name;`) and never
/// expanded, so entity definitions in a DTD (entity bombs) have no effect.
pub(crate) fn push_reference(out: &mut String, reference: &BytesRef<'_>) -> Result<(), String> {
    let name = reference
        .decode()
        .map_err(|err| format!("invalid reference: {err}"))?;
    match reference.resolve_char_ref() {
        Ok(Some(c)) => out.push(c),
        Ok(None) => match quick_xml::escape::resolve_xml_entity(&name) {
            Some(resolved) => out.push_str(resolved),
            None => {
                out.push('&');
                out.push_str(&name);
                out.push(';');
            }
        },
        Err(err) => return Err(format!("invalid character reference &{name};: {err}")),
    }
    Ok(())
}

/// The value of attribute `name`, unescaped, if present and readable.
pub(crate) fn attribute(element: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|attribute| attribute.key.as_ref() == name)
        .and_then(|attribute| {
            attribute
                .unescape_value()
                .ok()
                .map(|value| value.into_owned())
        })
}

/// Wraps blank-line separated blocks in `<p>` and turns single newlines into
/// `<br>`, as WordPress does when it displays stored content.
pub(crate) fn autop(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len() + 16);
    let mut paragraph = String::new();
    let flush = |paragraph: &mut String, out: &mut String| {
        if !paragraph.trim().is_empty() {
            out.push_str("<p>");
            out.push_str(paragraph.trim_end().trim_start_matches('\n'));
            out.push_str("</p>\n");
        }
        paragraph.clear();
    };
    for line in text.split('\n') {
        if line.trim().is_empty() {
            flush(&mut paragraph, &mut out);
        } else {
            if !paragraph.is_empty() {
                paragraph.push_str("<br>\n");
            }
            paragraph.push_str(line);
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autop_makes_paragraphs_and_breaks() {
        assert_eq!(
            autop("One\ntwo\n\n\nThree"),
            "<p>One<br>\ntwo</p>\n<p>Three</p>\n"
        );
    }
}
