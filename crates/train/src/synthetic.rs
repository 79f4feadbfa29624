//! Synthetic training threads that teach the context layer what words alone
//! cannot show.
//!
//! * Coded-remark exchanges: under a local news post, X writes a remark
//!   (an offensive or a clean corpus text), Y asks who or what X means, X
//!   answers naming a group or not. The answer is abuse exactly when it
//!   makes an offensive remark explicit by naming a group; the same answers
//!   after clean remarks, and answers naming no group, are the controls.
//!   Group names therefore appear as often in clean answers as in abusive
//!   ones, so the lexical layer cannot learn them as abuse evidence.
//! * Off-topic transplants: a reply moved into another thread, under its
//!   first comment or among the replies to it recast as a post, is off
//!   topic there; the replies in their own threads are not.

use referee_thread::{Comment, Thread};

use crate::corpus::stable_hash;
use crate::data::{LabelledThread, Targets};
use crate::score::Label;

// No template repeats a seed thread's sentence word for word, so that
// leave-one-thread-out figures on the seeds measure the pattern, not the
// phrasing.
const QUESTIONS: &[&str] = &[
    "‘They’? Who is ‘they’? What are you getting at?",
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
    "{g}, as if you didn’t know.",
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

/// Posts the exchanges sit under, as on a local news blog: the remark,
/// the question and the answer are comments on one of them.
const POSTS: &[(&str, &str)] = &[
    (
        "Council approves new housing scheme",
        "The council's planning committee approved 300 new homes on the old gasworks site on Tuesday, a third of them for social rent.",
    ),
    (
        "Library opening hours cut",
        "Four branch libraries will open two days a week from April, after the cabinet agreed savings of £1.2 million.",
    ),
    (
        "Park refurbishment over budget",
        "The refurbishment of the riverside park will cost £800,000 more than planned and finish a year late, a report found.",
    ),
    (
        "Mayor's adviser resigns",
        "The mayor's senior adviser has resigned after six months in the post, the council confirmed yesterday.",
    ),
    (
        "New cycle lane divides residents",
        "A protected cycle lane on the main road has been welcomed by cyclists, but shopkeepers say trade has fallen since it opened.",
    ),
    (
        "Election count delayed",
        "The count for the borough's mayoral election was delayed by four hours after a recount was ordered in two wards.",
    ),
    (
        "School expansion plans",
        "Parents have until Friday to respond to plans to add two classes a year to the primary school on the square.",
    ),
    (
        "Bin collections to go fortnightly",
        "Household rubbish will be collected every other week from June, the council said, to fund more recycling.",
    ),
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
            let (title, post) = POSTS[((h >> 37) % POSTS.len() as u64) as usize];
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
                    title: Some(title.into()),
                    text: Some(post.into()),
                    comments,
                    ..Thread::default()
                },
                targets: vec![
                    Targets::NONE,
                    clean(1.0),
                    // The answer's label follows from the remark before
                    // it, not from its words: the context layer learns
                    // it, while the lexical layer never sees the
                    // templates' words as evidence either way.
                    Targets::NONE
                        .by_placement(Label::Abuse, abusive_answer, 1.0)
                        .by_placement(Label::AdHominem, false, 1.0),
                ],
            }
        })
        .collect()
}

/// Weight of a transplant, and of a reply at home, in the off_topic context
/// layer: a fifth, so that a corpus's thousands of transplants teach the
/// direction of the similarity features without drowning the hand labels'
/// off-topic comments, which look different (greetings, banter, slogans
/// rather than a stray argument).
pub const TRANSPLANT_WEIGHT: f32 = 0.2;

/// Off-topic examples from threads with reply chains, in two shapes:
///
/// * chain-shaped: a reply from a donor thread placed under the host's
///   first comment, off topic there (the replies in their own threads are
///   the on-topic side);
/// * post-shaped: the host's first comment becomes the post, its replies
///   stay as on-topic comments under it, and a donor's reply joins them as
///   an off-topic comment. Blog threads have a post, so this is the shape
///   that teaches the context layer what similarity to a post means.
pub fn off_topic_transplants(threads: &[LabelledThread], seed: u64) -> Vec<LabelledThread> {
    let usable: Vec<&LabelledThread> = threads
        .iter()
        .filter(|t| t.thread.comments.len() >= 2)
        .collect();
    if usable.len() < 2 {
        return Vec::new();
    }
    let donor_of = |n: usize, key: &str| {
        let mut d = (stable_hash(key, seed) % usable.len() as u64) as usize;
        if d == n {
            d = (d + 1) % usable.len();
        }
        usable[d]
    };
    let mut out = Vec::with_capacity(2 * usable.len());
    for (n, host) in usable.iter().enumerate() {
        let key = host.group.clone();
        if let Some(moved) = any_reply(donor_of(n, &key), &key, seed) {
            out.push(chain_shaped(host, moved));
        }
        let key = format!("{}#post", host.group);
        if let Some(moved) = any_reply(donor_of(n, &key), &key, seed) {
            out.push(post_shaped(host, moved, seed));
        }
    }
    out
}

