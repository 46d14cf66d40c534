//! The paper's experiments (Section 4.1) — out-of-domain training (OODT), in-domain training
//! (IDT, leave-one-speaker-out) and k-shot fine-tuning with and without the distance loss —
//! evaluated the way a reviewer would accept:
//!
//! - **Speaker-independent.** Fine-tuning is measured on the speakers who gave no labelled row
//!   (the other rows of the labelled speakers are reported beside, as "seen");
//!   [`TestRows::AllRemaining`] keeps the paper's literal reading (every row not drawn).
//! - **Development speakers are never tested.** Speakers whose results chose the default
//!   settings ([`DEFAULT_DEV_SPEAKERS`], or those a `select` run names) are left out of every
//!   unit.
//! - **Variance includes pretraining.** `pretrain_seeds` models are pretrained with different
//!   seeds; OODT and IDT run once per seed, and fine-tuning repeat r starts from model
//!   r mod `pretrain_seeds`. Intervals are t-intervals over the per-seed values.
//! - **A baseline on the same splits.** Logistic regression on the same z-scores, for OODT,
//!   every IDT fold and every k-shot draw ([`crate::baseline`]).
//! - **The grid fits the corpus** ([`default_k_grid`](crate::data::split::default_k_grid)).
//!
//! An [`Experiment`] holds a source and a target corpus and a [`ProtocolConfig`]. Its work comes
//! in independent units so that the CLI can run them on all cores and the page one per message
//! with progress and cancel. Every unit draws its randomness from the protocol seed and its
//! own stream ([`crate::rng`]), so results do not depend on the order units run in.

mod finetune;
mod idt;
mod oodt;
pub mod select;
mod summary;
pub mod transfer;

pub use finetune::{DrawBaseline, FinetuneRun, FinetuneUnit};
pub use idt::FoldResult;
pub use oodt::OodtRun;
pub use summary::{
    BaselineTable, Baselines, CellEffect, GridCell, GridKey, IdtReport, PaperTable1, ReproduceReport, Settings, Table1,
    Table1Row, Table1Seen, paper_table1,
};

use crate::baseline::{LogisticConfig, LogisticRegression};
use crate::config::{ModelConfig, NormalizationConfig, TrainConfig};
use crate::data::normalize::Scaler;
use crate::data::split::{default_k_grid, min_k, speakers_with_every_emotion};
use crate::data::{Dataset, Emotion, FeatureSet, N_EMOTIONS};
use crate::error::{Error, Result};
use crate::fewshot::plural;
use crate::limits::LIMITS;
use crate::method::Method;
use crate::recognizer::{Recognizer, ReferencePolicy};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// The development speakers of the default settings: the RAVDESS speakers whose results
/// `siamese-ser select` looked at when it chose them (README, "Selection"). They are left out
/// of every test set when the target holds them; other corpora are unaffected.
pub const DEFAULT_DEV_SPEAKERS: [&str; 4] = ["ravdess/02", "ravdess/06", "ravdess/21", "ravdess/24"];

/// [`DEFAULT_DEV_SPEAKERS`] as owned strings.
pub fn default_dev_speakers() -> Vec<String> {
    DEFAULT_DEV_SPEAKERS.iter().map(|s| s.to_string()).collect()
}

/// Most pretraining seeds.
pub const MAX_PRETRAIN_SEEDS: usize = LIMITS.pretrain_seeds;
/// Most fine-tuning runs (cells × repeats) an experiment may ask for.
pub const MAX_FINETUNE_RUNS: usize = LIMITS.finetune_runs;

/// Which rows a fine-tuning figure is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestRows {
    /// Rows of the speakers who gave no labelled row (speaker-independent; default).
    #[default]
    UnseenSpeakers,
    /// Every target row not drawn for labelling, including the other rows of the labelled
    /// speakers (the paper's literal reading).
    AllRemaining,
}

impl TestRows {
    /// Its name in the JSON.
    pub fn name(self) -> &'static str {
        match self {
            TestRows::UnseenSpeakers => "unseen_speakers",
            TestRows::AllRemaining => "all_remaining",
        }
    }

    /// Parses `unseen-speakers` / `all-remaining` (either separator).
    pub fn parse(s: &str) -> Result<TestRows> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "unseen_speakers" | "unseen" => Ok(TestRows::UnseenSpeakers),
            "all_remaining" | "all" => Ok(TestRows::AllRemaining),
            _ => Err(Error::setting("test_rows", s, "unseen-speakers or all-remaining")),
        }
    }
}

