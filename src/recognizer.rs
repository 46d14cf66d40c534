//! A complete emotion recogniser: the network, how its inputs are standardised, and the
//! labelled references it compares new samples with — everything a weights file holds.
//!
//! - [`Recognizer::start_pretraining`] trains a fresh network on source corpora; its references
//!   are a balanced, seeded subsample of the source rows.
//! - [`Recognizer::start_finetuning`] continues from an existing recogniser on a few labelled
//!   target rows; those rows become its references.
//!
//! Both return a [`Training`] that advances one epoch per call ([`Training::step_epoch`]) and
//! yields the new recogniser from [`Training::finish`], so callers can report progress and
//! cancel.

use crate::baseline::{LogisticConfig, LogisticRegression};
use crate::classify::{Prediction, References};
use crate::config::{ModelConfig, NormalizationConfig, TrainConfig};
use crate::data::normalize::{ScaledBy, Scaler};
use crate::data::{Dataset, Emotion, N_EMOTIONS};
use crate::error::{Error, Result};
use crate::eval::evaluate;
use crate::model::SiameseNet;
use crate::report::{EpochStats, EvalReport};
use crate::rng::{rng, stream};
use crate::train::Trainer;
use ndarray::{Array2, ArrayView2, Axis};
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

/// Which source rows a pretrained recogniser keeps as references.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferencePolicy {
    /// Up to `per_class` rows per emotion, drawn with the run's seed (`None`: all rows).
    Rows { per_class: Option<usize> },
    /// The mean standardised row of each (speaker, emotion): aggregate statistics only, so
    /// no individual recording's features are stored (what licenses such as TESS's, which
    /// forbids redistributing derivatives, call for in a weights file that is shared).
    SpeakerMeans,
}

impl Default for ReferencePolicy {
    fn default() -> Self {
        ReferencePolicy::Rows { per_class: Some(50) }
    }
}

impl ReferencePolicy {
    /// Rejects `per_class: Some(0)`.
    pub fn validate(&self) -> Result<()> {
        if let ReferencePolicy::Rows { per_class: Some(0) } = self {
            return Err(Error::setting("references.per_class", 0, "at least 1 (or none for all rows)"));
        }
        Ok(())
    }
}

/// Standardised reference rows and their emotions.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceSet {
    /// z-scores `(rows, features)`, rounded to 3 decimals (as stored in weights files).
    pub x: Array2<f32>,
    pub labels: Vec<Emotion>,
    /// Where the rows come from, in words.
    pub description: String,
}

/// What a corpus contributed to a training run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusSummary {
    pub name: String,
    pub rows: usize,
    pub speakers: usize,
    /// Rows per emotion in fixed order.
    pub per_emotion: [usize; N_EMOTIONS],
}

/// One training run in a recogniser's history (provenance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingRecord {
    /// `"pretrain"` or `"finetune"`.
    pub kind: String,
    pub corpora: Vec<CorpusSummary>,
    pub config: TrainConfig,
    pub epochs_run: usize,
    /// Statistics of the last epoch.
    pub last_epoch: Option<EpochStats>,
    /// Measurements attached later (e.g. the OODT UAR on a target corpus).
    #[serde(default)]
    pub metrics: Vec<Metric>,
}

/// A named measurement with what it was measured on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    pub name: String,
    pub value: f64,
    pub on: String,
}

/// What a person needs to know about a model before trusting its numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    /// Corpora of the first (pre)training.
    pub trained_on: Vec<CorpusSummary>,
    /// Later fine-tunings, oldest first.
    pub fine_tuned: Vec<FineTuneSummary>,
    /// What the first (pre)training was measured at (e.g. `oodt_uar`); each fine-tuning's
    /// measurements are in [`fine_tuned`](Self::fine_tuned).
    pub metrics: Vec<Metric>,
    pub parameters: usize,
    pub architecture: ModelConfig,
    /// Input feature columns, by name.
    pub features: Vec<String>,
    pub normalization: crate::data::Normalization,
    pub references: usize,
    pub reference_description: String,
    /// Whether the file holds a logistic-regression baseline trained on the same rows.
    pub has_baseline: bool,
}

