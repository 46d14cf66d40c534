//! The two losses: pair binary cross-entropy (decides "same emotion?") and the paper's distance
//! loss (Eq. 1), each as a value function with a sibling gradient function.

use super::Float;
use super::activation::{sigmoid, softplus};

/// Binary cross-entropy of one pair from its logit `z` and target `y` ∈ {0, 1}:
///
/// ```text
/// ℓ(z, y) = −[y ln σ(z) + (1 − y) ln(1 − σ(z))] = softplus(z) − y·z
/// ```
///
/// computed from the logit, so it never takes the log of 0.
pub fn bce_with_logits<F: Float>(z: F, y: F) -> F {
    softplus(z) - y * z
}

/// ∂ℓ/∂z = σ(z) − y.
pub fn bce_with_logits_grad<F: Float>(z: F, y: F) -> F {
    sigmoid(z) - y
}

/// The distance loss of Eq. (1) for one batch, from the mean embedding distance of its
/// different-emotion pairs `D_d` and same-emotion pairs `D_s`:
///
/// ```text
/// L = (D_d + D_s) / (D_d − D_s)
/// ```
///
/// **The rule for D_d ≤ D_s.** L depends only on the relative margin m = (D_d − D_s)/(D_d + D_s)
/// ∈ [−1, 1]: L = 1/m. For m > 0 it falls as the different pairs move apart relative to the same
/// pairs, which is the intent. As m → 0⁺ it diverges; at m = 0 it is undefined; for m < 0 it is
/// negative and tends to −∞ as m → 0⁻, so "minimising" it there would reward collapsing toward
/// the singularity and its value means nothing. We therefore use
///
/// ```text
/// L(m) = 1/m                  for m ≥ m₀
/// L(m) = 2/m₀ − m/m₀²         for m < m₀   (the tangent of 1/m at m₀)
/// ```
///
/// which equals Eq. (1) wherever Eq. (1) is well-behaved (m ≥ m₀), is continuous with a
/// continuous derivative, finite everywhere, and below m₀ still pushes D_d up and D_s down with
/// a bounded gradient. Each batch where the tangent is used is counted as `clamped`, and
/// training reports that count. When D_d + D_s is below [`MIN_DISTANCE_SUM`] (all embeddings
/// coincide, to rounding) or the batch lacks same or different pairs, there is no loss and no
/// gradient (`None`): the gradient grows as 1/(D_d + D_s), and for a sum of 1e-38 it overflowed
/// f32 (a finding of the property tests; `tests/properties.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DistanceLoss<F> {
    /// Loss value.
    pub value: F,
    /// ∂L/∂D_d.
    pub d_dd: F,
    /// ∂L/∂D_s.
    pub d_ds: F,
    /// True if m < m₀ and the tangent extension was used.
    pub clamped: bool,
    /// The relative margin m.
    pub margin: F,
}

/// The smallest D_d + D_s with a distance loss: below it the embeddings have collapsed and the
/// gradient, which grows as 1/(D_d + D_s), could overflow f32 (its square, in Adam, would).
pub const MIN_DISTANCE_SUM: f64 = 1e-12;

