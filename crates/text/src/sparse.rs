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

/// Build the final vector from hashed feature keys (`bucket << 1 | block`,
/// block 0 = words, 1 = characters, buckets below `2^bits`): count
/// duplicates, take sublinear tf `1 + ln(tf)`, scale each block to L2 norm
/// `weights[block]`, sum the blocks per bucket and L2-normalise. `tmp` is
/// scratch space.
pub(crate) fn assemble(
    keys: &mut Vec<u32>,
    bits: u32,
    weights: [f32; 2],
    tmp: &mut Vec<u32>,
    out: &mut SparseVector,
) {
    out.clear();
    if keys.is_empty() {
        return;
    }
    bin_sort(keys, bits + 1, tmp);
    // Two accumulators in registers, not an array in memory: each block's
    // squares are still summed in key order.
    let (mut words, mut chars) = (0.0f32, 0.0f32);
    for_each_run(keys, |key, tf| match key & 1 {
        0 => words += tf * tf,
        _ => chars += tf * tf,
    });
    let norm2 = [words, chars];
    let scale = [0, 1].map(|b| {
        if norm2[b] > 0.0 {
            weights[b] / norm2[b].sqrt()
        } else {
            0.0
        }
    });
    for_each_run(keys, |key, tf| {
        let bucket = key >> 1;
        let value = tf * scale[(key & 1) as usize];
        if value == 0.0 {
            return;
        }
        // Word and character entries of one bucket are adjacent.
        if out.indices.last() == Some(&bucket) {
            *out.values.last_mut().expect("same length") += value;
        } else {
            out.indices.push(bucket);
            out.values.push(value);
        }
    });
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
fn for_each_run(keys: &[u32], mut f: impl FnMut(u32, f32)) {
    let mut previous = keys[0];
    let mut count = 0u32;
    let tf = |count: u32| match SUBLINEAR_TF.get(count as usize) {
        Some(&tf) => tf,
        None => 1.0 + (count as f32).ln(),
    };
    for &key in keys {
        if key != previous {
            f(previous, tf(count));
            previous = key;
            count = 0;
        }
        count += 1;
    }
    f(previous, tf(count));
}

/// Bits of the top-digit bins of [`bin_sort`].
pub(crate) const BIN_BITS: u32 = 10;

/// Sort values below `2^bits`: one counting-sort pass on the top bits,
/// then insertion sort, which finds the result almost sorted (a comment's
/// thousand-odd buckets spread over 1024 bins). Beats comparison sorts here.
fn bin_sort(values: &mut Vec<u32>, bits: u32, tmp: &mut Vec<u32>) {
    if bits <= BIN_BITS {
        values.sort_unstable();
        return;
    }
    let shift = bits - BIN_BITS;
    bin_sort_by_top(values, |v| (v >> shift) as usize, tmp);
}

/// Sort `values` whose top bits `bin(v)` (below `2^BIN_BITS`, and in the
/// same order as the values) are spread evenly: a counting-sort pass on
/// those bits, then insertion sort, which finds the result almost sorted.
/// Short lists are sorted directly.
pub(crate) fn bin_sort_by_top<T: Copy + Ord + Default>(
    values: &mut Vec<T>,
    bin: impl Fn(T) -> usize,
    tmp: &mut Vec<T>,
) {
    if values.len() < 256 {
        values.sort_unstable();
        return;
    }
    let mut counts = [0u32; 1 << BIN_BITS];
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
    tmp.resize(values.len(), T::default());
    for &v in values.iter() {
        let b = bin(v);
        tmp[counts[b] as usize] = v;
        counts[b] += 1;
    }
    std::mem::swap(values, tmp);
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
        let mut keys = vec![5 << 1, 3 << 1, 5 << 1, 5 << 1, 5 << 1 | 1];
        assemble(&mut keys, 4, [1.0, 1.0], &mut Vec::new(), &mut out);
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
    fn tf_table_matches_ln() {
        for (n, &tf) in SUBLINEAR_TF.iter().enumerate().skip(1) {
            assert!((tf - (1.0 + (n as f32).ln())).abs() < 1e-6, "{n}");
        }
    }

    #[test]
    fn zero_weight_drops_a_block() {
        let mut out = SparseVector::default();
        let mut keys = vec![2 << 1, 7 << 1 | 1];
        assemble(&mut keys, 4, [1.0, 0.0], &mut Vec::new(), &mut out);
        assert_eq!(out.indices, [2]);
        assert!((out.values[0] - 1.0).abs() < 1e-6);
        assemble(&mut Vec::new(), 4, [1.0, 1.0], &mut Vec::new(), &mut out);
        assert_eq!(out.nnz(), 0);
    }

    #[test]
    fn bin_sort_sorts() {
        let mut state = 7u64;
        for (len, bits) in [(0, 8), (10, 8), (500, 18), (3000, 24), (1000, 11)] {
            let mut values: Vec<u32> = (0..len)
                .map(|_| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                    ((state >> 33) as u32) & ((1 << bits) - 1)
                })
                .collect();
            let mut expected = values.clone();
            expected.sort_unstable();
            bin_sort(&mut values, bits, &mut Vec::new());
            assert_eq!(values, expected);
        }
        let mut wide: Vec<u64> = (0..2000u64)
            .map(|i| ((i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 4) << 4) | (i % 3))
            .collect();
        let mut expected = wide.clone();
        expected.sort_unstable();
        bin_sort_by_top(
            &mut wide,
            |v| (v >> (64 - BIN_BITS)) as usize,
            &mut Vec::new(),
        );
        assert_eq!(wide, expected);
    }
}
