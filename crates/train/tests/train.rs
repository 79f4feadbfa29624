//! Integration tests of referee-train: training end to end on small
//! fixtures, the model file, refits, and the shipped model on threads it
//! has never seen.

use std::path::PathBuf;

use referee_thread::{Comment, Thread};
use referee_train::{
    evaluate_model, roc_auc, train, Action, CommentScore, Label, LabelledThread, Model, ParamGuard,
    ScoreOptions, Targets, TrainInfo, TrainParams,
};

const INSULTS: &[&str] = &[
    "idiot",
    "moron",
    "scum",
    "vermin",
    "clown",
    "pathetic loser",
];
const TOPICS: &[&str] = &[
    "the council budget",
    "bus routes",
    "the new library",
    "school meals",
    "parking fees",
];
const FILLER: &[&str] = &[
    "honestly", "today", "again", "as usual", "frankly", "I think",
];

fn pick<'a>(list: &'a [&'a str], i: usize, salt: usize) -> &'a str {
    list[(i * 7 + salt * 13 + i / 3) % list.len()]
}

/// A corpus of one-comment "tweets": abusive ones insult someone.
fn tweets(n: usize, source: &str) -> Vec<LabelledThread> {
    (0..n)
        .map(|i| {
            let abusive = i % 3 == 0;
            let text = if abusive {
                format!(
                    "{} you are a {} {}",
                    pick(FILLER, i, 1),
                    pick(INSULTS, i, 2),
                    pick(FILLER, i, 3)
                )
            } else {
                format!(
                    "{} {} is being discussed {}",
                    pick(FILLER, i, 1),
                    pick(TOPICS, i, 2),
                    pick(FILLER, i, 3)
                )
            };
            let targets = Targets::NONE.with(Label::Abuse, abusive, 1.0).with(
                Label::AdHominem,
                abusive && i % 2 == 0,
                0.3,
            );
            LabelledThread {
                source: source.into(),
                group: format!("{source}:{i}"),
                evaluate: true,
                thread: Thread {
                    id: format!("{source}:{i}"),
                    comments: vec![Comment {
                        id: "c".into(),
                        text,
                        ..Comment::default()
                    }],
                    ..Thread::default()
                },
                targets: vec![targets],
            }
        })
        .collect()
}

/// Blog threads about a topic; some replies attack the commenter, some
/// are off topic.
fn blog_threads(n: usize, source: &str) -> Vec<LabelledThread> {
    (0..n)
        .map(|i| {
            let topic = pick(TOPICS, i, 0);
            let mut comments = vec![Comment {
                id: "c1".into(),
                author: Some("Ann".into()),
                text: format!("The plan for {topic} looks expensive to me."),
                ..Comment::default()
            }];
            let mut targets = vec![Targets::NONE
                .with(Label::Abuse, false, 1.0)
                .with(Label::AdHominem, false, 1.0)
                .with(Label::OffTopic, false, 1.0)];
            for j in 0..4 {
                let kind = (i + j) % 4;
                let text = match kind {
                    0 => format!(
                        "Ann, you are a {} and nobody reads you.",
                        pick(INSULTS, i + j, 5)
                    ),
                    1 => "Lovely weather for the beach this weekend, anyone going?".to_string(),
                    _ => format!("I agree the cost of {topic} is too high."),
                };
                comments.push(Comment {
                    id: format!("c{}", j + 2),
                    author: Some(format!("U{j}")),
                    parent: Some("c1".into()),
                    text,
                    ..Comment::default()
                });
                targets.push(
                    Targets::NONE
                        .with(Label::Abuse, kind == 0, 1.0)
                        .with(Label::AdHominem, kind == 0, 1.0)
                        .with(Label::OffTopic, kind == 1, 1.0),
                );
            }
            LabelledThread {
                source: source.into(),
                group: format!("{source}:{i}"),
                evaluate: true,
                thread: Thread {
                    id: format!("{source}:{i}"),
                    title: Some(format!("Council debates {topic}")),
                    text: Some(format!("The council met to discuss {topic} and its cost.")),
                    comments,
                    ..Thread::default()
                },
                targets,
            }
        })
        .collect()
}

fn small_params() -> referee_train::ValidTrainParams {
    TrainParams::new()
        .folds(3)
        .max_iterations(25)
        .features(referee_text::FeatureParams::new().bits(14))
        .rehearsal_rows(200)
        .check()
        .unwrap()
}

fn info() -> TrainInfo {
    TrainInfo {
        created: "2026-11-23".into(),
        command: "test".into(),
        sources: Vec::new(),
    }
}

fn fixture() -> Vec<LabelledThread> {
    let mut data = tweets(240, "tweets");
    data.extend(blog_threads(24, "labels"));
    data
}

#[test]
fn trains_deterministically_and_round_trips_the_file() {
    let data = fixture();
    let a = train(&data, &small_params(), None, info(), &|_| {}).unwrap();
    let b = train(&data, &small_params(), None, info(), &|_| {}).unwrap();
    assert!(
        a.model.to_bytes() == b.model.to_bytes(),
        "training is deterministic"
    );
    assert!(a.model.version().starts_with("2026.11.23-"));

    let row = a.report.row("tweets", Label::Abuse).unwrap();
    assert!(row.roc_auc > 0.95, "abuse AUC {}", row.roc_auc);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.refm");
    a.model.save(&path).unwrap();
    let loaded = Model::load(&path).unwrap();
    assert!(loaded.to_bytes() == a.model.to_bytes());
    assert_eq!(loaded.checksum(), a.model.checksum());
    let thread = &data.last().unwrap().thread;
    assert_eq!(
        loaded.score_thread(thread, &ScoreOptions::default()),
        a.model.score_thread(thread, &ScoreOptions::default())
    );
}

#[test]
fn each_label_is_fitted_at_a_strength_from_its_own_grid() {
    let params = TrainParams::new()
        .folds(3)
        .max_iterations(25)
        .features(referee_text::FeatureParams::new().bits(14))
        .rehearsal_rows(200)
        .alphas(vec![1e-5])
        .label_alphas(Label::AdHominem, vec![3e-4])
        .check()
        .unwrap();
    let trained = train(&fixture(), &params, None, info(), &|_| {}).unwrap();
    assert_eq!(trained.model.card().alphas, [1e-5, 3e-4, 1e-5]);
    let empty = TrainParams::new().label_alphas(Label::OffTopic, Vec::new());
    assert!(empty.check().is_err(), "an empty grid is refused");
}

#[test]
fn refuses_corrupt_truncated_and_newer_files() {
    let data = fixture();
    let model = train(&data, &small_params(), None, info(), &|_| {})
        .unwrap()
        .model;
    let bytes = model.to_bytes();

    let mut corrupt = bytes.clone();
    let mid = corrupt.len() / 2;
    corrupt[mid] ^= 0x40;
    let err = Model::from_bytes(&corrupt).unwrap_err().to_string();
    assert!(err.contains("checksum"), "{err}");

    let err = Model::from_bytes(&bytes[..bytes.len() / 3])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("checksum") || err.contains("truncated"),
        "{err}"
    );

    let mut newer = bytes.clone();
    newer[8..10].copy_from_slice(&(referee_train::FORMAT_VERSION + 1).to_le_bytes());
    let err = Model::from_bytes(&newer).unwrap_err().to_string();
    assert!(err.contains("newer"), "{err}");

    let err = Model::from_bytes(b"{\"not\": \"a model\"}")
        .unwrap_err()
        .to_string();
    assert!(err.contains("magic"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.refm");
    std::fs::write(&path, &corrupt).unwrap();
    let err = Model::load(&path).unwrap_err().to_string();
    assert!(err.contains("bad.refm"), "{err}");
}

#[test]
fn scores_follow_the_contract() {
    let data = fixture();
    let model = train(&data, &small_params(), None, info(), &|_| {})
        .unwrap()
        .model;
    let thread = &data.last().unwrap().thread;
    let scores = model.score_thread(
        thread,
        &ScoreOptions {
            explain: true,
            ..ScoreOptions::default()
        },
    );
    assert_eq!(scores.len(), thread.comments.len());
    for (s, c) in scores.iter().zip(&thread.comments) {
        assert_eq!(s.id, c.id);
        assert!(s.context, "blog comments have a post");
        for label in Label::ALL {
            let p = s.scores.get(label);
            assert!((0.0..=1.0).contains(&p));
            assert_eq!(
                s.flags.contains(&label),
                p >= model.thresholds().get(label).review
            );
        }
        assert_eq!(s.reasons.len(), s.flags.len());
        assert_eq!(s.explanation.as_ref().unwrap().labels.len(), 3);
    }
    let lone = Thread {
        id: "t".into(),
        comments: vec![Comment {
            id: "x".into(),
            text: "you are a moron".into(),
            ..Comment::default()
        }],
        ..Thread::default()
    };
    let s = &model.score_thread(&lone, &ScoreOptions::default())[0];
    assert!(
        !s.context,
        "no post and no parent: scored from the text alone"
    );
    assert!(s.flags.contains(&Label::Abuse), "{s:?}");
    assert_ne!(s.action, Action::Approve);
}

#[test]
fn refit_on_labels_alone_keeps_corpus_quality_and_learns_the_labels() {
    let corpus = tweets(240, "tweets");
    let mut data = corpus.clone();
    data.extend(blog_threads(6, "labels"));
    let params = small_params();
    let base = train(&data, &params, None, info(), &|_| {}).unwrap().model;

    // New labels: blog threads the base model has not seen.
    let new_labels = blog_threads(30, "labels");
    let started = std::time::Instant::now();
    let refit = train(&new_labels, &params, Some(&base), info(), &|_| {})
        .unwrap()
        .model;
    assert!(started.elapsed().as_secs() < 30);
    assert_eq!(refit.card().refit_of.as_deref(), Some(base.version()));

    let auc = |m: &Model, data: &[LabelledThread], label: Label| {
        let report = evaluate_model(m, data);
        report
            .rows
            .iter()
            .find(|r| r.source != "all" && r.label == label)
            .unwrap()
            .roc_auc
    };
    let before = auc(&base, &corpus, Label::Abuse);
    let after = auc(&refit, &corpus, Label::Abuse);
    assert!(
        after >= before - 0.01,
        "corpus abuse AUC {before} -> {after}"
    );
    let held_out = blog_threads(40, "held");
    let before = auc(&base, &held_out[30..], Label::OffTopic);
    let after = auc(&refit, &held_out[30..], Label::OffTopic);
    assert!(
        after >= before,
        "off_topic AUC on new threads {before} -> {after}"
    );
}

#[test]
fn auc_helper_is_consistent() {
    assert_eq!(roc_auc(&[0.1, 0.9], &[false, true]), 1.0);
}

/// `model`'s score of `text` as a comment alone: no post, no parent.
fn score_alone(model: &Model, text: &str) -> CommentScore {
    let t = thread("alone", "", "", &[("c1", None, None, text)]);
    model.score_thread(&t, &ScoreOptions::default()).remove(0)
}

fn shipped() -> Model {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/default.refm");
    Model::load(&path).expect("the shipped model models/default.refm loads")
}

fn thread(
    id: &str,
    title: &str,
    post: &str,
    comments: &[(&str, Option<&str>, Option<&str>, &str)],
) -> Thread {
    Thread {
        id: id.into(),
        title: Some(title.into()),
        text: Some(post.into()),
        comments: comments
            .iter()
            .map(|(cid, author, parent, text)| Comment {
                id: cid.to_string(),
                author: author.map(str::to_string),
                parent: parent.map(str::to_string),
                text: text.to_string(),
                ..Comment::default()
            })
            .collect(),
        ..Thread::default()
    }
}

/// The shipped model's scores of a remark about "them" under a market
/// post, a question who is meant, and the remark's author's answer.
fn score_exchange(remark: &str, answer: &str) -> Vec<referee_train::CommentScore> {
    let t = thread(
        "unseen-exchange",
        "Market traders protest new licence fees",
        "Stallholders in Whitechapel market marched to the town hall on Monday to protest against a doubling of licence fees.",
        &[
            ("a1", Some("Marten"), None, remark),
            ("a2", Some("Linnet"), Some("a1"), "‘Them’? Who do you mean exactly?"),
            ("a3", Some("Marten"), Some("a2"), answer),
        ],
    );
    shipped().score_thread(&t, &ScoreOptions::default())
}

#[test]
fn shipped_model_flags_an_unseen_coded_remark_made_explicit() {
    let scores = score_exchange(
        "Crying and shouting in the street, eh? Always whining, the lot of them! Never seen them do an honest day's work. Not British at all.",
        "Bangladeshis. Isn’t that obvious?",
    );
    assert!(
        scores[2].flags.contains(&Label::Abuse),
        "the answer that makes the remark explicit is abuse: {:?}",
        scores[2]
    );
}

#[test]
fn shipped_model_lets_an_answer_naming_officials_pass() {
    let scores = score_exchange(
        "Doubling the fees in a recession, eh? Out of touch, the lot of them. Never run a stall in their lives.",
        "The licensing committee at the town hall. Isn’t that obvious?",
    );
    assert!(
        !scores[2].flags.contains(&Label::Abuse),
        "naming the officials meant is no abuse: {:?}",
        scores[2]
    );
}

#[test]
fn shipped_model_approves_civil_identity_mentions() {
    let model = shipped();
    let t = thread(
        "unseen-civil",
        "Ramadan food bank drive",
        "Volunteers at the community centre are collecting donations for the food bank during Ramadan.",
        &[
            ("b1", Some("Ruth"), None, "I am a proud Muslim and I will bring rice and lentils on Friday."),
            ("b2", Some("Sam"), Some("b1"), "Muslims and Jews both fast at different times of the year; great to see the centre supporting everyone."),
            ("b3", Some("Ruth"), Some("b2"), "Thank you, see you at the centre."),
        ],
    );
    let scores = model.score_thread(&t, &ScoreOptions::default());
    for s in &scores[..2] {
        assert_eq!(s.action, Action::Approve, "{s:?}");
        assert!(!s.flags.contains(&Label::Abuse), "{s:?}");
    }
}

/// Every term of the identity-term templates in every template of `kind`
/// (`crates/train/data/identity_templates.txt`).
fn identity_sentences(kind: &str) -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/identity_templates.txt");
    let text = std::fs::read_to_string(&path).expect("the identity templates are readable");
    let entries: Vec<(&str, &str)> = text
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once(' '))
        .collect();
    let terms: Vec<&str> = entries
        .iter()
        .filter(|(k, _)| *k == "term")
        .map(|(_, t)| *t)
        .collect();
    assert!(terms.len() >= 30, "{} terms", terms.len());
    entries
        .iter()
        .filter(|(k, _)| *k == kind)
        .flat_map(|(_, template)| terms.iter().map(move |t| template.replace("{X}", t)))
        .collect()
}

