//! The weights file: one versioned JSON format for every recogniser, whether made by the CLI,
//! the page or the tests.
//!
//! ```json
//! {
//!   "format": "siamese-ser-weights",
//!   "version": 2,
//!   "created_by": "siamese-ser 0.1.0",
//!   "model": { "inputs": 64, "extractor": [64, 32, 16], "head": 16 },
//!   "normalization": { "mode": "per_speaker", "std_floor": 0.1, "clip": 5.0, "min_group_rows": 8 },
//!   "stats": { "mean": [64 numbers], "std": [64 numbers] },
//!   "speaker_stats": { "mean": [64 numbers], "std": [64 numbers] },
//!   "feature_names": [the input columns' names, in input order: the 64 IS09 ones by default],
//!   "layers": [ { "name": "extractor.0", "inputs": 64, "outputs": 64,
//!                 "weights": [inputs × outputs numbers, row-major], "bias": [outputs numbers] },
//!               …, { "name": "head", … }, { "name": "out", … } ],
//!   "references": { "description": "…", "labels": ["angry", …], "x": [[64 z-scores], …] },
//!   "history": [ { "kind": "pretrain", "corpora": […], "config": {…}, "epochs_run": 40,
//!                  "last_epoch": {…}, "metrics": [ { "name": "oodt_uar", "value": 0.45, "on": "…" } ] }, … ],
//!   "baseline": { "config": { "c": 1.0, "max_iter": 1000 }, "weights": [[4 numbers], …],
//!                 "intercept": [4 numbers], "iterations": 187 }
//! }
//! ```
//!
//! - `stats`: mean and population standard deviation of the pretraining rows' raw features.
//! - `speaker_stats`: the pretraining speakers' pooled within-speaker statistics, for rows
//!   whose speaker is unknown or has too few rows (see [`Scaler`](crate::data::normalize::Scaler)).
//! - `baseline`: a logistic regression on the same pretraining rows (see [`crate::baseline`]).
//!
//! Version 1 files (the 64 IS09 features, no `speaker_stats`, no `baseline`) are still read.
//! - `references`: the labelled rows new samples are compared with, already standardised
//!   (z-scores rounded to 3 decimals): a seeded subsample of the source rows for a pretrained
//!   model, the labelled target rows for a fine-tuned one.
//! - `history`: provenance, one entry per training run, oldest first.
//!
//! Loading checks the format name and version, the architecture, every tensor's length and
//! finiteness, the feature names and the references, and names the first problem it finds.

use crate::baseline::LogisticRegression;
use crate::config::{ModelConfig, NormalizationConfig};
use crate::data::normalize::Scaler;
use crate::data::{Emotion, Stats, feature_names};
use crate::error::{Error, Result};
use crate::model::{Dense, SiameseNet};
use crate::recognizer::{Recognizer, ReferenceSet, TrainingRecord};
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

/// The `format` field of every weights file.
pub const FORMAT: &str = "siamese-ser-weights";
/// The format version this build writes.
pub const VERSION: u32 = 2;
/// The oldest version it reads.
pub const OLDEST_VERSION: u32 = 1;

/// The file's serde form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightsFile {
    pub format: String,
    pub version: u32,
    pub created_by: String,
    pub model: ModelConfig,
    pub normalization: NormalizationConfig,
    pub stats: Stats,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_stats: Option<Stats>,
    pub feature_names: Vec<String>,
    pub layers: Vec<LayerTensors>,
    pub references: ReferenceTensors,
    pub history: Vec<TrainingRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<LogisticRegression>,
}

/// One dense layer's tensors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerTensors {
    pub name: String,
    pub inputs: usize,
    pub outputs: usize,
    /// Row-major `(inputs, outputs)`.
    pub weights: Vec<f32>,
    pub bias: Vec<f32>,
}

/// The reference rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceTensors {
    pub description: String,
    pub labels: Vec<Emotion>,
    pub x: Vec<Vec<f32>>,
}

/// Just enough of a file to check its format and version before reading the rest.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

fn layer_names(n_extractor: usize) -> Vec<String> {
    (0..n_extractor).map(|i| format!("extractor.{i}")).chain(["head".into(), "out".into()]).collect()
}

