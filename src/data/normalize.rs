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
//! **A row is scaled only by its own group or by the model.** A group with fewer than
//! `min_group_rows` rows, and every row whose speaker is unknown, is scaled with statistics
//! stored in the model ([`Scaler`]), never with other speakers' rows: so a row's prediction
//! depends only on the model and on the rows of its own speaker (its own corpus, in
//! `per_corpus` mode), not on what else is in the file. In `per_speaker` mode the stored
//! statistics are the training speakers' *pooled within-speaker* statistics (the mean of their
//! means; the root mean of their variances), which put such a row on the scale the network was
//! trained on; in the other modes they are the training rows' statistics.

use super::Dataset;
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
    /// The name [`parse`](Self::parse) takes (and the JSON uses).
    pub fn name(self) -> &'static str {
        match self {
            Normalization::Global => "global",
            Normalization::PerCorpus => "per_corpus",
            Normalization::PerSpeaker => "per_speaker",
        }
    }

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

    /// Pooled within-group statistics of the groups `groups` (row indices into `x`): the mean
    /// of the group means and the root mean of the group variances. `None` if there are no
    /// groups.
    pub fn pooled(x: ArrayView2<f32>, groups: &[Vec<usize>]) -> Option<Stats> {
        if groups.is_empty() {
            return None;
        }
        let d = x.ncols();
        let (mut mean, mut var) = (vec![0.0f64; d], vec![0.0f64; d]);
        for g in groups {
            let s = Stats::fit(x.select(Axis(0), g).view());
            for j in 0..d {
                mean[j] += s.mean[j] as f64;
                var[j] += (s.std[j] as f64).powi(2);
            }
        }
        let n = groups.len() as f64;
        Some(Stats {
            mean: mean.iter().map(|m| (m / n) as f32).collect(),
            std: var.iter().map(|v| (v / n).sqrt() as f32).collect(),
        })
    }

    /// Checks length and finiteness (used when loading weights).
    pub fn check(&self, what: &str, features: usize) -> Result<()> {
        for (name, v) in [("mean", &self.mean), ("std", &self.std)] {
            if v.len() != features {
                return Err(Error::WeightsShape { what: format!("{what}.{name}"), expected: features, found: v.len() });
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

/// What a row was scaled with (shown beside predictions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaledBy {
    /// Its own speaker's rows.
    Speaker,
    /// Its own corpus's rows (`per_corpus` mode).
    Corpus,
    /// Statistics stored in the model (`global` mode, a small group or an unknown speaker).
    Model,
}

/// How a model's inputs are standardised: the settings and the statistics of its training
/// rows, stored with the weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Scaler {
    pub config: NormalizationConfig,
    /// Statistics of the training rows (raw features): the scale of the std floor, and what
    /// `global` mode (and a small group in `per_corpus` mode) is scaled with.
    pub stats: Stats,
    /// Pooled within-speaker statistics of the training speakers that have at least
    /// `min_group_rows` rows: what a small or unknown speaker is scaled with in `per_speaker`
    /// mode. `None` (weights files of format 1) falls back to `stats`.
    pub speaker_stats: Option<Stats>,
}

impl Scaler {
    /// The scaler of a model trained on `train` (its labelled rows, or all of them).
    pub fn fit(train: &Dataset, config: &NormalizationConfig) -> Scaler {
        let stats = Stats::fit(train.x.view());
        let groups: Vec<Vec<usize>> = train
            .speaker_groups()
            .into_iter()
            .filter(|(_, rows)| rows.len() >= config.min_group_rows)
            .filter(|(_, rows)| train.speaker[rows[0]].is_some())
            .map(|(_, rows)| rows)
            .collect();
        Scaler { config: config.clone(), stats, speaker_stats: Stats::pooled(train.x.view(), &groups) }
    }

    /// Standardises every row of `ds`. Returns the z-scores `(rows, features)`.
    pub fn apply(&self, ds: &Dataset) -> Array2<f32> {
        self.apply_explained(ds).0
    }

    /// [`apply`](Self::apply), also saying what each row was scaled with.
    pub fn apply_explained(&self, ds: &Dataset) -> (Array2<f32>, Vec<ScaledBy>) {
        let mut z = ds.x.clone();
        let mut by = vec![ScaledBy::Model; ds.len()];
        for (members, own, kind) in self.groups(ds) {
            let stats = own.as_ref().unwrap_or_else(|| self.fallback());
            for &i in &members {
                apply_row(
                    z.row_mut(i).as_slice_mut().expect("rows of a standard-layout array are contiguous"),
                    stats,
                    &self.stats,
                    &self.config,
                );
                if own.is_some() {
                    by[i] = kind;
                }
            }
        }
        (z, by)
    }

    /// What a row without a group of its own is scaled with.
    fn fallback(&self) -> &Stats {
        match self.config.mode {
            Normalization::PerSpeaker => self.speaker_stats.as_ref().unwrap_or(&self.stats),
            _ => &self.stats,
        }
    }

    /// Groups of row indices with their own statistics (`None`: the model's), and what the
    /// group is.
    fn groups(&self, ds: &Dataset) -> Vec<(Vec<usize>, Option<Stats>, ScaledBy)> {
        let cfg = &self.config;
        let own =
            |rows: &[usize]| (rows.len() >= cfg.min_group_rows).then(|| Stats::fit(ds.x.select(Axis(0), rows).view()));
        let mut out = Vec::new();
        match cfg.mode {
            Normalization::Global => out.push(((0..ds.len()).collect(), None, ScaledBy::Model)),
            Normalization::PerCorpus => {
                let mut by_corpus: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
                for i in 0..ds.len() {
                    by_corpus.entry(ds.corpus[i].as_str()).or_default().push(i);
                }
                for rows in by_corpus.into_values() {
                    let stats = own(&rows);
                    out.push((rows, stats, ScaledBy::Corpus));
                }
            }
            Normalization::PerSpeaker => {
                let mut by_speaker: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
                let mut unknown = Vec::new();
                for i in 0..ds.len() {
                    match ds.speaker[i].as_deref() {
                        Some(s) => by_speaker.entry((ds.corpus[i].as_str(), s)).or_default().push(i),
                        None => unknown.push(i),
                    }
                }
                for rows in by_speaker.into_values() {
                    let stats = own(&rows);
                    out.push((rows, stats, ScaledBy::Speaker));
                }
                out.push((unknown, None, ScaledBy::Model));
            }
        }
        out
    }
}

/// Standardises every row of `ds` as `cfg` says, with `reference` as the model's statistics
/// (no pooled speaker statistics: small groups use `reference`). See [`Scaler`].
pub fn standardize(ds: &Dataset, cfg: &NormalizationConfig, reference: &Stats) -> Array2<f32> {
    Scaler { config: cfg.clone(), stats: reference.clone(), speaker_stats: None }.apply(ds)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Emotion;
    use ndarray::Array2;

    const N_FEATURES: usize = crate::data::N_FEATURES;

    fn toy(rows: &[(&str, &str, f32)]) -> Dataset {
        let n = rows.len();
        let mut x = Array2::zeros((n, N_FEATURES));
        for (i, r) in rows.iter().enumerate() {
            x.row_mut(i).fill(r.2);
        }
        Dataset {
            features: crate::data::feature_names(),
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
    fn small_groups_and_unknown_speakers_use_the_model_not_other_rows() {
        let mut train = vec![];
        for k in 0..10 {
            train.push(("c", "a", k as f32));
            train.push(("c", "b", 20.0 + 2.0 * k as f32));
        }
        let scaler = Scaler::fit(&toy(&train), &NormalizationConfig::default());
        // Pooled within-speaker statistics: mean of the means (4.5, 29) and root mean variance.
        let pooled = scaler.speaker_stats.clone().unwrap();
        assert!((pooled.mean[0] - 16.75).abs() < 1e-4);
        let (va, vb) = (8.25f32, 33.0f32); // population variances of 0..9 and of 20, 22, …, 38
        assert!((pooled.std[0] - ((va + vb) / 2.0).sqrt()).abs() < 1e-4);

        let mut rows = vec![];
        for k in 0..10 {
            rows.push(("c", "big", k as f32));
        }
        rows.push(("c", "tiny", 3.0));
        let mut ds = toy(&rows);
        ds.speaker.push(None);
        ds.corpus.push("c".into());
        ds.emotion.push(None);
        ds.file.push(String::new());
        ds.line.push(99);
        ds.x.push_row(ndarray::ArrayView1::from(&[3.0; N_FEATURES])).unwrap();
        let (z, by) = scaler.apply_explained(&ds);
        let expected = (3.0 - pooled.mean[0]) / pooled.std[0];
        for i in [10, 11] {
            assert!((z[[i, 0]] - expected).abs() < 1e-5, "row {i}: {} vs {expected}", z[[i, 0]]);
            assert_eq!(by[i], ScaledBy::Model);
        }
        assert_eq!(by[0], ScaledBy::Speaker);
        // The lone row alone gets the same z-scores as among other speakers' rows.
        let alone = scaler.apply(&ds.select(&[10]));
        assert_eq!(alone.row(0), z.row(10));
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
