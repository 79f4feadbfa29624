//! Small fixed word lists and character maps the pipeline relies on.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use crate::hash::FastHasher;

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
#[cfg(test)]
pub(crate) fn is_identity_term(word: &str) -> bool {
    flags(word) & IDENTITY != 0
}

/// The bits of [`flags`]: which word lists hold a word.
pub(crate) type WordFlags = u16;

/// [`flags`] bit: one of the [`IDENTITY_TERMS`].
pub(crate) const IDENTITY: WordFlags = 1;
/// [`flags`] bit: one of the [`LOOSE_GROUP_WORDS`].
pub(crate) const LOOSE_GROUP: WordFlags = 2;
/// [`flags`] bit: one of the [`PERSON_ATTACK_TERMS`].
pub(crate) const ATTACK_TERM: WordFlags = 4;
/// [`flags`] bit: the first word of one of the [`PERSON_ATTACK_PHRASES`].
pub(crate) const ATTACK_PHRASE_START: WordFlags = 8;
/// [`flags`] bit: one of the [`SECOND_PERSON_WORDS`].
pub(crate) const SECOND_PERSON: WordFlags = 16;
/// [`flags`] bit: one of the [`STOPWORDS`].
pub(crate) const STOPWORD: WordFlags = 32;
/// [`flags`] bit: one of the [`PHATIC_WORDS`].
pub(crate) const PHATIC: WordFlags = 64;
/// [`flags`] bit: one of the [`PROMOTION_WORDS`].
pub(crate) const PROMOTION: WordFlags = 128;
/// [`flags`] bit: one of the [`NAME_CALLING_WORDS`].
pub(crate) const NAME_CALLING: WordFlags = 256;
/// [`flags`] bit: one of the [`ACT_NOUNS`].
pub(crate) const ACT_NOUN: WordFlags = 512;

