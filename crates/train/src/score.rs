//! The scoring vocabulary shared by the trainer, the CLI and the server:
//! labels, per-label scores and thresholds, the suggested action and the
//! per-comment result with its reasons.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::TrainError;

/// One of the three things referee scores a comment for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// Insults, demeans, threatens or harasses a person or a group.
    Abuse,
    /// Attacks a participant of the discussion instead of their argument.
    AdHominem,
    /// Engages neither with the post nor with the comment it replies to.
    OffTopic,
}

impl Label {
    /// Every label, in the order used by scores, weights and tables.
    pub const ALL: [Label; 3] = [Label::Abuse, Label::AdHominem, Label::OffTopic];

    /// The snake_case name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Abuse => "abuse",
            Label::AdHominem => "ad_hominem",
            Label::OffTopic => "off_topic",
        }
    }

    /// The label as people say it: "abuse", "ad hominem", "off topic".
    pub fn in_words(self) -> &'static str {
        match self {
            Label::Abuse => "abuse",
            Label::AdHominem => "ad hominem",
            Label::OffTopic => "off topic",
        }
    }

    /// Position of the label in [`Label::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Label {
    type Err = TrainError;

    fn from_str(s: &str) -> Result<Label, TrainError> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "abuse" => Ok(Label::Abuse),
            "ad_hominem" | "adhominem" => Ok(Label::AdHominem),
            "off_topic" | "offtopic" => Ok(Label::OffTopic),
            _ => Err(TrainError::UnknownLabel(s.to_string())),
        }
    }
}

/// Probabilities in `[0, 1]`, one per label.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Probability of abuse.
    pub abuse: f32,
    /// Probability of an ad hominem attack.
    pub ad_hominem: f32,
    /// Probability of being off topic.
    pub off_topic: f32,
}

impl Scores {
    /// The score of one label.
    pub fn get(&self, label: Label) -> f32 {
        match label {
            Label::Abuse => self.abuse,
            Label::AdHominem => self.ad_hominem,
            Label::OffTopic => self.off_topic,
        }
    }

    /// Sets the score of one label.
    pub fn set(&mut self, label: Label, value: f32) {
        match label {
            Label::Abuse => self.abuse = value,
            Label::AdHominem => self.ad_hominem = value,
            Label::OffTopic => self.off_topic = value,
        }
    }
}

/// What a moderator is advised to do with a comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Publish: no label reached its review threshold.
    Approve,
    /// Hold for a human: some label reached its review threshold.
    Review,
    /// Remove: some label reached its reject threshold.
    Reject,
}

impl Action {
    /// The lowercase name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Review => "review",
            Action::Reject => "reject",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The two cut-offs of one label.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Threshold {
    /// A score at or above this flags the label and asks for review.
    pub review: f32,
    /// A score at or above this suggests rejecting the comment.
    pub reject: f32,
}

impl Default for Threshold {
    fn default() -> Self {
        Threshold {
            review: 0.5,
            reject: 0.9,
        }
    }
}

/// Review and reject thresholds of every label.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Thresholds of [`Label::Abuse`].
    pub abuse: Threshold,
    /// Thresholds of [`Label::AdHominem`].
    pub ad_hominem: Threshold,
    /// Thresholds of [`Label::OffTopic`].
    pub off_topic: Threshold,
}

impl Thresholds {
    /// The thresholds of one label.
    pub fn get(&self, label: Label) -> &Threshold {
        match label {
            Label::Abuse => &self.abuse,
            Label::AdHominem => &self.ad_hominem,
            Label::OffTopic => &self.off_topic,
        }
    }

    /// The thresholds of one label, for changing them.
    pub fn get_mut(&mut self, label: Label) -> &mut Threshold {
        match label {
            Label::Abuse => &mut self.abuse,
            Label::AdHominem => &mut self.ad_hominem,
            Label::OffTopic => &mut self.off_topic,
        }
    }

    /// Labels whose score reaches their review threshold, in [`Label::ALL`] order.
    pub fn flags(&self, scores: &Scores) -> Vec<Label> {
        Label::ALL
            .into_iter()
            .filter(|&label| scores.get(label) >= self.get(label).review)
            .collect()
    }

    /// Reject if any score reaches its reject threshold, else review if any
    /// label is flagged, else approve.
    pub fn action(&self, scores: &Scores) -> Action {
        let reaches = |pick: fn(&Threshold) -> f32| {
            Label::ALL
                .into_iter()
                .any(|label| scores.get(label) >= pick(self.get(label)))
        };
        if reaches(|t| t.reject) {
            Action::Reject
        } else if reaches(|t| t.review) {
            Action::Review
        } else {
            Action::Approve
        }
    }
}

