//! k-shot fine-tuning (the paper's third baseline and its proposed method): from an OODT
//! recogniser, fine-tune on `samples_per_emotion` random rows of each emotion from k random
//! evaluation speakers, with 0, 1 or 2 frozen extractor layers, with and without the distance
//! loss; measure on the speakers who gave no labelled row (and, beside it, on the other rows
//! of those who did); repeat.
//!
//! The draw of repeat r for k speakers — and the pair-sampling seed — depend only on
//! (seed, k, r), so the runs with and without the distance loss (and with different frozen
//! layers, and the baseline) see exactly the same labelled rows: comparisons are paired.
//! Repeat r starts from the model of pretraining seed r mod `pretrain_seeds`.

use super::Experiment;
use crate::baseline::LogisticRegression;
use crate::data::split::{draw_kshot, speakers_with_every_emotion};
use crate::error::{Error, Result};
use crate::fewshot::FewShot;
use crate::report::EvalReport;
use crate::rng::{derive_seed, rng, stream};
use ndarray::{Axis, concatenate};
use serde::{Deserialize, Serialize};

/// One fine-tuning run of the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinetuneUnit {
    pub speakers: usize,
    pub frozen: usize,
    pub distance_loss: bool,
    pub repeat: usize,
}

/// Its result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinetuneRun {
    pub unit: FinetuneUnit,
    /// Rows of the evaluation speakers who gave no labelled row.
    pub unseen: Option<EvalReport>,
    /// The other rows of the speakers who gave labelled rows.
    pub seen: Option<EvalReport>,
    /// Adam steps of the pair loss (epochs × batches per epoch).
    pub steps: usize,
    /// Distance-loss batches that used the D_d ≤ D_s rule, and all distance-loss batches.
    pub clamped: usize,
    pub distance_batches: usize,
}

/// The baseline on one draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrawBaseline {
    pub speakers: usize,
    pub repeat: usize,
    pub unseen: Option<EvalReport>,
    pub seen: Option<EvalReport>,
}

impl Experiment {
    /// Every run of the grid: speakers × frozen × {without, with distance loss} × repeats.
    pub fn finetune_units(&self) -> Vec<FinetuneUnit> {
        let c = &self.config;
        let mut units = Vec::new();
        for &speakers in self.k_grid() {
            for &frozen in &c.frozen {
                for distance_loss in [false, true] {
                    for repeat in 0..c.repeats {
                        units.push(FinetuneUnit { speakers, frozen, distance_loss, repeat });
                    }
                }
            }
        }
        units
    }

    /// Labelled rows of repeat `repeat` with `k` speakers, and every other row (the test rows:
    /// [`FewShot`] splits them into unseen and seen speakers).
    pub fn kshot_split(&self, k: usize, repeat: usize) -> (Vec<usize>, Vec<usize>) {
        let mut r = rng(self.config.seed, &[stream::FINETUNE_DRAW, k as u64, repeat as u64]);
        let eligible =
            speakers_with_every_emotion(&self.speakers, &self.target.emotion, self.config.samples_per_emotion);
        let labelled = draw_kshot(
            &mut r,
            &self.speaker_rows(),
            &eligible,
            &self.target.emotion,
            k,
            self.config.samples_per_emotion,
        );
        let test = (0..self.target.len()).filter(|i| labelled.binary_search(i).is_err()).collect();
        (labelled, test)
    }

    /// The pretraining seed number repeat `repeat` starts from.
    pub fn model_of_repeat(&self, repeat: usize) -> usize {
        repeat % self.config.pretrain_seeds
    }

    /// Runs one fine-tuning unit. Needs the first phase (pretraining) first.
    pub fn run_finetune(&self, u: &FinetuneUnit) -> Result<FinetuneRun> {
        let base = self
            .pretrained(self.model_of_repeat(u.repeat))
            .ok_or(Error::OutOfOrder("fine-tuning needs the OODT models: run the pretraining units first"))?;
        let (labelled, test) = self.kshot_split(u.speakers, u.repeat);
        let cfg = crate::config::TrainConfig {
            frozen_layers: u.frozen,
            distance_loss: u.distance_loss,
            seed: derive_seed(self.config.seed, &[stream::FINETUNE_DRAW, u.speakers as u64, u.repeat as u64, 1]),
            ..self.config.finetune.clone()
        };
        let mut run = FewShot::new(base, &self.target, &self.z, &labelled, &test, &cfg)?;
        let steps = run.steps_per_epoch() * cfg.epochs;
        let history = run.run()?;
        let measured = run.finish()?.1.ok_or(Error::OutOfOrder("protocol runs hold test rows out"))?;
        let clamped = history.iter().map(|h| h.distance_clamped).sum();
        let distance_batches = if u.distance_loss { history.iter().map(|h| h.batches).sum() } else { 0 };
        Ok(FinetuneRun { unit: *u, unseen: measured.unseen, seen: measured.seen, steps, clamped, distance_batches })
    }

    /// The baseline on the draw of repeat `repeat` with `k` speakers: with a source corpus, a
    /// logistic regression on the source rows plus the labelled rows; with a given model, the
    /// model's baseline adapted to the labelled rows (its weights as the prior).
    pub fn run_draw_baseline(&self, k: usize, repeat: usize) -> Result<DrawBaseline> {
        let source_lr =
            self.source_lr.as_ref().ok_or(Error::OutOfOrder("the draw baselines need the source baseline first"))?;
        let base = self.pretrained(0).ok_or(Error::OutOfOrder("the draw baselines need a pretrained model"))?;
        let (labelled, test) = self.kshot_split(k, repeat);
        // The split's bookkeeping (labelled z-scores, unseen and seen speakers) without training.
        let split = FewShot::new(base, &self.target, &self.z, &labelled, &test, &self.config.finetune)?;
        let (lz, ly) = split.labelled_z();
        let lr = match &self.source_z {
            Some(sz) if !self.given => {
                let x = concatenate(Axis(0), &[sz.view(), lz.view()]).expect("same feature columns");
                let mut y: Vec<_> = self.source.emotion.iter().map(|e| e.expect("labelled source")).collect();
                y.extend(ly);
                LogisticRegression::fit(x.view(), &y, self.config.baseline, None, Some(source_lr))?
            }
            _ => LogisticRegression::fit(lz.view(), &ly, source_lr.config, Some(source_lr), None)?,
        };
        let m = split.measure_baseline(&lr)?;
        Ok(DrawBaseline { speakers: k, repeat, unseen: m.unseen, seen: m.seen })
    }
}
