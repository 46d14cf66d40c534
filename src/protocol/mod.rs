//! The paper's experiments (Section 4.1): out-of-domain training (OODT), in-domain training
//! (IDT, leave-one-speaker-out) and k-shot fine-tuning with and without the distance loss.
//!
//! An [`Experiment`] holds a source and a target corpus and a [`ProtocolConfig`]. Its work comes
//! in independent units — the pretraining, each IDT fold, each fine-tuning run — so that the CLI
//! can run them on all cores and the page can run them one per message with progress and
//! cancel. Every unit draws its randomness from the protocol seed and its own stream
//! ([`crate::rng`]), so results do not depend on the order units run in.

mod finetune;
mod idt;
mod oodt;

pub use finetune::{FinetuneRun, FinetuneUnit, draw_kshot, speakers_with_every_emotion};
pub use idt::FoldResult;

use crate::config::{ModelConfig, NormalizationConfig, TrainConfig};
use crate::data::{Dataset, Emotion, N_EMOTIONS};
use crate::error::{Error, Result};
use crate::recognizer::{CorpusSummary, Recognizer, ReferencePolicy, corpus_summaries};
use crate::report::EvalReport;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// Settings of a whole reproduction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProtocolConfig {
    /// Architecture (the paper's by default).
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
    /// Numbers of target speakers k to draw labelled rows from. Default 2, 4, …, 20.
    pub speakers: Vec<usize>,
    /// Numbers of frozen extractor layers to try. Default 0, 1, 2.
    pub frozen: Vec<usize>,
    /// Repeats of each fine-tuning cell. Default 10.
    pub repeats: usize,
    /// Labelled rows per emotion per chosen speaker. Default 1.
    pub samples_per_emotion: usize,
    /// Seed of everything. Default 42.
    pub seed: u64,
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
            speakers: (1..=10).map(|i| 2 * i).collect(),
            frozen: vec![0, 1, 2],
            repeats: 10,
            samples_per_emotion: 1,
            seed: 42,
        }
    }
}

impl ProtocolConfig {
    /// Rejects settings that cannot work, independent of the data.
    pub fn validate(&self) -> Result<()> {
        self.model.validate()?;
        self.normalization.validate()?;
        let n_ext = self.model.extractor.len();
        self.pretrain.validate(n_ext)?;
        self.idt.validate(n_ext)?;
        for &f in &self.frozen {
            TrainConfig { frozen_layers: f, distance_loss: false, ..self.finetune.clone() }.validate(n_ext)?;
            if f >= n_ext {
                return Err(Error::setting(
                    "frozen",
                    f,
                    format!("0 to {} (the distance-loss runs need a trainable extractor layer)", n_ext - 1),
                ));
            }
        }
        if self.repeats == 0 || self.repeats > 1000 {
            return Err(Error::setting("repeats", self.repeats, "an integer from 1 to 1000"));
        }
        if self.samples_per_emotion == 0 || self.samples_per_emotion > 100 {
            return Err(Error::setting("samples_per_emotion", self.samples_per_emotion, "an integer from 1 to 100"));
        }
        if self.speakers.contains(&0) {
            return Err(Error::setting("speakers", 0, "at least 1 speaker per draw"));
        }
        self.references.validate()?;
        Ok(())
    }
}

/// The paper's Table 1 (UAR as a fraction), for comparison. Quoted, not computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaperTable1 {
    pub source: String,
    pub oodt: f64,
    pub idt: f64,
    pub finetune: f64,
    pub finetune_distance: f64,
}

/// Table 1 of Feng & Chaspari: eNTERFACE'05 and CREMA-D as sources, RAVDESS as target.
pub fn paper_table1() -> Vec<PaperTable1> {
    let row = |source: &str, oodt, idt, finetune, finetune_distance| PaperTable1 {
        source: source.into(),
        oodt,
        idt,
        finetune,
        finetune_distance,
    };
    vec![row("eNTERFACE'05", 0.328, 0.500, 0.329, 0.399), row("CREMA-D", 0.293, 0.500, 0.378, 0.434)]
}