impl Recognizer {
    /// The recogniser as a weights-file value.
    pub fn to_weights(&self) -> WeightsFile {
        let names = layer_names(self.net.extractor.len());
        let layers = self
            .net
            .layers()
            .into_iter()
            .zip(names)
            .map(|(l, name)| LayerTensors {
                name,
                inputs: l.inputs(),
                outputs: l.outputs(),
                weights: l.w.iter().copied().collect(),
                bias: l.b.to_vec(),
            })
            .collect();
        WeightsFile {
            format: FORMAT.into(),
            version: VERSION,
            created_by: format!("siamese-ser {}", env!("CARGO_PKG_VERSION")),
            model: self.net.config(),
            normalization: self.scaler.config.clone(),
            stats: self.scaler.stats.clone(),
            speaker_stats: self.scaler.speaker_stats.clone(),
            feature_names: self.features.clone(),
            layers,
            references: ReferenceTensors {
                description: self.references.description.clone(),
                labels: self.references.labels.clone(),
                x: self.references.x.rows().into_iter().map(|r| r.to_vec()).collect(),
            },
            history: self.history.clone(),
            baseline: self.baseline.clone(),
        }
    }

    /// JSON text of the weights file.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.to_weights()).expect("weights serialise: plain numbers and strings")
    }

    /// Reads a weights file from JSON text, checking everything (see the module docs).
    pub fn from_json(text: &str) -> Result<Recognizer> {
        let limit = crate::limits::LIMITS.weights_bytes;
        if text.len() > limit {
            return Err(Error::TooLarge { what: "the weights file's size in bytes", actual: text.len(), limit });
        }
        let header: Header = serde_json::from_str(text).map_err(|e| not_json(text, &e))?;
        if header.format.as_deref() != Some(FORMAT) {
            return Err(Error::WeightsFormat(format!(
                "it is not a siamese-ser weights file (\"format\" is {}, expected \"{FORMAT}\")",
                header.format.map_or("missing".into(), |f| format!("\"{f}\""))
            )));
        }
        match header.version {
            Some(v) if (OLDEST_VERSION..=VERSION).contains(&v) => {}
            Some(v) => return Err(Error::WeightsVersion { found: v, supported: VERSION }),
            None => return Err(Error::WeightsFormat("the \"version\" field is missing".into())),
        }
        let file: WeightsFile = serde_json::from_str(text).map_err(|e| Error::WeightsFormat(e.to_string()))?;
        Recognizer::from_weights(file)
    }

    /// Checks a weights-file value and builds the recogniser.
    pub fn from_weights(file: WeightsFile) -> Result<Recognizer> {
        file.model.validate().map_err(|e| Error::WeightsFormat(format!("its architecture is invalid: {e}")))?;
        file.normalization
            .validate()
            .map_err(|e| Error::WeightsFormat(format!("its normalisation is invalid: {e}")))?;
        let inputs = file.model.inputs;
        if file.version == 1 && file.feature_names != feature_names() {
            return Err(Error::WeightsFormat("a version 1 file must use the 64 IS09 features".into()));
        }
        check_len("feature_names", file.feature_names.len(), inputs)?;
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = file.feature_names.iter().find(|n| n.is_empty() || !seen.insert(n.as_str())) {
            return Err(Error::WeightsFormat(format!("its feature name \"{dup}\" is empty or appears twice")));
        }
        file.stats.check("stats", inputs)?;
        if let Some(s) = &file.speaker_stats {
            s.check("speaker_stats", inputs)?;
        }
        if let Some(b) = &file.baseline {
            b.check(inputs)?;
        }
        check_measurements(&file.history)?;

        let names = layer_names(file.model.extractor.len());
        if file.layers.len() != names.len() {
            return Err(Error::WeightsShape {
                what: "the list of layers".into(),
                expected: names.len(),
                found: file.layers.len(),
            });
        }
        let mut widths = vec![file.model.inputs];
        widths.extend(&file.model.extractor);
        let emb = file.model.embedding();
        let shapes: Vec<(usize, usize)> =
            widths.windows(2).map(|w| (w[0], w[1])).chain([(emb, file.model.head), (file.model.head, 1)]).collect();
        let mut dense = Vec::with_capacity(names.len());
        for ((t, name), (inputs, outputs)) in file.layers.into_iter().zip(&names).zip(shapes) {
            if &t.name != name {
                return Err(Error::WeightsFormat(format!("layer \"{}\" found where \"{name}\" was expected", t.name)));
            }
            if t.inputs != inputs || t.outputs != outputs {
                return Err(Error::WeightsFormat(format!(
                    "layer \"{name}\" is {}×{}, the architecture says {inputs}×{outputs}",
                    t.inputs, t.outputs
                )));
            }
            check_len(&format!("{name}.weights"), t.weights.len(), inputs * outputs)?;
            check_len(&format!("{name}.bias"), t.bias.len(), outputs)?;
            if t.weights.iter().chain(&t.bias).any(|v| !v.is_finite()) {
                return Err(Error::WeightsNonFinite { what: format!("layer \"{name}\"") });
            }
            dense.push(Dense {
                w: Array2::from_shape_vec((inputs, outputs), t.weights).expect("length checked"),
                b: Array1::from(t.bias),
            });
        }
        let out = dense.pop().expect("at least 3 layers");
        let head = dense.pop().expect("at least 3 layers");
        let net = SiameseNet { extractor: dense, head, out };

        let r = file.references;
        check_len("references.labels", r.labels.len(), r.x.len())?;
        let limit = crate::limits::LIMITS.weights_references;
        if r.x.len() > limit {
            return Err(Error::WeightsFormat(format!(
                "it holds {} references; at most {limit} are accepted",
                r.x.len()
            )));
        }
        let mut x = Array2::zeros((r.x.len(), inputs));
        for (i, row) in r.x.iter().enumerate() {
            check_len(&format!("references.x[{i}]"), row.len(), inputs)?;
            if row.iter().any(|v| !v.is_finite()) {
                return Err(Error::WeightsNonFinite { what: format!("references.x[{i}]") });
            }
            x.row_mut(i).assign(&ndarray::ArrayView1::from(row.as_slice()));
        }
        let classes = Emotion::ALL.iter().filter(|e| r.labels.contains(e)).count();
        if classes < 2 {
            return Err(Error::WeightsFormat(format!(
                "its references cover {classes} emotion(s); at least 2 are needed to classify"
            )));
        }
        Ok(Recognizer {
            net,
            features: file.feature_names,
            scaler: Scaler { config: file.normalization, stats: file.stats, speaker_stats: file.speaker_stats },
            references: ReferenceSet { x, labels: r.labels, description: r.description },
            history: file.history,
            baseline: file.baseline,
        })
    }
}