#[test]
fn shipped_model_approves_positive_mentions_of_every_group() {
    let model = shipped();
    let sentences = identity_sentences("positive");
    assert!(sentences.len() >= 150, "{} sentences", sentences.len());
    for text in &sentences {
        let score = score_alone(&model, text);
        assert_eq!(score.action, Action::Approve, "{text}: {score:?}");
    }
}

#[test]
fn shipped_model_never_calls_a_neutral_mention_of_a_group_abuse() {
    let model = shipped();
    let sentences = identity_sentences("neutral");
    assert!(sentences.len() >= 150, "{} sentences", sentences.len());
    for text in &sentences {
        let score = score_alone(&model, text);
        assert!(!score.flags.contains(&Label::Abuse), "{text}: {score:?}");
    }
}

#[test]
fn shipped_model_does_not_call_condemning_abuse_abuse() {
    let model = shipped();
    for text in [
        "Homophobic attacks in our street are a disgrace and must stop.",
        "Nobody deserves the abuse she received after the meeting.",
        "The racist graffiti on the mosque wall is disgusting and the police must act.",
    ] {
        let score = score_alone(&model, text);
        assert!(!score.flags.contains(&Label::Abuse), "{text}: {score:?}");
    }
}

/// A civil comment under a post about library hours, and `reply` to it
/// from another commenter.
fn library_reply(id: &str, reply: &str) -> Thread {
    thread(
        id,
        "Library opening hours cut to three days",
        "The council will close the central library on Mondays, Tuesdays and Wednesdays from April to save money.",
        &[
            ("c1", Some("Ada"), None, "Three days is a sensible saving while the budget is this tight."),
            ("c2", Some("Ben"), Some("c1"), reply),
        ],
    )
}