/// One fine-tuning in a model's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FineTuneSummary {
    pub rows: usize,
    pub corpora: Vec<String>,
    pub frozen_layers: usize,
    pub distance_loss: bool,
    pub epochs: usize,
    /// The seed of the run (a fine-tuning with the same seed on the same target draws the same
    /// labelled rows).
    pub seed: u64,
    /// What the fine-tuned model was measured at (e.g. `uar_after_finetuning` on the test
    /// rows), as stored in its weights file.
    pub metrics: Vec<Metric>,
}

/// Network + standardisation + references + provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Recognizer {
    pub net: SiameseNet<f32>,
    /// Names of the input feature columns, in input order.
    pub features: Vec<String>,
    /// How inputs are standardised, with the pretraining rows' statistics.
    pub scaler: Scaler,
    pub references: ReferenceSet,
    pub history: Vec<TrainingRecord>,
    /// Logistic regression trained on the same pretraining rows and z-scores: the baseline the
    /// page shows beside this model's figures (`None` for files that predate it).
    pub baseline: Option<LogisticRegression>,
}

/// Summaries of the corpora among `ds`'s labelled rows.
pub fn corpus_summaries(ds: &Dataset) -> Vec<CorpusSummary> {
    ds.corpora()
        .into_iter()
        .map(|name| {
            let rows: Vec<usize> = (0..ds.len()).filter(|&i| ds.corpus[i] == name && ds.emotion[i].is_some()).collect();
            let sub = ds.select(&rows);
            CorpusSummary { rows: rows.len(), speakers: sub.speakers().len(), per_emotion: sub.per_emotion(), name }
        })
        .filter(|c| c.rows > 0)
        .collect()
}

/// Rounds z-scores to 3 decimals: references are stored this way, so a recogniser behaves the
/// same before saving and after loading.
fn round3(mut x: Array2<f32>) -> Array2<f32> {
    x.mapv_inplace(|v| (v * 1000.0).round() / 1000.0);
    x
}

impl Recognizer {
    /// The model card: provenance and architecture in brief.
    pub fn card(&self) -> ModelCard {
        ModelCard {
            trained_on: self.history.first().map(|h| h.corpora.clone()).unwrap_or_default(),
            fine_tuned: self
                .history
                .iter()
                .skip(1)
                .map(|h| FineTuneSummary {
                    rows: h.corpora.iter().map(|c| c.rows).sum(),
                    corpora: h.corpora.iter().map(|c| c.name.clone()).collect(),
                    frozen_layers: h.config.frozen_layers,
                    distance_loss: h.config.distance_loss,
                    epochs: h.epochs_run,
                    seed: h.config.seed,
                    metrics: h.metrics.clone(),
                })
                .collect(),
            metrics: self.history.first().map(|h| h.metrics.clone()).unwrap_or_default(),
            parameters: self.net.n_params(),
            architecture: self.net.config(),
            features: self.features.clone(),
            normalization: self.scaler.config.mode,
            references: self.references.labels.len(),
            reference_description: self.references.description.clone(),
            has_baseline: self.baseline.is_some(),
        }
    }

    /// Stores measurements of this model with its last training run, so that its weights file
    /// carries them (and its card shows them).
    pub fn record(&mut self, metrics: Vec<Metric>) {
        if let Some(h) = self.history.last_mut() {
            h.metrics.extend(metrics);
        }
    }

    /// How many rows of `z` (standardised) are already among the references, as they are
    /// stored (rounded to 3 decimals): rows a fine-tuning with `keep_references` was trained on.
    pub fn known_references(&self, z: ArrayView2<f32>) -> usize {
        let rounded = round3(z.as_standard_layout().into_owned());
        let refs = self.references.x.as_standard_layout();
        let (Some(rows), Some(known)) = (rounded.as_slice(), refs.as_slice()) else { return 0 };
        let n = z.ncols().max(1);
        rows.chunks_exact(n).filter(|row| known.chunks_exact(n).any(|r| r == *row)).count()
    }

