//! The Siamese network: a shared ReLU extractor g (64 → 64 → 32 → 16 in the paper) and a pair
//! head that reads |g(x) − g(x′)| through a 16-node ReLU decision layer into one logit;
//! σ(logit) = P(same emotion).
//!
//! Training works in embedding space: a batch embeds each of its distinct rows once, forms
//! all its pairs from those embeddings, lets the pair gradients accumulate into the shared
//! embeddings, then runs one backward pass through the extractor. (Running the extractor once
//! per pair side would do up to twice the work for 64 pairs and far more for few-shot sets,
//! where 32 pairs share 8 rows.)

use super::activation::{relu_backward, relu_inplace};
use super::loss::{DistanceLoss, bce_with_logits, bce_with_logits_grad};
use super::{Dense, Float};
use crate::error::{Error, Result};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis, Zip};
use serde::{Deserialize, Serialize};

/// Most input features a model may have (openSMILE's largest standard sets have 6,373).
pub const MAX_INPUTS: usize = crate::limits::LIMITS.model_inputs;

/// Layer widths. The defaults are the paper's network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    /// Input features. Default 64 (the IS09 subset); a model trained on other columns takes
    /// its width from the data.
    pub inputs: usize,
    /// Widths of the extractor's ReLU layers. Default `[64, 32, 16]`; the last is the embedding.
    pub extractor: Vec<usize>,
    /// Width of the pair head's ReLU decision layer. Default 16.
    pub head: usize,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig { inputs: crate::data::N_FEATURES, extractor: vec![64, 32, 16], head: 16 }
    }
}

impl ModelConfig {
    /// Rejects architectures that cannot work or would not fit a browser tab.
    pub fn validate(&self) -> Result<()> {
        if self.inputs == 0 || self.inputs > MAX_INPUTS {
            return Err(Error::setting("model.inputs", self.inputs, format!("1 to {MAX_INPUTS} feature columns")));
        }
        let (layers, width) = (crate::limits::LIMITS.model_layers, crate::limits::LIMITS.model_width);
        if self.extractor.is_empty() || self.extractor.len() > layers {
            return Err(Error::setting(
                "model.extractor",
                format!("{:?}", self.extractor),
                format!("1 to {layers} layer widths"),
            ));
        }
        for &w in self.extractor.iter().chain(std::iter::once(&self.head)) {
            if w == 0 || w > width {
                return Err(Error::setting("model widths", w, format!("widths between 1 and {width}")));
            }
        }
        Ok(())
    }

    /// Width of the embedding g(x).
    pub fn embedding(&self) -> usize {
        *self.extractor.last().expect("validated: at least one extractor layer")
    }
}

/// What one batch's pair loss measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchStats<F> {
    /// Mean binary cross-entropy over the batch's pairs.
    pub bce: F,
    /// Pairs whose P(same) was on the right side of ½.
    pub correct: usize,
    /// Pairs in the batch.
    pub pairs: usize,
}

/// The network's parameters. The same type holds gradients (see [`SiameseNet::zeros_like`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SiameseNet<F> {
    /// Extractor layers, input first; each followed by a ReLU.
    pub extractor: Vec<Dense<F>>,
    /// Decision layer on |g(x) − g(x′)|, followed by a ReLU.
    pub head: Dense<F>,
    /// Output layer `(head, 1)`: the logit of P(same).
    pub out: Dense<F>,
}

impl<F: Float> SiameseNet<F> {
    /// A freshly initialised network (He-uniform weights, zero biases).
    pub fn new<R: rand::Rng + ?Sized>(config: &ModelConfig, rng: &mut R) -> SiameseNet<F> {
        let mut extractor = Vec::with_capacity(config.extractor.len());
        let mut width = config.inputs;
        for &w in &config.extractor {
            extractor.push(Dense::he_uniform(width, w, rng));
            width = w;
        }
        let head = Dense::he_uniform(width, config.head, rng);
        let out = Dense::he_uniform(config.head, 1, rng);
        SiameseNet { extractor, head, out }
    }

