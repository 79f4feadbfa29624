//! Assembling a training set: hand labels, corpora and the synthetic
//! threads derived from them, with a card entry per source.

use crate::card::SourceCard;
use crate::corpus::Corpus;
use crate::data::{label_counts, LabelledThread};
use crate::score::Label;
use crate::synthetic::{coded_remark_exchanges, off_topic_transplants, TRANSPLANT_WEIGHT};

/// Which synthetic threads to add.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Synthesis {
    /// Coded-remark exchanges built from tweets that talk about "them".
    pub exchanges: bool,
    /// Off-topic transplants built from threads with reply chains.
    pub transplants: bool,
    /// Seed of the templates' choices.
    pub seed: u64,
}

impl Default for Synthesis {
    fn default() -> Self {
        Synthesis {
            exchanges: true,
            transplants: true,
            seed: 0,
        }
    }
}

/// At most `n` threads of a corpus, picked by a stable hash of their fold
/// group and kept in their order: the same sample on every run, for quick
/// experiments.
pub fn sample_threads(threads: Vec<LabelledThread>, n: usize, seed: u64) -> Vec<LabelledThread> {
    if threads.len() <= n {
        return threads;
    }
    let mut order: Vec<(u64, usize)> = threads
        .iter()
        .enumerate()
        .map(|(i, t)| (crate::corpus::stable_hash(&t.group, seed ^ 0x5a3f), i))
        .collect();
    order.sort_unstable();
    let mut keep = vec![false; threads.len()];
    for &(_, i) in order.iter().take(n) {
        keep[i] = true;
    }
    threads
        .into_iter()
        .zip(keep)
        .filter_map(|(t, k)| k.then_some(t))
        .collect()
}

/// Whether a text refers to a group by pronoun only ("them", "they",
/// "these people"): the remarks a coded-remark exchange starts from.
fn talks_about_them(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "them" | "they" | "theyre" | "those" | "these"
        )
    })
}

fn card(name: &str, origin: &str, licence: &str, threads: &[LabelledThread]) -> SourceCard {
    let (labelled, positives) = label_counts(threads);
    SourceCard {
        name: name.into(),
        origin: origin.into(),
        licence: licence.into(),
        rows: threads
            .iter()
            .map(|t| t.targets.iter().filter(|x| x.any()).count())
            .sum(),
        labelled,
        positives,
    }
}

/// Replies with text in their own reply chain are on topic: that is the
/// negative side of the off-topic transplants, weighted like them.
fn mark_on_topic(t: &mut LabelledThread) {
    for (c, target) in t.thread.comments.iter().zip(t.targets.iter_mut()) {
        if c.parent.is_some() && !crate::corpus::is_removed(&c.text) {
            *target = target.by_placement(Label::OffTopic, false, TRANSPLANT_WEIGHT);
        }
    }
}

/// How much more a corpus comment that names a group counts as an abuse
/// or ad_hominem negative. Insults aimed at groups make identity words
/// ("muslim", "gay") and the words said beside them ("nothing to be
/// ashamed of") common in the corpora's positives, and a word model then
/// calls every mention of a group an attack; weighing the corpora's own
/// civil mentions up (as Dixon et al. 2018 add civil examples) teaches that
/// naming a group is not attacking it.
pub const IDENTITY_NEGATIVE_BOOST: f32 = 3.0;

/// Weighs up the abuse and ad_hominem negatives of `t` whose text names a
/// group.
fn boost_identity_negatives(t: &mut LabelledThread) {
    for (c, target) in t.thread.comments.iter().zip(t.targets.iter_mut()) {
        if referee_text::identity_terms(&c.text) == 0 {
            continue;
        }
        for label in [Label::Abuse, Label::AdHominem] {
            let i = label.index();
            if target.values[i] == Some(false) {
                target.weights[i] *= IDENTITY_NEGATIVE_BOOST;
            }
        }
    }
}

/// Joins hand-labelled threads (`labels_origin` names where they came from)
/// and corpora, adds synthetic threads, and describes every source.
pub fn assemble(
    hand: Vec<LabelledThread>,
    labels_origin: &str,
    corpora: Vec<(Corpus, Vec<LabelledThread>)>,
    synthesis: Synthesis,
) -> (Vec<LabelledThread>, Vec<SourceCard>) {
    let mut cards = Vec::new();
    let mut data = Vec::new();
    if !hand.is_empty() {
        cards.push(card("labels", labels_origin, "project labels", &hand));
    }
    data.extend(hand);
    let mut remarks = Vec::new();
    let mut chains = Vec::new();
    for (corpus, threads) in corpora {
        let mut threads = threads;
        threads.iter_mut().for_each(boost_identity_negatives);
        if synthesis.transplants {
            for t in threads.iter_mut() {
                if t.thread.comments.len() >= 2 {
                    mark_on_topic(t);
                }
            }
        }
        cards.push(card(
            corpus.name(),
            &corpus.path().display().to_string(),
            corpus.licence(),
            &threads,
        ));
        for t in &threads {
            if t.thread.comments.len() == 1 {
                if let Some(offensive) = t.targets[0].get(Label::Abuse) {
                    let text = &t.thread.comments[0].text;
                    if corpus.name() == "olid" && talks_about_them(text) {
                        remarks.push((t.group.clone(), text.clone(), offensive));
                    }
                }
            } else if t.thread.comments.len() >= 2 {
                chains.push(t.clone());
            }
        }
        data.extend(threads);
    }
    if synthesis.exchanges && !remarks.is_empty() {
        let ex = coded_remark_exchanges(&remarks, synthesis.seed);
        cards.push(card(
            "synthetic-exchange",
            "coded-remark exchanges from OLID tweets",
            "as OLID",
            &ex,
        ));
        data.extend(ex);
    }
    if synthesis.transplants && chains.len() >= 2 {
        let tr = off_topic_transplants(&chains, synthesis.seed);
        cards.push(card(
            "synthetic-off-topic",
            "replies moved under foreign parents (Habernal threads, CAT-LARGE pairs)",
            "as the corpus of each thread",
            &tr,
        ));
        data.extend(tr);
    }
    (data, cards)
}

#[cfg(test)]
mod tests {
    #[test]
    fn samples_are_stable_and_ordered() {
        let threads: Vec<crate::data::LabelledThread> = (0..50)
            .map(|i| crate::data::LabelledThread {
                source: "s".into(),
                group: format!("s:{i}"),
                evaluate: true,
                thread: Default::default(),
                targets: Vec::new(),
            })
            .collect();
        let a = super::sample_threads(threads.clone(), 10, 0);
        let b = super::sample_threads(threads.clone(), 10, 0);
        assert_eq!(a.len(), 10);
        assert_eq!(a, b);
        let groups: Vec<usize> = a.iter().map(|t| t.group[2..].parse().unwrap()).collect();
        assert!(groups.windows(2).all(|w| w[0] < w[1]), "{groups:?}");
        assert_eq!(super::sample_threads(threads, 99, 0).len(), 50);
    }

    #[test]
    fn pronoun_remarks() {
        assert!(super::talks_about_them("Drama queens the lot of them!"));
        assert!(!super::talks_about_them("Nice weather in Leeds"));
    }
}
