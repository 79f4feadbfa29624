//! The lexical layer: weighted, L2-regularised sparse logistic regression
//! solved with argmin's L-BFGS and exposed through linfa's `Fit` and
//! `PredictInplace` traits.
//!
//! The objective is the sample-weighted mean logistic loss plus
//! `alpha / 2 * ||w - w0||²`, where `w0` is a prior weight vector (zero when
//! training from scratch, the shipped weights when refitting on new labels).
//! The intercept is not penalised.

use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use linfa::traits::{Fit, PredictInplace};
use linfa::{DatasetBase, ParamGuard};
use ndarray::Array1;
use rayon::prelude::*;

use crate::error::{Result, TrainError};
use crate::sparse::SparseMatrix;

/// Rows are split into this many chunks for the parallel gradient; fixed so
/// that the summation order, and so the result, never depends on the number
/// of threads.
const CHUNKS: usize = 8;

/// Hyperparameters of [`SparseLogistic`], unchecked.
#[derive(Clone, Debug, PartialEq)]
pub struct SparseLogisticParams(ValidSparseLogisticParams);

/// Checked hyperparameters of [`SparseLogistic`].
#[derive(Clone, Debug, PartialEq)]
pub struct ValidSparseLogisticParams {
    alpha: f64,
    max_iterations: u64,
    gradient_tolerance: f64,
    prior: Option<(Vec<f32>, f32)>,
}

impl Default for SparseLogisticParams {
    fn default() -> Self {
        SparseLogisticParams(ValidSparseLogisticParams {
            alpha: 1e-4,
            max_iterations: 100,
            gradient_tolerance: 1e-6,
            prior: None,
        })
    }
}

impl SparseLogisticParams {
    /// Default hyperparameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// L2 penalty strength towards the prior (default `1e-4`, in units of the
    /// mean per-sample loss).
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.0.alpha = alpha;
        self
    }

    /// Maximum L-BFGS iterations (default 100).
    pub fn max_iterations(mut self, n: u64) -> Self {
        self.0.max_iterations = n;
        self
    }

    /// Stop when the gradient norm falls below this (default `1e-6`).
    pub fn gradient_tolerance(mut self, tol: f64) -> Self {
        self.0.gradient_tolerance = tol;
        self
    }

    /// Regularise towards these weights and start from them and this
    /// intercept (default: none, i.e. towards zero).
    pub fn prior(mut self, weights: Vec<f32>, intercept: f32) -> Self {
        self.0.prior = Some((weights, intercept));
        self
    }
}

impl ParamGuard for SparseLogisticParams {
    type Checked = ValidSparseLogisticParams;
    type Error = TrainError;

    fn check_ref(&self) -> Result<&ValidSparseLogisticParams> {
        let p = &self.0;
        if !(p.alpha.is_finite() && p.alpha > 0.0) {
            return Err(TrainError::InvalidParams {
                name: "alpha",
                value: p.alpha.to_string(),
                expected: "a finite number above 0",
            });
        }
        if p.max_iterations == 0 {
            return Err(TrainError::InvalidParams {
                name: "max_iterations",
                value: "0".into(),
                expected: "at least 1",
            });
        }
        if !(p.gradient_tolerance.is_finite() && p.gradient_tolerance > 0.0) {
            return Err(TrainError::InvalidParams {
                name: "gradient_tolerance",
                value: p.gradient_tolerance.to_string(),
                expected: "a finite number above 0",
            });
        }
        if let Some((w, b)) = &p.prior {
            if !b.is_finite() || w.iter().any(|x| !x.is_finite()) {
                return Err(TrainError::InvalidParams {
                    name: "prior",
                    value: "non-finite weights".into(),
                    expected: "finite weights",
                });
            }
        }
        Ok(p)
    }

    fn check(self) -> Result<ValidSparseLogisticParams> {
        self.check_ref()?;
        Ok(self.0)
    }
}

impl ValidSparseLogisticParams {
    /// The L2 penalty strength.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
}

/// A fitted sparse logistic regression: one weight per hashed feature plus
/// an intercept. Probabilities refer to the `true` class.
#[derive(Clone, Debug, PartialEq)]
pub struct SparseLogistic {
    /// One weight per feature column.
    pub weights: Vec<f32>,
    /// The bias term.
    pub intercept: f32,
}