    /// The architecture, read off the layer shapes.
    pub fn config(&self) -> ModelConfig {
        ModelConfig {
            inputs: self.extractor[0].inputs(),
            extractor: self.extractor.iter().map(|l| l.outputs()).collect(),
            head: self.head.outputs(),
        }
    }

    /// All-zero network of the same shape.
    pub fn zeros_like(&self) -> SiameseNet<F> {
        SiameseNet {
            extractor: self.extractor.iter().map(|l| l.zeros_like()).collect(),
            head: self.head.zeros_like(),
            out: self.out.zeros_like(),
        }
    }

    /// Sets every parameter to zero (gradient buffers between steps).
    pub fn fill_zero(&mut self) {
        for l in self.layers_mut() {
            l.w.fill(F::zero());
            l.b.fill(F::zero());
        }
    }

    /// Layers in order: extractor layers, head, output.
    pub fn layers(&self) -> Vec<&Dense<F>> {
        self.extractor.iter().chain([&self.head, &self.out]).collect()
    }

    /// Mutable layers in the order of [`layers`](Self::layers).
    pub fn layers_mut(&mut self) -> Vec<&mut Dense<F>> {
        self.extractor.iter_mut().chain([&mut self.head, &mut self.out]).collect()
    }

    /// Number of parameters (7,057 for the paper's network).
    pub fn n_params(&self) -> usize {
        self.layers().iter().map(|l| l.len()).sum()
    }

    /// True if every parameter is finite.
    pub fn is_finite(&self) -> bool {
        self.layers().iter().all(|l| l.is_finite())
    }

    /// Embeddings g(x).
    ///
    /// # Shapes
    /// `x` `(rows, inputs)` → `(rows, embedding)`.
    pub fn embed(&self, x: ArrayView2<F>) -> Array2<F> {
        let mut acts = Vec::new();
        self.forward_extractor(0, x, &mut acts);
        acts.pop().expect("at least one extractor layer")
    }

    /// What extractor layer `layers` receives: the (post-ReLU) output of the first `layers`
    /// layers, or `x` itself for 0. Layers that are frozen during training give the same
    /// values for a row every batch, so a trainer can compute them once (see
    /// [`bce_backward`](Self::bce_backward)).
    ///
    /// # Shapes
    /// `x` `(rows, inputs)` → `(rows, width of layer `layers`' input)`.
    pub fn frozen_features(&self, x: ArrayView2<F>, layers: usize) -> Array2<F> {
        let layers = layers.min(self.extractor.len());
        let mut h = x.to_owned();
        for layer in &self.extractor[..layers] {
            h = layer.forward(h.view());
            relu_inplace(h.view_mut());
        }
        h
    }

    /// Extractor forward pass from layer `from` (which `x` enters; 0 for the features),
    /// keeping every layer's (post-ReLU) output in `acts`; `acts[l]` for `l < from` is left
    /// empty.
    fn forward_extractor(&self, from: usize, x: ArrayView2<F>, acts: &mut Vec<Array2<F>>) {
        acts.resize_with(self.extractor.len(), || Array2::zeros((0, 0)));
        for (l, layer) in self.extractor.iter().enumerate().skip(from) {
            let (before, after) = acts.split_at_mut(l);
            let input = if l == from { x } else { before[l - 1].view() };
            layer.forward_into(input, &mut after[0]);
            relu_inplace(after[0].view_mut());
        }
    }

    /// Back through the extractor from `d_emb` = ∂L/∂g `(rows, embedding)`, accumulating into
    /// `grads` for layers `frozen..`; layers below `frozen` get no gradient and no work. `x`
    /// entered layer `from` (≤ `frozen`).
    fn backward_extractor(
        &self,
        from: usize,
        x: ArrayView2<F>,
        acts: &[Array2<F>],
        mut d_act: Array2<F>,
        grads: &mut SiameseNet<F>,
        frozen: usize,
    ) {
        debug_assert!(from <= frozen);
        for l in (frozen..self.extractor.len()).rev() {
            relu_backward(acts[l].view(), d_act.view_mut());
            let input = if l == from { x } else { acts[l - 1].view() };
            if l > frozen {
                let mut d_in = Array2::zeros((x.nrows(), self.extractor[l].inputs()));
                self.extractor[l].backward(input, d_act.view(), &mut grads.extractor[l], Some(d_in.view_mut()));
                d_act = d_in;
            } else {
                self.extractor[l].backward(input, d_act.view(), &mut grads.extractor[l], None);
            }
        }
    }

