//! Evaluation reports: metrics per data source and label from out-of-fold
//! (or held-out) predictions, as a table, JSON and SVG plots.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use serde::Serialize;

use crate::data::LabelledThread;
use crate::error::{Result, TrainError};
use crate::metrics::{
    average_precision, pr_curve, precision_recall_f1, reliability, roc_auc, ReliabilityBin,
};
use crate::model::Model;
use crate::plot;
use crate::score::{Label, Thresholds};

/// Reliability bins per report row.
const BINS: usize = 10;

/// One predicted row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Prediction {
    /// Data source.
    pub source: String,
    /// Fold group.
    pub group: String,
    /// Thread id.
    pub thread: String,
    /// Comment id.
    pub comment: String,
    /// The label predicted.
    pub label: Label,
    /// Predicted probability.
    pub score: f32,
    /// The true label.
    pub truth: bool,
}

/// Metrics of one (source, label) pair.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvalRow {
    /// Data source, or `all`.
    pub source: String,
    /// The label.
    pub label: Label,
    /// Rows.
    pub rows: usize,
    /// Positive rows.
    pub positives: usize,
    /// Area under the ROC curve (`NaN` without both classes).
    pub roc_auc: f64,
    /// Average precision.
    pub average_precision: f64,
    /// Precision at the review threshold.
    pub precision: f64,
    /// Recall at the review threshold.
    pub recall: f64,
    /// F1 at the review threshold.
    pub f1: f64,
    /// Precision at the reject threshold.
    pub reject_precision: f64,
    /// Recall at the reject threshold.
    pub reject_recall: f64,
    /// Calibration.
    pub reliability: Vec<ReliabilityBin>,
}

/// How one label ranks the comments of one hand-labelled thread: where its
/// positives stand among the thread's comments, highest score first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThreadRanking {
    /// Thread id.
    pub thread: String,
    /// The label.
    pub label: Label,
    /// Comments of the thread that carry the label.
    pub comments: usize,
    /// Each positive comment's id and rank (1 = highest score), best first.
    pub positives: Vec<(String, usize)>,
    /// ROC-AUC within the thread: the share of (positive, negative) pairs
    /// ranked the right way round (`NaN` without both classes).
    pub roc_auc: f64,
}

impl ThreadRanking {
    /// Rankings of every hand-labelled thread and label with a positive.
    pub fn of(predictions: &[Prediction]) -> Vec<ThreadRanking> {
        let keys: BTreeSet<(&str, Label)> = predictions
            .iter()
            .map(|p| (p.thread.as_str(), p.label))
            .collect();
        keys.into_iter()
            .filter_map(|(thread, label)| {
                let mut picked: Vec<&Prediction> = predictions
                    .iter()
                    .filter(|p| p.thread == thread && p.label == label)
                    .collect();
                picked.sort_by(|a, b| b.score.total_cmp(&a.score));
                let positives: Vec<(String, usize)> = picked
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.truth)
                    .map(|(rank, p)| (p.comment.clone(), rank + 1))
                    .collect();
                if positives.is_empty() {
                    return None;
                }
                let s: Vec<f32> = picked.iter().map(|p| p.score).collect();
                let y: Vec<bool> = picked.iter().map(|p| p.truth).collect();
                Some(ThreadRanking {
                    thread: thread.to_string(),
                    label,
                    comments: picked.len(),
                    positives,
                    roc_auc: roc_auc(&s, &y),
                })
            })
            .collect()
    }
}

/// Cross-validated (or held-out) quality of a model.
#[derive(Clone, Debug, Serialize)]
pub struct EvalReport {
    /// Folds (0 when a fixed model was evaluated on held-out data).
    pub folds: usize,
    /// Thresholds the precision/recall figures use.
    pub thresholds: Thresholds,
    /// One row per source and label, then `all` per label.
    pub rows: Vec<EvalRow>,
    /// Every prediction the rows were computed from.
    #[serde(skip)]
    pub predictions: Vec<Prediction>,
    /// The predictions of hand-labelled comments (source `labels`), for
    /// reading comment by comment.
    pub hand_labelled: Vec<Prediction>,
    /// How each label ranks the comments of each hand-labelled thread.
    pub thread_rankings: Vec<ThreadRanking>,
}

