//! [`Model`]: the two layers, thresholds and card of a trained model, its
//! file format, and scoring of whole threads.

use std::io::Write;
use std::path::Path;

use referee_text::{Analysed, Featuriser, ValidFeatureParams};
use referee_thread::Thread;
use serde::{Deserialize, Serialize};

use crate::card::ModelCard;
use crate::context::{self, ContextLayer, ThreadLogits};
use crate::error::{Result, TrainError};
use crate::format::{Reader, Writer, FORMAT_VERSION, INTERLEAVED_VERSION, MAGIC};
use crate::lexical::{sigmoid, SparseLogistic};
use crate::score::{
    CommentScore, ContextContribution, Explanation, Label, LabelExplanation, NgramContribution,
    Reason, ScoreOptions, Scores, Thresholds,
};
use crate::table::LexicalTable;
use crate::thread_features::{with_thread_scratch, ThreadFeatures, ThreadScratch};

/// A context feature whose contribution exceeds this (in logits) is named
/// as evidence.
const EVIDENCE_CONTRIBUTION: f32 = 0.5;
/// A phrase must add at least this to the final logit to be named as
/// evidence.
const EVIDENCE_NGRAM_WEIGHT: f32 = 0.05;
/// Phrases named as evidence per flagged label.
const EVIDENCE_NGRAMS: usize = 3;
/// N-grams listed per label in an explanation.
const EXPLAIN_NGRAMS: usize = 10;
/// The evidence of a flag that nothing in particular pushed up.
const OVERALL_WORDING: &str = "the comment's overall wording";

/// Context-layer rows kept in the model so that a refit on new labels
/// still sees what the corpora taught it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rehearsal {
    /// Context vectors.
    pub rows: Vec<Vec<f32>>,
    /// Their targets.
    pub targets: Vec<bool>,
}

/// The JSON header of the model file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Header {
    features: ValidFeatureParams,
    labels: Vec<Label>,
    thresholds: Thresholds,
    lexical_intercepts: [f32; 3],
    context_features: Vec<String>,
    context: Vec<ContextLayer>,
    card: ModelCard,
}

/// A trained model: per label a sparse lexical layer and a dense context
/// layer, plus thresholds and a model card. Cheap to share between threads.
pub struct Model {
    header: Header,
    featuriser: Featuriser,
    lexical: LexicalTable,
    rehearsal: [Rehearsal; 3],
    checksum: u32,
    version: String,
    /// The file's bytes, kept so that what is saved is exactly what was
    /// checksummed.
    bytes: Vec<u8>,
}

/// The parts a [`Model`] is assembled from by the trainer.
pub struct ModelParts {
    /// Featuriser settings used in training.
    pub features: ValidFeatureParams,
    /// Lexical layer per label.
    pub lexical: [SparseLogistic; 3],
    /// Context layer per label.
    pub context: [ContextLayer; 3],
    /// Thresholds per label.
    pub thresholds: Thresholds,
    /// Context rows kept for refits.
    pub rehearsal: [Rehearsal; 3],
    /// The card.
    pub card: ModelCard,
}

impl Model {
    /// Assembles a model; its stored form is the canonical one (weights as
    /// quantised in the file), so a model scores the same before and after
    /// a save and load.
    pub fn from_parts(parts: ModelParts) -> Result<Model> {
        let header = Header {
            features: parts.features,
            labels: Label::ALL.to_vec(),
            thresholds: parts.thresholds,
            lexical_intercepts: [
                parts.lexical[0].intercept,
                parts.lexical[1].intercept,
                parts.lexical[2].intercept,
            ],
            context_features: context::feature_names(),
            context: parts.context.to_vec(),
            card: parts.card,
        };
        let lexical = LexicalTable::from_layers(&parts.lexical);
        let bytes = encode(&header, &lexical, &parts.rehearsal);
        Model::from_bytes_named(&bytes, "being built")
    }