    /// Logits of P(same) for pairs whose absolute embedding differences are the rows of `a`.
    ///
    /// # Shapes
    /// `a` `(pairs, embedding)` → `(pairs)`; `hidden` receives the head's post-ReLU output
    /// `(pairs, head)`.
    fn head_forward(&self, a: ArrayView2<F>, hidden: &mut Array2<F>) -> Array1<F> {
        self.head.forward_into(a, hidden);
        relu_inplace(hidden.view_mut());
        let mut z = hidden.dot(&self.out.w.column(0));
        z += self.out.b[0];
        z
    }

    /// Logits of P(same) between one embedding `e` and each row of `refs`, written to `out`.
    ///
    /// # Shapes
    /// `e` `(embedding)`, `refs` `(n, embedding)` → `out` `(n)`.
    pub fn logits_against(
        &self,
        e: ArrayView1<F>,
        refs: ArrayView2<F>,
        scratch: &mut (Array2<F>, Array2<F>),
    ) -> Array1<F> {
        let (a, hidden) = scratch;
        if a.dim() != refs.dim() {
            *a = Array2::zeros(refs.dim());
        }
        Zip::from(a.rows_mut()).and(refs.rows()).for_each(|mut a, r| {
            Zip::from(&mut a).and(&r).and(&e).for_each(|a, &r, &e| *a = (r - e).abs());
        });
        self.head_forward(a.view(), hidden)
    }

    /// Pair logits for a batch: rows `x` `(rows, inputs)`, pairs as row positions.
    pub fn pair_logits(&self, x: ArrayView2<F>, pairs: &[(usize, usize)]) -> Array1<F> {
        let e = self.embed(x);
        let a = pair_diff(&e, pairs).mapv(|v| v.abs());
        let mut hidden = Array2::zeros((0, 0));
        self.head_forward(a.view(), &mut hidden)
    }

    /// Mean pair BCE of a batch and its gradient, accumulated into `grads` (not zeroed here).
    /// Layers below `frozen` get no gradient. The rows `x` enter extractor layer `from`
    /// (≤ `frozen`): 0 for the features, or what [`frozen_features`](Self::frozen_features)
    /// gives for them, which yields the same values without recomputing frozen layers.
    ///
    /// # Shapes
    /// `x` `(rows, width of layer from's input)`: the batch's distinct rows; `pairs` index into
    /// them; `same` per pair.
    pub fn bce_backward(
        &self,
        from: usize,
        x: ArrayView2<F>,
        pairs: &[(usize, usize)],
        same: &[bool],
        grads: &mut SiameseNet<F>,
        frozen: usize,
    ) -> BatchStats<F> {
        assert_eq!(pairs.len(), same.len(), "one label per pair");
        assert!(from <= frozen && from < self.extractor.len(), "the rows enter the first layer or a frozen one");
        let n = pairs.len();
        let mut acts = Vec::new();
        self.forward_extractor(from, x, &mut acts);
        let e = acts.last().expect("at least one extractor layer");
        let d = pair_diff(e, pairs); // signed differences e_i − e_j  (pairs, embedding)
        let a = d.mapv(|v| v.abs());
        let mut hidden = Array2::zeros((0, 0));
        let z = self.head_forward(a.view(), &mut hidden);

        // Loss and ∂L/∂z = (σ(z) − y)/n.
        let inv_n = F::one() / F::of(n as f64);
        let mut bce = F::zero();
        let mut correct = 0;
        let mut dz = Array2::zeros((n, 1));
        for p in 0..n {
            let y = if same[p] { F::one() } else { F::zero() };
            bce += bce_with_logits(z[p], y);
            dz[[p, 0]] = bce_with_logits_grad(z[p], y) * inv_n;
            if (z[p] > F::zero()) == same[p] {
                correct += 1;
            }
        }

        // Head backward: out ← hidden ← a.
        let mut d_hidden = Array2::zeros(hidden.raw_dim());
        self.out.backward(hidden.view(), dz.view(), &mut grads.out, Some(d_hidden.view_mut()));
        relu_backward(hidden.view(), d_hidden.view_mut());
        let extractor_trainable = frozen < self.extractor.len();
        let mut d_a = Array2::zeros(a.raw_dim());
        self.head.backward(a.view(), d_hidden.view(), &mut grads.head, extractor_trainable.then(|| d_a.view_mut()));

        if extractor_trainable {
            // |d| backward (sign(0) = 0), then scatter into the shared embeddings.
            Zip::from(&mut d_a).and(&d).for_each(|g, &v| {
                *g = if v > F::zero() {
                    *g
                } else if v < F::zero() {
                    -*g
                } else {
                    F::zero()
                }
            });
            let d_emb = scatter(&d_a, pairs, x.nrows());
            self.backward_extractor(from, x, &acts, d_emb, grads, frozen);
        }
        BatchStats { bce: bce * inv_n, correct, pairs: n }
    }

