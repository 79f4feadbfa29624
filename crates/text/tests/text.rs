//! Behaviour of the featuriser that models and moderators depend on.

use proptest::prelude::*;
use referee_text::{
    context_features, identity_terms, CommentView, FeatureParams, Featuriser, Scratch,
    SparseVector, ThreadView, ValidFeatureParams, CONTEXT_FEATURES, CONTEXT_FEATURE_NAMES,
};

fn default() -> Featuriser {
    Featuriser::new(ValidFeatureParams::default())
}

/// Only word unigrams: a clean word gives exactly its unigram bucket
/// (group names included).
fn unigrams_only() -> Featuriser {
    Featuriser::new(
        FeatureParams::new()
            .word_ngrams(1, 1)
            .char_weight(0.0)
            .shout(false)
            .group_blind(false)
            .name_calling(false)
            .check()
            .unwrap(),
    )
}

fn unigram_bucket(word: &str) -> u32 {
    let v = unigrams_only().vectorise(word);
    assert_eq!(v.nnz(), 1, "{word:?} should give one unigram");
    v.indices[0]
}

fn is_subset(small: &SparseVector, large: &SparseVector) -> bool {
    small.indices.iter().all(|i| large.indices.contains(i))
}

const OBFUSCATED: &[(&str, &str)] = &[
    ("sh1t", "shit"),
    ("$hit", "shit"),
    ("sh!t", "shit"),
    ("sh*t", "shit"),
    ("@sshole", "asshole"),
    ("a$$hole", "asshole"),
    ("musl1ms", "muslims"),
    ("1d10t", "idiot"),
    ("f*ck", "fuck"),
    ("f**k", "fuck"),
    ("i d i o t", "idiot"),
    ("i-d-i-o-t", "idiot"),
    ("stuuupid", "stupid"),
    ("STUUUPID", "stupid"),
    ("\u{456}diot", "idiot"),             // Cyrillic і
    ("\u{456}d\u{456}\u{43e}t", "idiot"), // Cyrillic і, і, о
    ("ｉｄｉｏｔ", "idiot"),              // full-width
    ("id<b>io</b>t", "idiot"),
    ("m\u{43e}r\u{3bf}n", "moron"), // Cyrillic о, Greek ο
];

#[test]
fn obfuscated_spellings_share_the_clean_word_unigram() {
    let unigrams = unigrams_only();
    for &(dodged, clean) in OBFUSCATED {
        let bucket = unigram_bucket(clean);
        let v = unigrams.vectorise(dodged);
        assert!(
            v.indices.contains(&bucket),
            "{dodged:?} should share the unigram bucket of {clean:?}"
        );
    }
}

#[test]
fn obfuscated_spellings_contain_every_clean_feature() {
    let f = default();
    for &(dodged, clean) in OBFUSCATED {
        let clean_v = f.vectorise(clean);
        let dodged_v = f.vectorise(dodged);
        assert!(
            is_subset(&clean_v, &dodged_v),
            "{dodged:?} should carry every word and character feature of {clean:?}"
        );
    }
}

#[test]
fn dodging_a_filter_is_itself_a_feature() {
    let f = default();
    for (dodged, clean) in [
        ("sh1t", "shit"),
        ("f**k", "fuck"),
        ("i d i o t", "idiot"),
        ("\u{456}diot", "idiot"),
    ] {
        assert_ne!(f.vectorise(dodged), f.vectorise(clean), "{dodged:?}");
    }
}

#[test]
fn ordinary_words_are_not_de_obfuscated() {
    let unigrams = unigrams_only();
    for (word, not) in [
        ("covid19", "covidig"),
        ("4chan", "achan"),
        ("2019", "2oig"),
        ("good", "god"),
    ] {
        assert_ne!(
            unigrams.vectorise(word).indices,
            vec![unigram_bucket(not)],
            "{word}"
        );
    }
}

