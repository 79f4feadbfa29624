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

/// Sort `buckets` (all below `2^bits`), count duplicates and append
/// `(bucket, 1 + ln(tf))` pairs scaled to L2 norm `weight` to `out`. `tmp`
/// is scratch space.
pub(crate) fn block(
    buckets: &mut Vec<u32>,
    bits: u32,
    weight: f32,
    tmp: &mut Vec<u32>,
    out: &mut Vec<(u32, f32)>,
) {
    if buckets.is_empty() || weight == 0.0 {
        return;
    }
    bin_sort(buckets, bits, tmp);
    let from = out.len();
    // Count runs of equal buckets; the count is turned into 1 + ln(tf) below.
    let mut previous = buckets[0];
    let mut count = 0u32;
    for &bucket in buckets.iter() {
        if bucket != previous {
            out.push((previous, count as f32));
            previous = bucket;
            count = 0;
        }
        count += 1;
    }
    out.push((previous, count as f32));
    let mut norm2 = 0.0f32;
    for entry in &mut out[from..] {
        if entry.1 > 1.0 {
            entry.1 = 1.0 + entry.1.ln();
        }
        norm2 += entry.1 * entry.1;
    }
    let scale = weight / norm2.sqrt();
    for entry in &mut out[from..] {
        entry.1 *= scale;
    }
}

/// Bits of the top-digit bins of [`bin_sort`].
const BIN_BITS: u32 = 11;

/// Sort values below `2^bits`: one counting-sort pass on the top bits,
/// then insertion sort, which finds the result almost sorted (a comment's
/// thousand-odd buckets spread over 2048 bins). Beats comparison sorts here.
fn bin_sort(values: &mut Vec<u32>, bits: u32, tmp: &mut Vec<u32>) {
    if values.len() < 256 || bits <= BIN_BITS {
        values.sort_unstable();
        return;
    }
    let shift = bits - BIN_BITS;
    let mut counts = [0u32; 1 << BIN_BITS];
    for &v in values.iter() {
        counts[(v >> shift) as usize] += 1;
    }
    let mut sum = 0;
    for c in counts.iter_mut() {
        let n = *c;
        *c = sum;
        sum += n;
    }
    tmp.clear();
    tmp.resize(values.len(), 0);
    for &v in values.iter() {
        let bin = (v >> shift) as usize;
        tmp[counts[bin] as usize] = v;
        counts[bin] += 1;
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

/// Merge two sorted blocks of `(bucket, value)` into `out`, summing shared
/// buckets, and L2-normalise.
pub(crate) fn merge(a: &[(u32, f32)], b: &[(u32, f32)], out: &mut SparseVector) {
    out.clear();
    out.indices.reserve(a.len() + b.len());
    out.values.reserve(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let (bucket, value) = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                i += 1;
                j += 1;
                (x.0, x.1 + y.1)
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                i += 1;
                *x
            }
            (Some(x), None) => {
                i += 1;
                *x
            }
            (_, Some(y)) => {
                j += 1;
                *y
            }
            (None, None) => unreachable!("loop condition"),
        };
        out.indices.push(bucket);
        out.values.push(value);
    }
    let norm = out.values.iter().map(|v| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        let inverse = norm.recip();
        for v in &mut out.values {
            *v *= inverse;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_counts_sublinearly_and_normalises() {
        let mut out = Vec::new();
        block(&mut vec![5, 3, 5, 5], 4, 2.0, &mut Vec::new(), &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].0, 3);
        assert_eq!(out[1].0, 5);
        let ratio = out[1].1 / out[0].1;
        assert!((ratio - (1.0 + 3f32.ln())).abs() < 1e-5);
        let norm = (out[0].1.powi(2) + out[1].1.powi(2)).sqrt();
        assert!((norm - 2.0).abs() < 1e-5);
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
    }

    #[test]
    fn merge_sums_and_normalises() {
        let mut v = SparseVector::default();
        merge(&[(1, 1.0), (4, 1.0)], &[(2, 1.0), (4, 1.0)], &mut v);
        assert_eq!(v.indices, [1, 2, 4]);
        assert!((v.get(4) / v.get(1) - 2.0).abs() < 1e-6);
        let norm: f32 = v.values.iter().map(|x| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-5);
        assert_eq!(v.dot(&[0.0, 1.0]), v.get(1));
    }
}
