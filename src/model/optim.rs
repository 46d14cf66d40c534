//! Adam (Kingma & Ba, 2015), in the form PyTorch's `torch.optim.Adam` computes it:
//!
//! ```text
//! m ← β₁m + (1 − β₁)g          v ← β₂v + (1 − β₂)g²
//! p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
//! ```
//!
//! With `weight_decay` λ > 0 it is AdamW (Loshchilov & Hutter, 2019), as `torch.optim.AdamW`:
//! before the update, every weight (not the biases) shrinks by the factor 1 − lr·λ.
//!
//! The optimiser only ever touches the layers it is told are trainable, which is how frozen
//! layers stay bit-identical.

use super::{Dense, Float};
use crate::error::{Error, Result};
use ndarray::Zip;
use serde::{Deserialize, Serialize};

/// Adam's hyper-parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdamConfig {
    /// Step size. Default 1e-3.
    pub lr: f64,
    /// First-moment decay. Default 0.9.
    pub beta1: f64,
    /// Second-moment decay. Default 0.999.
    pub beta2: f64,
    /// Denominator guard. Default 1e-8.
    pub eps: f64,
    /// Decoupled weight decay λ (AdamW). Default 0 (plain Adam, the paper's).
    pub weight_decay: f64,
}

impl Default for AdamConfig {
    fn default() -> Self {
        AdamConfig { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.0 }
    }
}

impl AdamConfig {
    /// Rejects values that cannot work; `name` prefixes the setting names in errors.
    pub fn validate(&self, name: &'static str) -> Result<()> {
        if !(self.lr.is_finite() && self.lr > 0.0 && self.lr <= 1.0) {
            return Err(Error::setting(name, self.lr, "a learning rate in (0, 1]"));
        }
        for (what, b) in [("beta1", self.beta1), ("beta2", self.beta2)] {
            if !(b.is_finite() && (0.0..1.0).contains(&b)) {
                return Err(Error::setting(name, format!("{what} = {b}"), "betas in [0, 1)"));
            }
        }
        if !(self.eps.is_finite() && self.eps > 0.0 && self.eps < 1.0) {
            return Err(Error::setting(name, format!("eps = {}", self.eps), "eps in (0, 1)"));
        }
        if !(self.weight_decay.is_finite() && (0.0..=1.0).contains(&(self.lr * self.weight_decay))) {
            return Err(Error::setting("weight_decay", self.weight_decay, "a number ≥ 0 with learning rate × it ≤ 1"));
        }
        Ok(())
    }
}

/// Adam state for a list of layers: one step counter, first and second moments per layer.
#[derive(Debug, Clone)]
pub struct Adam<F> {
    pub config: AdamConfig,
    /// Steps taken.
    pub t: u64,
    m: Vec<Dense<F>>,
    v: Vec<Dense<F>>,
}

impl<F: Float> Adam<F> {
    /// Zero state shaped like `layers`.
    pub fn new(config: AdamConfig, layers: &[&Dense<F>]) -> Adam<F> {
        Adam {
            config,
            t: 0,
            m: layers.iter().map(|l| l.zeros_like()).collect(),
            v: layers.iter().map(|l| l.zeros_like()).collect(),
        }
    }