#[test]
fn stems_merge_inflections() {
    assert_eq!(unigram_bucket("idiots"), unigram_bucket("idiot"));
    assert_eq!(unigram_bucket("Insulting"), unigram_bucket("insult"));
}

#[test]
fn quoting_a_word_is_not_saying_it() {
    let f = default();
    let idiot = unigram_bucket("idiot");
    let said = f.vectorise("you idiot");
    assert!(said.indices.contains(&idiot));
    for quoted in [
        "> you idiot",
        "He wrote \"you idiot\" to me.",
        "He wrote \u{201c}you idiot\u{201d} to me.",
        "<blockquote>you idiot</blockquote> That was uncalled for.",
    ] {
        let v = f.vectorise(quoted);
        assert_ne!(v, said, "{quoted:?}");
        assert!(
            !v.indices.contains(&idiot),
            "{quoted:?} must not carry the unquoted idiot unigram"
        );
    }
    // Every character n-gram of a quoted word moves too.
    let char_only = Featuriser::new(FeatureParams::new().word_weight(0.0).check().unwrap());
    let quoted = char_only.vectorise("> you idiot");
    let idiot_chars = char_only.vectorise("idiot");
    assert!(idiot_chars
        .indices
        .iter()
        .all(|i| !quoted.indices.contains(i)));
    // A quote on one line does not leak into the next.
    let v = f.vectorise("> you said it\nyou idiot");
    assert!(v.indices.contains(&idiot));
}

#[test]
fn twitter_placeholders_match_real_mentions_and_links() {
    let f = default();
    assert_eq!(
        f.vectorise("@USER you are wrong, read URL"),
        f.vectorise("@Badger you are wrong, read https://example.com/a?b=1")
    );
    assert_eq!(f.vectorise("see URL"), f.vectorise("see www.example.org"));
}

#[test]
fn shouting_is_kept_apart() {
    let f = default();
    let quiet = f.vectorise("you are stupid");
    let loud = f.vectorise("you are STUPID");
    assert_ne!(quiet, loud);
    assert!(is_subset(&quiet, &loud));
}

#[test]
fn hashing_is_pinned() {
    // Buckets are part of every trained model: a change here silently
    // breaks shipped models. Update only with a new model format.
    assert_eq!(unigram_bucket("idiot"), 54_581);
    assert_eq!(unigram_bucket("muslims"), 61_156);
    let before_name_calling = FeatureParams::new().name_calling(false).check().unwrap();
    let v = Featuriser::new(before_name_calling).vectorise("you idiot");
    assert_eq!(v.nnz(), 21);
    assert_eq!(&v.indices[..4], &[7_898, 18_299, 21_319, 34_445]);
    let with = default().vectorise("you idiot");
    let added: Vec<u32> = with
        .indices
        .iter()
        .copied()
        .filter(|i| !v.indices.contains(i))
        .collect();
    assert_eq!(added, [40_985], "the shared name-calling feature");
    let small = Featuriser::new(
        FeatureParams::new()
            .bits(10)
            .name_calling(false)
            .check()
            .unwrap(),
    );
    assert_eq!(small.dimension(), 1024);
    assert_eq!(&small.vectorise("you idiot").indices[..3], &[30, 71, 83]);
}

#[test]
fn empty_and_blank_input_give_empty_vectors() {
    let f = default();
    for text in ["", " ", "\n\t  \r\n", "\u{200b}", "!!! ??? ...", "<p></p>"] {
        let v = f.vectorise(text);
        assert_eq!(v.nnz(), 0, "{text:?}");
        assert_eq!(v.dot(&vec![1.0; f.dimension()]), 0.0);
        assert!(f.explain(text, &vec![1.0; f.dimension()], 5).is_empty());
    }
}

