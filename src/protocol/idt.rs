//! In-domain training: leave-one-speaker-out over the evaluation speakers of the target
//! corpus. Each fold trains a fresh network on every other evaluation speaker's rows (once per
//! pretraining seed), uses those rows as references, and tests on the held-out speaker; the
//! baseline is a logistic regression on the same rows and z-scores.

use super::Experiment;
use crate::baseline::LogisticRegression;
use crate::data::normalize::Scaler;
use crate::error::Result;
use crate::eval::evaluate;
use crate::recognizer::{Recognizer, ReferencePolicy, evaluate_rows};
use crate::report::EvalReport;
use crate::rng::{derive_seed, stream};
use ndarray::Axis;
use serde::{Deserialize, Serialize};

/// One IDT fold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoldResult {
    /// The held-out speaker (`corpus/speaker`).
    pub speaker: String,
    /// Fold number (sorted speaker order).
    pub fold: usize,
    /// Pretraining seed number (0 for the baseline).
    pub seed: usize,
    pub report: EvalReport,
}

impl Experiment {
    /// Training and test rows of IDT fold `fold` (speaker-disjoint by construction).
    pub fn idt_split(&self, fold: usize) -> (Vec<usize>, Vec<usize>) {
        let test = self.speakers[fold].1.clone();
        let train = self
            .speakers
            .iter()
            .enumerate()
            .filter(|&(s, _)| s != fold)
            .flat_map(|(_, (_, rows))| rows.iter().copied())
            .collect();
        (train, test)
    }

    /// Runs IDT fold `fold` (0-based, in sorted speaker order) with pretraining seed `seed`.
    pub fn run_idt_fold(&self, fold: usize, seed: usize) -> Result<FoldResult> {
        let c = &self.config;
        let (train, test) = self.idt_split(fold);
        let path: Vec<u64> =
            if seed == 0 { vec![stream::IDT, fold as u64] } else { vec![stream::IDT, fold as u64, seed as u64] };
        let cfg = crate::config::TrainConfig { seed: derive_seed(c.seed, &path), ..c.idt.clone() };
        let mut training = Recognizer::start_pretraining(
            &self.target.select(&train),
            &c.model,
            &c.normalization,
            &cfg,
            ReferencePolicy::Rows { per_class: None },
        )?;
        training.run()?;
        let recognizer = training.finish();
        // Standardise with the whole target in view (labels are not used), then test the fold.
        let z = recognizer.standardize(&self.target)?;
        let report = evaluate_rows(&recognizer, &z, &self.target, &test)?;
        Ok(FoldResult { speaker: self.speakers[fold].0.clone(), fold, seed, report })
    }

    /// The baseline on IDT fold `fold`: trained on the same rows, with the same z-scores.
    pub fn run_idt_baseline(&self, fold: usize) -> Result<FoldResult> {
        let (train, test) = self.idt_split(fold);
        let scaler = Scaler::fit(&self.target.select(&train), &self.config.normalization);
        let z = scaler.apply(&self.target);
        let lr = LogisticRegression::fit(
            z.select(Axis(0), &train).view(),
            &self.truth(&train),
            self.config.baseline,
            None,
            None,
        )?;
        let report = evaluate(&self.truth(&test), &lr.predict(z.select(Axis(0), &test).view()), 1);
        Ok(FoldResult { speaker: self.speakers[fold].0.clone(), fold, seed: 0, report })
    }
}