/// Settings of a whole reproduction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProtocolConfig {
    /// Architecture (the paper's by default; the input width comes from the data).
    pub model: ModelConfig,
    /// Standardisation (per speaker by default).
    pub normalization: NormalizationConfig,
    /// Training from scratch on the source corpus (OODT).
    pub pretrain: TrainConfig,
    /// Training from scratch on each IDT fold.
    pub idt: TrainConfig,
    /// Fine-tuning on k-shot draws (its `frozen_layers` and `distance_loss` are set per cell).
    pub finetune: TrainConfig,
    /// What the OODT model keeps as references: source rows or per-speaker class means.
    pub references: ReferencePolicy,
    /// The logistic-regression baseline.
    pub baseline: LogisticConfig,
    /// The feature columns read from the files (recorded here so a report says how to rerun).
    pub features: FeatureSet,
    /// Numbers of target speakers k to draw labelled rows from. Default (`None`): 2, 4, … up
    /// to the largest k that leaves two speakers to test on, at most 20.
    pub speakers: Option<Vec<usize>>,
    /// Numbers of frozen extractor layers to try. Default 0, 1, 2.
    pub frozen: Vec<usize>,
    /// Repeats of each fine-tuning cell. Default 10.
    pub repeats: usize,
    /// Labelled rows per emotion per chosen speaker. Default 1.
    pub samples_per_emotion: usize,
    /// Seed of everything. Default 42.
    pub seed: u64,
    /// Models pretrained with different seeds; OODT and IDT run once per seed, fine-tuning
    /// repeats are spread over them. Default 5.
    pub pretrain_seeds: usize,
    /// Which rows the fine-tuning figures are measured on. Default unseen speakers.
    pub test_rows: TestRows,
    /// Speaker keys (`corpus/speaker`) whose results chose these settings: left out of every
    /// unit. Default [`DEFAULT_DEV_SPEAKERS`]; keys not in the target are ignored. Numeric
    /// speaker IDs match by value ([`same_speaker`](crate::data::same_speaker)).
    pub dev_speakers: Vec<String>,
    /// How these settings were chosen, in words (shown in the report).
    pub selection: String,
    /// The method whose training settings `pretrain`, `idt` and `finetune` hold (set them with
    /// [`ProtocolConfig::with_method`]). Default the paper's.
    pub method: Method,
}

impl Default for ProtocolConfig {
    fn default() -> Self {
        ProtocolConfig {
            model: ModelConfig::default(),
            normalization: NormalizationConfig::default(),
            pretrain: TrainConfig::pretrain(),
            idt: TrainConfig::pretrain(),
            finetune: TrainConfig::finetune(),
            references: ReferencePolicy::default(),
            baseline: LogisticConfig::default(),
            features: FeatureSet::Is09,
            speakers: None,
            frozen: vec![0, 1, 2],
            repeats: 10,
            samples_per_emotion: 1,
            seed: 42,
            pretrain_seeds: 5,
            test_rows: TestRows::UnseenSpeakers,
            dev_speakers: default_dev_speakers(),
            selection: DEFAULT_SELECTION.into(),
            method: Method::Paper,
        }
    }
}

/// How the default settings were chosen.
pub const DEFAULT_SELECTION: &str = "the defaults: chosen by `siamese-ser select` (TESS 16 kHz → RAVDESS 16 kHz) on \
     the results of the development speakers ravdess/02, 06, 21 and 24 only, which are left out of every test set";

impl ProtocolConfig {
    /// These settings with `method`'s training settings for pretraining, IDT and fine-tuning.
    pub fn with_method(self, method: Method) -> ProtocolConfig {
        ProtocolConfig {
            pretrain: TrainConfig { seed: self.pretrain.seed, ..method.pretrain() },
            idt: TrainConfig { seed: self.idt.seed, ..method.idt() },
            finetune: TrainConfig { seed: self.finetune.seed, ..method.finetune() },
            method,
            ..self
        }
    }