impl SparseLogistic {
    /// The logit of row `i` of `x`.
    pub fn decision(&self, x: &SparseMatrix, i: usize) -> f32 {
        let (idx, val) = x.row(i);
        self.decision_sparse(idx, val)
    }

    /// The logit of one sparse vector.
    pub fn decision_sparse(&self, indices: &[u32], values: &[f32]) -> f32 {
        self.intercept
            + indices
                .iter()
                .zip(values)
                .map(|(&j, &v)| self.weights[j as usize] * v)
                .sum::<f32>()
    }

    /// Logits of every row.
    pub fn decisions(&self, x: &SparseMatrix) -> Vec<f32> {
        (0..x.nrows()).map(|i| self.decision(x, i)).collect()
    }
}

/// The logistic function.
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// `log(1 + exp(z))` without overflow.
fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

/// A point with its cost and gradient.
type Evaluation = (Array1<f64>, f64, Array1<f64>);

struct Problem<'a> {
    x: &'a SparseMatrix,
    y: &'a [bool],
    weights: Vec<f64>,
    alpha: f64,
    prior: Vec<f64>,
    /// The last point evaluated with its cost and gradient: the line search
    /// asks for both at the same point, and one pass computes both.
    cache: std::sync::Mutex<Option<Evaluation>>,
}

impl Problem<'_> {
    fn chunks(&self) -> Vec<std::ops::Range<usize>> {
        let n = self.x.nrows();
        let size = n.div_ceil(CHUNKS).max(1);
        (0..n).step_by(size).map(|s| s..(s + size).min(n)).collect()
    }

    fn logit(&self, p: &[f64], i: usize) -> f64 {
        let d = self.x.ncols();
        p[d] + self.x.row_dot(i, &p[..d])
    }

    fn penalty(&self, p: &[f64]) -> f64 {
        let d = self.x.ncols();
        p[..d]
            .iter()
            .zip(&self.prior)
            .map(|(w, w0)| (w - w0) * (w - w0))
            .sum::<f64>()
            * self.alpha
            / 2.0
    }
}

impl Problem<'_> {
    /// Cost and gradient at `p` in one pass over the rows.
    fn evaluate(&self, p: &Array1<f64>) -> (f64, Array1<f64>) {
        let mut cache = self.cache.lock().expect("no panics while evaluating");
        if let Some((at, cost, grad)) = cache.as_ref() {
            if at == p {
                return (*cost, grad.clone());
            }
        }
        let ps = p.as_slice().expect("contiguous parameters");
        let d = self.x.ncols();
        let parts: Vec<(f64, Vec<f64>)> = self
            .chunks()
            .into_par_iter()
            .map(|range| {
                let mut g = vec![0.0; d + 1];
                let mut loss = 0.0;
                for i in range {
                    let y = if self.y[i] { 1.0 } else { 0.0 };
                    let z = self.logit(ps, i);
                    loss += self.weights[i] * (softplus(z) - y * z);
                    let r = self.weights[i] * (sigmoid(z) - y);
                    let (idx, val) = self.x.row(i);
                    for (&j, &v) in idx.iter().zip(val) {
                        g[j as usize] += r * v as f64;
                    }
                    g[d] += r;
                }
                (loss, g)
            })
            .collect();
        let mut grad = Array1::<f64>::zeros(d + 1);
        let mut cost = self.penalty(ps);
        for (loss, part) in &parts {
            cost += loss;
            for (g, v) in grad.iter_mut().zip(part) {
                *g += v;
            }
        }
        for j in 0..d {
            grad[j] += self.alpha * (ps[j] - self.prior[j]);
        }
        *cache = Some((p.clone(), cost, grad.clone()));
        (cost, grad)
    }
}

impl CostFunction for Problem<'_> {
    type Param = Array1<f64>;
    type Output = f64;

    fn cost(&self, p: &Array1<f64>) -> std::result::Result<f64, argmin::core::Error> {
        Ok(self.evaluate(p).0)
    }
}

