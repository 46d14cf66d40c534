//! Standardisation (z-scores) of the raw IS09 features.
//!
//! The 64 features span ten orders of magnitude (RMS-energy deltas ≈ 1e-8, F0 ≈ 100 Hz), so the
//! network only ever sees z-scores. Three ways to pick the mean and standard deviation a row
//! is scaled with ([`Normalization`]):
//!
//! - `global`: the statistics of the model's training rows, stored in the weights file, for
//!   every row. Strictly inductive; sensitive to corpus and recording differences.
//! - `per_corpus`: each corpus is scaled with its own statistics.
//! - `per_speaker`: each speaker is scaled with their own statistics (a standard speaker
//!   normalisation in emotion recognition). Uses only features, never labels, so a test
//!   speaker's unlabelled rows may define their own scale.
//!
//! Two guards make small groups safe (the data README's note 8: delta means sit near 1e-8 with
//! rare values near 1, so a handful of rows can have a standard deviation of 1e-9):
//! - **std floor**: a group's standard deviation is at least `std_floor` × the reference
//!   (training-set) standard deviation of that column;
//! - **clip**: z-scores are clipped to ±`clip`.
//!
//! A group with fewer than `min_group_rows` rows borrows the statistics of the next larger
//! group: speaker → corpus → the reference statistics.

use super::Dataset;
use super::features::N_FEATURES;
use crate::error::{Error, Result};
use ndarray::{Array2, ArrayView2, Axis};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which rows share a mean and standard deviation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalization {
    Global,
    PerCorpus,
    #[default]
    PerSpeaker,
}

impl Normalization {
    /// Parses `global`, `per_corpus`/`per-corpus`/`corpus`, `per_speaker`/`per-speaker`/`speaker`.
    pub fn parse(s: &str) -> Result<Normalization> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "global" => Ok(Normalization::Global),
            "per_corpus" | "corpus" => Ok(Normalization::PerCorpus),
            "per_speaker" | "speaker" => Ok(Normalization::PerSpeaker),
            _ => Err(Error::setting("normalization", s, "one of global, per_corpus, per_speaker")),
        }
    }
}

/// Standardisation settings; stored with the weights, so a model is always fed as it was trained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NormalizationConfig {
    /// Grouping of rows; default `per_speaker` (see the README for the measurements).
    pub mode: Normalization,
    /// Floor on a group's standard deviation, as a fraction of the reference standard
    /// deviation of the same column. Default 0.1.
    pub std_floor: f32,
    /// z-scores are clipped to ±`clip`. Default 5.
    pub clip: f32,
    /// Groups smaller than this borrow the statistics of the next larger group. Default 8.
    pub min_group_rows: usize,
}

impl Default for NormalizationConfig {
    fn default() -> Self {
        NormalizationConfig { mode: Normalization::PerSpeaker, std_floor: 0.1, clip: 5.0, min_group_rows: 8 }
    }
}

impl NormalizationConfig {
    /// Rejects values that cannot work.
    pub fn validate(&self) -> Result<()> {
        if !(self.std_floor.is_finite() && self.std_floor > 0.0 && self.std_floor <= 10.0) {
            return Err(Error::setting("normalization.std_floor", self.std_floor, "a number in (0, 10]"));
        }
        if !(self.clip.is_finite() && self.clip >= 1.0 && self.clip <= 1e3) {
            return Err(Error::setting("normalization.clip", self.clip, "a number in [1, 1000]"));
        }
        if self.min_group_rows < 2 || self.min_group_rows > 10_000 {
            return Err(Error::setting(
                "normalization.min_group_rows",
                self.min_group_rows,
                "an integer in [2, 10000]",
            ));
        }
        Ok(())
    }
}

/// Per-column mean and population standard deviation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub mean: Vec<f32>,
    pub std: Vec<f32>,
}

