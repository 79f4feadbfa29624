//! Resolving the history in the label files to one judgement per comment.

use std::collections::HashMap;

use crate::time::Timestamp;
use crate::LabelRecord;

/// The judgement in force for every comment: per `(thread, comment)` the
/// record with the latest `at` wins, and on equal `at` the one later in the
/// input. A comment whose winning record is a withdrawal is left out.
///
/// The result keeps the order in which comments first appear in the input.
/// A record whose `at` is not RFC 3339 (the readers reject those) counts as
/// older than any valid one.
pub fn latest(records: impl IntoIterator<Item = LabelRecord>) -> Vec<LabelRecord> {
    winners(records, |record| record)
        .into_iter()
        .filter(|record| !record.withdrawn)
        .collect()
}

/// Per key, the winning item in first-appearance order (withdrawals kept).
pub(crate) fn winners<T>(
    items: impl IntoIterator<Item = T>,
    record: impl Fn(&T) -> &LabelRecord,
) -> Vec<T> {
    let mut slots: Vec<(Option<Timestamp>, T)> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for item in items {
        let rec = record(&item);
        let at = rec.timestamp();
        let key = (rec.thread.clone(), rec.comment.clone());
        match index.get(&key) {
            Some(&i) => {
                if at >= slots[i].0 {
                    slots[i] = (at, item);
                }
            }
            None => {
                index.insert(key, slots.len());
                slots.push((at, item));
            }
        }
    }
    slots.into_iter().map(|(_, item)| item).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Labels;

    fn rec(comment: &str, abuse: bool, at: &str) -> LabelRecord {
        let mut r = LabelRecord::new(
            "t1",
            comment,
            Labels {
                abuse,
                ..Labels::NONE
            },
            "ann",
        );
        r.at = at.into();
        r
    }

    #[test]
    fn latest_at_wins_whatever_the_input_order() {
        let out = latest([
            rec("c1", true, "2026-01-02T00:00:00Z"),
            rec("c1", false, "2026-01-01T00:00:00Z"),
        ]);
        assert_eq!(out.len(), 1);
        assert!(out[0].abuse);
    }

    #[test]
    fn offsets_are_compared_as_instants() {
        // 01:00+02:00 is 23:00 the day before in UTC: older.
        let out = latest([
            rec("c1", true, "2026-01-01T00:00:00Z"),
            rec("c1", false, "2026-01-01T01:00:00+02:00"),
        ]);
        assert!(out[0].abuse);
    }

    #[test]
    fn ties_go_to_the_later_record() {
        let at = "2026-01-01T00:00:00Z";
        let out = latest([rec("c1", true, at), rec("c1", false, at)]);
        assert!(!out[0].abuse);
    }

    #[test]
    fn keeps_first_appearance_order() {
        let out = latest([
            rec("c2", true, "2026-01-01T00:00:00Z"),
            rec("c1", true, "2026-01-01T00:00:00Z"),
            rec("c2", false, "2026-01-03T00:00:00Z"),
        ]);
        let ids: Vec<&str> = out.iter().map(|r| r.comment.as_str()).collect();
        assert_eq!(ids, ["c2", "c1"]);
        assert!(!out[0].abuse);
    }

    #[test]
    fn a_withdrawal_hides_the_comment_until_labelled_again() {
        let mut undo = LabelRecord::withdrawal("t1", "c1", "ann");
        undo.at = "2026-01-02T00:00:00Z".into();
        let history = vec![rec("c1", true, "2026-01-01T00:00:00Z"), undo];
        assert!(latest(history.clone()).is_empty());
        let mut again = history;
        again.push(rec("c1", false, "2026-01-03T00:00:00Z"));
        assert_eq!(latest(again).len(), 1);
    }

    #[test]
    fn an_unreadable_time_loses_to_a_readable_one() {
        let out = latest([
            rec("c1", false, "2026-01-01T00:00:00Z"),
            rec("c1", true, "not a time"),
        ]);
        assert!(!out[0].abuse);
    }
}
