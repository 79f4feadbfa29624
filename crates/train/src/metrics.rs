//! Ranking and calibration metrics over (probability, truth) pairs.

use serde::{Deserialize, Serialize};

use crate::score::Threshold;

/// Area under the ROC curve (ties count half); `NaN` without both classes.
pub fn roc_auc(scores: &[f32], truth: &[bool]) -> f64 {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let pos = truth.iter().filter(|&&t| t).count() as f64;
    let neg = truth.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return f64::NAN;
    }
    // Sum of positive ranks with average ranks for ties.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            if truth[k] {
                rank_sum += avg;
            }
        }
        i = j + 1;
    }
    (rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg)
}

/// Points of the precision-recall curve, from the highest threshold down:
/// (threshold, precision, recall).
pub fn pr_curve(scores: &[f32], truth: &[bool]) -> Vec<(f32, f64, f64)> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let pos = truth.iter().filter(|&&t| t).count() as f64;
    let mut out = Vec::new();
    let (mut tp, mut fp) = (0.0, 0.0);
    let mut i = 0;
    while i < order.len() {
        let s = scores[order[i]];
        while i < order.len() && scores[order[i]] == s {
            if truth[order[i]] {
                tp += 1.0;
            } else {
                fp += 1.0;
            }
            i += 1;
        }
        let recall = if pos > 0.0 { tp / pos } else { 0.0 };
        out.push((s, tp / (tp + fp), recall));
    }
    out
}

/// Average precision (area under the step PR curve); `NaN` without positives.
pub fn average_precision(scores: &[f32], truth: &[bool]) -> f64 {
    if !truth.iter().any(|&t| t) {
        return f64::NAN;
    }
    let mut ap = 0.0;
    let mut last_recall = 0.0;
    for (_, p, r) in pr_curve(scores, truth) {
        ap += p * (r - last_recall);
        last_recall = r;
    }
    ap
}

/// Precision, recall and F1 of `score >= threshold`.
pub fn precision_recall_f1(scores: &[f32], truth: &[bool], threshold: f32) -> (f64, f64, f64) {
    let (mut tp, mut fp, mut fneg) = (0.0, 0.0, 0.0);
    for (&s, &t) in scores.iter().zip(truth) {
        match (s >= threshold, t) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fneg += 1.0,
            _ => {}
        }
    }
    let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
    let r = if tp + fneg > 0.0 {
        tp / (tp + fneg)
    } else {
        0.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// One bin of a reliability diagram.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityBin {
    /// Lower edge of the bin.
    pub from: f32,
    /// Upper edge.
    pub to: f32,
    /// Rows in the bin.
    pub count: usize,
    /// Mean predicted probability.
    pub mean_predicted: f64,
    /// Observed positive rate.
    pub observed: f64,
}

/// Reliability diagram with `bins` equal-width bins (empty bins left out).
pub fn reliability(scores: &[f32], truth: &[bool], bins: usize) -> Vec<ReliabilityBin> {
    let mut acc = vec![(0usize, 0.0f64, 0.0f64); bins];
    for (&s, &t) in scores.iter().zip(truth) {
        let b = ((s * bins as f32) as usize).min(bins - 1);
        acc[b].0 += 1;
        acc[b].1 += s as f64;
        acc[b].2 += t as u8 as f64;
    }
    acc.into_iter()
        .enumerate()
        .filter(|(_, (n, _, _))| *n > 0)
        .map(|(b, (n, sum, pos))| ReliabilityBin {
            from: b as f32 / bins as f32,
            to: (b + 1) as f32 / bins as f32,
            count: n,
            mean_predicted: sum / n as f64,
            observed: pos / n as f64,
        })
        .collect()
}

/// The lowest review threshold [`choose_threshold`] picks.
pub const MIN_REVIEW: f32 = 0.15;

/// Chooses thresholds on out-of-fold probabilities: reject at the lowest
/// threshold whose precision reaches `reject_precision`; review at the
/// threshold that maximises F2 (recall weighed twice), never above reject
/// nor below [`MIN_REVIEW`].
pub fn choose_threshold(scores: &[f32], truth: &[bool], reject_precision: f64) -> Threshold {
    choose_threshold_at_rate(scores, truth, reject_precision, None)
}