/// Why a label was flagged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// The flagged label.
    pub label: Label,
    /// What pushed the score up, never empty for a scored comment: first
    /// phrases of the comment as written, then its circumstances in the
    /// thread in plain words ("names a group", "shares little with the
    /// post").
    pub evidence: Vec<String>,
    /// How many of the first `evidence` entries are phrases of the comment.
    #[serde(skip)]
    pub phrases: usize,
}

impl Reason {
    /// The phrases of the comment among the evidence.
    pub fn phrases(&self) -> &[String] {
        &self.evidence[..self.phrases.min(self.evidence.len())]
    }

    /// The circumstances among the evidence, in plain words.
    pub fn circumstances(&self) -> &[String] {
        &self.evidence[self.phrases.min(self.evidence.len())..]
    }
}

/// One n-gram's contribution to a lexical score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NgramContribution {
    /// The n-gram as the featuriser saw it.
    pub feature: String,
    /// Its weight times its value, in logit units.
    pub weight: f32,
}

/// One context feature's value and contribution to the final score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContextContribution {
    /// The feature in plain words ("names a group").
    pub name: String,
    /// Its value for this comment.
    pub value: f32,
    /// Coefficient times value, in logit units.
    pub contribution: f32,
}

/// How one label's score came about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabelExplanation {
    /// The label explained.
    pub label: Label,
    /// Probability from the comment's words alone.
    pub lexical: f32,
    /// The n-grams that moved the lexical score most.
    pub ngrams: Vec<NgramContribution>,
    /// Every input of the context layer with its contribution.
    pub context: Vec<ContextContribution>,
}

/// The full explanation of a comment's scores, one entry per label.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// One entry per label, in [`Label::ALL`] order.
    pub labels: Vec<LabelExplanation>,
}

/// The result of scoring one comment; its serde form is the JSON Lines
/// output contract.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CommentScore {
    /// Thread id.
    pub thread: String,
    /// Comment id within the thread.
    pub id: String,
    /// The commenter, where known.
    pub author: Option<String>,
    /// Probability per label.
    pub scores: Scores,
    /// Labels at or above their review threshold.
    pub flags: Vec<Label>,
    /// Suggested action.
    pub action: Action,
    /// One reason per flagged label.
    pub reasons: Vec<Reason>,
    /// False when the comment had neither post nor parent and was scored
    /// from its text alone.
    pub context: bool,
    /// Per-label detail, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

/// How to score.
#[derive(Clone, Debug, Default)]
pub struct ScoreOptions {
    /// Thresholds to use instead of the model's own.
    pub thresholds: Option<Thresholds>,
    /// Attach an [`Explanation`] to every [`CommentScore`].
    pub explain: bool,
    /// Leave [`CommentScore::reasons`] empty, for callers that show scores
    /// and actions only: no evidence is computed.
    pub omit_reasons: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_names_round_trip() {
        for label in Label::ALL {
            assert_eq!(label.as_str().parse::<Label>().unwrap(), label);
            assert_eq!(
                serde_json::to_string(&label).unwrap(),
                format!("\"{label}\"")
            );
        }
        assert!("rude".parse::<Label>().is_err());
    }

    #[test]
    fn action_follows_thresholds() {
        let t = Thresholds::default();
        let mut s = Scores::default();
        assert_eq!(t.action(&s), Action::Approve);
        s.set(Label::OffTopic, 0.6);
        assert_eq!(t.action(&s), Action::Review);
        assert_eq!(t.flags(&s), vec![Label::OffTopic]);
        s.set(Label::Abuse, 0.95);
        assert_eq!(t.action(&s), Action::Reject);
        assert_eq!(t.flags(&s), vec![Label::Abuse, Label::OffTopic]);
    }

    #[test]
    fn comment_score_serialises_to_the_contract() {
        let score = CommentScore {
            thread: "t1".into(),
            id: "c7".into(),
            author: Some("Badger".into()),
            scores: Scores {
                abuse: 0.91,
                ad_hominem: 0.12,
                off_topic: 0.3,
            },
            flags: vec![Label::Abuse],
            action: Action::Reject,
            reasons: vec![Reason {
                label: Label::Abuse,
                evidence: vec!["lot of them".into()],
                phrases: 1,
            }],
            context: true,
            explanation: None,
        };
        let json = serde_json::to_string(&score).unwrap();
        assert_eq!(
            json,
            r#"{"thread":"t1","id":"c7","author":"Badger","scores":{"abuse":0.91,"ad_hominem":0.12,"off_topic":0.3},"flags":["abuse"],"action":"reject","reasons":[{"label":"abuse","evidence":["lot of them"]}],"context":true}"#
        );
    }
}