#[test]
fn huge_input_is_truncated_not_a_problem() {
    let f = default();
    let line = "Drama queens the lot of them! Not at all British. sh1t \u{1F600} ";
    let huge: String = line.repeat(10 * 1024 * 1024 / line.len());
    assert!(huge.len() > 10_000_000);
    let v = f.vectorise(&huge);
    let prefix: String = huge.chars().take(20_000).collect();
    assert_eq!(
        v,
        f.vectorise(&prefix),
        "only the first 20,000 characters count"
    );
    // One giant "word" and one giant tag do not blow up either.
    let v = f.vectorise(&"a".repeat(10_000_000));
    assert!(v.nnz() > 0 && v.nnz() < 100);
    let v = f.vectorise(&format!("<{}", "b".repeat(1_000_000)));
    assert!(v.nnz() > 0);
}

#[test]
fn settings_round_trip_through_a_model_file() {
    let params = FeatureParams::new()
        .bits(14)
        .word_ngrams(1, 3)
        .check()
        .unwrap();
    let json = serde_json::to_string(&params).unwrap();
    let restored: ValidFeatureParams = serde_json::from_str(&json).unwrap();
    let text = "What a lot of them, honestly. You 1d10t!";
    assert_eq!(
        Featuriser::new(params).vectorise(text),
        Featuriser::new(restored).vectorise(text)
    );
    let broken = json.replace("\"bits\":14", "\"bits\":99");
    let err = serde_json::from_str::<ValidFeatureParams>(&broken).unwrap_err();
    assert!(err.to_string().contains("99"), "{err}");
}

#[test]
fn explain_shows_phrases_as_written() {
    let f = default();
    let comment = "Drama queens the lot of them! Not at all normal.";
    // A model that has learnt these two phrases.
    let mut weights = vec![0.0; f.dimension()];
    for phrase in ["lot of them", "not at all normal"] {
        let phrase_words = Featuriser::new(
            FeatureParams::new()
                .word_ngrams(2, 4)
                .char_weight(0.0)
                .check()
                .unwrap(),
        );
        let longest = phrase_words.vectorise(phrase);
        for &i in &longest.indices {
            weights[i as usize] = 1.0;
        }
    }
    let top = f.explain(comment, &weights, 5);
    let mut names: Vec<&str> = top.iter().map(|c| c.feature.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["Not at", "all normal", "at all", "lot of", "of them"]
    );
    assert!(names.iter().all(|n| comment.contains(n)), "{names:?}");
    assert!(top
        .windows(2)
        .all(|w| w[0].weight.abs() >= w[1].weight.abs()));
}

#[test]
fn evidence_names_a_repeated_phrase_once() {
    let f = default();
    let mut weights = vec![0.0; f.dimension()];
    for &i in &f.vectorise("idiot").indices {
        weights[i as usize] = 1.0;
    }
    let evidence = f.evidence("idiot. you are an idiot. what an idiot.", &weights, 3);
    let idiots: Vec<&str> = evidence
        .iter()
        .map(|c| c.feature.as_str())
        .filter(|n| *n == "idiot")
        .collect();
    assert_eq!(idiots.len(), 1, "{evidence:?}");
}

#[test]
fn evidence_joins_phrases() {
    let f = default();
    let comment = "Drama queens the lot of them! Not at all normal. Lovely weather though.";
    let bigrams = Featuriser::new(
        FeatureParams::new()
            .word_ngrams(2, 2)
            .char_weight(0.0)
            .check()
            .unwrap(),
    );
    let mut weights = vec![0.0; f.dimension()];
    for phrase in ["lot of them", "not at all normal"] {
        for &i in &bigrams.vectorise(phrase).indices {
            weights[i as usize] = 1.0;
        }
    }
    // A feature that lowers the score is never evidence.
    for &i in &bigrams.vectorise("lovely weather").indices {
        weights[i as usize] = -5.0;
    }
    let evidence = f.evidence(comment, &weights, 5);
    let mut names: Vec<&str> = evidence.iter().map(|c| c.feature.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["Not at all normal", "lot of them"]);
    assert!(evidence.iter().all(|c| c.weight > 0.0));
    assert!(evidence[0].weight >= evidence[1].weight);
    // The phrase does not run across the sentence break.
    assert!(f
        .evidence("lot of them. Them! lot of", &weights, 5)
        .iter()
        .all(|c| !c.feature.contains('.')));
}