/// [`choose_threshold`] with precision measured as if positives made up
/// `positive_rate` of the rows (the rate where the model is used rather
/// than the training rows' own): each positive counts `w = rate / (1 -
/// rate) * negatives / positives` times. Corpora gathered for abuse hold
/// far more positives than a comment section does, and thresholds chosen
/// at their rate flag far more comments than a moderator can use.
pub fn choose_threshold_at_rate(
    scores: &[f32],
    truth: &[bool],
    reject_precision: f64,
    positive_rate: Option<f64>,
) -> Threshold {
    let positives = truth.iter().filter(|&&t| t).count() as f64;
    let negatives = truth.len() as f64 - positives;
    let weight = match positive_rate {
        Some(rate) if positives > 0.0 && negatives > 0.0 && rate > 0.0 && rate < 1.0 => {
            rate / (1.0 - rate) * negatives / positives
        }
        _ => 1.0,
    };
    let curve: Vec<(f32, f64, f64)> = pr_curve(scores, truth)
        .into_iter()
        .map(|(t, p, r)| (t, reweigh_precision(p, weight), r))
        .collect();
    let reject = curve
        .iter()
        .filter(|(_, p, _)| *p >= reject_precision)
        .map(|(t, _, _)| *t)
        .fold(None, |acc: Option<f32>, t| {
            Some(acc.map_or(t, |a| a.min(t)))
        })
        .map(|t| t.max(0.5))
        .unwrap_or(0.95);
    let review = curve
        .iter()
        .map(|&(t, p, r)| {
            let f2 = if p + r > 0.0 {
                5.0 * p * r / (4.0 * p + r)
            } else {
                0.0
            };
            (t, f2)
        })
        .fold(
            (0.5f32, -1.0f64),
            |best, (t, f)| if f > best.1 { (t, f) } else { best },
        )
        .0
        .clamp(MIN_REVIEW.min(reject), reject);
    Threshold { review, reject }
}

/// Precision `p` with every true positive counted `weight` times.
fn reweigh_precision(p: f64, weight: f64) -> f64 {
    if p <= 0.0 {
        return 0.0;
    }
    let true_positives = p * weight;
    true_positives / (true_positives + (1.0 - p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_of_perfect_random_and_tied() {
        assert_eq!(
            roc_auc(&[0.1, 0.2, 0.8, 0.9], &[false, false, true, true]),
            1.0
        );
        assert_eq!(
            roc_auc(&[0.9, 0.8, 0.2, 0.1], &[false, false, true, true]),
            0.0
        );
        assert_eq!(roc_auc(&[0.5, 0.5], &[false, true]), 0.5);
        assert!(roc_auc(&[0.5], &[true]).is_nan());
    }

    #[test]
    fn average_precision_known_value() {
        // Ranking: T F T -> precision 1 at recall .5, 2/3 at recall 1.
        let ap = average_precision(&[0.9, 0.8, 0.7], &[true, false, true]);
        assert!((ap - (0.5 + 0.5 * 2.0 / 3.0)).abs() < 1e-9);
    }

    #[test]
    fn thresholds_are_ordered_and_precise() {
        let scores: Vec<f32> = (0..100).map(|i| i as f32 / 100.0).collect();
        let truth: Vec<bool> = (0..100).map(|i| i >= 70 || i % 10 == 0).collect();
        let t = choose_threshold(&scores, &truth, 0.9);
        assert!(t.review <= t.reject);
        let (p, _, _) = precision_recall_f1(&scores, &truth, t.reject);
        assert!(p >= 0.9);
    }

    #[test]
    fn a_rarer_positive_class_raises_the_thresholds() {
        // Half the rows positive, scores overlapping in the middle.
        let scores: Vec<f32> = (0..200).map(|i| i as f32 / 200.0).collect();
        let truth: Vec<bool> = (0..200).map(|i| (i * 7919 % 200) < i).collect();
        let own = choose_threshold(&scores, &truth, 0.9);
        let rare = choose_threshold_at_rate(&scores, &truth, 0.9, Some(0.05));
        assert!(rare.review > own.review, "{rare:?} vs {own:?}");
        assert!(rare.reject >= own.reject, "{rare:?} vs {own:?}");
        assert!(rare.review <= rare.reject);
        assert_eq!(
            choose_threshold_at_rate(&scores, &truth, 0.9, None),
            own,
            "no rate: the rows' own"
        );
    }

    #[test]
    fn reliability_bins_count_everything() {
        let bins = reliability(&[0.05, 0.15, 0.95, 1.0], &[false, true, true, true], 10);
        assert_eq!(bins.iter().map(|b| b.count).sum::<usize>(), 4);
        assert_eq!(bins.last().unwrap().observed, 1.0);
    }
}
