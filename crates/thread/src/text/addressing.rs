//! Replies that name whom they answer: a comment opening with `@Name` (or
//! `Name:` / `Name,` when Name is an earlier commenter's whole name) is a
//! reply to that person's latest comment above it, when the
//! layout showed no parent.

use super::Found;

/// The name a comment opens by addressing, if any.
fn addressee(first_line: &str) -> Option<(&str, bool)> {
    let line = first_line.trim_start();
    if let Some(rest) = line.strip_prefix('@') {
        let name = rest
            .split(|c: char| c.is_whitespace() || ",:;.!?".contains(c))
            .next()?;
        return (!name.is_empty()).then_some((name, true));
    }
    let end = line.find([':', ','])?;
    let name = &line[..end];
    let capitalised = name.chars().next().is_some_and(char::is_uppercase);
    (capitalised && name.split_whitespace().count() <= 3).then_some((name, false))
}

/// `author` is `name`, or after `@` starts with it (`@BigFoot` for
/// `BigFoot (MN)`). A first name alone (`Jon,`) is not enough: it often
/// addresses the post's author.
fn names(author: &str, name: &str, after_at: bool) -> bool {
    author == name || (after_at && author.starts_with(name))
}

/// Sets the parent of comments that address an earlier commenter.
pub(crate) fn link_replies(found: &mut [Found]) {
    for at in 0..found.len() {
        if found[at].parent.is_some() {
            continue;
        }
        let Some(first) = found[at].lines.iter().find(|l| !l.trim().is_empty()) else {
            continue;
        };
        let Some((name, prefix_ok)) = addressee(first) else {
            continue;
        };
        let name = name.to_lowercase();
        let own = found[at].author.as_deref().map(str::to_lowercase);
        let parent = (0..at).rev().find(|&earlier| {
            found[earlier].author.as_deref().is_some_and(|author| {
                let author = author.to_lowercase();
                own.as_deref() != Some(author.as_str()) && names(&author, &name, prefix_ok)
            })
        });
        found[at].parent = parent;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(author: &str, text: &str) -> Found {
        Found {
            author: Some(author.to_owned()),
            lines: vec![text.to_owned()],
            ..Found::default()
        }
    }

    #[test]
    fn at_names_and_known_names_make_replies() {
        let mut found = vec![
            comment("BigFoot (MN)", "Ten rallies."),
            comment("Ann", "@BigFoot Good point."),
            comment("Bob", "Ann: no."),
            comment("Cy", "Note: nobody here is called Note."),
            comment("Ann Lee", "Bob, fair enough."),
            comment("Bo", "Lee, thanks."),
            comment("Cy", "Ann Lee, thanks."),
        ];
        link_replies(&mut found);
        let parents: Vec<_> = found.iter().map(|f| f.parent).collect();
        assert_eq!(
            parents,
            [None, Some(0), Some(1), None, Some(2), None, Some(4)]
        );
    }
}
