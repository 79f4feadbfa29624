//! Labelled threads: the common form of every training source.

use referee_thread::Thread;

use crate::score::Label;

/// The targets of one comment: per label a yes/no, or `None` when the
/// source does not label it (missing, not negative), with a weight.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Targets {
    /// Per label in [`Label::ALL`] order.
    pub values: [Option<bool>; 3],
    /// Per-label sample weight.
    pub weights: [f32; 3],
    /// Per label: the value follows from where the comment sits in its
    /// thread, not from its words (a reply moved under a foreign post is off
    /// topic there and on topic at home), so only the context layer learns
    /// it; the lexical layer would learn the same text both ways.
    pub by_placement: [bool; 3],
}

impl Targets {
    /// No label at all: the comment is context only.
    pub const NONE: Targets = Targets {
        values: [None; 3],
        weights: [0.0; 3],
        by_placement: [false; 3],
    };

    /// The target of one label.
    pub fn get(&self, label: Label) -> Option<bool> {
        self.values[label.index()]
    }

    /// Sets one label with a weight.
    pub fn with(mut self, label: Label, value: bool, weight: f32) -> Targets {
        self.values[label.index()] = Some(value);
        self.weights[label.index()] = weight;
        self
    }

    /// Sets one label with a weight, as one that follows from the
    /// comment's place in its thread.
    pub fn by_placement(mut self, label: Label, value: bool, weight: f32) -> Targets {
        self = self.with(label, value, weight);
        self.by_placement[label.index()] = true;
        self
    }

    /// Whether any label is set.
    pub fn any(&self) -> bool {
        self.values.iter().any(Option::is_some)
    }
}

/// A thread with targets for its comments, the unit of training and of
/// cross-validation folds.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelledThread {
    /// Data source (olid, davidson, habernal, labels, synthetic-...).
    pub source: String,
    /// Fold group: threads of one group always share a fold.
    pub group: String,
    /// Whether the rows are real data to report metrics on (false for
    /// synthetic examples).
    pub evaluate: bool,
    /// The thread.
    pub thread: Thread,
    /// One entry per comment.
    pub targets: Vec<Targets>,
}

#[cfg(test)]
impl LabelledThread {
    /// Thread `t{n}` of `source`, unlabelled: a reply chain of `len`
    /// comments `t{n}c{i}`, each answering the one before, by `author(i)`
    /// with `text(i)`.
    pub(crate) fn chain(
        source: &str,
        n: usize,
        len: usize,
        author: impl Fn(usize) -> String,
        text: impl Fn(usize) -> String,
    ) -> LabelledThread {
        let comments: Vec<referee_thread::Comment> = (0..len)
            .map(|i| referee_thread::Comment {
                id: format!("t{n}c{i}"),
                author: Some(author(i)),
                parent: (i > 0).then(|| format!("t{n}c{}", i - 1)),
                text: text(i),
                ..Default::default()
            })
            .collect();
        LabelledThread {
            source: source.into(),
            group: format!("{source}:{n}"),
            evaluate: true,
            targets: vec![Targets::NONE; comments.len()],
            thread: Thread {
                id: format!("t{n}"),
                comments,
                ..Thread::default()
            },
        }
    }
}

/// Counts per label: labelled rows and positives.
pub fn label_counts(threads: &[LabelledThread]) -> ([usize; 3], [usize; 3]) {
    let mut labelled = [0; 3];
    let mut positives = [0; 3];
    for t in threads {
        for target in &t.targets {
            for (l, v) in target.values.iter().enumerate() {
                if let Some(v) = v {
                    labelled[l] += 1;
                    positives[l] += *v as usize;
                }
            }
        }
    }
    (labelled, positives)
}
