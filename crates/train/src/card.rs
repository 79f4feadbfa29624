//! The model card: what a model was trained on, how, and how well it does.

use serde::{Deserialize, Serialize};

use crate::score::{Label, Thresholds};

/// One data source a model was trained on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceCard {
    /// Short name (olid, davidson, habernal, labels, synthetic...).
    pub name: String,
    /// Where it was read from.
    pub origin: String,
    /// Licence of the data.
    pub licence: String,
    /// Comments used as examples.
    pub rows: usize,
    /// Per label (in [`Label::ALL`] order): labelled rows and positives.
    pub labelled: [usize; 3],
    /// Per label: positive rows.
    pub positives: [usize; 3],
}

/// One cross-validated figure of the card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardMetric {
    /// Data source the rows came from.
    pub source: String,
    /// The label.
    pub label: Label,
    /// Rows evaluated.
    pub rows: usize,
    /// Positive rows.
    pub positives: usize,
    /// Area under the ROC curve.
    pub roc_auc: f64,
    /// Average precision.
    pub average_precision: f64,
}

/// Everything a reader of a model needs to know about it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    /// Training date, `YYYY-MM-DD`.
    pub created: String,
    /// The command that trained it.
    pub command: String,
    /// Version of the model it was refitted from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refit_of: Option<String>,
    /// Training data.
    pub sources: Vec<SourceCard>,
    /// L2 strength of the lexical layer per label.
    pub alphas: [f64; 3],
    /// Cross-validated metrics (out-of-fold, grouped by thread).
    pub metrics: Vec<CardMetric>,
    /// Folds used for the metrics.
    pub folds: usize,
}

impl ModelCard {
    /// Renders the card as Markdown, with the model's version and thresholds.
    pub fn to_markdown(&self, version: &str, thresholds: &Thresholds) -> String {
        let mut s = format!("# referee model {version}\n\n");
        s += &format!("- created: {}\n", self.created);
        s += &format!("- command: `{}`\n", self.command);
        if let Some(parent) = &self.refit_of {
            s += &format!("- refitted from: {parent} (lexical weights regularised towards it)\n");
        }
        s += "\n## Training data\n\n| source | origin | licence | rows | abuse (pos/labelled) | ad_hominem | off_topic |\n|---|---|---|---:|---:|---:|---:|\n";
        for src in &self.sources {
            let cell = |i: usize| format!("{}/{}", src.positives[i], src.labelled[i]);
            s += &format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                src.name,
                src.origin,
                src.licence,
                src.rows,
                cell(0),
                cell(1),
                cell(2)
            );
        }
        s += "\n## Thresholds\n\n| label | review | reject |\n|---|---:|---:|\n";
        for label in Label::ALL {
            let t = thresholds.get(label);
            s += &format!("| {label} | {:.3} | {:.3} |\n", t.review, t.reject);
        }
        s += &format!(
            "\n## Cross-validated quality ({} folds grouped by thread)\n\n| source | label | rows | positives | ROC-AUC | AP |\n|---|---|---:|---:|---:|---:|\n",
            self.folds
        );
        for m in &self.metrics {
            s += &format!(
                "| {} | {} | {} | {} | {:.3} | {:.3} |\n",
                m.source, m.label, m.rows, m.positives, m.roc_auc, m.average_precision
            );
        }
        s += &format!(
            "\nLexical L2 strength per label: abuse {:e}, ad_hominem {:e}, off_topic {:e}.\n",
            self.alphas[0], self.alphas[1], self.alphas[2]
        );
        s
    }
}

/// The civil date (`YYYY-MM-DD`, UTC) of a Unix time in seconds.
pub fn date_from_unix(secs: u64) -> String {
    referee_labels::Timestamp::from_unix_seconds(secs as i64).date()
}

/// Today's date, or the date of `$SOURCE_DATE_EPOCH` when set (for
/// reproducible model files).
pub fn today() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        });
    date_from_unix(secs)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::date_from_unix(0), "1970-01-01");
        assert_eq!(super::date_from_unix(1_795_392_000), "2026-11-23");
        assert_eq!(super::date_from_unix(951_782_400), "2000-02-29");
    }
}