    /// Loads a model file.
    pub fn load(path: &Path) -> Result<Model> {
        let bytes = std::fs::read(path).map_err(|e| TrainError::io(path, e))?;
        Model::from_bytes_named(&bytes, &path.display().to_string())
    }

    /// Reads a model from the bytes of a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        Model::from_bytes_named(bytes, "bytes")
    }

    fn from_bytes_named(bytes: &[u8], source: &str) -> Result<Model> {
        let (mut r, version) = Reader::open(bytes, source)?;
        let len = r.u32()? as usize;
        let header: Header = serde_json::from_slice(r.raw(len)?)
            .map_err(|e| r.error(format!("unreadable header: {e}")))?;
        if header.labels != Label::ALL {
            return Err(r.error(format!("unexpected labels {:?}", header.labels)));
        }
        let mut header = header;
        let known = header.context_features.len();
        let names = context::feature_names();
        // Features added since the model was written come last: the model
        // reads them with a coefficient of 0.
        if header.context.len() != 3
            || known > names.len()
            || header.context_features[..] != names[..known]
            || header.context.iter().any(|c| c.coefficients.len() != known)
        {
            return Err(r.error(
                "context layer does not match this build's context features \
                 (retrain the model with this version of referee)",
            ));
        }
        header.context_features = names;
        for layer in &mut header.context {
            layer.coefficients.resize(context::dimension(), 0.0);
        }
        let featuriser = Featuriser::new(header.features.clone());
        let dim = featuriser.dimension();
        let lexical = match version >= INTERLEAVED_VERSION {
            true => {
                let weights = r.interleaved(Label::ALL.len())?;
                if weights.len() != dim * Label::ALL.len() {
                    return Err(r.error(format!(
                        "{} lexical weights but the featuriser has {dim} features for each of 3 labels",
                        weights.len()
                    )));
                }
                LexicalTable::from_interleaved(weights, header.lexical_intercepts)
            }
            false => {
                let mut layers = Vec::with_capacity(3);
                for (i, label) in Label::ALL.into_iter().enumerate() {
                    let weights = r.quantised()?;
                    if weights.len() != dim {
                        return Err(r.error(format!(
                            "{label} has {} weights but the featuriser has {dim} features",
                            weights.len()
                        )));
                    }
                    layers.push(SparseLogistic {
                        weights,
                        intercept: header.lexical_intercepts[i],
                    });
                }
                let layers: [SparseLogistic; 3] = layers.try_into().expect("three labels");
                LexicalTable::from_layers(&layers)
            }
        };
        let mut rehearsal: [Rehearsal; 3] = Default::default();
        for slot in rehearsal.iter_mut() {
            let rows = r.u32()? as usize;
            let cols = r.u16()? as usize;
            if cols != known {
                return Err(r.error(format!("rehearsal rows have {cols} columns")));
            }
            for _ in 0..rows {
                slot.targets.push(r.u8()? != 0);
                let mut row = Vec::with_capacity(context::dimension());
                for _ in 0..cols {
                    row.push(r.f32()?);
                }
                row.resize(context::dimension(), 0.0);
                slot.rows.push(row);
            }
        }
        r.finish()?;
        let checksum = u32::from_le_bytes(bytes[bytes.len() - 4..].try_into().expect("four bytes"));
        let version = format!("{}-{checksum:08x}", header.card.created.replace('-', "."));
        Ok(Model {
            bytes: bytes.to_vec(),
            version,
            header,
            featuriser,
            lexical,
            rehearsal,
            checksum,
        })
    }

    /// The bytes of the model file.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    /// Writes the model file atomically: a temporary file in the same
    /// directory, flushed to disk, then renamed over `path`.
    pub fn save(&self, path: &Path) -> Result<()> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir).map_err(|e| TrainError::io(dir, e))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "model".into());
        let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&self.bytes)?;
            f.sync_all()?;
            std::fs::rename(&tmp, path)
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            TrainError::io(path, e)
        })
    }

    /// The model card.
    pub fn card(&self) -> &ModelCard {
        &self.header.card
    }

    /// `<training date>-<first 8 hex digits of the checksum>`, e.g.
    /// `2026.11.23-1a2b3c4d`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// CRC32 of the model file, as 8 hex digits.
    pub fn checksum(&self) -> String {
        format!("{:08x}", self.checksum)
    }

    /// The stored thresholds.
    pub fn thresholds(&self) -> &Thresholds {
        &self.header.thresholds
    }

    /// The featuriser settings used in training.
    pub fn feature_params(&self) -> &ValidFeatureParams {
        &self.header.features
    }

    /// The featuriser that replays the training pipeline.
    pub fn featuriser(&self) -> &Featuriser {
        &self.featuriser
    }

    /// The lexical layer of one label, on its own (for a refit's prior).
    pub fn lexical(&self, label: Label) -> SparseLogistic {
        self.lexical.layer(label.index())
    }

    /// The three lexical layers, interleaved for scoring.
    pub fn lexical_table(&self) -> &LexicalTable {
        &self.lexical
    }

    /// The context layer of one label.
    pub fn context_layer(&self, label: Label) -> &ContextLayer {
        &self.header.context[label.index()]
    }

    /// Context rows kept for refits, per label.
    pub fn rehearsal(&self, label: Label) -> &Rehearsal {
        &self.rehearsal[label.index()]
    }

    /// The model card as Markdown.
    pub fn card_markdown(&self) -> String {
        self.header
            .card
            .to_markdown(self.version(), self.thresholds())
    }

    /// Lexical logits of a featurised thread.
    pub(crate) fn lexical_logits(&self, tf: &ThreadFeatures) -> ThreadLogits {
        ThreadLogits::new(tf, |row| self.lexical.logits(&row.indices, &row.values))
    }

    /// Whether `label` of comment `i` is scored from its text alone: off
    /// topic needs a post or a parent to be off topic from.
    fn text_alone(label: Label, tf: &ThreadFeatures, i: usize) -> bool {
        label == Label::OffTopic && !tf.has_context(i)
    }

    /// The probabilities of comment `i` with context vector `x`.
    fn comment_scores(
        &self,
        tf: &ThreadFeatures,
        i: usize,
        x: &[f32],
        lexical: &ThreadLogits,
    ) -> Scores {
        let mut s = Scores::default();
        for label in Label::ALL {
            let p = match Self::text_alone(label, tf, i) {
                true => sigmoid(lexical.comments[i][label.index()] as f64) as f32,
                false => self.context_layer(label).probability(x),
            };
            s.set(label, p);
        }
        s
    }

    /// Probabilities of every comment of a thread.
    pub fn probabilities(&self, thread: &Thread) -> Vec<Scores> {
        let tf = ThreadFeatures::new(&self.featuriser, thread);
        let lexical = self.lexical_logits(&tf);
        (0..tf.len())
            .map(|i| self.comment_scores(&tf, i, &context::vector(&tf, i, &lexical), &lexical))
            .collect()
    }

    /// Scores every comment of a thread, in order.
    pub fn score_thread(&self, thread: &Thread, opts: &ScoreOptions) -> Vec<CommentScore> {
        with_thread_scratch(|scratch| self.score_thread_with(thread, opts, scratch))
    }

    /// [`Model::score_thread`] with the buffers of `scratch`: each comment
    /// is analysed once, for its scores and its evidence alike.
    pub fn score_thread_with(
        &self,
        thread: &Thread,
        opts: &ScoreOptions,
        scratch: &mut ThreadScratch,
    ) -> Vec<CommentScore> {
        let thresholds = opts.thresholds.as_ref().unwrap_or(&self.header.thresholds);
        let tf = ThreadFeatures::new_with(&self.featuriser, thread, scratch);
        let lexical = self.lexical_logits(&tf);
        let analysed = scratch.analysed(thread.comments.len());
        let mut out = Vec::with_capacity(thread.comments.len());
        for (i, (comment, analysed)) in thread.comments.iter().zip(analysed).enumerate() {
            let x = context::vector(&tf, i, &lexical);
            let scores = self.comment_scores(&tf, i, &x, &lexical);
            let flags = thresholds.flags(&scores);
            let action = thresholds.action(&scores);
            let mut scored = ScoredComment {
                analysed,
                tf: &tf,
                i,
                x: &x,
                lexical: &lexical,
            };
            let reasons = match opts.omit_reasons {
                true => Vec::new(),
                false => flags
                    .iter()
                    .map(|&label| self.reason(&mut scored, label))
                    .collect(),
            };
            let explanation = opts.explain.then(|| Explanation {
                labels: Label::ALL
                    .into_iter()
                    .map(|label| self.explain_label(&mut scored, label))
                    .collect(),
            });
            out.push(CommentScore {
                thread: thread.id.clone(),
                id: comment.id.clone(),
                author: comment.author.clone(),
                scores,
                flags,
                action,
                reasons,
                context: tf.has_context(i),
                explanation,
            });
        }
        scratch.trim();
        out
    }

    /// What every context feature `label`'s layer weighs adds to the final
    /// logit of a comment, with the feature's index; none for a label scored
    /// from the text alone.
    fn context_contributions<'a>(
        &'a self,
        scored: &'a ScoredComment<'_>,
        label: Label,
    ) -> impl Iterator<Item = (usize, f32)> + 'a {
        let text_alone = Self::text_alone(label, scored.tf, scored.i);
        let layer = self.context_layer(label);
        self.header
            .context_features
            .iter()
            .enumerate()
            .filter(move |&(j, _)| !text_alone && layer.coefficients[j] != 0.0)
            .map(move |(j, _)| (j, layer.coefficients[j] * scored.x[j]))
    }

    /// Why `label` was flagged: the phrases of the comment and the
    /// circumstances that pushed its score up most, or failing any above
    /// the cuts, the single strongest of them.
    fn reason(&self, scored: &mut ScoredComment<'_>, label: Label) -> Reason {
        let (tf, i, x) = (scored.tf, scored.i, scored.x);
        let text_alone = Self::text_alone(label, tf, i);
        // A phrase is evidence by what it adds to the final score, not to
        // the lexical one.
        let scale = match text_alone {
            true => 1.0,
            false => context::word_scale(
                self.context_layer(label),
                label,
                scored.lexical.comments[i][label.index()],
            ),
        };
        let weight = |bucket| self.lexical.weight(label.index(), bucket);
        let ngrams: Vec<(String, f32)> = self
            .featuriser
            .evidence_analysed(scored.analysed, weight, EVIDENCE_NGRAMS)
            .into_iter()
            .map(|c| (c.feature, c.weight * scale))
            .filter(|&(_, added)| added > 0.0)
            .collect();
        let names = &self.header.context_features;
        let descriptions = context::feature_descriptions();
        let mut pushed: Vec<(usize, f32)> = self
            .context_contributions(scored, label)
            .filter(|&(j, c)| c > 0.0 && context::may_name(&names[j], x[j]))
            .collect();
        // Strongest first, so a short "why" column shows what mattered most.
        pushed.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));

        let mut evidence: Vec<String> = ngrams
            .iter()
            .filter(|&&(_, added)| added > EVIDENCE_NGRAM_WEIGHT)
            .map(|(phrase, _)| phrase.clone())
            .collect();
        let phrases = evidence.len();
        let unrelated = match label {
            Label::OffTopic if !text_alone => context::unrelated(&tf.context[i], tf.len()),
            _ => Vec::new(),
        };
        // "Shares little with the post" says it better than the distance
        // from the topic does.
        let said_better = |j: usize| !unrelated.is_empty() && names[j] == context::DISTANCE_FEATURE;
        evidence.extend(
            pushed
                .iter()
                .filter(|&&(j, c)| {
                    c > EVIDENCE_CONTRIBUTION
                        && context::is_evidence(&names[j], x[j])
                        && !said_better(j)
                })
                .map(|&(j, _)| descriptions[j].to_string()),
        );
        evidence.extend(unrelated);
        if !evidence.is_empty() {
            return Reason {
                label,
                evidence,
                phrases,
            };
        }
        // Nothing passed the cuts: name the strongest push all the same.
        let strongest_phrase = ngrams.into_iter().next();
        let strongest_circumstance = pushed.first().copied();
        let (evidence, phrases) = match (strongest_phrase, strongest_circumstance) {
            (Some((phrase, added)), Some((_, c))) if added >= c => (phrase, 1),
            (Some((phrase, _)), None) => (phrase, 1),
            (_, Some((j, _))) => (descriptions[j].to_string(), 0),
            (None, None) => (OVERALL_WORDING.to_string(), 0),
        };
        Reason {
            label,
            evidence: vec![evidence],
            phrases,
        }
    }

    /// Everything behind `label`'s score: the n-grams that moved the
    /// lexical score most and every input of the context layer.
    fn explain_label(&self, scored: &mut ScoredComment<'_>, label: Label) -> LabelExplanation {
        let descriptions = context::feature_descriptions();
        let weight = |bucket| self.lexical.weight(label.index(), bucket);
        LabelExplanation {
            label,
            lexical: sigmoid(scored.lexical.comments[scored.i][label.index()] as f64) as f32,
            ngrams: self
                .featuriser
                .explain_analysed(scored.analysed, weight, EXPLAIN_NGRAMS)
                .into_iter()
                .map(|c| NgramContribution {
                    feature: c.feature,
                    weight: c.weight,
                })
                .collect(),
            context: self
                .context_contributions(scored, label)
                .map(|(j, contribution)| ContextContribution {
                    name: descriptions[j].to_string(),
                    value: scored.x[j],
                    contribution,
                })
                .collect(),
        }
    }
}