/// Which of the word lists the analysis and the context features look up
/// for every word hold `word`, as bits ([`IDENTITY`], [`LOOSE_GROUP`],
/// [`ATTACK_TERM`], [`ATTACK_PHRASE_START`], [`SECOND_PERSON`],
/// [`STOPWORD`], [`PHATIC`], [`PROMOTION`], [`NAME_CALLING`],
/// [`ACT_NOUN`]): one lookup
/// for all of them.
pub(crate) fn flags(word: &str) -> WordFlags {
    type Flags = HashMap<&'static str, WordFlags, BuildHasherDefault<FastHasher>>;
    static FLAGS: OnceLock<Flags> = OnceLock::new();
    let flags = FLAGS.get_or_init(|| {
        let mut flags = Flags::default();
        let lists: [(WordFlags, &mut dyn Iterator<Item = &'static str>); 10] = [
            (IDENTITY, &mut IDENTITY_TERMS.iter().copied()),
            (LOOSE_GROUP, &mut LOOSE_GROUP_WORDS.iter().copied()),
            (ATTACK_TERM, &mut PERSON_ATTACK_TERMS.iter().copied()),
            (
                ATTACK_PHRASE_START,
                &mut PERSON_ATTACK_PHRASES.iter().map(|p| p[0]),
            ),
            (SECOND_PERSON, &mut SECOND_PERSON_WORDS.iter().copied()),
            (STOPWORD, &mut STOPWORDS.iter().copied()),
            (PHATIC, &mut PHATIC_WORDS.iter().copied()),
            (PROMOTION, &mut PROMOTION_WORDS.iter().copied()),
            (NAME_CALLING, &mut NAME_CALLING_WORDS.iter().copied()),
            (ACT_NOUN, &mut ACT_NOUNS.iter().copied()),
        ];
        for (bit, words) in lists {
            for word in words {
                *flags.entry(word).or_default() |= bit;
            }
        }
        flags
    });
    flags.get(word).copied().unwrap_or(0)
}

/// Nouns that name an act, what was said or decided, rather than a person,
/// sorted: what qualifies them ("homophobic attacks", "a stupid plan") and
/// what a sentence says of them ("... was a disgrace") judges the act or
/// the decision, not anyone (LABELLING.md: harsh criticism of a decision is
/// not abuse, condemning abuse is not making it).
const ACT_NOUNS: &[&str] = &[
    "abuse",
    "argument",
    "arguments",
    "assault",
    "assaults",
    "attack",
    "attacks",
    "behavior",
    "behaviour",
    "bigotry",
    "bullying",
    "chanting",
    "chants",
    "comment",
    "comments",
    "conduct",
    "crime",
    "crimes",
    "decision",
    "decisions",
    "discrimination",
    "graffiti",
    "harassment",
    "homophobia",
    "idea",
    "ideas",
    "incident",
    "incidents",
    "insults",
    "killing",
    "killings",
    "language",
    "messages",
    "murder",
    "murders",
    "plan",
    "plans",
    "policies",
    "policy",
    "proposal",
    "proposals",
    "racism",
    "record",
    "remark",
    "remarks",
    "rhetoric",
    "scheme",
    "sexism",
    "shooting",
    "shootings",
    "slur",
    "slurs",
    "stabbing",
    "stabbings",
    "threats",
    "treatment",
    "vandalism",
    "violence",
];

/// Words that name a group in most of their uses but not all ("the black
/// cat", "a deaf ear"), sorted: too loose to count as naming a group, but
/// safe to leave featureless with the identity terms, since what a
/// sentence says of a black cat is not abuse either.
const LOOSE_GROUP_WORDS: &[&str] = &[
    "afghan",
    "afghans",
    "agnostic",
    "agnostics",
    "albanian",
    "albanians",
    "american",
    "americans",
    "bengali",
    "bengalis",
    "bisexuals",
    "black",
    "bulgarian",
    "bulgarians",
    "caribbean",
    "deaf",
    "disabled",
    "elderly",
    "eritrean",
    "eritreans",
    "european",
    "europeans",
    "evangelical",
    "evangelicals",
    "french",
    "german",
    "germans",
    "ghanaian",
    "ghanaians",
    "gujarati",
    "hungarian",
    "hungarians",
    "iraqi",
    "iraqis",
    "italian",
    "italians",
    "jamaican",
    "jamaicans",
    "kashmiri",
    "kurdish",
    "kurds",
    "latvian",
    "latvians",
    "lgbt",
    "lgbtq",
    "lithuanian",
    "lithuanians",
    "men",
    "mormon",
    "mormons",
    "nigerian",
    "nigerians",
    "pagan",
    "pagans",
    "portuguese",
    "punjabi",
    "queer",
    "romani",
    "romany",
    "russian",
    "russians",
    "shia",
    "spanish",
    "sunni",
    "syrian",
    "syrians",
    "tamil",
    "tamils",
    "transgenders",
    "travellers",
    "white",
];

/// Whether `word` (lower case, de-obfuscated) names a group for the
/// featuriser: an identity term or a looser group word.
#[cfg(test)]
pub(crate) fn is_group_word(word: &str) -> bool {
    is_identity_term(word) || is_loose_group_word(word)
}

/// Whether `word` is one of the [`LOOSE_GROUP_WORDS`].
#[cfg(test)]
pub(crate) fn is_loose_group_word(word: &str) -> bool {
    flags(word) & LOOSE_GROUP != 0
}

/// Nouns that call a person names, sorted: in a comment section nearly
/// every use is an insult ("you muppet", "a bunch of loons", "this
/// clown"). Each shares one feature ([`crate::FeatureParams::name_calling`]),
/// so what the corpora teach of the common ones carries to the rare ones.
/// Not the civil words of criticism (those are [`PERSON_ATTACK_TERMS`]'s
/// "naive", "biased"), not profanity (the corpora hold plenty), not group
/// names.
const NAME_CALLING_WORDS: &[&str] = &[
    "berk",
    "berks",
    "bigot",
    "bigots",
    "bozo",
    "bozos",
    "buffoon",
    "buffoons",
    "charlatan",
    "charlatans",
    "clown",
    "clowns",
    "conman",
    "conmen",
    "crackpot",
    "crackpots",
    "cretin",
    "cretins",
    "crook",
    "crooks",
    "degenerate",
    "degenerates",
    "dimwit",
    "dimwits",
    "dingbat",
    "dingbats",
    "dipstick",
    "dipsticks",
    "dirtbag",
    "dirtbags",
    "dolt",
    "dolts",
    "doofus",
    "dunce",
    "dunces",
    "grifter",
    "grifters",
    "halfwit",
    "halfwits",
    "hillbillies",
    "hillbilly",
    "idiot",
    "idiots",
    "ignoramus",
    "imbecile",
    "imbeciles",
    "knobhead",
    "knobheads",
    "libtard",
    "libtards",
    "loon",
    "loonies",
    "loons",
    "loony",
    "lowlife",
    "lowlifes",
    "lunatic",
    "lunatics",
    "moron",
    "morons",
    "muppet",
    "muppets",
    "neanderthal",
    "neanderthals",
    "nitwit",
    "nitwits",
    "numpties",
    "numpty",
    "nutcase",
    "nutcases",
    "nutjob",
    "nutjobs",
    "nutter",
    "nutters",
    "parasite",
    "parasites",
    "pillock",
    "pillocks",
    "plonker",
    "plonkers",
    "prat",
    "prats",
    "redneck",
    "rednecks",
    "retard",
    "retards",
    "scumbag",
    "scumbags",
    "sheeple",
    "simpleton",
    "simpletons",
    "sleazebag",
    "sleazebags",
    "slimeball",
    "slimeballs",
    "thug",
    "thugs",
    "troglodyte",
    "troglodytes",
    "twit",
    "twits",
    "vermin",
    "weirdo",
    "weirdos",
    "yokel",
    "yokels",
];

/// Whether `word` (lower case, de-obfuscated) is a name-calling noun.
pub fn is_name_calling_word(word: &str) -> bool {
    flags(word) & NAME_CALLING != 0
}

/// The words of [`is_second_person`].
const SECOND_PERSON_WORDS: &[&str] = &[
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "you're",
    "youre",
    "you've",
    "you'd",
    "you'll",
    "ya",
    "u",
    "ur",
    "thou",
    "thee",
    "thy",
];

/// Second-person pronouns and determiners (lower case).
pub fn is_second_person(word: &str) -> bool {
    flags(word) & SECOND_PERSON != 0
}

/// The words of [`is_stopword`].
const STOPWORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with",
    "from", "as", "is", "are", "was", "were", "be", "been", "being", "am", "it", "its", "it's",
    "this", "that", "these", "those", "i", "me", "my", "we", "us", "our", "he", "him", "his",
    "she", "her", "they", "them", "their", "what", "which", "who", "whom", "not", "no", "do",
    "does", "did", "have", "has", "had", "so", "than", "then", "there", "here", "just", "about",
    "into", "out", "up", "can", "will", "would", "should", "could", "all", "any", "some", "very",
    "too", "also", "more", "most", "such", "only", "own", "same", "s", "t", "don't", "you", "your",
    "how", "why", "when", "where", "one", "get", "got",
];