/// What to say about `text` that serde could not read as JSON (`e`), for a person: an empty
/// file is empty; text that does not begin like JSON is not a weights file, and what it begins
/// with says what it is instead; only a JSON text broken part-way gets the line and column.
fn not_json(text: &str, e: &serde_json::Error) -> Error {
    use serde_json::error::Category;
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.is_empty() {
        return Error::WeightsFormat(
            if text.is_empty() { "the file is empty" } else { "the file holds only blank space" }.into(),
        );
    }
    let at = format!("line {}, column {}", e.line(), e.column());
    // serde's message without its own " at line … column …".
    let full = e.to_string();
    let message = full.strip_suffix(&format!(" at line {} column {}", e.line(), e.column())).unwrap_or(&full);
    let json = body.starts_with(['{', '[']);
    Error::WeightsFormat(match e.classify() {
        Category::Eof if json => format!("the JSON text ends part-way through, at {at}: was the file cut short?"),
        Category::Syntax if json => format!("it is not valid JSON at {at}: {message}"),
        Category::Data if body.starts_with('{') => {
            format!("its \"format\" or \"version\" field is not of the right type, at {at}")
        }
        Category::Data => "it is JSON, but not a siamese-ser weights file (one JSON object)".into(),
        _ => format!("it is not a siamese-ser weights file (JSON); it starts with {}", excerpt(body)),
    })
}

/// The first few characters of `text` in quotes, or "binary data" when they are not printable
/// text (a picture, an archive, a WAV file read as text).
fn excerpt(text: &str) -> String {
    const CHARS: usize = 40;
    let head: String = text.chars().take(CHARS).collect();
    let binary = head.chars().any(|c| c == '\u{fffd}' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t')));
    if binary {
        return "binary data".into();
    }
    let first_line = head.lines().next().unwrap_or("").trim_end();
    let more = first_line.len() < text.trim_end().len();
    format!("\"{first_line}{}\"", if more { "…" } else { "" })
}

/// Most measurements one training run keeps (a fine-tuning keeps up to six).
const MAX_METRICS: usize = 16;

/// The measurements the model card shows: each a UAR (a share from 0 to 1), a few per run.
fn check_measurements(history: &[crate::recognizer::TrainingRecord]) -> Result<()> {
    for (i, h) in history.iter().enumerate() {
        if h.metrics.len() > MAX_METRICS {
            return Err(Error::WeightsFormat(format!(
                "history[{i}] holds {} measurements; at most {MAX_METRICS} are accepted",
                h.metrics.len()
            )));
        }
        if let Some(m) = h.metrics.iter().find(|m| !(0.0..=1.0).contains(&m.value)) {
            return Err(Error::WeightsFormat(format!(
                "history[{i}]'s measurement \"{}\" is {}, not a UAR from 0 to 1",
                m.name, m.value
            )));
        }
    }
    Ok(())
}

fn check_len(what: &str, found: usize, expected: usize) -> Result<()> {
    if found != expected {
        return Err(Error::WeightsShape { what: what.into(), expected, found });
    }
    Ok(())
}