impl<F: Float> DistanceLoss<F> {
    /// Evaluates the loss and its gradient with threshold `m0` ∈ (0, 1).
    pub fn new(d_d: F, d_s: F, m0: F) -> Option<DistanceLoss<F>> {
        let s = d_d + d_s;
        if s.is_nan() || s < F::of(MIN_DISTANCE_SUM) || !s.is_finite() {
            return None;
        }
        let m = (d_d - d_s) / s;
        let two = F::of(2.0);
        let (value, dl_dm, clamped) = if m >= m0 {
            (F::one() / m, -F::one() / (m * m), false)
        } else {
            (two / m0 - m / (m0 * m0), -F::one() / (m0 * m0), true)
        };
        // m = (D_d − D_s)/(D_d + D_s):  ∂m/∂D_d = 2D_s/S²,  ∂m/∂D_s = −2D_d/S². Near the ends of
        // the float range S² or 2D overflows; there it is computed as (D/S)·(1/S) instead (the
        // usual form stays where it is finite, so ordinary training is unchanged bit for bit).
        let s2 = s * s;
        let (d_dd, d_ds) = if s2.is_finite() && (two * d_d).is_finite() && (two * d_s).is_finite() {
            (dl_dm * two * d_s / s2, -dl_dm * two * d_d / s2)
        } else {
            let inv = F::one() / s;
            (dl_dm * two * (d_s * inv) * inv, -dl_dm * two * (d_d * inv) * inv)
        };
        Some(DistanceLoss { value, d_dd, d_ds, clamped, margin: m })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bce_matches_the_textbook_formula() {
        for (z, y) in [(0.3f64, 1.0), (-2.0, 0.0), (5.0, 0.0), (-0.1, 1.0)] {
            let p = 1.0 / (1.0 + (-z).exp());
            let expected = -(y * p.ln() + (1.0 - y) * (1.0 - p).ln());
            assert!((bce_with_logits(z, y) - expected).abs() < 1e-12);
            let h = 1e-6;
            let fd = (bce_with_logits(z + h, y) - bce_with_logits(z - h, y)) / (2.0 * h);
            assert!((bce_with_logits_grad(z, y) - fd).abs() < 1e-8);
        }
        assert!(bce_with_logits(-200.0f32, 1.0).is_finite());
    }

    #[test]
    fn equals_eq1_above_the_threshold() {
        let l = DistanceLoss::new(3.0f64, 1.0, 0.05).unwrap();
        assert!((l.value - (3.0 + 1.0) / (3.0 - 1.0)).abs() < 1e-12);
        assert!(!l.clamped);
        // ∂/∂D_d (S/Δ) = −2 D_s/Δ², ∂/∂D_s = 2 D_d/Δ².
        assert!((l.d_dd - (-2.0 * 1.0 / 4.0)).abs() < 1e-12);
        assert!((l.d_ds - (2.0 * 3.0 / 4.0)).abs() < 1e-12);
    }

    #[test]
    fn finite_and_continuous_through_the_singularity() {
        let m0 = 0.05f64;
        // At the threshold both branches agree.
        let d_s = 1.0;
        let d_d = (1.0 + m0) / (1.0 - m0) * d_s;
        let a = DistanceLoss::new(d_d * (1.0 + 1e-9), d_s, m0).unwrap();
        let b = DistanceLoss::new(d_d * (1.0 - 1e-9), d_s, m0).unwrap();
        assert!((a.value - b.value).abs() < 1e-6 && !a.clamped && b.clamped);
        assert!((a.d_dd - b.d_dd).abs() < 1e-4);
        for (dd, ds) in [(1.0, 1.0), (0.5, 2.0), (0.0, 1.0), (1.0, 1.01)] {
            let l = DistanceLoss::new(dd, ds, m0).unwrap();
            assert!(l.clamped && l.value.is_finite() && l.value > 0.0);
            assert!(l.d_dd < 0.0 && l.d_ds >= 0.0, "still pushes D_d up and D_s down (∂/∂D_s = 0 only when D_d = 0)");
        }
        assert!(DistanceLoss::new(0.0f64, 0.0, m0).is_none());
        // Collapsed embeddings: no loss rather than a gradient that overflows f32.
        assert!(DistanceLoss::new(1e-38f32, 0.0, m0 as f32).is_none());
        let l = DistanceLoss::new(1e-12f32, 0.0, m0 as f32).unwrap();
        assert!(l.value.is_finite() && l.d_dd.is_finite() && l.d_ds.is_finite() && (l.d_ds * l.d_ds).is_finite());
    }

    #[test]
    fn gradient_matches_finite_differences_on_both_branches() {
        for (dd, ds) in [(3.0f64, 1.0), (1.02, 1.0), (0.7, 1.3)] {
            let l = DistanceLoss::new(dd, ds, 0.05).unwrap();
            let h = 1e-7;
            let f = |a: f64, b: f64| DistanceLoss::new(a, b, 0.05).unwrap().value;
            let gd = (f(dd + h, ds) - f(dd - h, ds)) / (2.0 * h);
            let gs = (f(dd, ds + h) - f(dd, ds - h)) / (2.0 * h);
            assert!((l.d_dd - gd).abs() < 1e-5 * (1.0 + gd.abs()), "{dd} {ds}: {} vs {gd}", l.d_dd);
            assert!((l.d_ds - gs).abs() < 1e-5 * (1.0 + gs.abs()), "{dd} {ds}: {} vs {gs}", l.d_ds);
        }
    }
}
