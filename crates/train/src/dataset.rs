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
            "replies moved under foreign parents (Habernal threads)",
            "as Habernal",
            &tr,
        ));
        data.extend(tr);
    }
    (data, cards)
}

#[cfg(test)]
mod tests {
    #[test]
    fn pronoun_remarks() {
        assert!(super::talks_about_them("Drama queens the lot of them!"));
        assert!(!super::talks_about_them("Nice weather in Leeds"));
    }
}