    /// Corpora this model has been trained on (pretraining and fine-tunings), sorted.
    pub fn training_corpora(&self) -> Vec<String> {
        let mut c: Vec<String> = self.history.iter().flat_map(|h| h.corpora.iter().map(|c| c.name.clone())).collect();
        c.sort();
        c.dedup();
        c
    }

    /// Corpora of `ds` this model was trained on: its UAR there would be optimistic.
    pub fn overlap(&self, ds: &Dataset) -> Vec<String> {
        let mine = self.training_corpora();
        ds.corpora().into_iter().filter(|c| mine.contains(c)).collect()
    }

    /// Standardises `ds` the way this recogniser's inputs must be. `ds` must have the model's
    /// feature columns (read it with them: [`FeatureSet::Names`](crate::data::FeatureSet)).
    pub fn standardize(&self, ds: &Dataset) -> Result<Array2<f32>> {
        ds.check_features(&self.features)?;
        Ok(self.scaler.apply(ds))
    }

    /// [`standardize`](Self::standardize), also saying what each row was scaled with.
    pub fn standardize_explained(&self, ds: &Dataset) -> Result<(Array2<f32>, Vec<ScaledBy>)> {
        ds.check_features(&self.features)?;
        Ok(self.scaler.apply_explained(ds))
    }

    /// Classifies standardised rows `z` against the stored references.
    pub fn classify_standardized(&self, z: ArrayView2<f32>) -> Result<Vec<Prediction>> {
        let refs = References::new(&self.net, self.references.x.view(), &self.references.labels)?;
        Ok(refs.classify(&self.net, z))
    }

    /// Classifies every row of `ds` (standardised here, per the model's normalisation).
    pub fn classify(&self, ds: &Dataset) -> Result<Vec<Prediction>> {
        self.classify_standardized(self.standardize(ds)?.view())
    }

    /// A prediction for every row of `ds`, with what each row was standardised with.
    pub fn predict(&self, ds: &Dataset) -> Result<Vec<crate::report::PredictionRow>> {
        let (z, by) = self.standardize_explained(ds)?;
        let p = self.classify_standardized(z.view())?;
        Ok(crate::report::prediction_rows(ds, &p, &by))
    }

    /// Every row of `ds` predicted ([`predict`](Self::predict)), with the totals, and on the
    /// labelled rows the UAR beside the baseline's. `ds` is standardised once for all of it.
    pub fn predict_table(&self, ds: &Dataset) -> Result<crate::report::Predictions> {
        let (z, by) = self.standardize_explained(ds)?;
        let rows = crate::report::prediction_rows(ds, &self.classify_standardized(z.view())?, &by);
        let labelled = ds.labelled();
        let (report, baseline) = if labelled.is_empty() {
            (None, None)
        } else {
            let truth: Vec<Emotion> = labelled.iter().map(|&i| ds.emotion[i].expect("labelled")).collect();
            let predicted: Vec<Emotion> = labelled.iter().map(|&i| rows[i].predicted).collect();
            let speakers = ds.select(&labelled).speakers().len();
            (Some(evaluate(&truth, &predicted, speakers)), self.baseline_on(&z, ds, &labelled))
        };
        Ok(crate::report::Predictions {
            totals: crate::report::PredictionTotals::of(&rows, self.scaler.config.min_group_rows),
            rows,
            labelled: report,
            baseline,
            overlap: self.overlap(ds),
        })
    }

    /// Predicts every row of a file in its order: the rows `ds` a CSV load kept and the rows of
    /// other emotions it set aside, each of those with the label the file gave it.
    pub fn predict_file(&self, ds: &Dataset, other: &crate::data::OtherRows) -> Result<crate::report::Predictions> {
        let all = ds.with_rows_of(&other.rows)?;
        let mut p = self.predict_table(&all)?;
        for (row, &line) in p.rows.iter_mut().zip(&all.line) {
            row.other_label = other.label_at(line).map(String::from);
        }
        Ok(p)
    }

    /// UAR and confusion matrix on the labelled rows of `ds`.
    pub fn evaluate(&self, ds: &Dataset) -> Result<EvalReport> {
        let z = self.standardize(ds)?;
        evaluate_rows(self, &z, ds, &ds.labelled())
    }