/// English function words, ignored by thread similarity.
pub(crate) fn is_stopword(word: &str) -> bool {
    flags(word) & STOPWORD != 0
}

/// Words that disparage a person rather than an argument, grouped by what
/// LABELLING.md says an ad hominem attack goes after: intelligence,
/// character, motives, identity and anonymity, standing, sanity (lower
/// case, as written). On their own they are context, not evidence: the
/// post's subject can be called all of these without attacking anyone in
/// the thread; [`crate::context_features`] counts them where a sentence
/// also points at a participant.
const PERSON_ATTACK_TERMS: &[&str] = &[
    // intelligence
    "idiot",
    "idiots",
    "idiotic",
    "moron",
    "morons",
    "moronic",
    "stupid",
    "stupidity",
    "dumb",
    "dimwit",
    "imbecile",
    "cretin",
    "clueless",
    "ignorant",
    "ignorance",
    "naive",
    "gullible",
    "brainless",
    "halfwit",
    "dunce",
    "fool",
    "fools",
    "foolish",
    "simpleton",
    "uneducated",
    "illiterate",
    "dense",
    "thick",
    // character
    "liar",
    "liars",
    "dishonest",
    "hypocrite",
    "hypocrites",
    "hypocritical",
    "coward",
    "cowards",
    "cowardly",
    "bully",
    "bullies",
    "sleazy",
    "creep",
    "arrogant",
    "smug",
    "pompous",
    "sanctimonious",
    "condescending",
    "patronising",
    "patronizing",
    "troll",
    "trolls",
    "trolling",
    "bigot",
    "bigots",
    "spineless",
    "snake",
    "weasel",
    // motives and allegiance
    "shill",
    "shills",
    "apologist",
    "apologists",
    "stooge",
    "stooges",
    "puppet",
    "puppets",
    "lackey",
    "lackeys",
    "mouthpiece",
    "sycophant",
    "sycophants",
    "sycophantic",
    "crony",
    "cronies",
    "toady",
    "groupie",
    "groupies",
    "fanboy",
    "fanboys",
    "fans",
    "cheerleader",
    "cheerleaders",
    "propagandist",
    "bitter",
    "jealous",
    "resentful",
    "biased",
    "partisan",
    "relation",
    "relative",
    "henchman",
    "henchmen",
    "minion",
    "minions",
    "acolyte",
    "acolytes",
    "disciple",
    "disciples",
    "zealot",
    "zealots",
    // identity and anonymity
    "anonymous",
    "anonymity",
    "nameless",
    "faceless",
    "pseudonym",
    "hiding",
    // standing
    "nobody",
    "nobodies",
    "nothingness",
    "loser",
    "losers",
    "irrelevant",
    "pathetic",
    "laughable",
    "amateur",
    "amateurs",
    "wannabe",
    "childish",
    "juvenile",
    "infantile",
    "immature",
    "clown",
    "clowns",
    "buffoon",
    "buffoons",
    "muppet",
    "numpty",
    "prat",
    "twit",
    "nonentity",
    "ranting",
    "rant",
    "whining",
    "whinge",
    "whinging",
    // sanity
    "crazy",
    "crazies",
    "insane",
    "nuts",
    "nutter",
    "nutters",
    "nutcase",
    "loony",
    "loonies",
    "loon",
    "lunatic",
    "lunatics",
    "deluded",
    "delusional",
    "paranoid",
    "unhinged",
    "hysterical",
    "warped",
    "twisted",
    "mad",
];

