//! In-domain training: leave-one-speaker-out over the target corpus. Each fold trains a fresh
//! network on every other speaker's rows, uses those rows as references, and tests on the
//! held-out speaker.

use super::oodt::derive_seed;
use super::{Experiment, IdtReport, mean_std};
use crate::error::Result;
use crate::eval::pool;
use crate::recognizer::{Recognizer, ReferencePolicy, evaluate_rows};
use crate::report::EvalReport;
use crate::rng::stream;
use serde::{Deserialize, Serialize};

/// One IDT fold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoldResult {
    /// The held-out speaker (`corpus/speaker`).
    pub speaker: String,
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

    /// Runs IDT fold `fold` (0-based, in sorted speaker order).
    pub fn run_idt_fold(&self, fold: usize) -> Result<FoldResult> {
        let c = &self.config;
        let (train, test) = self.idt_split(fold);
        let cfg =
            crate::config::TrainConfig { seed: derive_seed(c.seed, &[stream::IDT, fold as u64]), ..c.idt.clone() };
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
        let z = recognizer.standardize(&self.target);
        let report = evaluate_rows(&recognizer, &z, &self.target, &test)?;
        Ok(FoldResult { speaker: self.speakers[fold].0.clone(), report })
    }
}

/// Pools the folds' confusion matrices and summarises per-fold UAR.
pub(super) fn summarize(folds: Vec<FoldResult>, speakers: usize) -> IdtReport {
    let reports: Vec<EvalReport> = folds.iter().map(|f| f.report.clone()).collect();
    let uars: Vec<f64> = reports.iter().map(|r| r.uar).collect();
    let (uar_mean, uar_std) = mean_std(&uars);
    IdtReport { pooled: pool(&reports, speakers), folds, uar_mean, uar_std }
}