    /// The model's logistic-regression baseline on the labelled rows of `ds` (same z-scores);
    /// `None` if the model has none.
    pub fn evaluate_baseline(&self, ds: &Dataset) -> Result<Option<EvalReport>> {
        if self.baseline.is_none() {
            return Ok(None);
        }
        let rows = ds.labelled();
        if rows.is_empty() {
            return Err(Error::data("evaluation", "labelled test rows", "there are none"));
        }
        Ok(self.baseline_on(&self.standardize(ds)?, ds, &rows))
    }

    /// The baseline on rows `rows` (labelled) of `ds`, whose z-scores are `z`.
    fn baseline_on(&self, z: &Array2<f32>, ds: &Dataset, rows: &[usize]) -> Option<EvalReport> {
        let lr = self.baseline.as_ref()?;
        let truth: Vec<Emotion> = rows.iter().map(|&i| ds.emotion[i].expect("labelled")).collect();
        let predicted = lr.predict(z.select(Axis(0), rows).view());
        Some(evaluate(&truth, &predicted, ds.select(rows).speakers().len()))
    }

    /// Starts training a fresh network on the labelled rows of `source`, keeping references
    /// as `references` says.
    pub fn start_pretraining(
        source: &Dataset,
        model: &ModelConfig,
        normalization: &NormalizationConfig,
        config: &TrainConfig,
        references: ReferencePolicy,
    ) -> Result<Training> {
        model.validate()?;
        normalization.validate()?;
        config.validate(model.extractor.len())?;
        references.validate()?;
        let labelled = source.labelled();
        if labelled.is_empty() {
            return Err(Error::data("pretraining", "labelled rows", "the source has none"));
        }
        let source = source.select(&labelled);
        let model = ModelConfig { inputs: source.features.len(), ..model.clone() };
        model.validate()?;
        let scaler = Scaler::fit(&source, normalization);
        let z = scaler.apply(&source);
        let labels: Vec<Emotion> = source.emotion.iter().map(|e| e.expect("labelled")).collect();

        let references = reference_set(&source, &z, &labels, references, config.seed);
        let net = SiameseNet::new(&model, &mut rng(config.seed, &[stream::INIT]));
        let record = TrainingRecord {
            kind: "pretrain".into(),
            corpora: corpus_summaries(&source),
            config: config.clone(),
            epochs_run: 0,
            last_epoch: None,
            metrics: vec![],
        };
        let baseline = Some(LogisticRegression::fit(z.view(), &labels, LogisticConfig::default(), None, None)?);
        let trainer = Trainer::new(net, z, &labels, config.clone())?;
        Ok(Training {
            trainer,
            features: source.features.clone(),
            scaler,
            references,
            history: vec![],
            record,
            baseline,
        })
    }

    /// Starts fine-tuning a copy of this recogniser on labelled target rows `z` (standardised
    /// by [`standardize`](Self::standardize) together with the rest of their corpus, so that
    /// per-speaker statistics use all of a speaker's rows). The rows become the references —
    /// beside the model's earlier ones if `config.keep_references`, and then both are trained on.
    pub fn start_finetuning(
        &self,
        z: Array2<f32>,
        labels: &[Emotion],
        target: &Dataset,
        config: &TrainConfig,
    ) -> Result<Training> {
        let labelled = round3(z);
        let references = if config.keep_references {
            let kept = &self.references;
            ReferenceSet {
                x: ndarray::concatenate(Axis(0), &[kept.x.view(), labelled.view()]).map_err(|_| Error::Shape {
                    what: "references vs labelled rows",
                    expected: kept.x.ncols(),
                    found: labelled.ncols(),
                })?,
                labels: kept.labels.iter().chain(labels).copied().collect(),
                description: kept_description(labels.len(), kept),
            }
        } else {
            ReferenceSet {
                x: labelled,
                labels: labels.to_vec(),
                description: format!("the {} labelled rows fine-tuned on", labels.len()),
            }
        };
        let record = TrainingRecord {
            kind: "finetune".into(),
            corpora: corpus_summaries(target),
            config: config.clone(),
            epochs_run: 0,
            last_epoch: None,
            metrics: vec![],
        };
        // The references are also the training rows: with `keep_references` the earlier ones
        // train beside the labelled rows, so a few target rows add to what the model knows.
        let trainer = Trainer::new(self.net.clone(), references.x.clone(), &references.labels, config.clone())?;
        Ok(Training {
            trainer,
            features: self.features.clone(),
            scaler: self.scaler.clone(),
            references,
            history: self.history.clone(),
            record,
            // The source baseline describes the pretraining; a fine-tuned model's own baseline
            // is computed where its labelled rows are (see `fewshot`).
            baseline: self.baseline.clone(),
        })
    }
}