    /// Rejects settings that cannot work, independent of the data.
    pub fn validate(&self) -> Result<()> {
        self.model.validate()?;
        self.normalization.validate()?;
        self.baseline.validate()?;
        let n_ext = self.model.extractor.len();
        self.pretrain.validate(n_ext)?;
        self.idt.validate(n_ext)?;
        if self.frozen.is_empty() || self.frozen.len() > LIMITS.grid_frozen {
            return Err(Error::setting(
                "frozen",
                format!("{:?}", self.frozen),
                format!("1 to {} numbers of frozen layers", LIMITS.grid_frozen),
            ));
        }
        for &f in &self.frozen {
            if f >= n_ext {
                return Err(Error::setting(
                    "frozen",
                    f,
                    format!("0 to {} (the distance-loss runs need a trainable extractor layer)", n_ext - 1),
                ));
            }
            TrainConfig { frozen_layers: f, distance_loss: true, ..self.finetune.clone() }.validate(n_ext)?;
        }
        if self.repeats == 0 || self.repeats > LIMITS.repeats {
            return Err(Error::setting("repeats", self.repeats, format!("an integer from 1 to {}", LIMITS.repeats)));
        }
        if self.samples_per_emotion == 0 || self.samples_per_emotion > LIMITS.samples_per_emotion {
            return Err(Error::setting(
                "samples_per_emotion",
                self.samples_per_emotion,
                format!("an integer from 1 to {}", LIMITS.samples_per_emotion),
            ));
        }
        if self.pretrain_seeds == 0 || self.pretrain_seeds > MAX_PRETRAIN_SEEDS {
            return Err(Error::setting(
                "pretrain_seeds",
                self.pretrain_seeds,
                format!("an integer from 1 to {MAX_PRETRAIN_SEEDS}"),
            ));
        }
        if let Some(ks) = &self.speakers {
            if ks.is_empty() || ks.len() > LIMITS.grid_speakers {
                let n = LIMITS.grid_speakers;
                return Err(Error::setting(
                    "speakers",
                    format!("{} values", ks.len()),
                    format!("1 to {n} numbers of speakers"),
                ));
            }
            if let Some(&k) = ks.iter().find(|&&k| k == 0 || k > crate::fewshot::MAX_SPEAKERS) {
                return Err(Error::setting(
                    "speakers",
                    k,
                    format!("numbers of speakers from 1 to {}", crate::fewshot::MAX_SPEAKERS),
                ));
            }
            if let Some((i, &k)) = ks.iter().enumerate().find(|&(i, k)| ks[..i].contains(k)) {
                return Err(Error::setting(
                    "speakers",
                    k,
                    format!("each number of speakers once ({k} is given twice, the second time as value {})", i + 1),
                ));
            }
            let runs = ks.len() * self.frozen.len() * 2 * self.repeats;
            if runs > MAX_FINETUNE_RUNS {
                return Err(Error::setting(
                    "speakers × frozen × 2 × repeats",
                    runs,
                    format!("at most {MAX_FINETUNE_RUNS} fine-tuning runs"),
                ));
            }
        }
        self.references.validate()?;
        Ok(())
    }
}

/// One independent piece of an experiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Pretrain with seed number `n` (or take the given model) and measure OODT.
    Pretrain(usize),
    /// The logistic-regression baseline on the source rows (or the given model's), and its OODT.
    SourceBaseline,
    /// IDT fold `fold` with pretraining seed number `seed`.
    IdtFold { fold: usize, seed: usize },
    /// The logistic-regression baseline on IDT fold `fold`.
    IdtBaseline(usize),
    /// One fine-tuning run of the grid.
    Finetune(FinetuneUnit),
    /// The baseline on the draw of repeat `repeat` with `speakers` speakers.
    DrawBaseline { speakers: usize, repeat: usize },
}

impl Unit {
    /// Units that change the experiment (they must run before the others).
    pub fn is_first_phase(&self) -> bool {
        matches!(self, Unit::Pretrain(_) | Unit::SourceBaseline)
    }
}

/// What a unit produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitResult {
    Pretrain(OodtRun),
    SourceBaseline(OodtRun),
    Idt(FoldResult),
    IdtBaseline(FoldResult),
    Finetune(FinetuneRun),
    DrawBaseline(DrawBaseline),
}

