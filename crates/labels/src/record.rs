//! The label record: one line of a label file.

use serde::{Deserialize, Serialize};

use crate::time::{now_rfc3339, Timestamp};

/// One moderator's judgement of one comment of a thread kept in the project.
///
/// Serialised as one JSON object per line:
/// `{"thread":"t1","comment":"c7","abuse":true,"ad_hominem":false,"off_topic":false,"note":"...","by":"ann","at":"2026-01-31T12:00:00Z"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelRecord {
    /// Thread id.
    pub thread: String,
    /// Comment id within the thread.
    pub comment: String,
    /// Insults, demeans, threatens or harasses a person or group.
    pub abuse: bool,
    /// Attacks a participant instead of their argument.
    pub ad_hominem: bool,
    /// Engages neither with the post nor with the parent comment.
    pub off_topic: bool,
    /// Short reason, required on positives and borderline cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who labelled it.
    pub by: String,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// True when this record takes back every earlier judgement of the
    /// comment (an undo with nothing earlier to restore): the comment counts
    /// as unlabelled from `at` on. Written only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub withdrawn: bool,
}

/// The three labels of a comment, in the order abuse, ad_hominem, off_topic.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Labels {
    /// Insults, demeans, threatens or harasses a person or group.
    pub abuse: bool,
    /// Attacks a participant instead of their argument.
    pub ad_hominem: bool,
    /// Engages neither with the post nor with the parent comment.
    pub off_topic: bool,
}

impl Labels {
    /// No label set.
    pub const NONE: Labels = Labels {
        abuse: false,
        ad_hominem: false,
        off_topic: false,
    };

    /// True when at least one label is set.
    pub fn any(&self) -> bool {
        self.abuse || self.ad_hominem || self.off_topic
    }

    /// Names of the labels that are set, e.g. `["abuse", "off_topic"]`.
    pub fn names(&self) -> Vec<&'static str> {
        [
            (self.abuse, "abuse"),
            (self.ad_hominem, "ad_hominem"),
            (self.off_topic, "off_topic"),
        ]
        .into_iter()
        .filter_map(|(set, name)| set.then_some(name))
        .collect()
    }
}

impl std::fmt::Display for Labels {
    /// `abuse+off_topic`, or `none`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.any() {
            f.write_str(&self.names().join("+"))
        } else {
            f.write_str("none")
        }
    }
}

impl LabelRecord {
    /// A judgement of `comment` in `thread` by `by`, stamped now.
    pub fn new(
        thread: impl Into<String>,
        comment: impl Into<String>,
        labels: Labels,
        by: impl Into<String>,
    ) -> LabelRecord {
        LabelRecord {
            thread: thread.into(),
            comment: comment.into(),
            abuse: labels.abuse,
            ad_hominem: labels.ad_hominem,
            off_topic: labels.off_topic,
            note: None,
            by: by.into(),
            at: now_rfc3339(),
            withdrawn: false,
        }
    }

    /// The same record with a note.
    pub fn with_note(mut self, note: impl Into<String>) -> LabelRecord {
        self.note = Some(note.into());
        self
    }

    /// A record, stamped now, that withdraws the judgement of the comment.
    pub fn withdrawal(
        thread: impl Into<String>,
        comment: impl Into<String>,
        by: impl Into<String>,
    ) -> LabelRecord {
        LabelRecord {
            withdrawn: true,
            ..LabelRecord::new(thread, comment, Labels::NONE, by)
        }
    }

    /// The three labels.
    pub fn labels(&self) -> Labels {
        Labels {
            abuse: self.abuse,
            ad_hominem: self.ad_hominem,
            off_topic: self.off_topic,
        }
    }

    /// `(thread, comment)`: what the record is about.
    pub fn key(&self) -> (&str, &str) {
        (&self.thread, &self.comment)
    }

    /// `at` as an instant, or `None` when it is not RFC 3339.
    pub fn timestamp(&self) -> Option<Timestamp> {
        Timestamp::parse(&self.at).ok()
    }

    /// True when a note with some text is present.
    pub fn has_note(&self) -> bool {
        self.note.as_deref().is_some_and(|n| !n.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_in_the_documented_shape() {
        let mut rec = LabelRecord::new(
            "t1",
            "c7",
            Labels {
                abuse: true,
                ..Labels::NONE
            },
            "ann",
        )
        .with_note("slur");
        rec.at = "2026-01-31T12:00:00Z".into();
        assert_eq!(
            serde_json::to_string(&rec).unwrap(),
            r#"{"thread":"t1","comment":"c7","abuse":true,"ad_hominem":false,"off_topic":false,"note":"slur","by":"ann","at":"2026-01-31T12:00:00Z"}"#
        );
    }

    #[test]
    fn withdrawal_is_written_and_read_back() {
        let rec = LabelRecord::withdrawal("t1", "c7", "ann");
        let line = serde_json::to_string(&rec).unwrap();
        assert!(line.contains(r#""withdrawn":true"#), "{line}");
        assert_eq!(serde_json::from_str::<LabelRecord>(&line).unwrap(), rec);
    }

    #[test]
    fn labels_display_names_what_is_set() {
        let l = Labels {
            abuse: true,
            off_topic: true,
            ..Labels::NONE
        };
        assert_eq!(l.to_string(), "abuse+off_topic");
        assert_eq!(Labels::NONE.to_string(), "none");
    }
}
