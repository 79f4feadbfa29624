//! Small fixed word lists and character maps the pipeline relies on.

/// Latin letter that a Cyrillic or Greek look-alike stands for.
pub(crate) fn homoglyph(c: char) -> Option<char> {
    Some(match c {
        // Cyrillic lower case
        'а' => 'a',
        'в' => 'b',
        'е' | 'ё' => 'e',
        'һ' => 'h',
        'і' | 'ї' => 'i',
        'ј' => 'j',
        'к' => 'k',
        'м' => 'm',
        'н' => 'h',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'т' => 't',
        'у' => 'y',
        'х' => 'x',
        'ѕ' => 's',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'ɡ' => 'g',
        // Cyrillic upper case
        'А' => 'A',
        'В' => 'B',
        'Е' | 'Ё' => 'E',
        'І' | 'Ї' => 'I',
        'Ј' => 'J',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'У' => 'Y',
        'Х' => 'X',
        'Ѕ' => 'S',
        // Greek
        'α' => 'a',
        'β' => 'b',
        'ε' => 'e',
        'ι' => 'i',
        'κ' => 'k',
        'ν' => 'v',
        'ο' => 'o',
        'ρ' => 'p',
        'τ' => 't',
        'υ' => 'u',
        'χ' => 'x',
        'Α' => 'A',
        'Β' => 'B',
        'Ε' => 'E',
        'Ζ' => 'Z',
        'Η' => 'H',
        'Ι' => 'I',
        'Κ' => 'K',
        'Μ' => 'M',
        'Ν' => 'N',
        'Ο' => 'O',
        'Ρ' => 'P',
        'Τ' => 'T',
        'Υ' => 'Y',
        'Χ' => 'X',
        _ => return None,
    })
}

/// Letter that a digit or symbol stands for inside a word.
pub(crate) fn leet(b: u8) -> Option<u8> {
    Some(match b {
        b'0' => b'o',
        b'1' | b'!' | b'|' => b'i',
        b'3' => b'e',
        b'4' | b'@' => b'a',
        b'5' | b'$' => b's',
        b'7' | b'+' => b't',
        b'8' => b'b',
        b'9' => b'g',
        _ => return None,
    })
}

/// Characters that mask letters in "f*ck", "f#ck", "b**ch".
pub(crate) fn is_mask(b: u8) -> bool {
    matches!(b, b'*' | b'#' | b'%')
}

/// Words people obfuscate to get past filters. Used to resolve masks
/// ("f**k") and leetspeak at word edges ("@sshole", "$hit", "a$$"), where
/// the reading is ambiguous; the list gives the reading, it is not a
/// feature. Earlier entries win when a mask fits several.
pub(crate) const OBFUSCATION_TARGETS: &[&str] = &[
    "fuck",
    "fucking",
    "fucker",
    "fucked",
    "fucks",
    "motherfucker",
    "shit",
    "shits",
    "shitty",
    "bullshit",
    "bitch",
    "bitches",
    "cunt",
    "cunts",
    "ass",
    "asses",
    "asshole",
    "assholes",
    "arse",
    "arsehole",
    "arseholes",
    "bastard",
    "bastards",
    "dick",
    "dickhead",
    "dicks",
    "cock",
    "prick",
    "pricks",
    "twat",
    "twats",
    "wanker",
    "wankers",
    "whore",
    "slut",
    "piss",
    "pissed",
    "damn",
    "crap",
    "idiot",
    "idiots",
    "idiotic",
    "moron",
    "morons",
    "moronic",
    "stupid",
    "retard",
    "retarded",
    "retards",
    "dumb",
    "loser",
    "losers",
    "scum",
    "pig",
    "pigs",
    "rat",
    "rats",
    "nazi",
    "nazis",
    "hell",
    "kill",
    "die",
    "hate",
    "sucks",
    "suck",
    "muslim",
    "muslims",
    "islam",
    "jew",
    "jews",
    "paki",
    "pakis",
    "gay",
    "gays",
    "fag",
    "fags",
    "faggot",
    "faggots",
    "nigger",
    "niggers",
    "nigga",
    "niggas",
    "spic",
    "kike",
    "tranny",
    "homo",
    "dyke",
    "terrorist",
    "terrorists",
];

