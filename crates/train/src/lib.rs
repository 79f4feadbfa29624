//! Training, evaluation and the model file of referee.
//!
//! ```
//! use referee_train::{Label, Scores, Thresholds, Action};
//!
//! let mut scores = Scores::default();
//! scores.set(Label::Abuse, 0.95);
//! assert_eq!(Thresholds::default().action(&scores), Action::Reject);
//! ```
#![deny(missing_docs)]

mod card;
mod context;
mod corpus;
mod data;
mod dataset;
mod error;
mod eval;
mod fit;
mod format;
mod hand;
mod lexical;
mod metrics;
mod model;
mod plot;
mod rows;
mod score;
mod sparse;
mod synthetic;
mod table;
mod thread_features;

pub use card::{date_from_unix, today, CardMetric, ModelCard, SourceCard};
pub use context::{
    feature_descriptions as context_feature_descriptions, feature_names as context_feature_names,
    ContextLayer, ContextParams,
};
pub use corpus::{read_davidson, read_habernal, read_olid, stable_hash, Corpus};
pub use data::{label_counts, LabelledThread, Targets};
pub use dataset::{assemble, sample_threads, Synthesis};
pub use error::{Result, TrainError};
pub use eval::{evaluate_model, EvalReport, EvalRow, Prediction, ThreadRanking};
pub use fit::{assign_folds, train, TrainInfo, TrainParams, Trained, ValidTrainParams};
pub use format::{FORMAT_VERSION, MAGIC};
pub use hand::{read_hand_labels, read_thread_dirs, read_thread_file};
pub use lexical::{sigmoid, SparseLogistic, SparseLogisticParams, ValidSparseLogisticParams};
pub use linfa::ParamGuard;
pub use metrics::{
    average_precision, choose_threshold, choose_threshold_at_rate, pr_curve, precision_recall_f1,
    reliability, roc_auc, ReliabilityBin,
};
pub use model::{Model, ModelParts, Rehearsal};
pub use rows::{read_rows, write_rows, write_threads, Row, RowLabels};
pub use score::{
    Action, CommentScore, ContextContribution, Explanation, Label, LabelExplanation,
    NgramContribution, Reason, ScoreOptions, Scores, Threshold, Thresholds,
};
pub use sparse::SparseMatrix;
pub use synthetic::{coded_remark_exchanges, off_topic_transplants};
pub use table::LexicalTable;
pub use thread_features::{with_thread_scratch, ThreadFeatures, ThreadScratch};