impl EvalReport {
    /// Computes the rows from predictions.
    pub fn new(folds: usize, thresholds: Thresholds, predictions: Vec<Prediction>) -> EvalReport {
        let sources: BTreeSet<&str> = predictions.iter().map(|p| p.source.as_str()).collect();
        let mut rows = Vec::new();
        let mut groups: Vec<Option<&str>> = sources.into_iter().map(Some).collect();
        groups.push(None);
        for source in groups {
            for label in Label::ALL {
                let picked: Vec<&Prediction> = predictions
                    .iter()
                    .filter(|p| p.label == label && source.is_none_or(|s| p.source == s))
                    .collect();
                if picked.is_empty() {
                    continue;
                }
                let s: Vec<f32> = picked.iter().map(|p| p.score).collect();
                let y: Vec<bool> = picked.iter().map(|p| p.truth).collect();
                let t = thresholds.get(label);
                let (precision, recall, f1) = precision_recall_f1(&s, &y, t.review);
                let (reject_precision, reject_recall, _) = precision_recall_f1(&s, &y, t.reject);
                rows.push(EvalRow {
                    source: source.unwrap_or("all").to_string(),
                    label,
                    rows: s.len(),
                    positives: y.iter().filter(|&&v| v).count(),
                    roc_auc: roc_auc(&s, &y),
                    average_precision: average_precision(&s, &y),
                    precision,
                    recall,
                    f1,
                    reject_precision,
                    reject_recall,
                    reliability: reliability(&s, &y, BINS),
                });
            }
        }
        let hand_labelled: Vec<Prediction> = predictions
            .iter()
            .filter(|p| p.source == "labels")
            .cloned()
            .collect();
        let thread_rankings = ThreadRanking::of(&hand_labelled);
        EvalReport {
            folds,
            thresholds,
            rows,
            predictions,
            hand_labelled,
            thread_rankings,
        }
    }

    /// The row of one source and label.
    pub fn row(&self, source: &str, label: Label) -> Option<&EvalRow> {
        self.rows
            .iter()
            .find(|r| r.source == source && r.label == label)
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("the report serialises")
    }

    /// Writes one precision-recall and one reliability SVG per row into
    /// `dir`, named `<source>-<label>-pr.svg` and
    /// `<source>-<label>-reliability.svg`.
    pub fn write_plots(&self, dir: &Path) -> Result<Vec<std::path::PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|e| TrainError::io(dir, e))?;
        let mut written = Vec::new();
        for row in &self.rows {
            let picked: Vec<&Prediction> = self
                .predictions
                .iter()
                .filter(|p| p.label == row.label && (row.source == "all" || p.source == row.source))
                .collect();
            let s: Vec<f32> = picked.iter().map(|p| p.score).collect();
            let y: Vec<bool> = picked.iter().map(|p| p.truth).collect();
            let title = format!("{} / {}", row.source, row.label);
            let pr: Vec<(f64, f64)> = pr_curve(&s, &y).iter().map(|&(_, p, r)| (r, p)).collect();
            let pr_svg = plot::line_chart(
                &format!(
                    "precision-recall: {title} (AP {:.3})",
                    row.average_precision
                ),
                "recall",
                "precision",
                &pr,
                false,
            );
            let rel: Vec<(f64, f64)> = row
                .reliability
                .iter()
                .map(|b| (b.mean_predicted, b.observed))
                .collect();
            let rel_svg = plot::line_chart(
                &format!("reliability: {title}"),
                "mean predicted probability",
                "observed rate",
                &rel,
                true,
            );
            for (kind, svg) in [("pr", pr_svg), ("reliability", rel_svg)] {
                let path = dir.join(format!("{}-{}-{kind}.svg", row.source, row.label));
                std::fs::write(&path, svg).map_err(|e| TrainError::io(&path, e))?;
                written.push(path);
            }
        }
        Ok(written)
    }
}

