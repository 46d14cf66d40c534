//! Training, one step at a time.
//!
//! A [`Trainer`] owns a network, its standardised labelled rows and the optimiser state.
//! [`Trainer::step_epoch`] runs one epoch and returns its [`EpochStats`], so a caller (the page's
//! worker, the CLI) can show progress and stop between epochs; [`Trainer::fit`] loops it.
//!
//! Each batch:
//! 1. draws balanced same/different pairs ([`PairSampler`]);
//! 2. embeds the batch's distinct rows once (what frozen layers give each row is computed
//!    once, when the trainer is made, unless input noise changes the rows every batch),
//!    computes the mean pair BCE and its gradient, and takes one Adam step on every
//!    trainable layer (extractor layers from `frozen_layers` on, the decision layer and the
//!    output);
//! 3. if the distance loss is on, *at the end of the batch* re-embeds the same rows with the
//!    updated extractor, computes Eq. (1) (with the rule of
//!    [`DistanceLoss`](crate::model::DistanceLoss) for D_d ≤ D_s) and takes one step of a second
//!    Adam, over the trainable extractor layers only — the paper applies it "only to the feature
//!    extraction layers at the end of a batch".

use crate::config::TrainConfig;
use crate::data::Emotion;
use crate::data::pairs::{PairBatch, PairSampler};
use crate::error::{Error, Result};
use crate::model::{Adam, SiameseNet};
use crate::report::EpochStats;
use crate::rng::{Rng, rng, stream};
use ndarray::{Array2, Axis};
use rand::RngExt;

/// Stepwise trainer over labelled, standardised rows.
#[derive(Debug, Clone)]
pub struct Trainer {
    net: SiameseNet<f32>,
    config: TrainConfig,
    /// The labelled rows as extractor layer `from` receives them.
    x: Array2<f32>,
    /// The layer the rows of `x` enter: 0 (the standardised features), or the number of
    /// frozen layers when there are frozen layers and no input noise, since those layers then
    /// give the same output for a row in every batch and are computed once, here.
    from: usize,
    sampler: PairSampler,
    rng: Rng,
    /// Draws the input noise (its own stream, so pair sampling is the same with or without).
    noise_rng: Rng,
    adam: Adam<f32>,
    distance_adam: Adam<f32>,
    grads: SiameseNet<f32>,
    batch: PairBatch,
    trainable: Vec<usize>,
    extractor_trainable: Vec<usize>,
    epoch: usize,
}

impl Trainer {
    /// Prepares training of `net` on rows `x` `(rows, 64)` (already standardised) with
    /// emotions `labels`. Validates `config` against the network.
    pub fn new(net: SiameseNet<f32>, x: Array2<f32>, labels: &[Emotion], config: TrainConfig) -> Result<Trainer> {
        config.validate(net.extractor.len())?;
        if x.nrows() != labels.len() {
            return Err(Error::Shape { what: "training rows vs labels", expected: x.nrows(), found: labels.len() });
        }
        if x.ncols() != net.extractor[0].inputs() {
            return Err(Error::Shape {
                what: "feature columns",
                expected: net.extractor[0].inputs(),
                found: x.ncols(),
            });
        }
        let sampler = PairSampler::new(labels)?;
        let n_ext = net.extractor.len();
        let trainable: Vec<usize> = (config.frozen_layers..n_ext + 2).collect();
        let extractor_trainable: Vec<usize> = (config.frozen_layers..n_ext).collect();
        let layers = net.layers();
        let adam = Adam::new(config.adam(), &layers);
        let distance_adam = Adam::new(config.distance_adam(), &layers);
        let grads = net.zeros_like();
        let from = if config.input_noise == 0.0 { config.frozen_layers.min(n_ext - 1) } else { 0 };
        let x = if from > 0 { net.frozen_features(x.view(), from) } else { x };
        Ok(Trainer {
            rng: rng(config.seed, &[stream::PAIRS]),
            noise_rng: rng(config.seed, &[stream::INPUT_NOISE]),
            net,
            x,
            from,
            sampler,
            adam,
            distance_adam,
            grads,
            batch: PairBatch::default(),
            trainable,
            extractor_trainable,
            epoch: 0,
            config,
        })
    }

    /// The network as trained so far.
    pub fn net(&self) -> &SiameseNet<f32> {
        &self.net
    }

    /// The network, consuming the trainer.
    pub fn into_net(self) -> SiameseNet<f32> {
        self.net
    }

    /// The settings of this run.
    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    /// Epochs completed.
    pub fn epochs_done(&self) -> usize {
        self.epoch
    }

    /// True when all configured epochs have run.
    pub fn is_done(&self) -> bool {
        self.epoch >= self.config.epochs
    }

    /// Batches per epoch for this data and batch size.
    pub fn batches_per_epoch(&self) -> usize {
        self.sampler.batches_per_epoch(self.config.batch_pairs)
    }

