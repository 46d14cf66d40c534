//! Out-of-domain training: a network trained on all source rows, tested on every target row
//! of the evaluation speakers with source rows as the references (no target label is used);
//! and the logistic-regression baseline trained on the same source rows.

use super::Experiment;
use crate::baseline::LogisticRegression;
use crate::error::{Error, Result};
use crate::eval::evaluate;
use crate::recognizer::{Metric, Recognizer};
use crate::report::EvalReport;
use crate::rng::{derive_seed, stream};
use serde::{Deserialize, Serialize};

/// OODT of one model (or of the baseline) on the evaluation speakers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OodtRun {
    /// Pretraining seed number (0 for the baseline, which has no seed).
    pub seed: usize,
    /// Every evaluation row.
    pub report: EvalReport,
    /// UAR of each evaluation speaker's rows, in sorted speaker order.
    pub per_speaker: Vec<f64>,
}

impl Experiment {
    /// The seed of pretraining run `n`: run 0 keeps the stream a single-seed experiment always
    /// used, so its model is the one earlier versions trained.
    pub(super) fn pretrain_seed(&self, n: usize) -> u64 {
        if n == 0 {
            derive_seed(self.config.seed, &[stream::PRETRAIN])
        } else {
            derive_seed(self.config.seed, &[stream::PRETRAIN, n as u64])
        }
    }

    /// Pretrains model `n` on the source corpus (or takes the given model) and tests it on
    /// every evaluation row.
    pub(super) fn pretrain(&self, n: usize) -> Result<(Recognizer, OodtRun)> {
        let mut recognizer = if self.given {
            self.models[0].clone().ok_or(Error::OutOfOrder("an experiment from a model holds it"))?
        } else {
            let c = &self.config;
            let train = crate::config::TrainConfig { seed: self.pretrain_seed(n), ..c.pretrain.clone() };
            let mut training =
                Recognizer::start_pretraining(&self.source, &c.model, &c.normalization, &train, c.references)?;
            training.run()?;
            training.finish()
        };
        let predicted: Vec<_> =
            recognizer.classify_standardized(self.z.view())?.into_iter().map(|p| p.emotion).collect();
        let run = self.oodt_run(n, &predicted);
        if !self.given {
            recognizer.record(vec![Metric {
                name: "oodt_uar".into(),
                value: run.report.uar,
                on: format!(
                    "{} ({} rows of {} speakers)",
                    self.target.corpora().join(", "),
                    self.target.len(),
                    self.speakers.len()
                ),
            }]);
        }
        Ok((recognizer, run))
    }

    /// The baseline trained on the source rows (or the given model's), tested on every
    /// evaluation row.
    pub(super) fn source_baseline(&self) -> Result<(LogisticRegression, OodtRun)> {
        let lr = match (&self.source_z, self.given) {
            (Some(z), false) => {
                let y: Vec<_> = self.source.emotion.iter().map(|e| e.expect("labelled source")).collect();
                LogisticRegression::fit(z.view(), &y, self.config.baseline, None, None)?
            }
            _ => self
                .models
                .first()
                .and_then(|m| m.as_ref())
                .and_then(|m| m.baseline.clone())
                .ok_or(Error::OutOfOrder("the given model has no baseline"))?,
        };
        let predicted = lr.predict(self.z.view());
        let run = self.oodt_run(0, &predicted);
        Ok((lr, run))
    }

    /// Pooled and per-speaker figures of `predicted` (one per evaluation row).
    fn oodt_run(&self, seed: usize, predicted: &[crate::data::Emotion]) -> OodtRun {
        let truth = self.truth(&(0..self.target.len()).collect::<Vec<_>>());
        let report = evaluate(&truth, predicted, self.speakers.len());
        let per_speaker = self
            .speaker_rows()
            .iter()
            .map(|members| {
                let t: Vec<_> = members.iter().map(|&i| truth[i]).collect();
                let p: Vec<_> = members.iter().map(|&i| predicted[i]).collect();
                evaluate(&t, &p, 1).uar
            })
            .collect();
        OodtRun { seed, report, per_speaker }
    }
}
