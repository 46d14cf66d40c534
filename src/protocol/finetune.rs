//! k-shot fine-tuning (the paper's third baseline and its proposed method): from the OODT
//! recogniser, fine-tune on `samples_per_emotion` random rows of each emotion from k random
//! target speakers, with 0, 1 or 2 frozen extractor layers, with and without the distance
//! loss; test on every other target row; repeat.
//!
//! The draw of repeat r for k speakers — and the pair-sampling seed — depend only on
//! (seed, k, r), so the runs with and without the distance loss (and with different frozen
//! layers) see exactly the same labelled rows: the comparison is paired.

use super::oodt::derive_seed;
use super::{DistanceEffect, Experiment, GridCell, mean_std};
use crate::data::Emotion;
use crate::error::{Error, Result};
use crate::fewshot::FewShot;
use crate::report::EvalReport;
use crate::rng::{rng, stream};
use rand::RngExt;
use rand::seq::SliceRandom;
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
    pub report: EvalReport,
    /// Distance-loss batches that used the D_d ≤ D_s rule, and all distance-loss batches.
    pub clamped: usize,
    pub distance_batches: usize,
}

/// Indices of the speaker groups that have at least `per_emotion` labelled rows of every
/// emotion: the speakers a k-shot draw may choose.
pub fn speakers_with_every_emotion(
    groups: &[(String, Vec<usize>)],
    emotion: &[Option<Emotion>],
    per_emotion: usize,
) -> Vec<usize> {
    (0..groups.len())
        .filter(|&s| {
            let mut c = [0usize; crate::data::N_EMOTIONS];
            for e in groups[s].1.iter().filter_map(|&i| emotion[i]) {
                c[e.index()] += 1;
            }
            c.iter().all(|&n| n >= per_emotion)
        })
        .collect()
}

/// Draws the k-shot labelled set: `k` speakers from `eligible` (indices into `speaker_rows`),
/// then `per_emotion` rows of each emotion from each. Returns sorted row indices.
pub fn draw_kshot<R: rand::Rng + ?Sized>(
    rng: &mut R,
    speaker_rows: &[&[usize]],
    eligible: &[usize],
    emotion: &[Option<Emotion>],
    k: usize,
    per_emotion: usize,
) -> Vec<usize> {
    let mut speakers = eligible.to_vec();
    speakers.shuffle(rng);
    speakers.truncate(k);
    speakers.sort_unstable();
    let mut chosen = Vec::with_capacity(k * 4 * per_emotion);
    for s in speakers {
        for e in Emotion::ALL {
            let mut rows: Vec<usize> = speaker_rows[s].iter().copied().filter(|&i| emotion[i] == Some(e)).collect();
            // Partial Fisher–Yates: the first `per_emotion` entries become a uniform sample.
            for j in 0..per_emotion {
                let pick = rng.random_range(j..rows.len());
                rows.swap(j, pick);
            }
            chosen.extend_from_slice(&rows[..per_emotion]);
        }
    }
    chosen.sort_unstable();
    chosen
}

impl Experiment {
    /// Every run of the grid: speakers × frozen × {without, with distance loss} × repeats.
    pub fn finetune_units(&self) -> Vec<FinetuneUnit> {
        let c = &self.config;
        let mut units = Vec::new();
        for &speakers in &c.speakers {
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

    /// Labelled and test rows of repeat `repeat` with `k` speakers.
    pub fn kshot_split(&self, k: usize, repeat: usize) -> (Vec<usize>, Vec<usize>) {
        let mut r = rng(self.config.seed, &[stream::FINETUNE_DRAW, k as u64, repeat as u64]);
        let rows: Vec<&[usize]> = self.speakers.iter().map(|(_, r)| r.as_slice()).collect();
        let labelled = draw_kshot(
            &mut r,
            &rows,
            &self.eligible_speakers(),
            &self.target.emotion,
            k,
            self.config.samples_per_emotion,
        );
        let test = (0..self.target.len()).filter(|i| labelled.binary_search(i).is_err()).collect();
        (labelled, test)
    }

    /// Runs one fine-tuning unit. Needs [`run_oodt`](Self::run_oodt) first.
    pub fn run_finetune(&self, u: &FinetuneUnit) -> Result<FinetuneRun> {
        let (base, z) = self
            .pretrained
            .as_ref()
            .ok_or_else(|| Error::Protocol("fine-tuning needs the OODT model: run OODT first".into()))?;
        let (labelled, test) = self.kshot_split(u.speakers, u.repeat);
        let cfg = crate::config::TrainConfig {
            frozen_layers: u.frozen,
            distance_loss: u.distance_loss,
            seed: derive_seed(self.config.seed, &[stream::FINETUNE_DRAW, u.speakers as u64, u.repeat as u64, 1]),
            ..self.config.finetune.clone()
        };
        let mut run = FewShot::new(base, &self.target, z, &labelled, &test, &cfg)?;
        let history = run.run()?;
        let report = run.finish()?.1.expect("protocol runs hold test rows out");
        let clamped = history.iter().map(|h| h.distance_clamped).sum();
        let distance_batches = if u.distance_loss { history.iter().map(|h| h.batches).sum() } else { 0 };
        Ok(FinetuneRun { unit: *u, report, clamped, distance_batches })
    }
}

/// Grid cells (Figure 2) and the paired distance-loss effects.
pub(super) fn summarize(runs: &[FinetuneRun]) -> (Vec<GridCell>, Vec<DistanceEffect>) {
    let mut keys: Vec<(usize, usize, bool)> =
        runs.iter().map(|r| (r.unit.speakers, r.unit.frozen, r.unit.distance_loss)).collect();
    keys.sort();
    keys.dedup();
    let cell_runs = |k: (usize, usize, bool)| {
        let mut v: Vec<&FinetuneRun> =
            runs.iter().filter(|r| (r.unit.speakers, r.unit.frozen, r.unit.distance_loss) == k).collect();
        v.sort_by_key(|r| r.unit.repeat);
        v
    };
    let grid: Vec<GridCell> = keys
        .iter()
        .map(|&k| {
            let v = cell_runs(k);
            let uars: Vec<f64> = v.iter().map(|r| r.report.uar).collect();
            let (uar_mean, uar_std) = mean_std(&uars);
            let batches: usize = v.iter().map(|r| r.distance_batches).sum();
            let clamped: usize = v.iter().map(|r| r.clamped).sum();
            GridCell {
                speakers: k.0,
                frozen: k.1,
                distance_loss: k.2,
                uar_mean,
                uar_std,
                uars,
                test_rows: v.first().map_or(0, |r| r.report.rows),
                clamped_fraction: if batches > 0 { clamped as f64 / batches as f64 } else { 0.0 },
            }
        })
        .collect();
    let mut effects = Vec::new();
    for &(s, f, d) in &keys {
        if d {
            continue;
        }
        let (without, with) = (cell_runs((s, f, false)), cell_runs((s, f, true)));
        if without.len() != with.len() || with.is_empty() {
            continue;
        }
        let diffs: Vec<f64> = with.iter().zip(&without).map(|(a, b)| a.report.uar - b.report.uar).collect();
        let (diff_mean, diff_std) = mean_std(&diffs);
        effects.push(DistanceEffect {
            speakers: s,
            frozen: f,
            diff_mean,
            diff_std,
            better: diffs.iter().filter(|&&d| d > 0.0).count(),
            worse: diffs.iter().filter(|&&d| d < 0.0).count(),
        });
    }
    (grid, effects)
}