impl Stats {
    /// Statistics of the rows of `x` `(rows, features)`, accumulated in f64.
    /// Panics if `x` has no rows (a programming error: callers check group sizes).
    pub fn fit(x: ArrayView2<f32>) -> Stats {
        assert!(x.nrows() > 0, "Stats::fit needs at least one row");
        let n = x.nrows() as f64;
        let mut mean = Vec::with_capacity(x.ncols());
        let mut std = Vec::with_capacity(x.ncols());
        for col in x.axis_iter(Axis(1)) {
            let m = col.iter().map(|&v| v as f64).sum::<f64>() / n;
            let var = col.iter().map(|&v| (v as f64 - m).powi(2)).sum::<f64>() / n;
            mean.push(m as f32);
            std.push(var.sqrt() as f32);
        }
        Stats { mean, std }
    }

    /// Checks length and finiteness (used when loading weights).
    pub fn check(&self, what: &str) -> Result<()> {
        for (name, v) in [("mean", &self.mean), ("std", &self.std)] {
            if v.len() != N_FEATURES {
                return Err(Error::WeightsShape {
                    what: format!("{what}.{name}"),
                    expected: N_FEATURES,
                    found: v.len(),
                });
            }
            if v.iter().any(|x| !x.is_finite()) {
                return Err(Error::WeightsNonFinite { what: format!("{what}.{name}") });
            }
        }
        if self.std.iter().any(|&s| s < 0.0) {
            return Err(Error::WeightsFormat(format!("{what}.std has a negative value")));
        }
        Ok(())
    }
}

/// Standardises every row of `ds` as `cfg` says. `reference` holds the statistics of the
/// model's training rows: the scale of the std floor, and the statistics of `global` mode and
/// of groups too small to have their own.
///
/// Returns the z-scores `(rows, 64)`.
pub fn standardize(ds: &Dataset, cfg: &NormalizationConfig, reference: &Stats) -> Array2<f32> {
    let mut z = ds.x.clone();
    let groups = groups(ds, cfg);
    for (members, stats) in groups {
        let stats = stats.as_ref().unwrap_or(reference);
        for &i in &members {
            apply_row(
                z.row_mut(i).as_slice_mut().expect("rows of a standard-layout array are contiguous"),
                stats,
                reference,
                cfg,
            );
        }
    }
    z
}

/// Scales one raw row in place with `stats`, flooring with `reference` and clipping.
pub fn apply_row(row: &mut [f32], stats: &Stats, reference: &Stats, cfg: &NormalizationConfig) {
    for (j, v) in row.iter_mut().enumerate() {
        let mut s = stats.std[j].max(cfg.std_floor * reference.std[j]);
        if s.is_nan() || s <= 1e-30 {
            s = 1.0; // constant in the group and in training: carries no information
        }
        *v = ((*v - stats.mean[j]) / s).clamp(-cfg.clip, cfg.clip);
    }
}