/// Our Table 1 (UAR as fractions). The fine-tuning rows are the best grid cell by mean UAR
/// over numbers of speakers and frozen layers, as in the paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table1 {
    pub oodt: f64,
    pub idt: f64,
    pub finetune: f64,
    pub finetune_distance: f64,
    /// The cells the two fine-tuning figures come from.
    pub finetune_cell: GridKey,
    pub finetune_distance_cell: GridKey,
}

/// A fine-tuning grid cell's coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridKey {
    pub speakers: usize,
    pub frozen: usize,
    pub distance_loss: bool,
}

/// One cell of the Figure 2 grid: UAR over repeats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridCell {
    pub speakers: usize,
    pub frozen: usize,
    pub distance_loss: bool,
    pub uar_mean: f64,
    /// Sample standard deviation (n − 1) over repeats; 0 for one repeat.
    pub uar_std: f64,
    /// UAR of each repeat, in repeat order.
    pub uars: Vec<f64>,
    /// Test rows per repeat (all target rows not drawn as labelled).
    pub test_rows: usize,
    /// Fraction of distance-loss batches that used the D_d ≤ D_s rule (0 without the loss).
    pub clamped_fraction: f64,
}

/// The distance loss's effect in one (speakers, frozen) cell: paired over repeats (same draw,
/// same pair-sampling seed), UAR with the loss minus UAR without.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistanceEffect {
    pub speakers: usize,
    pub frozen: usize,
    pub diff_mean: f64,
    pub diff_std: f64,
    /// Repeats where the loss raised UAR / lowered it.
    pub better: usize,
    pub worse: usize,
}

/// IDT summary: pooled over folds and per fold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdtReport {
    /// All folds' predictions in one confusion matrix.
    pub pooled: EvalReport,
    pub folds: Vec<FoldResult>,
    pub uar_mean: f64,
    pub uar_std: f64,
}

/// Everything `reproduce` measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReproduceReport {
    pub table1: Table1,
    pub paper: Vec<PaperTable1>,
    pub oodt: EvalReport,
    pub idt: IdtReport,
    pub grid: Vec<GridCell>,
    pub distance_effect: Vec<DistanceEffect>,
    pub source: Vec<CorpusSummary>,
    pub target: Vec<CorpusSummary>,
    pub config: ProtocolConfig,
}

/// One independent piece of an experiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Oodt,
    IdtFold(usize),
    Finetune(FinetuneUnit),
}

/// What a unit produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitResult {
    Oodt(EvalReport),
    Idt(FoldResult),
    Finetune(FinetuneRun),
}

impl UnitResult {
    /// One line for a progress display.
    pub fn describe(&self) -> String {
        match self {
            UnitResult::Oodt(r) => format!("OODT: UAR {:.1}%", 100.0 * r.uar),
            UnitResult::Idt(f) => format!("IDT fold {}: UAR {:.1}%", f.speaker, 100.0 * f.report.uar),
            UnitResult::Finetune(f) => format!(
                "fine-tune k={} frozen={} distance={} repeat {}: UAR {:.1}%",
                f.unit.speakers,
                f.unit.frozen,
                f.unit.distance_loss,
                f.unit.repeat + 1,
                100.0 * f.report.uar
            ),
        }
    }
}

impl ReproduceReport {
    /// Figure 2's grid as CSV: `speakers,frozen,distance_loss,uar_mean,uar_std,repeats`.
    pub fn grid_csv(&self) -> String {
        let mut s = String::from("speakers,frozen,distance_loss,uar_mean,uar_std,repeats\n");
        for c in &self.grid {
            s += &format!(
                "{},{},{},{:.4},{:.4},{}\n",
                c.speakers,
                c.frozen,
                c.distance_loss,
                c.uar_mean,
                c.uar_std,
                c.uars.len()
            );
        }
        s
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
    pub config: ProtocolConfig,
    /// Labelled source rows.
    pub source: Dataset,
    /// Labelled target rows.
    pub target: Dataset,
    /// Target speaker keys, sorted, and their row indices.
    speakers: Vec<(String, Vec<usize>)>,
    pretrained: Option<(Recognizer, Array2<f32>)>,
}

impl Experiment {
    /// An experiment whose OODT model is `model` (already trained, e.g. a bundled one) rather
    /// than one trained here on a source corpus. Its OODT unit only evaluates.
    pub fn from_pretrained(model: Recognizer, target: &Dataset, config: ProtocolConfig) -> Result<Experiment> {
        let mut exp = Experiment::build(Dataset::empty(), target, config)?;
        if model.net.config() != exp.config.model {
            exp.config.model = model.net.config();
            exp.config.validate()?;
        }
        exp.config.normalization = model.normalization.clone();
        let z = model.standardize(&exp.target);
        exp.pretrained = Some((model, z));
        Ok(exp)
    }

