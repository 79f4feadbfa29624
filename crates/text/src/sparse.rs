//! Sparse feature vectors.

/// A sparse vector: `indices` strictly increasing, `values` L2-normalised
/// (unless empty).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SparseVector {
    /// Bucket indices, strictly increasing.
    pub indices: Vec<u32>,
    /// Values, one per index.
    pub values: Vec<f32>,
}

impl SparseVector {
    /// Dot product with a dense vector; indices beyond `dense` count as 0.
    pub fn dot(&self, dense: &[f32]) -> f32 {
        self.indices
            .iter()
            .zip(&self.values)
            .map(|(&i, &v)| dense.get(i as usize).map_or(0.0, |w| v * w))
            .sum()
    }

    /// Number of stored (non-zero) entries.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// Value at bucket `index` (0 when absent).
    pub fn get(&self, index: u32) -> f32 {
        self.indices
            .binary_search(&index)
            .map_or(0.0, |pos| self.values[pos])
    }

    /// Remove all entries, keeping the allocations.
    pub fn clear(&mut self) {
        self.indices.clear();
        self.values.clear();
    }
}

/// Build the final vector from hashed feature keys in increasing order
/// (`bucket << 1 | block`, block 0 = words, 1 = characters): count
/// duplicates, take sublinear tf `1 + ln(tf)` (times `boost.1` for the key
/// `boost.0`), scale each block to L2 norm `weights[block]`, sum the blocks
/// per bucket and L2-normalise.
pub(crate) fn assemble(
    sorted_keys: impl Iterator<Item = u32>,
    weights: [f32; 2],
    boost: Option<(u32, f32)>,
    out: &mut SparseVector,
) {
    let (boosted_key, factor) = boost.unwrap_or((u32::MAX, 1.0));
    out.clear();
    // At most one entry per key: one allocation for a fresh vector rather
    // than a run of reallocations.
    let (keys, _) = sorted_keys.size_hint();
    out.indices.reserve(keys);
    out.values.reserve(keys);
    // Two accumulators in registers, not an array in memory: each block's
    // squares are still summed in key order. Without a branch on the
    // block, which hashes make unpredictable: each square goes to its own
    // block's sum and +0.0 to the other's, which leaves a sum of squares
    // (never -0.0) exactly as it was.
    let (mut words, mut chars) = (0.0f32, 0.0f32);
    // Each run's key and tf, in place of the vector's entries until they
    // are scaled below.
    for_each_run(sorted_keys, |key, tf| {
        let tf = if key == boosted_key { tf * factor } else { tf };
        let square = tf * tf;
        let is_char = (key & 1) as f32;
        words += square * (1.0 - is_char);
        chars += square * is_char;
        out.indices.push(key);
        out.values.push(tf);
    });
    let norm2 = [words, chars];
    let scale = [0, 1].map(|b| {
        if norm2[b] > 0.0 {
            weights[b] / norm2[b].sqrt()
        } else {
            0.0
        }
    });
    // Scale each run and sum the two blocks of a bucket, writing at or
    // before the run read.
    let mut kept = 0;
    for run in 0..out.indices.len() {
        let (key, tf) = (out.indices[run], out.values[run]);
        let bucket = key >> 1;
        let value = tf * scale[(key & 1) as usize];
        if value == 0.0 {
            continue;
        }
        // Word and character entries of one bucket are adjacent.
        if kept > 0 && out.indices[kept - 1] == bucket {
            out.values[kept - 1] += value;
        } else {
            out.indices[kept] = bucket;
            out.values[kept] = value;
            kept += 1;
        }
    }
    out.indices.truncate(kept);
    out.values.truncate(kept);
    let norm = out.values.iter().map(|v| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        let inverse = norm.recip();
        for v in &mut out.values {
            *v *= inverse;
        }
    }
}

/// `1 + ln(n)` for small `n` (index 0 unused): cheaper than `ln`, and the
/// same on every platform, whatever its libm.
#[allow(clippy::excessive_precision)]
const SUBLINEAR_TF: [f32; 33] = [
    0.0,
    1.0,
    1.6931471824645996,
    2.0986123085021973,
    2.386294364929199,
    2.609437942504883,
    2.791759490966797,
    2.9459102153778076,
    3.079441547393799,
    3.1972246170043945,
    3.3025851249694824,
    3.397895336151123,
    3.4849066734313965,
    3.5649492740631104,
    3.6390573978424072,
    3.70805025100708,
    3.7725887298583984,
    3.8332133293151855,
    3.890371799468994,
    3.944438934326172,
    3.995732307434082,
    4.044522285461426,
    4.091042518615723,
    4.135494232177734,
    4.178053855895996,
    4.218875885009766,
    4.258096694946289,
    4.295836925506592,
    4.332204341888428,
    4.367295742034912,
    4.40119743347168,
    4.433987140655518,
    4.465735912322998,
];

/// Call `f(key, 1 + ln(count))` for each run of equal keys in sorted `keys`.
#[inline]
fn for_each_run(mut keys: impl Iterator<Item = u32>, mut f: impl FnMut(u32, f32)) {
    let Some(mut previous) = keys.next() else {
        return;
    };
    let mut count = 1u32;
    let tf = |count: u32| match SUBLINEAR_TF.get(count as usize) {
        Some(&tf) => tf,
        None => 1.0 + (count as f32).ln(),
    };
    for key in keys {
        if key != previous {
            f(previous, tf(count));
            previous = key;
            count = 0;
        }
        count += 1;
    }
    f(previous, tf(count));
}