/// The references a pretraining keeps (see [`ReferencePolicy`]).
fn reference_set(
    source: &Dataset,
    z: &Array2<f32>,
    labels: &[Emotion],
    policy: ReferencePolicy,
    seed: u64,
) -> ReferenceSet {
    let corpora = source.corpora().join(", ");
    match policy {
        ReferencePolicy::Rows { per_class } => {
            let mut pick = rng(seed, &[stream::REFERENCES]);
            let mut chosen = Vec::new();
            for e in Emotion::ALL {
                let mut rows: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == e).collect();
                if let Some(n) = per_class {
                    rows.shuffle(&mut pick);
                    rows.truncate(n);
                    rows.sort_unstable();
                }
                chosen.extend(rows);
            }
            let per = per_class.map_or("all".to_string(), |n| format!("up to {n}"));
            ReferenceSet {
                x: round3(z.select(Axis(0), &chosen)),
                labels: chosen.iter().map(|&i| labels[i]).collect(),
                description: format!("{per} source rows per emotion from {corpora} (seed {seed})"),
            }
        }
        ReferencePolicy::SpeakerMeans => {
            let mut groups: Vec<(String, Emotion, Vec<usize>)> = Vec::new();
            for (i, &e) in labels.iter().enumerate() {
                let key = source.speaker_key(i);
                match groups.iter_mut().find(|(k, g, _)| *k == key && *g == e) {
                    Some(g) => g.2.push(i),
                    None => groups.push((key, e, vec![i])),
                }
            }
            groups.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
            let mut x = Array2::zeros((groups.len(), z.ncols()));
            for (row, (_, _, members)) in x.rows_mut().into_iter().zip(&groups) {
                let mean = z.select(Axis(0), members).mean_axis(Axis(0)).expect("groups are non-empty");
                mean.assign_to(row);
            }
            ReferenceSet {
                x: round3(x),
                labels: groups.iter().map(|g| g.1).collect(),
                description: format!(
                    "mean standardised row of each speaker and emotion of {corpora} ({} means)",
                    groups.len()
                ),
            }
        }
    }
}

/// UAR on rows `rows` of `ds`, whose standardised features are `z`.
pub fn evaluate_rows(r: &Recognizer, z: &Array2<f32>, ds: &Dataset, rows: &[usize]) -> Result<EvalReport> {
    let rows: Vec<usize> = rows.iter().copied().filter(|&i| ds.emotion[i].is_some()).collect();
    if rows.is_empty() {
        return Err(Error::data("evaluation", "labelled test rows", "there are none"));
    }
    let preds = r.classify_standardized(z.select(Axis(0), &rows).view())?;
    let truth: Vec<Emotion> = rows.iter().map(|&i| ds.emotion[i].expect("filtered")).collect();
    let predicted: Vec<Emotion> = preds.iter().map(|p| p.emotion).collect();
    let speakers = ds.select(&rows).speakers().len();
    Ok(evaluate(&truth, &predicted, speakers))
}

/// A training run in progress.
#[derive(Debug, Clone)]
pub struct Training {
    trainer: Trainer,
    features: Vec<String>,
    scaler: Scaler,
    references: ReferenceSet,
    history: Vec<TrainingRecord>,
    record: TrainingRecord,
    baseline: Option<LogisticRegression>,
}

