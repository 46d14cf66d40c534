//! The classic baseline every Siamese figure is shown beside: multinomial logistic regression
//! on the same standardised features.
//!
//! It minimises, over weights W (features × 4 emotions) and intercepts b,
//!
//! ```text
//! Σ_i −ln softmax(x_i W + b)[y_i]  +  ‖W − W₀‖² / (2C)
//! ```
//!
//! — scikit-learn's `LogisticRegression(C=1.0)` objective (multinomial, L2, intercept not
//! penalised) when the prior W₀ is zero. With a prior (the weights of a model trained on a
//! source corpus), fitting a few labelled target rows is the classic "prior-regularised"
//! adaptation of a maximum-entropy model (Chelba & Acero 2006): the source solution, moved
//! only as far as the new rows justify. The objective is strictly convex, so the minimum is
//! unique and no seed is involved; it is found by L-BFGS (memory 10) with a backtracking
//! line search, to a gradient below 1e-6 of its starting size.
//!
//! The emotions are always the four of [`Emotion::ALL`]; an emotion absent from the training
//! rows simply gets no support from the data.

use crate::data::{Emotion, N_EMOTIONS};
use crate::error::{Error, Result};
use crate::eval::evaluate;
use crate::report::EvalReport;
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// Settings of the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogisticConfig {
    /// Inverse regularisation strength, as scikit-learn's `C`. Default 1.
    pub c: f64,
    /// Most L-BFGS iterations. Default 1000 (convergence usually takes 50–300).
    pub max_iter: usize,
}

impl Default for LogisticConfig {
    fn default() -> Self {
        LogisticConfig { c: 1.0, max_iter: 1000 }
    }
}

impl LogisticConfig {
    /// Rejects settings that cannot work.
    pub fn validate(&self) -> Result<()> {
        if !(self.c.is_finite() && self.c > 0.0 && self.c <= 1e6) {
            return Err(Error::setting("baseline.c", self.c, "a number in (0, 1e6]"));
        }
        if self.max_iter == 0 || self.max_iter > 100_000 {
            return Err(Error::setting("baseline.max_iter", self.max_iter, "an integer from 1 to 100000"));
        }
        Ok(())
    }
}

/// A fitted multinomial logistic regression.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogisticRegression {
    pub config: LogisticConfig,
    /// `weights[j][c]`: feature j's weight for emotion c (in [`Emotion::ALL`] order). Fitted
    /// in f64 and kept in f32, like the network's weights, so a weights file reads back exactly.
    pub weights: Vec<[f32; N_EMOTIONS]>,
    pub intercept: [f32; N_EMOTIONS],
    /// L-BFGS iterations the fit took.
    pub iterations: usize,
}

impl LogisticRegression {
    /// Fits rows `x` `(rows, features)` (standardised) with emotions `y`. With `prior`, the
    /// penalty pulls the weights towards the prior's instead of towards zero. The search starts
    /// from `start` (or the prior, or zero); the minimum it finds does not depend on where it
    /// starts, only how fast it gets there.
    pub fn fit(
        x: ArrayView2<f32>,
        y: &[Emotion],
        config: LogisticConfig,
        prior: Option<&LogisticRegression>,
        start: Option<&LogisticRegression>,
    ) -> Result<LogisticRegression> {
        config.validate()?;
        if x.nrows() != y.len() {
            return Err(Error::Shape { what: "baseline rows vs labels", expected: x.nrows(), found: y.len() });
        }
        if y.is_empty() {
            return Err(Error::data("the logistic-regression baseline", "labelled rows", "there are none"));
        }
        let d = x.ncols();
        for p in prior.iter().chain(start.iter()) {
            if p.weights.len() != d {
                return Err(Error::Shape { what: "baseline prior features", expected: d, found: p.weights.len() });
            }
        }
        // Plain row-major slices: this runs in the browser too, where code size counts.
        let x: Vec<f32> = x.iter().copied().collect();
        let y: Vec<usize> = y.iter().map(|e| e.index()).collect();
        let w0 = prior.map(|p| p.weights.iter().flat_map(|w| w.map(f64::from)).collect::<Vec<f64>>());
        let problem = Problem { x: &x, d, y: &y, inv_c: 1.0 / config.c, w0: w0.as_deref() };
        // θ = [W row-major (d × 4), b].
        let mut theta = vec![0.0f64; d * N_EMOTIONS + N_EMOTIONS];
        if let Some(p) = start.or(prior) {
            for (j, w) in p.weights.iter().enumerate() {
                for c in 0..N_EMOTIONS {
                    theta[j * N_EMOTIONS + c] = w[c] as f64;
                }
            }
            for c in 0..N_EMOTIONS {
                theta[d * N_EMOTIONS + c] = p.intercept[c] as f64;
            }
        }
        let iterations = lbfgs(&problem, &mut theta, config.max_iter);
        let weights = (0..d).map(|j| std::array::from_fn(|c| theta[j * N_EMOTIONS + c] as f32)).collect();
        let intercept = std::array::from_fn(|c| theta[d * N_EMOTIONS + c] as f32);
        Ok(LogisticRegression { config, weights, intercept, iterations })
    }