impl Gradient for Problem<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;

    fn gradient(&self, p: &Array1<f64>) -> std::result::Result<Array1<f64>, argmin::core::Error> {
        Ok(self.evaluate(p).1)
    }
}

impl Fit<SparseMatrix, Array1<bool>, TrainError> for ValidSparseLogisticParams {
    type Object = SparseLogistic;

    /// Fits on the records and boolean targets; dataset weights, when
    /// present, weigh each row's loss.
    fn fit(&self, dataset: &DatasetBase<SparseMatrix, Array1<bool>>) -> Result<SparseLogistic> {
        let x = &dataset.records;
        let y = dataset.targets.as_slice().expect("contiguous targets");
        let n = x.nrows();
        let d = x.ncols();
        if n == 0 || y.len() != n {
            return Err(TrainError::Data(format!(
                "{n} rows but {} targets",
                y.len()
            )));
        }
        let weights: Vec<f64> = match dataset.weights() {
            Some(w) if w.len() == n => w.iter().map(|&v| v as f64).collect(),
            Some(w) => {
                return Err(TrainError::Data(format!(
                    "{n} rows but {} weights",
                    w.len()
                )))
            }
            None => vec![1.0; n],
        };
        if weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
            return Err(TrainError::Data(
                "sample weights must be finite and non-negative".into(),
            ));
        }
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return Err(TrainError::Data("sample weights sum to zero".into()));
        }
        let weights: Vec<f64> = weights.iter().map(|w| w / total).collect();
        let (prior, start_bias) = match &self.prior {
            Some((w, b)) if w.len() == d => (w.iter().map(|&v| v as f64).collect(), *b as f64),
            Some((w, _)) => {
                return Err(TrainError::Data(format!(
                    "prior has {} weights but the data has {d} features",
                    w.len()
                )))
            }
            None => {
                let pos: f64 = y
                    .iter()
                    .zip(&weights)
                    .filter(|(t, _)| **t)
                    .map(|(_, w)| w)
                    .sum();
                let pos = pos.clamp(1e-6, 1.0 - 1e-6);
                (vec![0.0; d], (pos / (1.0 - pos)).ln())
            }
        };
        // A column no row uses has a zero loss gradient, so its optimum is
        // its prior weight: optimise over the columns in use only (in a
        // refit on a few hundred comments, a few thousand of 2^18).
        let (x, columns) = x.compact();
        let active = columns.len();
        let active_prior: Vec<f64> = columns.iter().map(|&j| prior[j as usize]).collect();
        let mut init = Array1::<f64>::zeros(active + 1);
        for (p, w) in init.iter_mut().zip(&active_prior) {
            *p = *w;
        }
        init[active] = start_bias;
        let problem = Problem {
            x: &x,
            y,
            weights,
            alpha: self.alpha,
            prior: active_prior,
            cache: Default::default(),
        };
        let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
            .with_tolerance_grad(self.gradient_tolerance)
            .map_err(|e| TrainError::Optimiser(e.to_string()))?
            .with_tolerance_cost(1e-9)
            .map_err(|e| TrainError::Optimiser(e.to_string()))?;
        let result = Executor::new(problem, solver)
            .configure(|state| state.param(init).max_iters(self.max_iterations))
            .run()
            .map_err(|e| TrainError::Optimiser(e.to_string()))?;
        let best = result
            .state()
            .get_best_param()
            .ok_or_else(|| TrainError::Optimiser("no parameters found".into()))?;
        let mut weights: Vec<f32> = prior.iter().map(|&v| v as f32).collect();
        for (&j, &w) in columns.iter().zip(best.iter()) {
            weights[j as usize] = w as f32;
        }
        Ok(SparseLogistic {
            weights,
            intercept: best[active] as f32,
        })
    }
}

impl PredictInplace<SparseMatrix, Array1<f32>> for SparseLogistic {
    /// Writes the probability of the `true` class of every row.
    fn predict_inplace(&self, x: &SparseMatrix, y: &mut Array1<f32>) {
        assert_eq!(x.nrows(), y.len(), "one output per row");
        for (i, out) in y.iter_mut().enumerate() {
            *out = sigmoid(self.decision(x, i) as f64) as f32;
        }
    }