    /// One step on the layers whose indices are in `trainable`, with gradients `grads`
    /// (indexed like `params`). Other layers are not read or written.
    pub fn step(&mut self, params: &mut [&mut Dense<F>], grads: &[&Dense<F>], trainable: &[usize]) {
        self.t += 1;
        let c = &self.config;
        let t = self.t as i32;
        let step = F::of(c.lr / (1.0 - c.beta1.powi(t)));
        let inv_sqrt_bc2 = F::of(1.0 / (1.0 - c.beta2.powi(t)).sqrt());
        let (b1, b2, eps) = (F::of(c.beta1), F::of(c.beta2), F::of(c.eps));
        let (one_b1, one_b2) = (F::one() - b1, F::one() - b2);
        let shrink = F::of(1.0 - c.lr * c.weight_decay);
        for &k in trainable {
            let p = &mut *params[k];
            if c.weight_decay > 0.0 {
                p.w.mapv_inplace(|w| w * shrink);
            }
            let g = grads[k];
            let (m, v) = (&mut self.m[k], &mut self.v[k]);
            let update = |p: &mut F, m: &mut F, v: &mut F, &g: &F| {
                *m = b1 * *m + one_b1 * g;
                *v = b2 * *v + one_b2 * g * g;
                *p -= step * *m / (v.sqrt() * inv_sqrt_bc2 + eps);
            };
            Zip::from(&mut p.w).and(&mut m.w).and(&mut v.w).and(&g.w).for_each(update);
            Zip::from(&mut p.b).and(&mut m.b).and(&mut v.b).and(&g.b).for_each(update);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    /// Two steps on one scalar weight, by hand (lr 0.1, β₁ 0.9, β₂ 0.999, ε 1e-8), p₀ = 1:
    ///
    /// step 1, g = 0.5:  m = 0.05, v = 0.00025; m̂ = 0.5, v̂ = 0.25 → p = 1 − 0.1·0.5/0.5 = 0.9
    /// step 2, g = −1:   m = 0.9·0.05 − 0.1 = −0.055, v = 0.999·0.00025 + 0.001 = 0.00124975;
    ///                   m̂ = −0.055/0.19 = −0.28947368, v̂ = 0.00124975/0.001999 = 0.62518759,
    ///                   √v̂ = 0.79068805 → p = 0.9 + 0.1·0.28947368/0.79068805 = 0.93661037
    #[test]
    fn matches_hand_computed_steps() {
        let mut p = Dense { w: array![[1.0f64]], b: array![0.0] };
        let mut adam = Adam::new(AdamConfig { lr: 0.1, ..Default::default() }, &[&p]);
        for (g, expected) in [(0.5, 0.9), (-1.0, 0.93661037)] {
            let grad = Dense { w: array![[g]], b: array![0.0] };
            adam.step(&mut [&mut p], &[&grad], &[0]);
            assert!((p.w[[0, 0]] - expected).abs() < 1e-7, "{} vs {expected}", p.w[[0, 0]]);
            assert_eq!(p.b[0], 0.0, "zero gradient, zero moment: no move");
        }
    }

    /// AdamW, one step by hand (lr 0.1, λ 0.5), p₀ = 2, g = 0.5, bias p₀ = 1, g = 0.5: the
    /// weight first shrinks to 2·(1 − 0.05) = 1.9, then moves by −0.1 → 1.8; the bias does not
    /// shrink: 1 − 0.1 = 0.9.
    #[test]
    fn weight_decay_shrinks_weights_not_biases() {
        let mut p = Dense { w: array![[2.0f64]], b: array![1.0] };
        let cfg = AdamConfig { lr: 0.1, weight_decay: 0.5, ..Default::default() };
        let mut adam = Adam::new(cfg, &[&p]);
        let grad = Dense { w: array![[0.5]], b: array![0.5] };
        adam.step(&mut [&mut p], &[&grad], &[0]);
        assert!((p.w[[0, 0]] - 1.8).abs() < 1e-7, "{}", p.w[[0, 0]]);
        assert!((p.b[0] - 0.9).abs() < 1e-7, "{}", p.b[0]);
        assert!(AdamConfig { weight_decay: -1.0, ..Default::default() }.validate("lr").is_err());
        assert!(AdamConfig { lr: 0.5, weight_decay: 3.0, ..Default::default() }.validate("lr").is_err());
    }

    #[test]
    fn untrainable_layers_are_untouched() {
        let mut a = Dense { w: array![[1.0f32]], b: array![2.0] };
        let mut b = Dense { w: array![[3.0f32]], b: array![4.0] };
        let before = a.clone();
        let g = Dense { w: array![[1.0f32]], b: array![1.0] };
        let mut adam = Adam::new(AdamConfig::default(), &[&a, &b]);
        adam.step(&mut [&mut a, &mut b], &[&g, &g], &[1]);
        assert_eq!(a, before);
        assert_ne!(b.w[[0, 0]], 3.0);
    }

    #[test]
    fn validation() {
        assert!(AdamConfig::default().validate("lr").is_ok());
        assert!(AdamConfig { lr: f64::NAN, ..Default::default() }.validate("lr").is_err());
        assert!(AdamConfig { lr: 0.0, ..Default::default() }.validate("lr").is_err());
        assert!(AdamConfig { beta1: 1.0, ..Default::default() }.validate("lr").is_err());
    }
}
