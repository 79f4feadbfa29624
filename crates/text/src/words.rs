//! Word steps: rewrite one token at a time into its canonical form.
//!
//! Each function reads `buf`, may use `tmp` as scratch space, and leaves the
//! result in `buf`; the return value says whether the word changed.

use crate::lexicon;

/// Unicode lower case.
pub(crate) fn case_fold(buf: &mut String, tmp: &mut String) -> bool {
    if buf.is_ascii() {
        if buf.bytes().any(|b| b.is_ascii_uppercase()) {
            buf.make_ascii_lowercase();
            return true;
        }
        return false;
    }
    tmp.clear();
    tmp.extend(buf.chars().flat_map(char::to_lowercase));
    let changed = *tmp != *buf;
    std::mem::swap(buf, tmp);
    changed
}

/// Cyrillic and Greek look-alikes to Latin, when every non-ASCII letter of
/// the word has a Latin look-alike (so real Russian or Greek words stay).
pub(crate) fn homoglyphs(buf: &mut String, tmp: &mut String) -> bool {
    if buf.is_ascii() {
        return false;
    }
    let disguised = buf
        .chars()
        .filter(|c| !c.is_ascii() && c.is_alphabetic())
        .all(|c| lexicon::homoglyph(c).is_some());
    let has_any = buf.chars().any(|c| lexicon::homoglyph(c).is_some());
    if !disguised || !has_any {
        return false;
    }
    tmp.clear();
    tmp.extend(buf.chars().map(|c| lexicon::homoglyph(c).unwrap_or(c)));
    std::mem::swap(buf, tmp);
    true
}

fn is_letter_byte(b: u8) -> bool {
    b.is_ascii_alphabetic() || b >= 0x80
}

fn is_leet_byte(b: u8) -> bool {
    !b.is_ascii_alphabetic() && lexicon::leet(b).is_some()
}

/// Digits and symbols standing for letters. Inside a word ("sh1t",
/// "1d10t": a letter before and after) they are always read as letters; at
/// the edges only when that gives a known obfuscated word ("@sshole",
/// "$hit", "a$$"), so "covid19" and "4chan" stay as written.
pub(crate) fn leetspeak(buf: &mut String, tmp: &mut String) -> bool {
    let bytes = buf.as_bytes();
    if !bytes.iter().copied().any(is_leet_byte) {
        return false;
    }
    let first_letter = bytes.iter().position(|&b| is_letter_byte(b));
    let last_letter = bytes.iter().rposition(|&b| is_letter_byte(b));
    let (Some(first), Some(last)) = (first_letter, last_letter) else {
        return false;
    };
    let interior = bytes[first..last].iter().copied().any(is_leet_byte);
    tmp.clear();
    // Leet symbols are ASCII and map to ASCII letters: byte-wise is safe.
    for ch in buf.chars() {
        let mapped = if ch.is_ascii() && is_leet_byte(ch as u8) {
            lexicon::leet(ch as u8).map_or(ch, char::from)
        } else {
            ch
        };
        tmp.push(mapped);
    }
    if interior || lexicon::is_obfuscation_target(&tmp.to_ascii_lowercase()) {
        std::mem::swap(buf, tmp);
        true
    } else {
        false
    }
}

/// Masked words ("f*ck", "f**k", "b#tch", "f***") resolved against the
/// list of commonly masked words: first a mask character per hidden letter,
/// then a run of masks for one or more letters. Unresolved words stay.
pub(crate) fn unmask(buf: &mut String) -> bool {
    let bytes = buf.as_bytes();
    if !bytes.iter().any(|&b| lexicon::is_mask(b)) || !bytes.iter().any(|&b| is_letter_byte(b)) {
        return false;
    }
    let lower = buf.to_ascii_lowercase();
    let pattern = lower.as_bytes();
    let found = lexicon::OBFUSCATION_TARGETS
        .iter()
        .find(|t| matches_mask(pattern, t.as_bytes(), false))
        .or_else(|| {
            lexicon::OBFUSCATION_TARGETS
                .iter()
                .find(|t| matches_mask(pattern, t.as_bytes(), true))
        });
    match found {
        Some(target) => {
            buf.clear();
            buf.push_str(target);
            true
        }
        None => false,
    }
}

/// Whether `word` fits `pattern`, where a mask byte stands for one letter,
/// or (with `runs`) a run of mask bytes stands for one or more letters.
fn matches_mask(pattern: &[u8], word: &[u8], runs: bool) -> bool {
    match pattern.first() {
        None => word.is_empty(),
        Some(&p) if lexicon::is_mask(p) => {
            if !runs {
                return !word.is_empty() && matches_mask(&pattern[1..], &word[1..], false);
            }
            let rest = pattern
                .iter()
                .position(|&b| !lexicon::is_mask(b))
                .map_or(&pattern[pattern.len()..], |i| &pattern[i..]);
            (1..=word.len()).any(|n| matches_mask(rest, &word[n..], true))
        }
        Some(&p) => word.first() == Some(&p) && matches_mask(&pattern[1..], &word[1..], runs),
    }
}