#[test]
fn featuriser_is_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Featuriser>();
    let f = std::sync::Arc::new(default());
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let f = f.clone();
            std::thread::spawn(move || f.vectorise(&format!("comment number {i} you idiot")))
        })
        .collect();
    for (i, handle) in handles.into_iter().enumerate() {
        assert_eq!(
            handle.join().unwrap(),
            f.vectorise(&format!("comment number {i} you idiot"))
        );
    }
}

#[test]
fn explain_marks_quoted_features() {
    let f = default();
    let weights = vec![1.0; f.dimension()];
    let top = f.explain("> you idiot", &weights, 10);
    assert!(
        top.iter().all(|c| c.feature.starts_with("quoted: ")),
        "{top:?}"
    );
}

#[test]
fn context_features_of_a_thread() {
    let view = ThreadView {
        post_title: Some("Deputy Mayor marched from his workplace"),
        post_text: Some("The Deputy Mayor of Tower Hamlets was marched from the Job Centre by a security guard."),
        post_author: Some("Ted Jeory"),
        comments: vec![
            CommentView { author: Some("LONDONER"), parent: None, text: "The Job Centre was right to remove the Deputy Mayor." },
            CommentView { author: Some("Curious Cat"), parent: Some(0), text: "LONDONER is just another anonymous nobody. Are you a relation?" },
            CommentView { author: Some("LONDONER"), parent: Some(1), text: "EU = good, very good, our future!!!" },
            CommentView { author: Some("Badger"), parent: None, text: "Muslims, that's what you wanted, isn't it?" },
        ],
    };
    let features = context_features(&view);
    assert_eq!(features.len(), view.comments.len());
    let get = |c: usize, name: &str| {
        features[c].values[CONTEXT_FEATURE_NAMES
            .iter()
            .position(|n| *n == name)
            .unwrap()]
    };
    assert!(get(0, "sim_post") > get(2, "sim_post"));
    assert_eq!(get(1, "addresses_name"), 1.0);
    assert!(get(1, "second_person") > 0.0);
    assert_eq!(get(2, "parent_is_question"), 1.0);
    assert_eq!(get(2, "answers_about_own_comment"), 1.0);
    assert!(get(2, "exclamation_runs") > 0.0);
    assert!(get(3, "identity_terms") > 0.0);
    assert!(features
        .iter()
        .all(|f| f.values.iter().all(|v| v.is_finite())));
    assert_eq!(CONTEXT_FEATURE_NAMES.len(), CONTEXT_FEATURES);
    assert_eq!(identity_terms("Muslims, Jews, gays and immigrants"), 4);
}