#[test]
fn shipped_model_approves_civil_disagreement() {
    let model = shipped();
    let alone = thread(
        "alone",
        "",
        "",
        &[("c1", None, None, "I respectfully disagree.")],
    );
    let in_thread = library_reply("civil", "I respectfully disagree.");
    for (t, i) in [(alone, 0), (in_thread, 1)] {
        let score = &model.score_thread(&t, &ScoreOptions::default())[i];
        assert_eq!(score.action, Action::Approve, "{score:?}");
    }
}

#[test]
fn shipped_model_flags_name_calling_without_profanity_as_abuse() {
    let model = shipped();
    let t = library_reply("muppet", "No, you muppet.");
    let scores = model.score_thread(&t, &ScoreOptions::default());
    let review = model.thresholds().get(Label::Abuse).review;
    assert!(
        scores[1].scores.get(Label::Abuse) >= review,
        "the insult is abuse: {:?}",
        scores[1]
    );
    assert!(
        scores[0].scores.get(Label::Abuse) < review,
        "{:?}",
        scores[0]
    );
}

#[test]
fn shipped_model_ranks_a_stray_comment_above_the_discussion_for_off_topic() {
    let t = thread(
        "unseen-off-topic",
        "Library opening hours cut to three days",
        "The council plans to open Bethnal Green library on three days a week from April, saving £80,000 a year, and has opened a consultation on the cut.",
        &[
            ("d1", Some("Ines"), None, "Three days a week is not enough for the children who do their homework at the library after school."),
            ("d2", Some("Otto"), Some("d1"), "The council says the saving pays for the mobile library, but the consultation does not say how often it visits."),
            ("d3", Some("Ines"), Some("d2"), "Has anyone asked how many visitors the library has on the days it would close?"),
            ("d4", Some("Wren"), None, "Happy birthday to my sister Maria, love you lots, have a wonderful day!"),
            ("d5", Some("Otto"), None, "Cutting library hours to save £80,000 while the consultation is still open is the wrong way round."),
        ],
    );
    let scores = shipped().score_thread(&t, &ScoreOptions::default());
    let stray = scores[3].scores.get(Label::OffTopic);
    for s in scores.iter().filter(|s| s.id != "d4") {
        assert!(
            s.scores.get(Label::OffTopic) < stray,
            "the birthday greeting ({stray}) is more off topic than {s:?}"
        );
    }
}