    /// Number of input features.
    pub fn features(&self) -> usize {
        self.weights.len()
    }

    /// Class probabilities of each row of `x`, in [`Emotion::ALL`] order.
    pub fn probabilities(&self, x: ArrayView2<f32>) -> Vec<[f64; N_EMOTIONS]> {
        x.rows()
            .into_iter()
            .map(|row| {
                let mut z = self.intercept.map(f64::from);
                for (v, w) in row.iter().zip(&self.weights) {
                    for c in 0..N_EMOTIONS {
                        z[c] += *v as f64 * w[c] as f64;
                    }
                }
                softmax(z)
            })
            .collect()
    }

    /// The most probable emotion of each row (ties go to the earlier emotion).
    pub fn predict(&self, x: ArrayView2<f32>) -> Vec<Emotion> {
        self.probabilities(x)
            .into_iter()
            .map(|p| {
                let best = (0..N_EMOTIONS).fold(0, |b, c| if p[c] > p[b] { c } else { b });
                Emotion::from_index(best)
            })
            .collect()
    }

    /// UAR and confusion matrix on rows `x` with emotions `y`, from `speakers` speakers.
    pub fn evaluate(&self, x: ArrayView2<f32>, y: &[Emotion], speakers: usize) -> EvalReport {
        evaluate(y, &self.predict(x), speakers)
    }

    /// Checks a stored model (weights file): lengths and finiteness.
    pub fn check(&self, features: usize) -> Result<()> {
        if self.weights.len() != features {
            return Err(Error::WeightsShape {
                what: "baseline.weights".into(),
                expected: features,
                found: self.weights.len(),
            });
        }
        if self.weights.iter().flatten().chain(&self.intercept).any(|v| !v.is_finite()) {
            return Err(Error::WeightsNonFinite { what: "baseline".into() });
        }
        self.config.validate().map_err(|e| Error::WeightsFormat(format!("its baseline is invalid: {e}")))
    }
}

fn softmax(z: [f64; N_EMOTIONS]) -> [f64; N_EMOTIONS] {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e = z.map(|v| (v - m).exp());
    let s: f64 = e.iter().sum();
    e.map(|v| v / s)
}

/// The objective and its gradient over row-major rows `x` (n × d) with class indices `y`.
struct Problem<'a> {
    x: &'a [f32],
    d: usize,
    y: &'a [usize],
    inv_c: f64,
    w0: Option<&'a [f64]>,
}

