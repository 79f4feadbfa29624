//! Dates as blog themes print them (`November 24, 2010 at 3:08 pm`,
//! `10. Februar 2019 um 18:48 Uhr`, `24 novembre 2010 à 15 h 08`), in
//! English and the other languages WordPress is most used in, turned into
//! ISO 8601.

use jiff::civil::{Date, DateTime, Time};

/// Month names and abbreviations (lowercase, without trailing dots) in
/// English, German, French, Spanish, Italian, Dutch and Portuguese.
const MONTHS: [&[&str]; 12] = [
    &[
        "january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene", "gennaio", "gen",
        "januari", "janeiro",
    ],
    &[
        "february",
        "feb",
        "februar",
        "février",
        "févr",
        "fevrier",
        "febrero",
        "febbraio",
        "februari",
        "fevereiro",
        "fev",
    ],
    &[
        "march", "mar", "märz", "mär", "mars", "marzo", "maart", "mrt", "março", "marco",
    ],
    &["april", "apr", "avril", "avr", "abril", "abr", "aprile"],
    &["may", "mai", "mayo", "maggio", "mag", "mei", "maio"],
    &[
        "june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho",
    ],
    &[
        "july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho",
    ],
    &["august", "aug", "août", "aout", "agosto", "ago", "augustus"],
    &[
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "setiembre",
        "settembre",
        "set",
        "setembro",
    ],
    &[
        "october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro",
        "out",
    ],
    &["november", "nov", "novembre", "noviembre", "novembro"],
    &[
        "december",
        "dec",
        "dezember",
        "dez",
        "décembre",
        "decembre",
        "déc",
        "diciembre",
        "dic",
        "dicembre",
        "dezembro",
    ],
];

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number { value: u32, digits: usize },
    Word(String),
    Separator(char),
}

/// The date and time of `text` in ISO 8601 (`2019-02-10T18:48:00`, or
/// `2019-02-10` without a time), or `None` when `text` is not a date with a
/// year: a month name (or `YYYY-MM-DD`, or `D.M.YYYY`), a day, a four-digit
/// year and optionally `H:MM` (`H h MM`), with `am`/`pm`.
pub(crate) fn parse_date(text: &str) -> Option<String> {
    let tokens = tokens(text);
    let mut numbers: Vec<(usize, u32, usize)> = tokens
        .iter()
        .enumerate()
        .filter_map(|(i, token)| match token {
            Token::Number { value, digits } => Some((i, *value, *digits)),
            _ => None,
        })
        .collect();
    let time = take_time(&tokens, &mut numbers)?;
    let (year, month, day) = numeric_date(&tokens, &numbers).or_else(|| {
        let month = tokens.iter().find_map(|token| match token {
            Token::Word(word) => month_number(word),
            _ => None,
        })?;
        let year = numbers.iter().find(|&&(_, _, digits)| digits == 4)?.1;
        let day = numbers
            .iter()
            .find(|&&(_, value, digits)| digits <= 2 && (1..=31).contains(&value))?
            .1;
        Some((year, month, day))
    })?;
    let date = Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()?;
    Some(match time {
        Some(time) => DateTime::from_parts(date, time).to_string(),
        None => date.to_string(),
    })
}

/// Letters runs (lowercased), digit runs and the punctuation between them.
fn tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut value = 0u32;
            let mut digits = 0;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                value = value.saturating_mul(10).saturating_add(d);
                digits += 1;
                chars.next();
            }
            tokens.push(Token::Number { value, digits });
        } else if c.is_alphabetic() {
            let mut word = String::new();
            while let Some(&c) = chars.peek().filter(|c| c.is_alphabetic()) {
                word.extend(c.to_lowercase());
                chars.next();
            }
            tokens.push(Token::Word(word));
        } else {
            if !c.is_whitespace() {
                tokens.push(Token::Separator(c));
            }
            chars.next();
        }
    }
    tokens
}