/// One of a donor thread's replies with text, chosen by `key`: any of them,
/// so that moved comments read like the replies left at home and their
/// words say nothing about being moved.
fn any_reply<'a>(donor: &'a LabelledThread, key: &str, seed: u64) -> Option<&'a Comment> {
    let replies: Vec<&Comment> = donor
        .thread
        .comments
        .iter()
        .skip(1)
        .filter(|c| !crate::corpus::is_removed(&c.text))
        .collect();
    match replies.len() {
        0 => None,
        n => Some(replies[(stable_hash(&format!("{key}#reply"), seed) % n as u64) as usize]),
    }
}

/// `moved` as the only reply to the host's first comment.
fn chain_shaped(host: &LabelledThread, moved: &Comment) -> LabelledThread {
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
    LabelledThread {
        source: "synthetic-off-topic".into(),
        group: host.group.clone(),
        evaluate: false,
        thread,
        targets: vec![
            Targets::NONE,
            Targets::NONE.by_placement(Label::OffTopic, true, TRANSPLANT_WEIGHT),
        ],
    }
}

/// The host's first comment as the post, its replies under it, and `moved`
/// as one more comment on the post.
fn post_shaped(host: &LabelledThread, moved: &Comment, seed: u64) -> LabelledThread {
    let (root, replies) = host
        .thread
        .comments
        .split_first()
        .expect("usable threads have comments");
    let mut comments: Vec<Comment> = replies.to_vec();
    for c in &mut comments {
        if c.parent.as_deref() == Some(root.id.as_str()) {
            c.parent = None;
        }
    }
    let mut targets: Vec<Targets> = comments
        .iter()
        .map(|c| match crate::corpus::is_removed(&c.text) {
            true => Targets::NONE,
            false => Targets::NONE.by_placement(Label::OffTopic, false, TRANSPLANT_WEIGHT),
        })
        .collect();
    // Half the moved comments reply to one of the host's replies, so that
    // having a parent says nothing about being moved.
    let h = stable_hash(&format!("{}#parent", host.group), seed);
    let parent = match h % 2 {
        0 => None,
        _ => Some(comments[(h / 2) as usize % comments.len()].id.clone()),
    };
    comments.push(Comment {
        id: format!("moved:{}", moved.id),
        parent,
        ..moved.clone()
    });
    targets.push(Targets::NONE.by_placement(Label::OffTopic, true, TRANSPLANT_WEIGHT));
    LabelledThread {
        source: "synthetic-off-topic".into(),
        group: host.group.clone(),
        evaluate: false,
        thread: Thread {
            id: format!("transplant-post:{}", host.thread.id),
            title: None,
            text: Some(root.text.clone()),
            author: root.author.clone(),
            comments,
            ..host.thread.clone()
        },
        targets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: usize) -> LabelledThread {
        LabelledThread::chain(
            "habernal",
            n,
            3,
            |i| format!("a{n}{i}"),
            |i| format!("thread {n} comment {i}"),
        )
    }

    #[test]
    fn transplants_come_in_both_shapes_with_foreign_comments_off_topic() {
        let hosts: Vec<LabelledThread> = (0..40).map(chain).collect();
        let out = off_topic_transplants(&hosts, 3);
        assert_eq!(out.len(), 80);
        let mut moved_with_parent = 0;
        for t in &out {
            let host = t.group.trim_start_matches("habernal:");
            let last = t.thread.comments.last().unwrap();
            assert!(
                last.id.starts_with("moved:t") && !last.id.starts_with(&format!("moved:t{host}c"))
            );
            assert_eq!(
                t.targets.last().unwrap().get(Label::OffTopic),
                Some(true),
                "the foreign comment is off topic"
            );
            let home = &t.targets[..t.targets.len() - 1];
            if t.thread.id.starts_with("transplant-post:") {
                // The host's first comment is the post; its replies stay,
                // on topic, and none of them refers to the post as a parent.
                assert_eq!(
                    t.thread.text.as_deref(),
                    Some(&*format!("thread {host} comment 0"))
                );
                assert_eq!(t.thread.comments.len(), 3);
                assert!(home.iter().all(|x| x.get(Label::OffTopic) == Some(false)));
                assert_eq!(t.thread.comments[0].parent, None);
                moved_with_parent += last.parent.is_some() as usize;
                if let Some(p) = &last.parent {
                    assert!(t.thread.comments.iter().any(|c| &c.id == p));
                }
            } else {
                assert_eq!(t.thread.comments.len(), 2);
                assert_eq!(last.parent.as_deref(), Some(&*format!("t{host}c0")));
                assert!(home.iter().all(|x| x.get(Label::OffTopic).is_none()));
            }
        }
        assert!(
            (8..=32).contains(&moved_with_parent),
            "about half the post-shaped moves reply to a comment: {moved_with_parent}"
        );
    }

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
            assert!(
                t.targets[2].by_placement[Label::Abuse.index()],
                "the answer's words are no evidence"
            );
            seen[(*offensive as usize) * 2 + names as usize] = true;
            assert_eq!(t.thread.comments[2].author, t.thread.comments[0].author);
        }
        assert!(seen.iter().all(|&s| s), "every combination occurs");
    }
}