impl Problem<'_> {
    /// f(θ) and ∇f(θ).
    fn eval(&self, theta: &[f64]) -> (f64, Vec<f64>) {
        const K: usize = N_EMOTIONS;
        let d = self.d;
        let (w, b) = theta.split_at(d * K);
        let mut g = vec![0.0; theta.len()];
        let mut loss = 0.0;
        for (row, &y) in self.x.chunks_exact(d).zip(self.y) {
            let mut z: [f64; K] = std::array::from_fn(|c| b[c]);
            for (v, wj) in row.iter().zip(w.chunks_exact(K)) {
                for c in 0..K {
                    z[c] += *v as f64 * wj[c];
                }
            }
            let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let lse = m + z.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
            loss += lse - z[y];
            // d loss / d z = softmax − onehot.
            let dz: [f64; K] = std::array::from_fn(|c| (z[c] - lse).exp() - f64::from(u8::from(c == y)));
            for (v, gj) in row.iter().zip(g[..d * K].chunks_exact_mut(K)) {
                for c in 0..K {
                    gj[c] += *v as f64 * dz[c];
                }
            }
            for c in 0..K {
                g[d * K + c] += dz[c];
            }
        }
        for (i, wi) in w.iter().enumerate() {
            let diff = wi - self.w0.map_or(0.0, |w0| w0[i]);
            loss += 0.5 * self.inv_c * diff * diff;
            g[i] += self.inv_c * diff;
        }
        (loss, g)
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// `a += s · b`.
fn axpy(a: &mut [f64], s: f64, b: &[f64]) {
    a.iter_mut().zip(b).for_each(|(x, y)| *x += s * y);
}

fn max_abs(a: &[f64]) -> f64 {
    a.iter().fold(0.0f64, |m, v| m.max(v.abs()))
}

/// Minimises `p` from `theta` in place; returns the iterations used.
fn lbfgs(p: &Problem, theta: &mut Vec<f64>, max_iter: usize) -> usize {
    const MEMORY: usize = 10;
    let (mut f, mut g) = p.eval(theta);
    let g0 = max_abs(&g).max(1e-12);
    let mut hist: std::collections::VecDeque<(Vec<f64>, Vec<f64>)> = std::collections::VecDeque::new();
    for it in 0..max_iter {
        if max_abs(&g) <= 1e-6 * g0 {
            return it;
        }
        // Two-loop recursion: direction = −H·g.
        let mut q = g.clone();
        let mut alpha = vec![0.0; hist.len()];
        for (i, (s, y)) in hist.iter().enumerate().rev() {
            alpha[i] = dot(s, &q) / dot(y, s);
            axpy(&mut q, -alpha[i], y);
        }
        let scale = match hist.back() {
            Some((s, y)) => dot(s, y) / dot(y, y),
            None => 1.0 / dot(&g, &g).sqrt().max(1.0),
        };
        q.iter_mut().for_each(|v| *v *= scale);
        for (i, (s, y)) in hist.iter().enumerate() {
            let beta = dot(y, &q) / dot(y, s);
            axpy(&mut q, alpha[i] - beta, s);
        }
        let mut dir: Vec<f64> = q.iter().map(|v| -v).collect();
        let mut slope = dot(&g, &dir);
        if slope >= 0.0 {
            // Not a descent direction (numerical trouble): restart with steepest descent.
            hist.clear();
            dir = g.iter().map(|v| -v).collect();
            slope = dot(&g, &dir);
        }
        // Backtracking (Armijo) line search.
        let mut step = 1.0;
        let (mut t_new, mut f_new, mut g_new);
        loop {
            t_new = theta.clone();
            axpy(&mut t_new, step, &dir);
            (f_new, g_new) = p.eval(&t_new);
            if f_new <= f + 1e-4 * step * slope || step < 1e-20 {
                break;
            }
            step *= 0.5;
        }
        if step < 1e-20 {
            return it; // no progress possible at this precision
        }
        let s: Vec<f64> = t_new.iter().zip(theta.iter()).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        if dot(&s, &y) > 1e-12 {
            if hist.len() == MEMORY {
                hist.pop_front();
            }
            hist.push_back((s, y));
        }
        let converged = (f - f_new).abs() <= 1e-14 * f.abs().max(1.0);
        *theta = t_new;
        f = f_new;
        g = g_new;
        if converged {
            return it + 1;
        }
    }
    max_iter
}

#[cfg(test)]
mod tests {
    use super::*;
    use Emotion::*;

    /// A small case checked with scikit-learn 1.9.1 (`LogisticRegression(C=1.0, tol=1e-10,
    /// max_iter=10000)`, multinomial, lbfgs) on the 8 rows below.
    #[test]
    fn matches_scikit_learn_on_a_hand_checked_case() {
        let x = ndarray::array![
            [1.0f32, 0.0],
            [0.8, 0.3],
            [0.0, 1.0],
            [-0.2, 0.9],
            [-1.0, 0.0],
            [-0.7, -0.4],
            [0.0, -1.0],
            [0.3, -0.8]
        ];
        let y = [Angry, Angry, Happy, Happy, Sad, Sad, Fearful, Fearful];
        let m = LogisticRegression::fit(x.view(), &y, LogisticConfig::default(), None, None).unwrap();
        for (c, want) in SKLEARN_COEF.iter().enumerate() {
            for (j, &w) in want.iter().enumerate() {
                let got = m.weights[j][c] as f64;
                assert!((got - w).abs() < 1e-5, "w[{j}][{c}] {got} vs {w}");
            }
            let got = m.intercept[c] as f64;
            assert!((got - SKLEARN_INTERCEPT[c]).abs() < 1e-5, "b[{c}] {got} vs {}", SKLEARN_INTERCEPT[c]);
        }
        assert_eq!(m.predict(x.view()), y.to_vec(), "separable by angle: every row right");
    }

    // sklearn's coef_ is (classes, features).
    const SKLEARN_COEF: [[f64; 2]; 4] = [
        [0.9913544895166045, 0.15889176060392493],
        [-0.15758761097680418, 1.024319185690183],
        [-0.9920792089082711, -0.19896797681540063],
        [0.15831233036847053, -0.984242969478707],
    ];
    const SKLEARN_INTERCEPT: [f64; 4] =
        [-0.014010581158856408, -0.01568096884243236, 0.0364655641426489, -0.006774014141359896];

    #[test]
    fn a_strong_prior_keeps_the_source_solution() {
        let x = ndarray::array![[1.0f32, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]];
        let y = [Angry, Happy, Sad, Fearful];
        let source = LogisticRegression::fit(x.view(), &y, LogisticConfig::default(), None, None).unwrap();
        // New rows that contradict the source labels, with a tiny C: the prior wins.
        let y2 = [Happy, Sad, Fearful, Angry];
        let tight = LogisticConfig { c: 1e-6, ..LogisticConfig::default() };
        let adapted = LogisticRegression::fit(x.view(), &y2, tight, Some(&source), None).unwrap();
        assert_eq!(adapted.predict(x.view()), y.to_vec());
        // With a loose prior, the new rows win.
        let loose = LogisticConfig { c: 100.0, ..LogisticConfig::default() };
        let adapted = LogisticRegression::fit(x.view(), &y2, loose, Some(&source), None).unwrap();
        assert_eq!(adapted.predict(x.view()), y2.to_vec());
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let x = [0.5f32, -1.0, 2.0, 1.5, 0.2, -0.3, -0.4, 0.9, 0.1, 0.0, -0.6, 1.2, 1.0, 1.0, 1.0];
        let y = [0, 1, 2, 3, 1];
        let w0: Vec<f64> = (0..12).map(|i| 0.1 * (i / 4) as f64 - 0.2 * (i % 4) as f64).collect();
        let p = Problem { x: &x, d: 3, y: &y, inv_c: 0.7, w0: Some(&w0) };
        let theta: Vec<f64> = (0..16).map(|i| ((i * 7 % 11) as f64 - 5.0) / 10.0).collect();
        let (_, g) = p.eval(&theta);
        for i in 0..theta.len() {
            let h = 1e-6;
            let (mut a, mut b) = (theta.clone(), theta.clone());
            a[i] += h;
            b[i] -= h;
            let fd = (p.eval(&a).0 - p.eval(&b).0) / (2.0 * h);
            assert!((fd - g[i]).abs() < 1e-6 * (1.0 + fd.abs()), "θ[{i}]: {fd} vs {}", g[i]);
        }
    }

    #[test]
    fn refuses_what_cannot_work() {
        let x = ndarray::array![[1.0f32]];
        assert!(LogisticRegression::fit(x.view(), &[], LogisticConfig::default(), None, None).is_err());
        let bad = LogisticConfig { c: 0.0, ..LogisticConfig::default() };
        assert!(matches!(
            LogisticRegression::fit(x.view(), &[Angry], bad, None, None),
            Err(Error::InvalidSetting { name: "baseline.c", .. })
        ));
    }
}