impl UnitResult {
    /// One line for a progress display.
    pub fn describe(&self) -> String {
        let pct = |x: f64| format!("{:.1} %", 100.0 * x);
        match self {
            UnitResult::Pretrain(r) => format!("OODT, pretraining seed {}: UAR {}", r.seed + 1, pct(r.report.uar)),
            UnitResult::SourceBaseline(r) => format!("OODT, logistic regression: UAR {}", pct(r.report.uar)),
            UnitResult::Idt(f) => {
                format!("IDT fold {}, pretraining seed {}: UAR {}", f.speaker, f.seed + 1, pct(f.report.uar))
            }
            UnitResult::IdtBaseline(f) => {
                format!("IDT fold {}, logistic regression: UAR {}", f.speaker, pct(f.report.uar))
            }
            UnitResult::Finetune(f) => format!(
                "fine-tune k={} frozen={} distance={} repeat {}: UAR {} (unseen speakers)",
                f.unit.speakers,
                f.unit.frozen,
                f.unit.distance_loss,
                f.unit.repeat + 1,
                f.unseen.as_ref().map_or("—".into(), |r| pct(r.uar))
            ),
            UnitResult::DrawBaseline(b) => format!(
                "logistic regression k={} repeat {}: UAR {} (unseen speakers)",
                b.speakers,
                b.repeat + 1,
                b.unseen.as_ref().map_or("—".into(), |r| pct(r.uar))
            ),
        }
    }
}

/// Progress of a long run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub what: String,
}

/// Receives progress; may ask to stop. Called from worker threads natively.
pub trait Observer: Sync {
    fn progress(&self, _p: &Progress) {}
    /// Checked before each unit starts; `true` stops the run with [`Error::Cancelled`].
    fn cancelled(&self) -> bool {
        false
    }
}

/// An observer that ignores everything.
pub struct Quiet;
impl Observer for Quiet {}

/// A source and a target corpus under one protocol configuration.
#[derive(Debug, Clone)]
pub struct Experiment {
    /// The settings, with the grid of k filled in for this target.
    pub config: ProtocolConfig,
    /// Labelled source rows (empty when the OODT model was given).
    pub source: Dataset,
    /// Labelled target rows of the evaluation speakers (development speakers left out).
    pub target: Dataset,
    /// Development speakers found in the target and left out.
    excluded: Vec<String>,
    /// Target speaker keys, sorted, and their row indices.
    speakers: Vec<(String, Vec<usize>)>,
    /// Target z-scores, as every pretrained model standardises them (they share one scaler).
    z: Array2<f32>,
    /// Source z-scores (for the baseline), when there is a source.
    source_z: Option<Array2<f32>>,
    /// One OODT model per pretraining seed, once its unit has run.
    models: Vec<Option<Recognizer>>,
    /// The OODT model was given rather than trained here.
    given: bool,
    /// The baseline on the source rows (or the given model's), once its unit has run.
    source_lr: Option<LogisticRegression>,
    /// Whether a source baseline exists at all (a given model may have none).
    has_source_baseline: bool,
}

impl Experiment {
    /// An experiment whose OODT model is `model` (already trained, e.g. a bundled one) rather
    /// than one trained here on a source corpus. Its OODT unit only evaluates; there is one
    /// pretraining seed, so intervals cover fine-tuning randomness only (the report says so).
    pub fn from_pretrained(model: Recognizer, target: &Dataset, config: ProtocolConfig) -> Result<Experiment> {
        let mut config = ProtocolConfig { pretrain_seeds: 1, ..config };
        config.model = model.net.config();
        config.normalization = model.scaler.config.clone();
        target.check_features(&model.features)?;
        let z_scaler = model.scaler.clone();
        let has_baseline = model.baseline.is_some();
        let mut exp = Experiment::build(Dataset::empty_with(model.features.clone()), target, config, &z_scaler)?;
        exp.given = true;
        exp.has_source_baseline = has_baseline;
        exp.models = vec![Some(model)];
        Ok(exp)
    }