/// Groups of row indices with their own statistics (`None` = use the reference statistics).
fn groups(ds: &Dataset, cfg: &NormalizationConfig) -> Vec<(Vec<usize>, Option<Stats>)> {
    let all: Vec<usize> = (0..ds.len()).collect();
    if cfg.mode == Normalization::Global {
        return vec![(all, None)];
    }
    // Corpus groups first; speaker groups inside them.
    let mut by_corpus: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for i in 0..ds.len() {
        by_corpus.entry(ds.corpus[i].as_str()).or_default().push(i);
    }
    let mut out = Vec::new();
    for rows in by_corpus.into_values() {
        let corpus_stats = (rows.len() >= cfg.min_group_rows).then(|| Stats::fit(ds.x.select(Axis(0), &rows).view()));
        if cfg.mode == Normalization::PerCorpus {
            out.push((rows, corpus_stats));
            continue;
        }
        let mut by_speaker: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
        for &i in &rows {
            by_speaker.entry(ds.speaker[i].as_deref()).or_default().push(i);
        }
        for members in by_speaker.into_values() {
            let stats = if members.len() >= cfg.min_group_rows {
                Some(Stats::fit(ds.x.select(Axis(0), &members).view()))
            } else {
                corpus_stats.clone()
            };
            out.push((members, stats));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Emotion;
    use ndarray::Array2;

    fn toy(rows: &[(&str, &str, f32)]) -> Dataset {
        let n = rows.len();
        let mut x = Array2::zeros((n, N_FEATURES));
        for (i, r) in rows.iter().enumerate() {
            x.row_mut(i).fill(r.2);
        }
        Dataset {
            x,
            emotion: vec![Some(Emotion::Angry); n],
            speaker: rows.iter().map(|r| Some(r.1.to_string())).collect(),
            corpus: rows.iter().map(|r| r.0.to_string()).collect(),
            file: vec![String::new(); n],
            line: (2..2 + n as u64).collect(),
        }
    }

    #[test]
    fn per_speaker_centres_each_speaker() {
        let mut rows = vec![];
        for k in 0..8 {
            rows.push(("c", "a", k as f32));
            rows.push(("c", "b", 10.0 + 2.0 * k as f32));
        }
        let ds = toy(&rows);
        let reference = Stats::fit(ds.x.view());
        let cfg = NormalizationConfig::default();
        let z = standardize(&ds, &cfg, &reference);
        for spk in ["a", "b"] {
            let idx: Vec<usize> = (0..ds.len()).filter(|&i| ds.speaker[i].as_deref() == Some(spk)).collect();
            let s = Stats::fit(z.select(Axis(0), &idx).view());
            assert!(s.mean.iter().all(|m| m.abs() < 1e-5), "{spk}: {:?}", &s.mean[..2]);
            assert!(s.std.iter().all(|v| (v - 1.0).abs() < 1e-4), "{spk}: {:?}", &s.std[..2]);
        }
    }

    #[test]
    fn floor_and_clip_tame_near_constant_columns() {
        // A column that is 1e-9 everywhere except one row: without a floor its z-scores explode.
        let mut rows = vec![];
        for _ in 0..8 {
            rows.push(("c", "a", 1e-9));
        }
        let mut ds = toy(&rows);
        ds.x[[7, 0]] = 1.0;
        let reference = Stats { mean: vec![0.0; N_FEATURES], std: vec![0.5; N_FEATURES] };
        let cfg = NormalizationConfig::default();
        let z = standardize(&ds, &cfg, &reference);
        assert!(z.iter().all(|v| v.abs() <= cfg.clip));
        // Column 1 is constant in the group: the floor (0.1 × 0.5) keeps it at exactly 0.
        assert!(z.column(1).iter().all(|&v| v == 0.0));
    }

    #[test]
    fn small_groups_borrow_larger_statistics() {
        let mut rows = vec![];
        for k in 0..10 {
            rows.push(("c", "big", k as f32));
        }
        rows.push(("c", "tiny", 3.0));
        let ds = toy(&rows);
        let reference = Stats { mean: vec![0.0; N_FEATURES], std: vec![1.0; N_FEATURES] };
        let z = standardize(&ds, &NormalizationConfig::default(), &reference);
        // The lone row is scaled with the corpus statistics, not its own (which would give 0).
        let corpus = Stats::fit(ds.x.view());
        let expected = (3.0 - corpus.mean[0]) / corpus.std[0];
        assert!((z[[10, 0]] - expected).abs() < 1e-5);
    }

    #[test]
    fn global_uses_the_reference() {
        let ds = toy(&[("c", "a", 4.0)]);
        let reference = Stats { mean: vec![2.0; N_FEATURES], std: vec![4.0; N_FEATURES] };
        let cfg = NormalizationConfig { mode: Normalization::Global, ..Default::default() };
        let z = standardize(&ds, &cfg, &reference);
        assert!(z.iter().all(|&v| (v - 0.5).abs() < 1e-6));
    }

    #[test]
    fn validation() {
        assert!(NormalizationConfig::default().validate().is_ok());
        let bad = NormalizationConfig { std_floor: f32::NAN, ..Default::default() };
        assert!(matches!(bad.validate(), Err(Error::InvalidSetting { name: "normalization.std_floor", .. })));
        assert!(Normalization::parse("per-speaker").is_ok());
        assert!(Normalization::parse("nope").is_err());
    }
}
