//! Element-wise activations and their numerically stable forms.

use super::Float;
use ndarray::{ArrayViewMut, Dimension, Zip};

/// `y ← max(y, 0)` in place.
pub fn relu_inplace<F: Float, D: Dimension>(mut y: ArrayViewMut<F, D>) {
    y.mapv_inplace(|v| if v > F::zero() { v } else { F::zero() });
}

/// Back through a ReLU whose *output* was `y`: `dy ← dy · [y > 0]`.
pub fn relu_backward<F: Float, D: Dimension>(y: ndarray::ArrayView<F, D>, dy: ArrayViewMut<F, D>) {
    // A select rather than a branch, so the loop vectorises.
    Zip::from(dy).and(y).for_each(|d, &v| *d = if v > F::zero() { *d } else { F::zero() });
}

/// Logistic sigmoid σ(z) = 1 / (1 + e^{−z}), without overflow for large |z|.
pub fn sigmoid<F: Float>(z: F) -> F {
    if z >= F::zero() {
        F::one() / (F::one() + (-z).exp())
    } else {
        let e = z.exp();
        e / (F::one() + e)
    }
}

/// softplus(z) = ln(1 + e^{z}) = max(z, 0) + ln(1 + e^{−|z|}), stable for any z.
pub fn softplus<F: Float>(z: F) -> F {
    z.max(F::zero()) + (-z.abs()).exp().ln_1p()
}

/// ln σ(z) = −softplus(−z), stable for any z (cf. scikit-learn's `log_logistic`).
pub fn log_sigmoid<F: Float>(z: F) -> F {
    -softplus(-z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_at_extremes() {
        assert_eq!(sigmoid(1000.0f32), 1.0);
        assert_eq!(sigmoid(-1000.0f32), 0.0);
        assert!((softplus(1000.0f64) - 1000.0).abs() < 1e-12);
        assert!(softplus(-1000.0f64) >= 0.0 && softplus(-1000.0f64) < 1e-300);
        assert!((log_sigmoid(-1000.0f64) + 1000.0).abs() < 1e-12);
        assert!((log_sigmoid(0.0f64) - 0.5f64.ln()).abs() < 1e-15);
        for z in [-3.0f64, -0.5, 0.0, 0.7, 4.0] {
            assert!((sigmoid(z) - 1.0 / (1.0 + (-z).exp())).abs() < 1e-15);
            assert!((softplus(z) - (1.0 + z.exp()).ln()).abs() < 1e-14);
        }
    }
}