    /// Checks that the data can support every requested setting and prepares the folds.
    /// Refuses a source that shares speakers with the target's evaluation speakers.
    pub fn new(source: &Dataset, target: &Dataset, config: ProtocolConfig) -> Result<Experiment> {
        let source = source.select(&source.labelled());
        target.check_features(&source.features)?;
        check_emotions("source", &source)?;
        let mut config = config;
        config.model.inputs = source.features.len();
        let scaler = Scaler::fit(&source, &config.normalization);
        let mut exp = Experiment::build(source, target, config, &scaler)?;
        check_disjoint_speakers(&exp.source, &exp.target)?;
        exp.source_z = Some(scaler.apply(&exp.source));
        exp.has_source_baseline = true;
        Ok(exp)
    }

    fn build(source: Dataset, target: &Dataset, mut config: ProtocolConfig, scaler: &Scaler) -> Result<Experiment> {
        config.validate()?;
        let labelled = target.select(&target.labelled());
        let unknown = labelled.speaker.iter().filter(|s| s.is_none()).count();
        if unknown > 0 {
            return Err(Error::data(
                "IDT and k-shot fine-tuning",
                "the speaker of every target row",
                format!(
                    "{unknown} labelled {} none (no speaker column and no recognised file name)",
                    if unknown == 1 { "row has" } else { "rows have" }
                ),
            ));
        }
        let excluded = labelled.speakers_named(&config.dev_speakers);
        let keep: Vec<usize> = (0..labelled.len()).filter(|&i| !excluded.contains(&labelled.speaker_key(i))).collect();
        let target = labelled.select(&keep);
        check_emotions("target", &target)?;
        let speakers = target.speaker_groups();
        if speakers.len() < 2 {
            return Err(Error::data(
                "IDT",
                "at least 2 target speakers",
                format!("the target has {}{}", plural(speakers.len(), "speaker"), besides_dev_speakers(&excluded)),
            ));
        }
        let eligible = speakers_with_every_emotion(&speakers, &target.emotion, config.samples_per_emotion).len();
        let spe = config.samples_per_emotion;
        let ks = match &config.speakers {
            // In order of k, as typed or not: the grid, Figure 2 and the tables run that way.
            Some(ks) => {
                let mut ks = ks.clone();
                ks.sort_unstable();
                ks
            }
            None => default_k_grid(speakers.len(), eligible, spe),
        };
        if ks.is_empty() {
            let k = min_k(spe);
            return Err(Error::data(
                "k-shot fine-tuning",
                format!(
                    "at least {} speakers, {k} with {} of every emotion ({k} to label, 2 to test on)",
                    k + 2,
                    plural(spe, "row")
                ),
                format!(
                    "the target has {} ({eligible} with enough rows){}",
                    plural(speakers.len(), "speaker"),
                    besides_dev_speakers(&excluded)
                ),
            ));
        }
        if let Some(&k) = ks.iter().find(|&&k| k < min_k(spe)) {
            return Err(Error::data(
                format!("k = {k} with {}", crate::fewshot::samples_per_emotion(spe)),
                "two labelled rows of each emotion, to form same-emotion pairs",
                // Actionable where the experiment is started: the page sets k, not the samples.
                format!("k × samples per emotion is {}; use k = {} or more", k * spe, min_k(spe)),
            ));
        }
        if let Some(&k) = ks.iter().find(|&&k| k > eligible || k >= speakers.len()) {
            return Err(Error::data(
                format!("k = {k} speakers"),
                format!(
                    "at least {k} speakers with {} of every emotion to draw from and at least one other to test on",
                    plural(config.samples_per_emotion, "row")
                ),
                format!(
                    "the target has {}, {eligible} with enough rows{}",
                    plural(speakers.len(), "speaker"),
                    besides_dev_speakers(&excluded)
                ),
            ));
        }
        let runs = ks.len() * config.frozen.len() * 2 * config.repeats;
        if runs > MAX_FINETUNE_RUNS {
            return Err(Error::setting(
                "speakers × frozen × 2 × repeats",
                runs,
                format!("at most {MAX_FINETUNE_RUNS} fine-tuning runs"),
            ));
        }
        config.speakers = Some(ks);
        let z = scaler.apply(&target);
        let models = vec![None; config.pretrain_seeds];
        Ok(Experiment {
            config,
            source,
            target,
            excluded,
            speakers,
            z,
            source_z: None,
            models,
            given: false,
            source_lr: None,
            has_source_baseline: false,
        })
    }