/// Phrases (canonical words) that disparage the person addressed.
const PERSON_ATTACK_PHRASES: &[&[&str]] = &[
    &["best", "you've", "got"],
    &["grow", "up"],
    &["get", "a", "life"],
    &["no", "idea"],
    &["not", "a", "clue"],
    &["who", "are", "you"],
    &["people", "like", "you"],
    &["the", "likes", "of", "you"],
    &["your", "sort"],
    &["your", "kind"],
    &["your", "ilk"],
    &["you", "people"],
    &["keyboard", "warrior"],
    &["full", "of", "yourself"],
    &["off", "your", "meds"],
];

/// Length of the person-attack phrase that `words` starts with, if any;
/// `first_flags` are the [`flags`] of the first word.
pub(crate) fn person_attack_phrase(words: &[&str], first_flags: WordFlags) -> Option<usize> {
    if words.is_empty() || first_flags & ATTACK_PHRASE_START == 0 {
        return None;
    }
    PERSON_ATTACK_PHRASES
        .iter()
        .find(|phrase| words.len() >= phrase.len() && words[..phrase.len()] == phrase[..])
        .map(|phrase| phrase.len())
}

/// Adverbs that may stand between "you are" and the noun that labels the
/// person ("you are simply a nobody").
pub(crate) fn is_hedge(word: &str) -> bool {
    matches!(
        word,
        "just"
            | "simply"
            | "only"
            | "really"
            | "clearly"
            | "obviously"
            | "merely"
            | "truly"
            | "nothing"
            | "but"
            | "such"
            | "quite"
            | "still"
            | "always"
    )
}

/// Words of greeting, thanks, congratulation, blessing and laughter: what
/// LABELLING.md calls greetings or congratulations with no content, and
/// chit-chat, when they make up most of a comment.
const PHATIC_WORDS: &[&str] = &[
    "thanks",
    "thank",
    "thx",
    "cheers",
    "congratulations",
    "congrats",
    "congratulate",
    "bravo",
    "hello",
    "hi",
    "hey",
    "greetings",
    "bless",
    "blessed",
    "blessings",
    "mubarak",
    "welcome",
    "lol",
    "haha",
    "hahaha",
    "lmao",
    "rofl",
    "luck",
    "wishes",
    "happy",
    "hooray",
    "hurrah",
    "yay",
    "done",
    "well",
    "nice",
    "great",
    "love",
    "wow",
    "oh",
    "ah",
    "hear",
];

/// Words that advertise or point elsewhere: other campaigns, sites,
/// petitions.
const PROMOTION_WORDS: &[&str] = &[
    "visit",
    "petition",
    "subscribe",
    "donate",
    "website",
    "www",
    "click",
    "invited",
    "invite",
    "sign",
    "signup",
    "follow",
    "join",
    "buy",
    "discount",
    "offer",
    "promo",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_calling_words_are_sorted_and_name_no_group() {
        assert!(NAME_CALLING_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(NAME_CALLING_WORDS.iter().all(|w| !is_group_word(w)));
        assert!(is_name_calling_word("muppet") && !is_name_calling_word("naive"));
    }

    #[test]
    fn act_nouns_are_sorted_and_name_no_person() {
        assert!(ACT_NOUNS.windows(2).all(|w| w[0] < w[1]));
        for noun in ACT_NOUNS {
            let f = flags(noun);
            assert_eq!(
                f & (IDENTITY | LOOSE_GROUP | NAME_CALLING | STOPWORD),
                0,
                "{noun}"
            );
        }
    }

    #[test]
    fn group_words_are_sorted_and_hold_every_identity_term() {
        assert!(LOOSE_GROUP_WORDS.windows(2).all(|w| w[0] < w[1]));
        for term in IDENTITY_TERMS {
            assert!(is_group_word(term), "{term}");
        }
        assert!(!is_group_word("brown"), "a surname as often as a colour");
    }
}