fn cell(v: f64) -> String {
    if v.is_nan() {
        "-".into()
    } else {
        format!("{v:.3}")
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.folds > 0 {
            writeln!(
                f,
                "out-of-fold predictions, {} folds grouped by thread",
                self.folds
            )?;
        } else {
            writeln!(f, "held-out predictions of a fixed model")?;
        }
        writeln!(
            f,
            "{:<22} {:<11} {:>6} {:>5} {:>7} {:>6} {:>6} {:>6} {:>6}",
            "source", "label", "rows", "pos", "ROC-AUC", "AP", "prec", "recall", "F1"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<22} {:<11} {:>6} {:>5} {:>7} {:>6} {:>6} {:>6} {:>6}",
                r.source,
                r.label.as_str(),
                r.rows,
                r.positives,
                cell(r.roc_auc),
                cell(r.average_precision),
                cell(r.precision),
                cell(r.recall),
                cell(r.f1)
            )?;
        }
        write!(f, "precision, recall and F1 at the review thresholds:")?;
        for label in Label::ALL {
            write!(f, " {label} {:.3}", self.thresholds.get(label).review)?;
        }
        writeln!(f)?;
        if !self.thread_rankings.is_empty() {
            writeln!(
                f,
                "\nhand-labelled threads: rank of each positive among the thread's comments"
            )?;
            for r in &self.thread_rankings {
                let ranks: Vec<String> = r
                    .positives
                    .iter()
                    .map(|(id, rank)| format!("{id} {rank}"))
                    .collect();
                writeln!(
                    f,
                    "{:<22} {:<11} {:>3} comments, ROC-AUC {:>5}: {}",
                    r.thread,
                    r.label.as_str(),
                    r.comments,
                    cell(r.roc_auc),
                    ranks.join(", ")
                )?;
            }
        }
        Ok(())
    }
}

/// Scores labelled threads with a fixed model and reports how it does.
pub fn evaluate_model(model: &Model, data: &[LabelledThread]) -> EvalReport {
    let mut predictions = Vec::new();
    for lt in data {
        let probs = model.probabilities(&lt.thread);
        for ((comment, target), p) in lt.thread.comments.iter().zip(&lt.targets).zip(probs) {
            for label in Label::ALL {
                if let Some(truth) = target.get(label) {
                    predictions.push(Prediction {
                        source: lt.source.clone(),
                        group: lt.group.clone(),
                        thread: lt.thread.id.clone(),
                        comment: comment.id.clone(),
                        label,
                        score: p.get(label),
                        truth,
                    });
                }
            }
        }
    }
    EvalReport::new(0, *model.thresholds(), predictions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prediction(thread: &str, comment: &str, score: f32, truth: bool) -> Prediction {
        Prediction {
            source: "labels".into(),
            group: thread.into(),
            thread: thread.into(),
            comment: comment.into(),
            label: Label::AdHominem,
            score,
            truth,
        }
    }

    #[test]
    fn rankings_place_positives_within_their_thread() {
        let predictions = vec![
            prediction("t1", "c1", 0.2, false),
            prediction("t1", "c2", 0.9, true),
            prediction("t1", "c3", 0.5, false),
            prediction("t1", "c4", 0.3, true),
            prediction("t2", "c1", 0.1, false),
        ];
        let report = EvalReport::new(5, Thresholds::default(), predictions);
        assert_eq!(report.thread_rankings.len(), 1, "t2 has no positive");
        let r = &report.thread_rankings[0];
        assert_eq!(r.positives, [("c2".to_string(), 1), ("c4".to_string(), 3)]);
        assert_eq!(r.comments, 4);
        assert!((r.roc_auc - 0.75).abs() < 1e-9);
        assert!(report.to_string().contains("c2 1, c4 3"));
    }
}