/// One comment of a scored thread, as the reasons and explanations need it.
struct ScoredComment<'a> {
    /// The comment's text, analysed.
    analysed: &'a mut Analysed,
    tf: &'a ThreadFeatures,
    /// The comment's position in the thread.
    i: usize,
    /// Its context vector.
    x: &'a [f32],
    lexical: &'a ThreadLogits,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("version", &self.version)
            .field("thresholds", &self.header.thresholds)
            .field("features", &self.header.features)
            .finish_non_exhaustive()
    }
}

fn encode(header: &Header, lexical: &LexicalTable, rehearsal: &[Rehearsal; 3]) -> Vec<u8> {
    let json = serde_json::to_vec(header).expect("the header serialises");
    let mut w = Writer::default();
    w.raw(MAGIC);
    w.u16(FORMAT_VERSION);
    w.u32(json.len() as u32);
    w.raw(&json);
    w.interleaved(lexical);
    for r in rehearsal {
        w.u32(r.rows.len() as u32);
        w.u16(context::dimension() as u16);
        for (row, &t) in r.rows.iter().zip(&r.targets) {
            w.u8(t as u8);
            for &v in row {
                w.f32(v);
            }
        }
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped model, whatever format version it was written in.
    fn shipped() -> Model {
        let path =
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/default.refm");
        Model::load(&path).expect("models/default.refm loads")
    }

    #[test]
    fn a_model_rewritten_in_this_format_scores_exactly_as_before() {
        let old = shipped();
        let bytes = encode(&old.header, &old.lexical, &old.rehearsal);
        assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), FORMAT_VERSION);
        let new = Model::from_bytes(&bytes).unwrap();
        assert_eq!(new.lexical, old.lexical);
        assert_eq!(new.rehearsal, old.rehearsal);
        let thread = Thread {
            id: "t".into(),
            title: Some("Council budget".into()),
            comments: vec![referee_thread::Comment {
                id: "c1".into(),
                text: "You idiot. Nobody asked you about the budget!".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let opts = ScoreOptions::default();
        assert_eq!(
            new.score_thread(&thread, &opts),
            old.score_thread(&thread, &opts)
        );
    }
}
