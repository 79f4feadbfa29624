//! Synthetic training threads that teach the context layer what words alone
//! cannot show.
//!
//! * Coded-remark exchanges: X writes a remark (an offensive or a clean
//!   corpus text), Y asks who or what X means, X answers naming a group or
//!   not. The answer is abuse exactly when it makes an offensive remark
//!   explicit by naming a group; the same answers after clean remarks, and
//!   answers naming no group, are the controls. Group names therefore
//!   appear as often in clean answers as in abusive ones, so the lexical
//!   layer cannot learn them as abuse evidence.
//! * Off-topic transplants: a comment moved under the parent of another
//!   thread is off topic there; the comments in their own threads are not.

use referee_thread::{Comment, Thread};

use crate::corpus::stable_hash;
use crate::data::{LabelledThread, Targets};
use crate::score::Label;

const QUESTIONS: &[&str] = &[
    "‘Them’, ‘they’: who? What do you mean?",
    "Who do you mean by ‘them’?",
    "Who exactly are ‘they’? Say what you mean.",
    "What are you talking about? Who are they?",
    "Them? Who is ‘them’ supposed to be?",
    "Sorry, who are you referring to?",
    "Which people do you mean?",
    "In plain English please: who?",
];

const GROUPS: &[&str] = &[
    "Muslims",
    "Jews",
    "immigrants",
    "Catholics",
    "Poles",
    "Romanians",
    "gays",
    "Pakistanis",
    "Bangladeshis",
    "refugees",
    "Hindus",
    "Sikhs",
    "black people",
    "Mexicans",
    "Asians",
    "Africans",
    "Christians",
    "women",
    "Irish travellers",
    "Somalis",
];

const GROUP_ANSWERS: &[&str] = &[
    "{g}, that’s what you wanted, isn’t it?",
    "{g}. Happy now?",
    "The {g}, obviously.",
    "I mean {g}, who else?",
    "{g}, of course. Who did you think?",
    "You know who. {g}.",
    "Well, {g} since you ask.",
];

const PLAIN_ANSWERS: &[&str] = &[
    "The council officials, obviously.",
    "I meant the DWP managers who made the decision.",
    "The people running the job centre, who else?",
    "The ministers, of course. Who did you think?",
    "Read it again, it is about the management.",
    "The organisers of the picket, since you ask.",
    "The union officials. Happy now?",
];

const NAMES: &[&str] = &[
    "Badger", "Ferret", "Otter", "Heron", "Stoat", "Kestrel", "Weasel", "Magpie", "Vole", "Raven",
];

/// Builds coded-remark exchanges from corpus tweets: `remarks` are
/// (group, text, offensive) triples. Each remark gets one exchange, whose
/// fold group is the remark's own group.
pub fn coded_remark_exchanges(
    remarks: &[(String, String, bool)],
    seed: u64,
) -> Vec<LabelledThread> {
    remarks
        .iter()
        .map(|(group, text, offensive)| {
            let h = stable_hash(group, seed);
            let pick =
                |list: &[&'static str], salt: u64| list[((h >> salt) % list.len() as u64) as usize];
            let x = pick(NAMES, 3);
            let y = format!("{} {}", pick(NAMES, 11), "Watcher");
            let names_group = (h >> 7) % 3 != 0;
            let answer = if names_group {
                pick(GROUP_ANSWERS, 17).replace("{g}", pick(GROUPS, 23))
            } else {
                pick(PLAIN_ANSWERS, 17).to_string()
            };
            let abusive_answer = *offensive && names_group;
            let comments = vec![
                Comment {
                    id: "r".into(),
                    author: Some(x.into()),
                    text: text.clone(),
                    ..Comment::default()
                },
                Comment {
                    id: "q".into(),
                    author: Some(y),
                    parent: Some("r".into()),
                    text: pick(QUESTIONS, 29).into(),
                    ..Comment::default()
                },
                Comment {
                    id: "a".into(),
                    author: Some(x.into()),
                    parent: Some("q".into()),
                    text: answer,
                    ..Comment::default()
                },
            ];
            let clean = |w| {
                Targets::NONE
                    .with(Label::Abuse, false, w)
                    .with(Label::AdHominem, false, w)
            };
            LabelledThread {
                source: "synthetic-exchange".into(),
                group: group.clone(),
                evaluate: false,
                thread: Thread {
                    id: format!("exchange:{group}"),
                    comments,
                    ..Thread::default()
                },
                targets: vec![
                    Targets::NONE,
                    clean(1.0),
                    Targets::NONE.with(Label::Abuse, abusive_answer, 1.0).with(
                        Label::AdHominem,
                        false,
                        1.0,
                    ),
                ],
            }
        })
        .collect()
}

/// Off-topic examples from threads with reply chains: a reply moved under
/// the first comment of another thread is off topic there (the replies in
/// their own threads are the on-topic side).
pub fn off_topic_transplants(threads: &[LabelledThread], seed: u64) -> Vec<LabelledThread> {
    let usable: Vec<&LabelledThread> = threads
        .iter()
        .filter(|t| t.thread.comments.len() >= 2)
        .collect();
    if usable.len() < 2 {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(usable.len());
    for (n, host) in usable.iter().enumerate() {
        // Off-topic: a reply from a donor thread placed under the host's
        // first comment.
        let h = stable_hash(&host.group, seed);
        let mut d = (h % usable.len() as u64) as usize;
        if d == n {
            d = (d + 1) % usable.len();
        }
        let donor = usable[d];
        let Some(moved) = donor
            .thread
            .comments
            .iter()
            .skip(1)
            .find(|c| !crate::corpus::is_removed(&c.text))
        else {
            continue;
        };
        let anchor = &host.thread.comments[0];
        let mut thread = Thread {
            id: format!("transplant:{}", host.thread.id),
            comments: vec![anchor.clone()],
            ..host.thread.clone()
        };
        thread.comments[0].parent = None;
        thread.comments.push(Comment {
            id: format!("moved:{}", moved.id),
            parent: Some(anchor.id.clone()),
            ..moved.clone()
        });
        out.push(LabelledThread {
            source: "synthetic-off-topic".into(),
            group: host.group.clone(),
            evaluate: false,
            thread,
            targets: vec![
                Targets::NONE,
                Targets::NONE.with(Label::OffTopic, true, 1.0),
            ],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchanges_label_the_answer_by_remark_and_group() {
        let remarks: Vec<(String, String, bool)> = (0..60)
            .map(|i| (format!("g{i}"), format!("remark {i}"), i % 2 == 0))
            .collect();
        let threads = coded_remark_exchanges(&remarks, 1);
        let mut seen = [false; 4];
        for (t, (_, _, offensive)) in threads.iter().zip(&remarks) {
            let answer = &t.thread.comments[2].text;
            let names = GROUPS.iter().any(|g| answer.contains(g));
            assert_eq!(t.targets[2].get(Label::Abuse), Some(*offensive && names));
            seen[(*offensive as usize) * 2 + names as usize] = true;
            assert_eq!(t.thread.comments[2].author, t.thread.comments[0].author);
        }
        assert!(seen.iter().all(|&s| s), "every combination occurs");
    }
}