impl Training {
    /// Runs one epoch.
    pub fn step_epoch(&mut self) -> Result<EpochStats> {
        let s = self.trainer.step_epoch()?;
        self.record.epochs_run = s.epoch;
        self.record.last_epoch = Some(s.clone());
        Ok(s)
    }

    /// Runs all remaining epochs.
    pub fn run(&mut self) -> Result<Vec<EpochStats>> {
        let mut h = Vec::new();
        while !self.is_done() {
            h.push(self.step_epoch()?);
        }
        Ok(h)
    }

    /// Epochs completed.
    pub fn epochs_done(&self) -> usize {
        self.trainer.epochs_done()
    }

    /// Epochs configured.
    pub fn epochs(&self) -> usize {
        self.trainer.config().epochs
    }

    /// Adam steps (batches) per epoch.
    pub fn batches_per_epoch(&self) -> usize {
        self.trainer.batches_per_epoch()
    }

    /// The network as trained so far.
    pub fn net(&self) -> &crate::model::SiameseNet<f32> {
        self.trainer.net()
    }

    /// True when all epochs have run.
    pub fn is_done(&self) -> bool {
        self.trainer.is_done()
    }

    /// The recogniser as trained so far (callable at any time, e.g. after a cancel).
    pub fn finish(self) -> Recognizer {
        let mut history = self.history;
        history.push(self.record);
        Recognizer {
            net: self.trainer.into_net(),
            features: self.features,
            scaler: self.scaler,
            references: self.references,
            history,
            baseline: self.baseline,
        }
    }
}

/// How a description of kept references names what they began as (written and read here).
const KEPT: &str = "references kept from before (";
/// How it names the labelled rows of earlier fine-tuning among them.
const EARLIER: &str = " labelled rows of earlier fine-tuning";
/// How it names the references the first of those fine-tunings kept.
const START: &str = " from the start: ";

/// The description of `new` labelled rows beside the references `kept`, which every part
/// counts: "the 8 labelled rows fine-tuned on and the 16 references kept from before (8
/// labelled rows of earlier fine-tuning; 8 from the start: …)". However often a model is
/// fine-tuned keeping references, the description stays this one level deep, with the rows of
/// all earlier fine-tunings in one count and the references they started from described once.
fn kept_description(new: usize, kept: &ReferenceSet) -> String {
    let total = kept.labels.len();
    let (earlier, start) = origin(&kept.description);
    let inner = match (earlier, start) {
        (0, Some(start)) => start.to_string(),
        (e, None) => format!("{e}{EARLIER}"),
        (e, Some(start)) => format!("{e}{EARLIER}; {}{START}{start}", total.saturating_sub(e)),
    };
    format!("the {new} labelled rows fine-tuned on and the {total} {KEPT}{inner})")
}

/// What a reference set began as: how many of its rows are labelled rows of fine-tunings, and
/// the description of the references those fine-tunings started from (`None` if none: a model
/// fine-tuned without keeping references holds only its labelled rows).
fn origin(description: &str) -> (usize, Option<&str>) {
    // "the {n} labelled rows fine-tuned on", as `start_finetuning` writes it.
    let labelled = |text: &str| -> Option<usize> {
        text.strip_prefix("the ")?.strip_suffix(" labelled rows fine-tuned on")?.parse().ok()
    };
    let Some((head, rest)) = description.split_once(KEPT) else {
        return match labelled(description) {
            Some(n) => (n, None),
            None => (0, Some(description)),
        };
    };
    // head: "the {n} labelled rows fine-tuned on and the {m} "; rest: "{inner})".
    let new = head.split_once(" and the ").and_then(|(h, _)| labelled(h)).unwrap_or(0);
    let inner = rest.strip_suffix(')').unwrap_or(rest);
    let earlier = inner.split_once(EARLIER).and_then(|(n, after)| Some((n.parse::<usize>().ok()?, after)));
    match earlier {
        Some((e, "")) => (new + e, None),
        Some((e, after)) => {
            let start = after.strip_prefix("; ").and_then(|a| a.split_once(START)).map_or(after, |(_, s)| s);
            (new + e, Some(start))
        }
        None => (new, Some(inner)),
    }
}