/// Whether `word` (lower case) is in [`OBFUSCATION_TARGETS`].
pub(crate) fn is_obfuscation_target(word: &str) -> bool {
    OBFUSCATION_TARGETS.contains(&word)
}

/// Neutral nouns for religious, ethnic, national, sexual-orientation and
/// gender groups (lower case). Not slurs: mentions of a group are context,
/// not evidence of abuse on their own.
pub(crate) const IDENTITY_TERMS: &[&str] = &[
    "muslim",
    "muslims",
    "moslem",
    "moslems",
    "islamic",
    "islamist",
    "islamists",
    "jew",
    "jews",
    "jewish",
    "christian",
    "christians",
    "catholic",
    "catholics",
    "protestant",
    "protestants",
    "hindu",
    "hindus",
    "sikh",
    "sikhs",
    "buddhist",
    "buddhists",
    "atheist",
    "atheists",
    "blacks",
    "whites",
    "asian",
    "asians",
    "african",
    "africans",
    "arab",
    "arabs",
    "immigrant",
    "immigrants",
    "migrant",
    "migrants",
    "refugee",
    "refugees",
    "foreigner",
    "foreigners",
    "gay",
    "gays",
    "lesbian",
    "lesbians",
    "homosexual",
    "homosexuals",
    "bisexual",
    "transgender",
    "trans",
    "women",
    "woman",
    "girls",
    "feminist",
    "feminists",
    "pakistani",
    "pakistanis",
    "bangladeshi",
    "bangladeshis",
    "indian",
    "indians",
    "somali",
    "somalis",
    "turk",
    "turks",
    "polish",
    "poles",
    "romanian",
    "romanians",
    "roma",
    "gypsies",
    "gypsy",
    "mexican",
    "mexicans",
    "latino",
    "latinos",
    "hispanic",
    "hispanics",
    "chinese",
    "irish",
    "english",
    "scottish",
    "welsh",
    "british",
    "asylum",
];

/// Whether `word` (lower case, de-obfuscated) names an identity group.
pub(crate) fn is_identity_term(word: &str) -> bool {
    IDENTITY_TERMS.contains(&word)
}

/// Second-person pronouns and determiners (lower case).
pub(crate) fn is_second_person(word: &str) -> bool {
    matches!(
        word,
        "you"
            | "your"
            | "yours"
            | "yourself"
            | "yourselves"
            | "you're"
            | "youre"
            | "you've"
            | "you'd"
            | "you'll"
            | "ya"
            | "u"
            | "ur"
            | "thou"
            | "thee"
            | "thy"
    )
}

/// English function words, ignored by thread similarity.
pub(crate) fn is_stopword(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "the"
            | "and"
            | "or"
            | "but"
            | "if"
            | "of"
            | "to"
            | "in"
            | "on"
            | "at"
            | "by"
            | "for"
            | "with"
            | "from"
            | "as"
            | "is"
            | "are"
            | "was"
            | "were"
            | "be"
            | "been"
            | "being"
            | "am"
            | "it"
            | "its"
            | "it's"
            | "this"
            | "that"
            | "these"
            | "those"
            | "i"
            | "me"
            | "my"
            | "we"
            | "us"
            | "our"
            | "he"
            | "him"
            | "his"
            | "she"
            | "her"
            | "they"
            | "them"
            | "their"
            | "what"
            | "which"
            | "who"
            | "whom"
            | "not"
            | "no"
            | "do"
            | "does"
            | "did"
            | "have"
            | "has"
            | "had"
            | "so"
            | "than"
            | "then"
            | "there"
            | "here"
            | "just"
            | "about"
            | "into"
            | "out"
            | "up"
            | "can"
            | "will"
            | "would"
            | "should"
            | "could"
            | "all"
            | "any"
            | "some"
            | "very"
            | "too"
            | "also"
            | "more"
            | "most"
            | "such"
            | "only"
            | "own"
            | "same"
            | "s"
            | "t"
            | "don't"
            | "you"
            | "your"
            | "how"
            | "why"
            | "when"
            | "where"
            | "one"
            | "get"
            | "got"
    )
}