fn check_vector(f: &Featuriser, v: &SparseVector) {
    assert_eq!(v.indices.len(), v.values.len());
    assert!(
        v.indices.windows(2).all(|w| w[0] < w[1]),
        "indices strictly increasing"
    );
    assert!(v.indices.iter().all(|&i| (i as usize) < f.dimension()));
    assert!(v.values.iter().all(|x| x.is_finite() && *x > 0.0));
    if v.nnz() > 0 {
        let norm: f32 = v.values.iter().map(|x| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-3, "norm {norm}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_unicode_gives_a_valid_vector(text in any::<String>()) {
        let f = default();
        let v = f.vectorise(&text);
        check_vector(&f, &v);
        prop_assert!(v.nnz() <= 20_000 * 30);
    }

    #[test]
    fn noisy_comments_give_valid_vectors(text in "[a-zA-Z0-9 @$!*#%|+'.,\\-_<>&;\"\u{201c}\u{201d}\n\u{456}\u{43e}\u{1F600}]{0,200}") {
        let f = default();
        let v = f.vectorise(&text);
        check_vector(&f, &v);
        let weights = vec![0.25; f.dimension()];
        let explained: f32 = f.explain(&text, &weights, usize::MAX).iter().map(|c| c.weight).sum();
        prop_assert!((explained - v.dot(&weights)).abs() < 1e-3);
    }

    #[test]
    fn scratch_reuse_never_leaks_between_comments(a in "\\PC{0,80}", b in "\\PC{0,80}") {
        let f = default();
        let mut scratch = Scratch::default();
        let mut out = SparseVector::default();
        f.vectorise_with(&a, &mut scratch, &mut out);
        f.vectorise_with(&b, &mut scratch, &mut out);
        prop_assert_eq!(out, f.vectorise(&b));
    }

    #[test]
    fn explanations_name_words_of_the_comment(words in proptest::collection::vec("[a-z]{1,8}", 1..20), seed in 0u32..1000) {
        let f = default();
        let text = words.join(" ");
        let weights: Vec<f32> = (0..f.dimension() as u32)
            .map(|i| ((i.wrapping_mul(2_654_435_761).wrapping_add(seed) >> 16) % 200) as f32 / 100.0 - 1.0)
            .collect();
        let top = f.explain(&text, &weights, 5);
        prop_assert!(top.len() <= 5);
        for c in &top {
            prop_assert!(text.contains(&c.feature), "{:?} not in {:?}", c.feature, text);
        }
    }

    #[test]
    fn context_features_of_any_thread_are_finite(
        comments in proptest::collection::vec(
            ("(Ann|Bob Smith|LONDONER|)?", "(you are (just )?a nobody|“you idiot”|Bob is another troll|grow up|well done|\\PC{0,40}|[.!?\n ]){0,6}"),
            0..12,
        ),
    ) {
        let view = ThreadView {
            post_title: Some("A post"),
            post_text: Some("About the council."),
            post_author: Some("Ann"),
            comments: comments
                .iter()
                .enumerate()
                .map(|(i, (author, text))| CommentView {
                    author: Some(author.as_str()),
                    parent: i.checked_sub(1),
                    text: text.as_str(),
                })
                .collect(),
        };
        let features = context_features(&view);
        prop_assert_eq!(features.len(), comments.len());
        for f in &features {
            prop_assert!(f.values.iter().all(|v| v.is_finite() && *v >= 0.0), "{:?}", f.values);
        }
    }

    #[test]
    fn case_does_not_change_words(word in "[a-z]{4,10}") {
        let unigrams = unigrams_only();
        prop_assert_eq!(unigrams.vectorise(&word), unigrams.vectorise(&word.to_uppercase()));
    }
}

#[test]
fn group_names_carry_no_features() {
    let f = default();
    // Which group a sentence names leaves no trace in its features ...
    let muslim = f.vectorise("I am a proud Muslim and I live in Tower Hamlets.");
    for other in ["Jew", "Sikh", "Catholic", "Polish", "gay"] {
        let text = format!("I am a proud {other} and I live in Tower Hamlets.");
        assert_eq!(f.vectorise(&text), muslim, "{text}");
    }
    // ... and a group's name alone gives none at all.
    assert_eq!(f.vectorise("Muslims").nnz(), 0);
    // Obfuscated names too: only the mark of obfuscation is left.
    assert_eq!(f.vectorise("musl1ms"), f.vectorise("j3ws"));
    assert_eq!(f.vectorise("musl1ms").nnz(), 1);
    // What is said of the group is what counts.
    let said = f.vectorise("Muslims are vermin");
    assert_eq!(said, f.vectorise("are vermin"));
    assert_ne!(said, f.vectorise("Muslims are neighbours"));
}

#[test]
fn models_written_before_group_blindness_read_group_names_as_words() {
    let old: ValidFeatureParams =
        serde_json::from_str(r#"{"bits": 18}"#).expect("old settings parse");
    assert!(!old.group_blind());
    let f = Featuriser::new(old);
    assert_ne!(f.vectorise("Muslims"), f.vectorise("Jews"));
    assert!(ValidFeatureParams::default().group_blind());
}

/// The buckets of `text` under `f` that `other` does not have.
fn only_in(f: &Featuriser, text: &str, other: &str) -> Vec<u32> {
    let b = f.vectorise(other);
    f.vectorise(text)
        .indices
        .into_iter()
        .filter(|i| !b.indices.contains(i))
        .collect()
}

#[test]
fn name_calling_words_share_a_feature_outside_quotes() {
    let words_alone = || {
        FeatureParams::new()
            .word_ngrams(1, 1)
            .char_weight(0.0)
            .shout(false)
    };
    let f = Featuriser::new(words_alone().check().unwrap());
    let off = Featuriser::new(words_alone().name_calling(false).check().unwrap());
    // A rare insult gets its own word and the feature every insult shares.
    assert_eq!(f.vectorise("muppet").nnz(), 2);
    assert_eq!(off.vectorise("muppet").nnz(), 1);
    let shared = only_in(&f, "muppet", "numpty");
    assert_eq!(shared.len(), 1, "the word's own bucket only");
    assert!(is_subset(
        &f.vectorise("loons"),
        &f.vectorise("loons idiot")
    ));
    let common: Vec<u32> = f
        .vectorise("muppet")
        .indices
        .into_iter()
        .filter(|i| f.vectorise("idiots").indices.contains(i))
        .collect();
    assert_eq!(common.len(), 1, "muppet and idiots share one feature");
    // Civil criticism and quoted insults get no share of it.
    assert_eq!(f.vectorise("naive").nnz(), 1);
    let quoted = "he called me a \"muppet\"";
    assert_eq!(f.vectorise(quoted), off.vectorise(quoted));
    assert!(!f.vectorise(quoted).indices.contains(&common[0]));
}

#[test]
fn name_calling_feature_weighs_as_set_against_the_word() {
    let words_alone = |weight| {
        Featuriser::new(
            FeatureParams::new()
                .word_ngrams(1, 1)
                .char_weight(0.0)
                .shout(false)
                .name_calling_weight(weight)
                .check()
                .unwrap(),
        )
    };
    let own = only_in(&words_alone(1.0), "muppet", "numpty")[0];
    for weight in [1.0, 3.0] {
        let v = words_alone(weight).vectorise("muppet");
        let word = v.indices.iter().position(|&i| i == own).unwrap();
        let feature = v.indices.iter().position(|&i| i != own).unwrap();
        let ratio = v.values[feature] / v.values[word];
        assert!((ratio - weight).abs() < 1e-5, "{weight}: {ratio}");
    }
    assert_eq!(ValidFeatureParams::default().name_calling_weight(), 3.0);
    let negative = FeatureParams::new().name_calling_weight(-1.0).check();
    assert!(negative.unwrap_err().to_string().contains("name_calling"));
}

#[test]
fn models_written_before_the_name_calling_weight_weigh_it_as_a_word() {
    let old: ValidFeatureParams =
        serde_json::from_str(r#"{"bits": 18, "name_calling": true}"#).expect("old settings parse");
    assert!(old.name_calling());
    assert_eq!(old.name_calling_weight(), 1.0);
}

#[test]
fn models_written_before_name_calling_have_no_shared_insult_feature() {
    let old: ValidFeatureParams =
        serde_json::from_str(r#"{"bits": 18}"#).expect("old settings parse");
    assert!(!old.name_calling());
    assert_eq!(
        Featuriser::new(old).vectorise("muppet").nnz(),
        Featuriser::new(ValidFeatureParams::default().clone())
            .vectorise("muppet")
            .nnz()
            - 1
    );
    assert!(ValidFeatureParams::default().name_calling());
}