    /// Runs one epoch. Errors with [`Error::Diverged`] if a loss or weight stops being finite.
    pub fn step_epoch(&mut self) -> Result<EpochStats> {
        let batches = self.batches_per_epoch();
        let mut stats = EpochStats {
            epoch: self.epoch + 1,
            batches,
            bce: 0.0,
            pair_accuracy: 0.0,
            distance: None,
            margin: None,
            distance_clamped: 0,
            distance_undefined: 0,
        };
        let (mut correct, mut pairs) = (0usize, 0usize);
        let (mut dist_sum, mut margin_sum, mut dist_n) = (0.0f64, 0.0f64, 0usize);
        for _ in 0..batches {
            let step = self.step_batch();
            stats.bce += step.bce;
            correct += step.correct;
            pairs += step.pairs;
            match step.distance {
                Some(d) => {
                    dist_sum += d.value as f64;
                    margin_sum += d.margin as f64;
                    dist_n += 1;
                    stats.distance_clamped += d.clamped as usize;
                }
                None if self.config.distance_loss => stats.distance_undefined += 1,
                None => {}
            }
        }
        self.epoch += 1;
        stats.bce /= batches as f64;
        stats.pair_accuracy = correct as f64 / pairs as f64;
        if self.config.distance_loss && dist_n > 0 {
            stats.distance = Some(dist_sum / dist_n as f64);
            stats.margin = Some(margin_sum / dist_n as f64);
        }
        if !stats.bce.is_finite() {
            return Err(Error::Diverged { epoch: stats.epoch, what: "the pair loss" });
        }
        if stats.distance.is_some_and(|d| !d.is_finite()) {
            return Err(Error::Diverged { epoch: stats.epoch, what: "the distance loss" });
        }
        if !self.net.is_finite() {
            return Err(Error::Diverged { epoch: stats.epoch, what: "a weight" });
        }
        Ok(stats)
    }

    /// Runs the remaining epochs and returns their statistics.
    pub fn fit(&mut self) -> Result<Vec<EpochStats>> {
        let mut history = Vec::with_capacity(self.config.epochs.saturating_sub(self.epoch));
        while !self.is_done() {
            history.push(self.step_epoch()?);
        }
        Ok(history)
    }

    /// One batch: a pair-loss step, then (if on) a distance-loss step on the extractor.
    pub fn step_batch(&mut self) -> StepStats {
        let frozen = self.config.frozen_layers;
        self.sampler.sample(&mut self.rng, self.config.batch_pairs, &mut self.batch);
        let mut xb = self.x.select(Axis(0), &self.batch.rows);
        if self.config.input_noise > 0.0 {
            add_gaussian_noise(&mut xb, self.config.input_noise as f32, &mut self.noise_rng);
        }

        self.grads.fill_zero();
        let bs =
            self.net.bce_backward(self.from, xb.view(), &self.batch.pairs, &self.batch.same, &mut self.grads, frozen);
        self.adam.step(&mut self.net.layers_mut(), &self.grads.layers(), &self.trainable);

        let distance = if self.config.distance_loss {
            self.grads.fill_zero();
            let m0 = self.config.distance_min_margin as f32;
            let (pairs, same) = (&self.batch.pairs, &self.batch.same);
            let d = self.net.distance_backward(self.from, xb.view(), pairs, same, m0, &mut self.grads, frozen);
            if d.is_some() {
                self.distance_adam.step(&mut self.net.layers_mut(), &self.grads.layers(), &self.extractor_trainable);
            }
            d
        } else {
            None
        };
        StepStats { bce: bs.bce as f64, correct: bs.correct, pairs: bs.pairs, distance }
    }
}

/// Adds independent N(0, σ²) noise to every entry (Marsaglia's polar method: two values per
/// accepted pair of uniform draws; no trigonometry, which keeps the wasm small).
fn add_gaussian_noise(x: &mut Array2<f32>, sigma: f32, r: &mut Rng) {
    let mut spare: Option<f32> = None;
    for v in x.iter_mut() {
        let n = match spare.take() {
            Some(n) => n,
            None => loop {
                let a = 2.0 * r.random::<f64>() - 1.0;
                let b = 2.0 * r.random::<f64>() - 1.0;
                let s = a * a + b * b;
                if s > 0.0 && s < 1.0 {
                    let f = (-2.0 * s.ln() / s).sqrt();
                    spare = Some((b * f) as f32);
                    break (a * f) as f32;
                }
            },
        };
        *v += sigma * n;
    }
}

/// What one batch measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepStats {
    pub bce: f64,
    pub correct: usize,
    pub pairs: usize,
    pub distance: Option<crate::model::DistanceLoss<f32>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaussian_noise_has_the_asked_spread_and_is_seeded() {
        let mut x = Array2::<f32>::zeros((200, 50));
        add_gaussian_noise(&mut x, 0.5, &mut rng(3, &[stream::INPUT_NOISE]));
        let n = x.len() as f64;
        let mean = x.iter().map(|&v| v as f64).sum::<f64>() / n;
        let sd = (x.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n).sqrt();
        assert!(mean.abs() < 0.02 && (sd - 0.5).abs() < 0.02, "mean {mean}, sd {sd}");
        let mut y = Array2::<f32>::zeros((200, 50));
        add_gaussian_noise(&mut y, 0.5, &mut rng(3, &[stream::INPUT_NOISE]));
        assert_eq!(x, y);
    }
}
