//! A compressed sparse row matrix: the records type of the lexical layer.

use linfa::dataset::Records;

/// Rows of hashed n-gram features in compressed sparse row form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SparseMatrix {
    indptr: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f32>,
    ncols: usize,
}

impl SparseMatrix {
    /// An empty matrix with `ncols` columns.
    pub fn new(ncols: usize) -> SparseMatrix {
        SparseMatrix {
            indptr: vec![0],
            indices: Vec::new(),
            values: Vec::new(),
            ncols,
        }
    }

    /// Appends a row; `indices` must be below [`SparseMatrix::ncols`].
    ///
    /// # Panics
    /// When the slices differ in length or an index is out of range.
    pub fn push_row(&mut self, indices: &[u32], values: &[f32]) {
        assert_eq!(
            indices.len(),
            values.len(),
            "indices and values differ in length"
        );
        assert!(
            indices.iter().all(|&i| (i as usize) < self.ncols),
            "column index out of range"
        );
        self.indices.extend_from_slice(indices);
        self.values.extend_from_slice(values);
        self.indptr.push(self.indices.len());
    }

    /// The column indices and values of row `i`.
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let span = self.indptr[i]..self.indptr[i + 1];
        (&self.indices[span.clone()], &self.values[span])
    }

    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.indptr.len() - 1
    }

    /// Number of columns.
    pub fn ncols(&self) -> usize {
        self.ncols
    }

    /// Number of stored entries.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// A new matrix made of the given rows, in the given order.
    pub fn select(&self, rows: &[usize]) -> SparseMatrix {
        let mut out = SparseMatrix::new(self.ncols);
        for &r in rows {
            let (i, v) = self.row(r);
            out.push_row(i, v);
        }
        out
    }

    /// The same rows over only the columns that hold an entry, renumbered
    /// in order, and the original number of each kept column.
    pub fn compact(&self) -> (SparseMatrix, Vec<u32>) {
        let mut used = vec![false; self.ncols];
        for &j in &self.indices {
            used[j as usize] = true;
        }
        let mut renumbered = vec![u32::MAX; self.ncols];
        let mut columns = Vec::new();
        for (j, _) in used.iter().enumerate().filter(|(_, &u)| u) {
            renumbered[j] = columns.len() as u32;
            columns.push(j as u32);
        }
        let out = SparseMatrix {
            indptr: self.indptr.clone(),
            indices: self
                .indices
                .iter()
                .map(|&j| renumbered[j as usize])
                .collect(),
            values: self.values.clone(),
            ncols: columns.len(),
        };
        (out, columns)
    }

    /// Dot product of row `i` with a dense vector.
    pub fn row_dot(&self, i: usize, dense: &[f64]) -> f64 {
        let (idx, val) = self.row(i);
        idx.iter()
            .zip(val)
            .map(|(&j, &v)| dense[j as usize] * v as f64)
            .sum()
    }
}

impl Records for SparseMatrix {
    type Elem = f32;

    fn nsamples(&self) -> usize {
        self.nrows()
    }

    fn nfeatures(&self) -> usize {
        self.ncols
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_selection() {
        let mut m = SparseMatrix::new(4);
        m.push_row(&[0, 3], &[1.0, 2.0]);
        m.push_row(&[], &[]);
        m.push_row(&[2], &[5.0]);
        assert_eq!(m.nrows(), 3);
        assert_eq!(m.row(1), (&[][..], &[][..]));
        assert_eq!(m.row_dot(0, &[1.0, 0.0, 0.0, 0.5]), 2.0);
        let s = m.select(&[2, 0]);
        assert_eq!(s.row(0), (&[2u32][..], &[5.0f32][..]));
        assert_eq!(s.nnz(), 3);
        let (c, columns) = m.compact();
        assert_eq!(columns, [0, 2, 3]);
        assert_eq!(c.ncols(), 3);
        assert_eq!(c.row(0), (&[0u32, 2][..], &[1.0f32, 2.0][..]));
        assert_eq!(c.row(2), (&[1u32][..], &[5.0f32][..]));
    }
}