/// Lists shorter than this are sorted by comparison in [`sort_hashed`].
const SHORT_LIST: usize = 64;

/// Sorts `values` whose `significant` low bits hold all their information
/// and whose top bits among those spread evenly (hashes): one counting-sort
/// pass on about as many top bits as the list has entries, so that a bin
/// holds one or two, then insertion sort, which finds the result almost
/// sorted. Beats comparison sorts on the thousand-odd features of a
/// comment. `tmp` and `counts` are scratch space.
pub(crate) fn sort_hashed(
    values: &mut Vec<u64>,
    significant: u32,
    tmp: &mut Vec<u64>,
    counts: &mut Vec<u32>,
) {
    let n = values.len();
    if n < SHORT_LIST {
        values.sort_unstable();
        return;
    }
    // About one bin per value: 2^bin_bits >= n.
    let bin_bits = (usize::BITS - (n - 1).leading_zeros()).min(significant);
    let shift = significant - bin_bits;
    let bin = |v: u64| (v >> shift) as usize;
    counts.clear();
    counts.resize(1 << bin_bits, 0);
    for &v in values.iter() {
        counts[bin(v)] += 1;
    }
    let mut sum = 0;
    for c in counts.iter_mut() {
        let n = *c;
        *c = sum;
        sum += n;
    }
    tmp.clear();
    tmp.resize(n, 0);
    for &v in values.iter() {
        let b = bin(v);
        tmp[counts[b] as usize] = v;
        counts[b] += 1;
    }
    std::mem::swap(values, tmp);
    insertion_sort(values);
}

/// Insertion sort: linear on a list that is almost sorted.
fn insertion_sort(values: &mut [u64]) {
    for i in 1..values.len() {
        let v = values[i];
        let mut j = i;
        while j > 0 && values[j - 1] > v {
            values[j] = values[j - 1];
            j -= 1;
        }
        values[j] = v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_sublinearly_and_weights_blocks() {
        let mut out = SparseVector::default();
        // Words: bucket 5 three times, bucket 3 once. Characters: bucket 5 once.
        let keys = [3 << 1, 5 << 1, 5 << 1, 5 << 1, 5 << 1 | 1];
        assemble(keys.into_iter(), [1.0, 1.0], None, &mut out);
        assert_eq!(out.indices, [3, 5]);
        let tf = 1.0 + 3f32.ln();
        let word_norm = (1.0 + tf * tf).sqrt();
        let expected_3 = 1.0 / word_norm;
        let expected_5 = tf / word_norm + 1.0;
        let norm = (expected_3 * expected_3 + expected_5 * expected_5).sqrt();
        assert!((out.get(3) - expected_3 / norm).abs() < 1e-5);
        assert!((out.get(5) - expected_5 / norm).abs() < 1e-5);
        assert_eq!(out.dot(&[0.0, 0.0, 0.0, 1.0]), out.get(3));
    }

    #[test]
    fn boost_multiplies_one_keys_tf() {
        let mut out = SparseVector::default();
        // Words: bucket 2 once, bucket 4 once and boosted three times.
        let keys = [2 << 1, 4 << 1];
        assemble(keys.into_iter(), [1.0, 1.0], Some((4 << 1, 3.0)), &mut out);
        assert_eq!(out.indices, [2, 4]);
        assert!((out.get(4) / out.get(2) - 3.0).abs() < 1e-5);
        // A character n-gram in the same bucket is not the boosted key.
        assemble(
            [4 << 1 | 1].into_iter(),
            [1.0, 1.0],
            Some((4 << 1, 3.0)),
            &mut out,
        );
        assert!((out.get(4) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn tf_table_matches_ln() {
        for (n, &tf) in SUBLINEAR_TF.iter().enumerate().skip(1) {
            assert!((tf - (1.0 + (n as f32).ln())).abs() < 1e-6, "{n}");
        }
    }

    #[test]
    fn zero_weight_drops_a_block() {
        let mut out = SparseVector::default();
        let keys = [2 << 1, 7 << 1 | 1];
        assemble(keys.into_iter(), [1.0, 0.0], None, &mut out);
        assert_eq!(out.indices, [2]);
        assert!((out.values[0] - 1.0).abs() < 1e-6);
        assemble(std::iter::empty(), [1.0, 1.0], None, &mut out);
        assert_eq!(out.nnz(), 0);
    }

    #[test]
    fn sort_hashed_sorts() {
        let mut state = 7u64;
        let (mut tmp, mut counts) = (Vec::new(), Vec::new());
        for (len, significant) in [(0, 8), (10, 8), (63, 20), (64, 20), (500, 18), (3000, 64)] {
            let mut values: Vec<u64> = (0..len)
                .map(|i| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                    // Repeats, as hashed features have.
                    let v = if i % 5 == 0 { 42 } else { state >> 7 };
                    v & (u64::MAX >> (64 - significant))
                })
                .collect();
            let mut expected = values.clone();
            expected.sort_unstable();
            sort_hashed(&mut values, significant, &mut tmp, &mut counts);
            assert_eq!(values, expected, "{len} values of {significant} bits");
        }
    }
}