    /// Checks that the data can support every requested setting and prepares the folds.
    pub fn new(source: &Dataset, target: &Dataset, config: ProtocolConfig) -> Result<Experiment> {
        let source = source.select(&source.labelled());
        check_emotions("source", &source)?;
        Experiment::build(source, target, config)
    }

    fn build(source: Dataset, target: &Dataset, config: ProtocolConfig) -> Result<Experiment> {
        config.validate()?;
        let target = target.select(&target.labelled());
        check_emotions("target", &target)?;
        let unknown = target.speaker.iter().filter(|s| s.is_none()).count();
        if unknown > 0 {
            return Err(Error::Protocol(format!(
                "{unknown} target rows have no speaker (no speaker column and no recognised file name); \
                 IDT and k-shot fine-tuning need the speaker of every target row"
            )));
        }
        let speakers = target.speaker_groups();
        if speakers.len() < 2 {
            return Err(Error::Protocol(format!(
                "the target corpus has {} speaker; IDT needs at least 2",
                speakers.len()
            )));
        }
        let exp = Experiment { config, source, target, speakers, pretrained: None };
        let eligible = exp.eligible_speakers().len();
        if let Some(&k) = exp.config.speakers.iter().find(|&&k| k >= eligible) {
            return Err(Error::Protocol(format!(
                "k = {k} speakers cannot work: the target has {eligible} speakers with at least {} rows of every emotion, \
                 and k must be smaller so that other speakers remain to test on",
                exp.config.samples_per_emotion
            )));
        }
        Ok(exp)
    }

    /// Target speakers (index into the sorted speaker list) with at least
    /// `samples_per_emotion` rows of every emotion.
    pub fn eligible_speakers(&self) -> Vec<usize> {
        speakers_with_every_emotion(&self.speakers, &self.target.emotion, self.config.samples_per_emotion)
    }

    /// Target speaker keys, sorted.
    pub fn speaker_names(&self) -> Vec<&str> {
        self.speakers.iter().map(|(s, _)| s.as_str()).collect()
    }

    /// The OODT recogniser, once [`run_oodt`](Self::run_oodt) has run.
    pub fn pretrained(&self) -> Option<&Recognizer> {
        self.pretrained.as_ref().map(|(r, _)| r)
    }

    /// Every unit of work, in a valid order: OODT first (fine-tuning starts from its model),
    /// then the IDT folds, then the fine-tuning grid.
    pub fn units(&self) -> Vec<Unit> {
        let mut u = vec![Unit::Oodt];
        u.extend((0..self.speakers.len()).map(Unit::IdtFold));
        u.extend(self.finetune_units().into_iter().map(Unit::Finetune));
        u
    }

    /// Runs one unit. [`Unit::Oodt`] must run before any [`Unit::Finetune`].
    pub fn run_unit(&mut self, unit: &Unit) -> Result<UnitResult> {
        match unit {
            Unit::Oodt => self.run_oodt().map(UnitResult::Oodt),
            other => self.run_shared_unit(other),
        }
    }

    /// Runs an IDT or fine-tuning unit (these only read the experiment).
    fn run_shared_unit(&self, unit: &Unit) -> Result<UnitResult> {
        match unit {
            Unit::Oodt => Err(Error::Protocol("OODT changes the experiment: use run_unit".into())),
            Unit::IdtFold(i) => self.run_idt_fold(*i).map(UnitResult::Idt),
            Unit::Finetune(u) => self.run_finetune(u).map(UnitResult::Finetune),
        }
    }