    /// The grid of k (filled in at construction).
    pub fn k_grid(&self) -> &[usize] {
        self.config.speakers.as_deref().unwrap_or(&[])
    }

    /// Target speaker keys, sorted (development speakers left out).
    pub fn speaker_names(&self) -> Vec<&str> {
        self.speakers.iter().map(|(s, _)| s.as_str()).collect()
    }

    /// Development speakers found in the target and left out of every unit.
    pub fn excluded_speakers(&self) -> &[String] {
        &self.excluded
    }

    /// The OODT recogniser of pretraining seed `n`, once its unit has run.
    pub fn pretrained(&self, n: usize) -> Option<&Recognizer> {
        self.models.get(n).and_then(|m| m.as_ref())
    }

    /// Every unit of work, in a valid order: the first phase (pretraining, the source
    /// baseline), then IDT folds, their baselines and the fine-tuning grid with its baselines.
    pub fn units(&self) -> Vec<Unit> {
        let n = self.config.pretrain_seeds;
        let mut u: Vec<Unit> = (0..n).map(Unit::Pretrain).collect();
        if self.has_source_baseline {
            u.push(Unit::SourceBaseline);
        }
        for fold in 0..self.speakers.len() {
            u.extend((0..n).map(|seed| Unit::IdtFold { fold, seed }));
            u.push(Unit::IdtBaseline(fold));
        }
        u.extend(self.finetune_units().into_iter().map(Unit::Finetune));
        if self.has_source_baseline {
            for &speakers in self.k_grid() {
                u.extend((0..self.config.repeats).map(|repeat| Unit::DrawBaseline { speakers, repeat }));
            }
        }
        u
    }

    /// Runs one unit. First-phase units ([`Unit::is_first_phase`]) must all run before any
    /// other.
    pub fn run_unit(&mut self, unit: &Unit) -> Result<UnitResult> {
        match unit {
            Unit::Pretrain(n) => {
                let (model, run) = self.pretrain(*n)?;
                self.models[*n] = Some(model);
                Ok(UnitResult::Pretrain(run))
            }
            Unit::SourceBaseline => {
                let (lr, run) = self.source_baseline()?;
                self.source_lr = Some(lr);
                Ok(UnitResult::SourceBaseline(run))
            }
            other => self.run_unit_shared(other),
        }
    }

    /// Runs a second-phase unit (these only read the experiment).
    pub(crate) fn run_unit_shared(&self, unit: &Unit) -> Result<UnitResult> {
        match unit {
            Unit::Pretrain(_) | Unit::SourceBaseline => {
                Err(Error::OutOfOrder("pretraining changes the experiment: use run_unit"))
            }
            Unit::IdtFold { fold, seed } => self.run_idt_fold(*fold, *seed).map(UnitResult::Idt),
            Unit::IdtBaseline(fold) => self.run_idt_baseline(*fold).map(UnitResult::IdtBaseline),
            Unit::Finetune(u) => self.run_finetune(u).map(UnitResult::Finetune),
            Unit::DrawBaseline { speakers, repeat } => {
                self.run_draw_baseline(*speakers, *repeat).map(UnitResult::DrawBaseline)
            }
        }
    }

    /// Runs everything, in parallel where the platform has threads.
    pub fn run_all(&mut self, observer: &dyn Observer) -> Result<ReproduceReport> {
        let units = self.units();
        let total = units.len();
        let done = std::sync::atomic::AtomicUsize::new(0);
        let tick = |r: &UnitResult| {
            let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            observer.progress(&Progress { done: d, total, what: r.describe() });
        };
        let check = || if observer.cancelled() { Err(Error::Cancelled) } else { Ok(()) };

        let (first, rest): (Vec<Unit>, Vec<Unit>) = units.into_iter().partition(|u| u.is_first_phase());
        let mut results = self.run_first_phase(first, &|r| {
            check()?;
            tick(r);
            Ok(())
        })?;
        results.reserve(total);
        let this = &*self;
        let rest: Vec<Result<UnitResult>> = par_map(rest, |u| {
            check()?;
            let r = this.run_unit_shared(&u)?;
            tick(&r);
            Ok(r)
        });
        for r in rest {
            results.push(r?);
        }
        self.assemble(results)
    }

