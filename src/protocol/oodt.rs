//! Out-of-domain training: a network trained on all source rows, tested on every target row
//! with source rows as the references (no target label is used).

use super::Experiment;
use crate::error::{Error, Result};
use crate::recognizer::{Metric, Recognizer, evaluate_rows};
use crate::report::EvalReport;
use crate::rng::stream;

impl Experiment {
    /// Pretrains on the source corpus and tests on all target rows. Keeps the recogniser for
    /// the fine-tuning runs.
    pub fn run_oodt(&mut self) -> Result<EvalReport> {
        let all: Vec<usize> = (0..self.target.len()).collect();
        if self.source.is_empty() {
            // Built from an already-trained model: evaluate it.
            let (r, z) = self
                .pretrained
                .as_ref()
                .ok_or_else(|| Error::Protocol("OODT needs a source corpus or a model".into()))?;
            return evaluate_rows(r, z, &self.target, &all);
        }
        let c = &self.config;
        let train = crate::config::TrainConfig { seed: derive_seed(c.seed, &[stream::PRETRAIN]), ..c.pretrain.clone() };
        let mut training =
            Recognizer::start_pretraining(&self.source, &c.model, &c.normalization, &train, c.references)?;
        training.run()?;
        let mut recognizer = training.finish();
        let z = recognizer.standardize(&self.target);
        let report = evaluate_rows(&recognizer, &z, &self.target, &all)?;
        if let Some(record) = recognizer.history.last_mut() {
            record.metrics.push(Metric {
                name: "oodt_uar".into(),
                value: report.uar,
                on: format!("{} ({} rows)", self.target.corpora().join(", "), self.target.len()),
            });
        }
        self.pretrained = Some((recognizer, z));
        Ok(report)
    }
}

/// A seed for one piece of work, derived from the protocol seed and a stream path.
pub(crate) fn derive_seed(seed: u64, path: &[u64]) -> u64 {
    use rand::RngExt;
    crate::rng::rng(seed, path).random()
}