    fn default_target(&self, x: &SparseMatrix) -> Array1<f32> {
        Array1::zeros(x.nrows())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linfa::traits::Predict;

    fn toy() -> DatasetBase<SparseMatrix, Array1<bool>> {
        // Column 0 marks positives, column 1 negatives, column 2 is noise.
        let mut x = SparseMatrix::new(3);
        let mut y = Vec::new();
        for i in 0..40 {
            let positive = i % 4 == 0;
            let col = if positive { 0 } else { 1 };
            x.push_row(&[col, 2], &[1.0, (i % 3) as f32]);
            y.push(positive);
        }
        DatasetBase::new(x, Array1::from(y))
    }

    #[test]
    fn learns_a_separable_minority_class() {
        let data = toy();
        let model = SparseLogisticParams::new().alpha(1e-3).fit(&data).unwrap();
        assert!(
            model.weights[0] > 1.0 && model.weights[1] < -1.0,
            "{model:?}"
        );
        let probs: Array1<f32> = model.predict(&data);
        for (p, &t) in probs.iter().zip(data.targets.iter()) {
            assert_eq!(*p > 0.5, t);
        }
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let data = toy();
        let problem = Problem {
            x: &data.records,
            y: data.targets.as_slice().unwrap(),
            weights: (0..40).map(|i| 1.0 + (i % 5) as f64 / 40.0).collect(),
            alpha: 0.1,
            prior: vec![0.3, -0.2, 0.0],
            cache: Default::default(),
        };
        let p = Array1::from(vec![0.2, -0.4, 0.1, 0.05]);
        let g = problem.gradient(&p).unwrap();
        for j in 0..4 {
            let mut hi = p.clone();
            hi[j] += 1e-6;
            let mut lo = p.clone();
            lo[j] -= 1e-6;
            let numeric = (problem.cost(&hi).unwrap() - problem.cost(&lo).unwrap()) / 2e-6;
            assert!((numeric - g[j]).abs() < 1e-5, "{j}: {numeric} vs {}", g[j]);
        }
    }

    #[test]
    fn strong_prior_keeps_weights_near_it() {
        let data = toy();
        let prior = vec![-2.0, 2.0, 0.0];
        let model = SparseLogisticParams::new()
            .alpha(1e3)
            .prior(prior.clone(), 0.0)
            .fit(&data)
            .unwrap();
        for (w, w0) in model.weights.iter().zip(&prior) {
            assert!((w - w0).abs() < 0.05, "{w} vs {w0}");
        }
    }

    #[test]
    fn unused_columns_keep_their_prior_weight() {
        let toy = toy();
        let mut x = SparseMatrix::new(5);
        for i in 0..toy.records.nrows() {
            let (idx, val) = toy.records.row(i);
            x.push_row(idx, val);
        }
        let data = DatasetBase::new(x, toy.targets.clone());
        let prior = vec![0.5, -0.5, 0.0, 0.25, -1.5];
        let model = SparseLogisticParams::new()
            .alpha(1e-2)
            .prior(prior, 0.0)
            .fit(&data)
            .unwrap();
        assert_eq!(&model.weights[3..], &[0.25, -1.5]);
        assert!(model.weights[0] > 0.5 && model.weights[1] < -0.5);
        let plain = SparseLogisticParams::new().alpha(1e-2).fit(&data).unwrap();
        assert_eq!(&plain.weights[3..], &[0.0, 0.0]);
    }

    #[test]
    fn weights_change_the_fit() {
        let mut data = toy();
        let plain = SparseLogisticParams::new().alpha(1e-2).fit(&data).unwrap();
        let w: Vec<f32> = data
            .targets
            .iter()
            .map(|&t| if t { 5.0 } else { 1.0 })
            .collect();
        data = data.with_weights(Array1::from(w));
        let weighted = SparseLogisticParams::new().alpha(1e-2).fit(&data).unwrap();
        assert!(weighted.intercept > plain.intercept);
    }

    #[test]
    fn rejects_bad_params() {
        assert!(SparseLogisticParams::new().alpha(0.0).check().is_err());
        assert!(SparseLogisticParams::new()
            .max_iterations(0)
            .check()
            .is_err());
    }
}