    /// The distance loss (Eq. 1, with the rule of [`DistanceLoss`]) of a batch and its
    /// gradient on the extractor, accumulated into `grads.extractor` for layers `frozen..`.
    /// Returns `None` (and no gradient) when the loss is undefined for the batch. `from` and
    /// `x` as for [`bce_backward`](Self::bce_backward).
    #[allow(clippy::too_many_arguments)]
    pub fn distance_backward(
        &self,
        from: usize,
        x: ArrayView2<F>,
        pairs: &[(usize, usize)],
        same: &[bool],
        min_margin: F,
        grads: &mut SiameseNet<F>,
        frozen: usize,
    ) -> Option<DistanceLoss<F>> {
        assert!(from <= frozen && from < self.extractor.len(), "the rows enter the first layer or a frozen one");
        let mut acts = Vec::new();
        self.forward_extractor(from, x, &mut acts);
        let e = acts.last().expect("at least one extractor layer");
        let d = pair_diff(e, pairs);
        let norms: Vec<F> = d.rows().into_iter().map(|r| r.dot(&r).sqrt()).collect();
        let (mut sum_s, mut sum_d, mut n_s, mut n_d) = (F::zero(), F::zero(), 0usize, 0usize);
        for (p, &norm) in norms.iter().enumerate() {
            if same[p] {
                sum_s += norm;
                n_s += 1;
            } else {
                sum_d += norm;
                n_d += 1;
            }
        }
        if n_s == 0 || n_d == 0 {
            return None;
        }
        let (d_s, d_d) = (sum_s / F::of(n_s as f64), sum_d / F::of(n_d as f64));
        let loss = DistanceLoss::new(d_d, d_s, min_margin)?;
        if frozen >= self.extractor.len() {
            return Some(loss);
        }
        // ∂‖d_p‖/∂d_p = d_p/‖d_p‖ (0 where ‖d_p‖ = 0); ∂D/∂‖d_p‖ = 1/count.
        let (w_s, w_d) = (loss.d_ds / F::of(n_s as f64), loss.d_dd / F::of(n_d as f64));
        let mut dd = d;
        for (p, mut row) in dd.rows_mut().into_iter().enumerate() {
            let w = if same[p] { w_s } else { w_d };
            let scale = if norms[p] > F::zero() { w / norms[p] } else { F::zero() };
            row.mapv_inplace(|v| v * scale);
        }
        let d_emb = scatter(&dd, pairs, x.nrows());
        self.backward_extractor(from, x, &acts, d_emb, grads, frozen);
        Some(loss)
    }
}

/// Signed differences `e[i] − e[j]` for each pair `(pairs, embedding)`.
fn pair_diff<F: Float>(e: &Array2<F>, pairs: &[(usize, usize)]) -> Array2<F> {
    let mut d = Array2::zeros((pairs.len(), e.ncols()));
    for (mut row, &(i, j)) in d.axis_iter_mut(Axis(0)).zip(pairs) {
        Zip::from(&mut row).and(&e.row(i)).and(&e.row(j)).for_each(|d, &a, &b| *d = a - b);
    }
    d
}