    /// Runs first-phase units `units` in parallel where there are threads (each computes on a
    /// shared view of the experiment, then its model or baseline is stored), calling `each`
    /// after every one.
    pub(crate) fn run_first_phase(
        &mut self,
        units: Vec<Unit>,
        each: &(dyn Fn(&UnitResult) -> Result<()> + Sync),
    ) -> Result<Vec<UnitResult>> {
        let this = &*self;
        let computed: Vec<Result<(UnitResult, Stored)>> = par_map(units, |u| {
            let r = this.compute_first_phase(&u)?;
            each(&r.0)?;
            Ok(r)
        });
        let mut results = Vec::new();
        for c in computed {
            let (r, stored) = c?;
            match stored {
                Stored::Model(n, m) => self.models[n] = Some(*m),
                Stored::Baseline(lr) => self.source_lr = Some(lr),
            }
            results.push(r);
        }
        Ok(results)
    }

    fn compute_first_phase(&self, unit: &Unit) -> Result<(UnitResult, Stored)> {
        match unit {
            Unit::Pretrain(n) => {
                let (m, r) = self.pretrain(*n)?;
                Ok((UnitResult::Pretrain(r), Stored::Model(*n, Box::new(m))))
            }
            Unit::SourceBaseline => {
                let (lr, r) = self.source_baseline()?;
                Ok((UnitResult::SourceBaseline(r), Stored::Baseline(lr)))
            }
            _ => Err(Error::OutOfOrder("not a first-phase unit")),
        }
    }

    /// The labelled target rows of speaker group `s` (for per-speaker figures).
    fn speaker_rows(&self) -> Vec<&[usize]> {
        self.speakers.iter().map(|(_, r)| r.as_slice()).collect()
    }

    /// Emotions of the target rows.
    fn truth(&self, rows: &[usize]) -> Vec<Emotion> {
        rows.iter().map(|&i| self.target.emotion[i].expect("target rows are labelled")).collect()
    }
}

/// What a first-phase unit leaves in the experiment.
enum Stored {
    Model(usize, Box<Recognizer>),
    Baseline(LogisticRegression),
}

/// What a refusal adds when development speakers were left out of the target: how many, and
/// which (as the target spells them), so that "the target has 2 speakers" is not read as the
/// whole file.
fn besides_dev_speakers(excluded: &[String]) -> String {
    if excluded.is_empty() {
        return String::new();
    }
    format!(", besides {} left out ({})", plural(excluded.len(), "development speaker"), excluded.join(", "))
}

/// Refuses a source that shares speakers with the target `target` (speaker keys compared as
/// [`same_speaker`](crate::data::same_speaker) says): OODT would test the model on rows it was
/// trained on. Sharing only a corpus name is fine.
fn check_disjoint_speakers(source: &Dataset, target: &Dataset) -> Result<()> {
    let shared = target.speakers_named(&source.speakers());
    if shared.is_empty() {
        return Ok(());
    }
    const SHOWN: usize = 3;
    let mut names = shared.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if shared.len() > SHOWN {
        names.push_str(", …");
    }
    Err(Error::data(
        "OODT",
        "a source corpus without the target's speakers, to test a model on speakers it was not trained on",
        format!("the source and the target share {} ({names})", plural(shared.len(), "speaker")),
    ))
}

/// Refuses a corpus without at least two labelled rows of every emotion.
fn check_emotions(name: &str, ds: &Dataset) -> Result<()> {
    let counts = ds.per_emotion();
    if let Some(c) = (0..N_EMOTIONS).find(|&c| counts[c] < 2) {
        return Err(Error::data(
            format!("the {name} corpus"),
            "at least 2 labelled rows of each of the four emotions",
            format!("it has {} {} rows", counts[c], Emotion::from_index(c)),
        ));
    }
    Ok(())
}

/// `items.map(f)`, on all cores natively and sequentially in the browser. Output order is
/// input order either way.
pub fn par_map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use rayon::prelude::*;
        items.into_par_iter().map(f).collect()
    }
    #[cfg(target_arch = "wasm32")]
    {
        items.into_iter().map(f).collect()
    }
}

pub use crate::stats::mean_std;
