//! [`LexicalTable`]: the three lexical layers' weights laid out for
//! scoring, one bucket's three weights side by side.

use crate::lexical::SparseLogistic;

/// Number of labels whose weights share a row.
const LABELS: usize = 3;

/// The weights of the three lexical layers interleaved by bucket: the
/// weights of bucket `b` for the labels in [`crate::Label::ALL`] order sit
/// at `3b..3b + 3`, so scoring a feature reads one place in memory for
/// all three labels instead of three places a megabyte apart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LexicalTable {
    weights: Vec<f32>,
    intercepts: [f32; LABELS],
}

impl LexicalTable {
    /// The table of three layers of equal dimension.
    pub fn from_layers(layers: &[SparseLogistic; LABELS]) -> LexicalTable {
        let buckets = layers[0].weights.len();
        debug_assert!(layers.iter().all(|l| l.weights.len() == buckets));
        let mut weights = Vec::with_capacity(buckets * LABELS);
        for b in 0..buckets {
            weights.extend(layers.iter().map(|l| l.weights[b]));
        }
        LexicalTable {
            weights,
            intercepts: layers.each_ref().map(|l| l.intercept),
        }
    }

    /// A table from interleaved weights (`3 × buckets` values) and the
    /// intercepts.
    pub fn from_interleaved(weights: Vec<f32>, intercepts: [f32; LABELS]) -> LexicalTable {
        debug_assert_eq!(weights.len() % LABELS, 0);
        LexicalTable {
            weights,
            intercepts,
        }
    }

    /// Number of buckets.
    pub fn buckets(&self) -> usize {
        self.weights.len() / LABELS
    }

    /// The interleaved weights.
    pub fn interleaved(&self) -> &[f32] {
        &self.weights
    }

    /// The intercepts, per label.
    pub fn intercepts(&self) -> [f32; LABELS] {
        self.intercepts
    }

    /// The weight of `bucket` for the label at `label`; 0 beyond the
    /// table.
    pub fn weight(&self, label: usize, bucket: u32) -> f32 {
        self.weights
            .get(bucket as usize * LABELS + label)
            .copied()
            .unwrap_or(0.0)
    }

    /// The logits of one sparse vector for the three labels, each summed
    /// in the order of `indices` as [`SparseLogistic::decision_sparse`]
    /// sums it.
    ///
    /// # Panics
    ///
    /// When an index is beyond the table.
    pub fn logits(&self, indices: &[u32], values: &[f32]) -> [f32; LABELS] {
        let mut sums = [-0.0f32; LABELS];
        for (&j, &v) in indices.iter().zip(values) {
            let at = j as usize * LABELS;
            let row = &self.weights[at..at + LABELS];
            for (sum, &w) in sums.iter_mut().zip(row) {
                *sum += w * v;
            }
        }
        [0, 1, 2].map(|l| self.intercepts[l] + sums[l])
    }

    /// One label's layer on its own, as the trainer's prior.
    pub fn layer(&self, label: usize) -> SparseLogistic {
        SparseLogistic {
            weights: self.weights[label..]
                .iter()
                .step_by(LABELS)
                .copied()
                .collect(),
            intercept: self.intercepts[label],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layers() -> [SparseLogistic; 3] {
        [0.5f32, -1.0, 2.0].map(|scale| SparseLogistic {
            weights: (0..16).map(|b| scale * (b as f32 - 7.5) / 3.0).collect(),
            intercept: scale - 0.25,
        })
    }

    #[test]
    fn logits_are_the_layers_decisions_bit_for_bit() {
        let layers = layers();
        let table = LexicalTable::from_layers(&layers);
        let (indices, values) = ([1u32, 4, 9, 15], [0.3f32, -0.7, 0.11, 0.62]);
        let logits = table.logits(&indices, &values);
        for (l, layer) in layers.iter().enumerate() {
            assert_eq!(
                logits[l].to_bits(),
                layer.decision_sparse(&indices, &values).to_bits()
            );
            assert_eq!(&table.layer(l), layer);
            assert_eq!(table.weight(l, 9), layer.weights[9]);
        }
        assert_eq!(table.weight(0, 16), 0.0);
        assert_eq!(table.buckets(), 16);
    }
}