/// Finds `H:MM[:SS]` or `H h MM`, with `am`/`pm` after it, and takes its
/// numbers out of `numbers`. `Some(None)` when there is no time, `None`
/// when there is one that is not valid.
fn take_time(tokens: &[Token], numbers: &mut Vec<(usize, u32, usize)>) -> Option<Option<Time>> {
    let is_time_separator = |token: &Token| match token {
        Token::Separator(':') => true,
        Token::Word(word) => word == "h",
        _ => false,
    };
    let Some(at) = numbers.windows(2).position(|pair| {
        pair[1].0 == pair[0].0 + 2 && pair[0].2 <= 2 && is_time_separator(&tokens[pair[0].0 + 1])
    }) else {
        return Some(None);
    };
    let (_, mut hour, _) = numbers[at];
    let minute = numbers[at + 1].1;
    let mut end = numbers[at + 1].0;
    let mut taken = 2;
    let mut second = 0;
    if let (Some(Token::Separator(':')), Some(&(i, value, _))) =
        (tokens.get(end + 1), numbers.get(at + 2))
    {
        if i == end + 2 {
            second = value;
            end = i;
            taken = 3;
        }
    }
    // `pm`, `PM`, `p.m.`: the words after the time, dots skipped.
    let mut after = tokens[end + 1..]
        .iter()
        .filter(|token| **token != Token::Separator('.'));
    let meridiem = match (after.next(), after.next()) {
        (Some(Token::Word(w)), _) if w == "am" => Some(false),
        (Some(Token::Word(w)), _) if w == "pm" => Some(true),
        (Some(Token::Word(a)), Some(Token::Word(m))) if m == "m" && (a == "a" || a == "p") => {
            Some(a == "p")
        }
        _ => None,
    };
    match meridiem {
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some(pm) => hour = hour % 12 + if pm { 12 } else { 0 },
        None => {}
    }
    numbers.drain(at..at + taken);
    let time = Time::new(
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        0,
    )
    .ok()?;
    Some(Some(time))
}

/// `YYYY-MM-DD` or `D.M.YYYY` (also with `/` or `-` between day, month and
/// year when the day cannot be a month).
fn numeric_date(tokens: &[Token], numbers: &[(usize, u32, usize)]) -> Option<(u32, u32, u32)> {
    let [(a, first, first_digits), (b, second, _), (c, third, third_digits), ..] = numbers[..]
    else {
        return None;
    };
    if b != a + 2 || c != b + 2 {
        return None;
    }
    let separators = (&tokens[a + 1], &tokens[b + 1]);
    match separators {
        (Token::Separator('-'), Token::Separator('-')) if first_digits == 4 => {
            Some((first, second, third))
        }
        (Token::Separator('.'), Token::Separator('.')) if third_digits == 4 => {
            Some((third, second, first))
        }
        (Token::Separator(x), Token::Separator(y))
            if x == y && matches!(x, '/' | '-') && third_digits == 4 && first > 12 =>
        {
            Some((third, second, first))
        }
        _ => None,
    }
}

fn month_number(word: &str) -> Option<u32> {
    MONTHS
        .iter()
        .position(|names| names.contains(&word))
        .map(|index| index as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_themes_print_them() {
        let cases = [
            ("November 24, 2010 at 3:08 pm", "2010-11-24T15:08:00"),
            ("November 24, 2010 at 12:08 am", "2010-11-24T00:08:00"),
            ("24 November 2010 at 15:08", "2010-11-24T15:08:00"),
            ("Nov 24th, 2010 @ 3:08 p.m.", "2010-11-24T15:08:00"),
            ("10. Februar 2019 um 18:48 Uhr", "2019-02-10T18:48:00"),
            ("10. März 2019", "2019-03-10"),
            ("24 novembre 2010 à 15 h 08", "2010-11-24T15:08:00"),
            ("10 de febrero de 2019 a las 18:48", "2019-02-10T18:48:00"),
            ("10 febbraio 2019 alle 18:48", "2019-02-10T18:48:00"),
            ("10 februari 2019 om 18:48", "2019-02-10T18:48:00"),
            ("10 de fevereiro de 2019 às 18:48", "2019-02-10T18:48:00"),
            ("2014-05-12 10:12:30", "2014-05-12T10:12:30"),
            ("10.02.2019, 18:48", "2019-02-10T18:48:00"),
            ("24/11/2010", "2010-11-24"),
        ];
        for (text, iso) in cases {
            assert_eq!(parse_date(text).as_deref(), Some(iso), "{text}");
        }
    }

    #[test]
    fn what_is_not_a_whole_date_stays_unparsed() {
        for text in [
            "3 days ago",
            "Reply",
            "February 30, 2019",
            "November 24 at 3:08 pm",
            "11/10/2010",
            "25:61",
            "November 24, 2010 at 13:08 pm",
            "",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }
}