/// Single letters joined by one repeated separator ("i-d-i-o-t",
/// "f.u.c.k", "i_d_i_o_t"; at least 3 letters) written as one word.
pub(crate) fn join_separated_letters(buf: &mut String, tmp: &mut String) -> bool {
    let bytes = buf.as_bytes();
    if bytes.len() < 5
        || !bytes[1..]
            .iter()
            .take(4)
            .any(|b| matches!(b, b'.' | b'-' | b'_'))
    {
        return false;
    }
    let chars: Vec<char> = buf.chars().collect();
    if chars.len() < 5 || chars.len() % 2 == 0 {
        return false;
    }
    let sep = chars[1];
    if !matches!(sep, '.' | '-' | '_') {
        return false;
    }
    let letters_ok = chars.iter().step_by(2).all(|c| c.is_alphabetic());
    let seps_ok = chars.iter().skip(1).step_by(2).all(|&c| c == sep);
    if !(letters_ok && seps_ok) {
        return false;
    }
    tmp.clear();
    tmp.extend(chars.iter().step_by(2));
    std::mem::swap(buf, tmp);
    true
}

/// Runs of 3 or more equal characters collapsed to one in `buf` and to two
/// in `alt` ("stuuupid" → "stupid", "stuupid"; "sooo" → "so", "soo"). False
/// (and `alt` untouched) when there is no such run.
pub(crate) fn squeeze_repeats(buf: &mut String, tmp: &mut String, alt: &mut String) -> bool {
    let has_run = if buf.is_ascii() {
        buf.as_bytes()
            .windows(3)
            .any(|w| w[0] == w[1] && w[1] == w[2])
    } else {
        let chars: Vec<char> = buf.chars().collect();
        chars.windows(3).any(|w| w[0] == w[1] && w[1] == w[2])
    };
    if !has_run {
        return false;
    }
    tmp.clear();
    alt.clear();
    let mut changed = false;
    let mut chars = buf.chars().peekable();
    while let Some(c) = chars.next() {
        let mut n = 1;
        while chars.peek() == Some(&c) {
            chars.next();
            n += 1;
        }
        changed |= n >= 3;
        tmp.extend(std::iter::repeat_n(c, if n >= 3 { 1 } else { n }));
        alt.extend(std::iter::repeat_n(c, n.min(2)));
    }
    if changed {
        std::mem::swap(buf, tmp);
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: impl Fn(&mut String, &mut String) -> bool, word: &str) -> String {
        let mut buf = word.to_string();
        f(&mut buf, &mut String::new());
        buf
    }

    #[test]
    fn leet_inside_words_and_known_edges() {
        for (from, to) in [
            ("sh1t", "shit"),
            ("1d10t", "idiot"),
            ("musl1ms", "muslims"),
            ("@sshole", "asshole"),
            ("$hit", "shit"),
            ("a$$", "ass"),
            ("sh!t", "shit"),
            ("w1th", "with"),
            ("covid19", "covid19"),
            ("4chan", "4chan"),
            ("1990s", "1990s"),
            ("2019", "2019"),
        ] {
            assert_eq!(run(leetspeak, from), to, "{from}");
        }
    }

    #[test]
    fn masks() {
        for (from, to) in [
            ("f*ck", "fuck"),
            ("f**k", "fuck"),
            ("f***", "fuck"),
            ("sh*t", "shit"),
            ("b#tch", "bitch"),
            ("f*****g", "fucking"),
            ("a**hole", "asshole"),
            ("zz*zz", "zz*zz"),
        ] {
            let mut buf = from.to_string();
            unmask(&mut buf);
            assert_eq!(buf, to, "{from}");
        }
    }

    #[test]
    fn homoglyphs_only_for_disguised_latin() {
        assert_eq!(run(homoglyphs, "\u{456}diot"), "idiot");
        assert_eq!(run(homoglyphs, "\u{456}d\u{456}\u{43e}t"), "idiot");
        assert_eq!(run(homoglyphs, "привет"), "привет");
    }

    #[test]
    fn separated_letters() {
        assert_eq!(run(join_separated_letters, "i-d-i-o-t"), "idiot");
        assert_eq!(run(join_separated_letters, "f.u.c.k"), "fuck");
        assert_eq!(run(join_separated_letters, "e.g"), "e.g");
        assert_eq!(run(join_separated_letters, "al-qaeda"), "al-qaeda");
    }

    #[test]
    fn repeats() {
        let mut buf = "stuuupid".to_string();
        let mut alt = String::new();
        assert!(squeeze_repeats(&mut buf, &mut String::new(), &mut alt));
        assert_eq!((buf.as_str(), alt.as_str()), ("stupid", "stuupid"));
        let mut buf = "cooool".to_string();
        squeeze_repeats(&mut buf, &mut String::new(), &mut alt);
        assert_eq!((buf.as_str(), alt.as_str()), ("col", "cool"));
        let mut buf = "bloooody".to_string();
        squeeze_repeats(&mut buf, &mut String::new(), &mut alt);
        assert_eq!((buf.as_str(), alt.as_str()), ("blody", "bloody"));
        let mut buf = "good".to_string();
        assert!(!squeeze_repeats(&mut buf, &mut String::new(), &mut alt));
    }
}