#[test]
fn shipped_model_scores_off_topic_from_the_text_alone_without_context() {
    let lone = Thread {
        id: "lone".into(),
        comments: vec![Comment {
            id: "c1".into(),
            text: "Well done, congratulations and best wishes to everyone!".into(),
            ..Comment::default()
        }],
        ..Thread::default()
    };
    let opts = ScoreOptions {
        explain: true,
        ..ScoreOptions::default()
    };
    let s = &shipped().score_thread(&lone, &opts)[0];
    assert!(!s.context);
    let off_topic = s
        .explanation
        .as_ref()
        .unwrap()
        .labels
        .iter()
        .find(|e| e.label == Label::OffTopic)
        .unwrap();
    assert!(off_topic.context.is_empty(), "{off_topic:?}");
    assert_eq!(s.scores.get(Label::OffTopic), off_topic.lexical);
}

#[test]
fn scores_without_reasons_are_the_same_scores() {
    let seed =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../seeds/000_bccf75438b1c52af.jsonl");
    let thread = &referee_train::read_thread_file(&seed).unwrap()[0];
    let model = shipped();
    let full = model.score_thread(thread, &ScoreOptions::default());
    let bare = model.score_thread(
        thread,
        &ScoreOptions {
            omit_reasons: true,
            ..ScoreOptions::default()
        },
    );
    assert!(full.iter().any(|s| !s.reasons.is_empty()));
    for (f, b) in full.iter().zip(&bare) {
        assert_eq!(
            (f.scores, &f.flags, f.action),
            (b.scores, &b.flags, b.action)
        );
        assert!(b.reasons.is_empty());
    }
}

#[test]
fn training_without_any_source_of_a_label_says_how_to_give_one() {
    // Tweets give abuse and ad_hominem, never off_topic.
    let data = tweets(60, "olid");
    let err = match train(&data, &small_params(), None, info(), &|_| {}) {
        Ok(_) => panic!("a model without off_topic examples"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.contains("off_topic") && err.contains("--labels") && err.contains("Training data"),
        "{err}"
    );
}