    /// Runs everything: OODT, every IDT fold and the whole fine-tuning grid, in parallel where
    /// the platform has threads.
    pub fn run_all(&mut self, observer: &dyn Observer) -> Result<ReproduceReport> {
        let units = self.units();
        let total = units.len();
        let done = std::sync::atomic::AtomicUsize::new(0);
        let tick = |r: &UnitResult| {
            let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            observer.progress(&Progress { done: d, total, what: r.describe() });
        };
        let check = || if observer.cancelled() { Err(Error::Cancelled) } else { Ok(()) };

        check()?;
        let oodt = self.run_unit(&units[0])?;
        tick(&oodt);
        let this = &*self;
        let rest: Vec<Result<UnitResult>> = par_map(units[1..].to_vec(), |u| {
            check()?;
            let r = this.run_shared_unit(&u)?;
            tick(&r);
            Ok(r)
        });
        let mut results = vec![oodt];
        for r in rest {
            results.push(r?);
        }
        self.assemble(results)
    }

    /// Puts the results of every unit together into the report.
    pub fn assemble(&self, results: Vec<UnitResult>) -> Result<ReproduceReport> {
        let (mut oodt, mut folds, mut runs) = (None, vec![], vec![]);
        for r in results {
            match r {
                UnitResult::Oodt(r) => oodt = Some(r),
                UnitResult::Idt(f) => folds.push(f),
                UnitResult::Finetune(f) => runs.push(f),
            }
        }
        let oodt = oodt.ok_or_else(|| Error::Protocol("the report needs the OODT result".into()))?;
        if folds.len() != self.speakers.len() || runs.len() != self.finetune_units().len() {
            return Err(Error::Protocol("the report needs every IDT fold and fine-tuning run".into()));
        }
        let idt = idt::summarize(folds, self.speakers.len());
        let (grid, distance_effect) = finetune::summarize(&runs);
        let best = |distance: bool| {
            grid.iter()
                .filter(|c| c.distance_loss == distance)
                .max_by(|a, b| a.uar_mean.total_cmp(&b.uar_mean))
                .map(|c| (c.uar_mean, GridKey { speakers: c.speakers, frozen: c.frozen, distance_loss: distance }))
                .unwrap_or((f64::NAN, GridKey { speakers: 0, frozen: 0, distance_loss: distance }))
        };
        let (finetune, finetune_cell) = best(false);
        let (finetune_distance, finetune_distance_cell) = best(true);
        let source = match (self.source.is_empty(), self.pretrained()) {
            (true, Some(r)) => r.history.first().map(|h| h.corpora.clone()).unwrap_or_default(),
            _ => corpus_summaries(&self.source),
        };
        Ok(ReproduceReport {
            table1: Table1 {
                oodt: oodt.uar,
                idt: idt.pooled.uar,
                finetune,
                finetune_distance,
                finetune_cell,
                finetune_distance_cell,
            },
            paper: paper_table1(),
            oodt,
            idt,
            grid,
            distance_effect,
            source,
            target: corpus_summaries(&self.target),
            config: self.config.clone(),
        })
    }
}

/// Refuses a corpus without at least two labelled rows of every emotion.
fn check_emotions(name: &str, ds: &Dataset) -> Result<()> {
    let counts = ds.per_emotion();
    if let Some(c) = (0..N_EMOTIONS).find(|&c| counts[c] < 2) {
        return Err(Error::Protocol(format!(
            "the {name} corpus has {} labelled {} rows; every protocol needs all four emotions (at least 2 rows each)",
            counts[c],
            Emotion::from_index(c)
        )));
    }
    Ok(())
}

/// Mean and sample standard deviation (n − 1; 0 for a single value).
pub fn mean_std(v: &[f64]) -> (f64, f64) {
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let m = v.iter().sum::<f64>() / v.len() as f64;
    if v.len() < 2 {
        return (m, 0.0);
    }
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64;
    (m, var.sqrt())
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