/// Gradient w.r.t. the embeddings from the gradient w.r.t. each pair's difference
/// `e[i] − e[j]`: `+g` to row i, `−g` to row j.
fn scatter<F: Float>(d_pair: &Array2<F>, pairs: &[(usize, usize)], rows: usize) -> Array2<F> {
    let mut d_emb = Array2::zeros((rows, d_pair.ncols()));
    for (g, &(i, j)) in d_pair.rows().into_iter().zip(pairs) {
        {
            let mut r = d_emb.row_mut(i);
            r += &g;
        }
        let mut r = d_emb.row_mut(j);
        r -= &g;
    }
    d_emb
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn paper_network_has_7057_parameters() {
        let net: SiameseNet<f32> = SiameseNet::new(&ModelConfig::default(), &mut Xoshiro256PlusPlus::seed_from_u64(0));
        // 64·64+64 + 64·32+32 + 32·16+16 + 16·16+16 + 16·1+1
        assert_eq!(net.n_params(), 4160 + 2080 + 528 + 272 + 17);
        assert_eq!(net.config(), ModelConfig::default());
    }

    #[test]
    fn pair_logits_are_symmetric() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let net: SiameseNet<f64> = SiameseNet::new(&ModelConfig::default(), &mut rng);
        let x = Array2::from_shape_fn((2, 64), |(i, j)| ((i * 64 + j) as f64 * 0.37).sin());
        let z = net.pair_logits(x.view(), &[(0, 1), (1, 0)]);
        assert!((z[0] - z[1]).abs() < 1e-12);
    }

    /// Starting from the output of the frozen layers gives the same loss and gradients, to the
    /// bit, as starting from the features (the trainer computes frozen layers once).
    #[test]
    fn starting_after_frozen_layers_changes_nothing() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let net: SiameseNet<f32> = SiameseNet::new(&ModelConfig::default(), &mut rng);
        let x = Array2::from_shape_fn((9, 64), |(i, j)| ((i * 64 + j) as f32 * 0.37).sin());
        let pairs = [(0, 1), (2, 3), (4, 5), (6, 7), (8, 0), (1, 2), (3, 4), (5, 6)];
        let same = [true, false, true, false, true, false, true, false];
        for frozen in 0..=3 {
            for from in 0..=frozen.min(2) {
                let h = net.frozen_features(x.view(), from);
                let (mut g0, mut g1) = (net.zeros_like(), net.zeros_like());
                let b0 = net.bce_backward(0, x.view(), &pairs, &same, &mut g0, frozen);
                let b1 = net.bce_backward(from, h.view(), &pairs, &same, &mut g1, frozen);
                assert_eq!(
                    (b0.bce.to_bits(), b0.correct),
                    (b1.bce.to_bits(), b1.correct),
                    "frozen {frozen} from {from}"
                );
                let d0 =
                    net.distance_backward(0, x.view(), &pairs, &same, 0.01, &mut g0, frozen).map(|d| d.value.to_bits());
                let d1 = net
                    .distance_backward(from, h.view(), &pairs, &same, 0.01, &mut g1, frozen)
                    .map(|d| d.value.to_bits());
                assert_eq!(d0, d1);
                assert_eq!(g0, g1, "frozen {frozen} from {from}");
            }
        }
    }

    #[test]
    fn validation() {
        assert!(ModelConfig::default().validate().is_ok());
        assert!(ModelConfig { extractor: vec![], ..Default::default() }.validate().is_err());
        assert!(ModelConfig { head: 0, ..Default::default() }.validate().is_err());
        assert!(ModelConfig { inputs: 384, ..Default::default() }.validate().is_ok(), "any feature set");
        assert!(ModelConfig { inputs: 0, ..Default::default() }.validate().is_err());
        assert!(ModelConfig { inputs: MAX_INPUTS + 1, ..Default::default() }.validate().is_err());
    }
}
