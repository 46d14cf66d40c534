//! The browser binding — the only file that uses wasm-bindgen. It converts types and errors
//! and holds long-lived state in opaque handles; every algorithm lives in the core.
//!
//! What the page (its Web Worker) can do:
//! - [`Model`]: read a weights file, write one, show its card, evaluate, predict.
//! - [`Table`]: read a feature CSV (either shape) and summarise it.
//! - [`FineTune`]: the paper's k-shot fine-tuning on a table, a few epochs per call.
//! - [`PaperRun`]: OODT, IDT and the fine-tuning grid, one unit per call.
//!
//! Errors become JavaScript `Error`s whose message is the core's [`Error`] text, written for
//! the person who supplied the input, with a `kind` property ([`ErrorKind`]: `input`,
//! `setting`, `data`, `weights`, `audio`, `training`, `cancelled`, `internal`) and, for a
//! setting, its `name`, so the page places an error without reading its text. A panic (a bug)
//! is logged and kept for [`take_panic_message`], so the worker can report it and start a
//! fresh instance.

use crate::audio::{FEATURE_RATE, Segmenter, SegmenterConfig};
use crate::data::csv::CsvLoad;
use crate::data::{Dataset, Emotion, LoadSummary};
use crate::data::{FeatureSet, OtherRows, parse_csv_with_other};
use crate::error::{Error, ErrorKind};
use crate::fewshot::{FewShotConfig, Session};
use crate::limits::LIMITS;
use crate::method::Method;
use crate::protocol::{Experiment, Progress, ProtocolConfig, ReproduceReport, Unit, UnitResult};
use crate::recognizer::Recognizer;
use crate::report::predictions_csv;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the panic hook when the module starts.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&format!("siamese-ser internal error: {message}").into());
        LAST_PANIC.with(|p| {
            if let Ok(mut p) = p.try_borrow_mut() {
                *p = Some(message);
            }
        });
    }));
}

/// The message of the last panic, if any (taken: a second call returns `undefined`).
#[wasm_bindgen(js_name = takePanicMessage)]
pub fn take_panic_message() -> Option<String> {
    LAST_PANIC.with(|p| p.try_borrow_mut().ok().and_then(|mut p| p.take()))
}

/// A random seed from the browser's cryptographic generator, for "surprise me" seeds.
#[wasm_bindgen(js_name = randomSeed)]
pub fn random_seed() -> Result<u32, JsValue> {
    getrandom::u32().map_err(|e| usage(&format!("no random source: {e}")))
}

/// Every limit on what the engine accepts ([`crate::limits::Limits`]), so the page checks a
/// file's size before reading it and never types a limit again.
#[wasm_bindgen]
pub fn limits() -> Result<JsValue, JsValue> {
    to_js(&LIMITS)
}

/// The four emotions, in the order every report uses.
#[wasm_bindgen]
pub fn emotions() -> Result<JsValue, JsValue> {
    let names: Vec<&str> = Emotion::ALL.iter().map(|e| e.name()).collect();
    serde_wasm_bindgen::to_value(&names).map_err(|e| usage(&e.to_string()))
}

/// The default settings ([`FewShotConfig`] and [`ProtocolConfig`]), so the page shows the
/// engine's defaults rather than typing them again.
#[wasm_bindgen]
pub fn defaults() -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct MethodInfo {
        name: &'static str,
        describe: &'static str,
        /// Its fine-tuning settings (frozen layers, distance loss and seed are the page's).
        finetune: crate::config::TrainConfig,
    }
    #[derive(Serialize)]
    struct Defaults {
        fewshot: FewShotConfig,
        protocol: ProtocolConfig,
        methods: Vec<MethodInfo>,
        /// The method that measured best (the page's default for fine-tuning and your voice).
        best: &'static str,
        /// The names a CSV's speaker column may have.
        speaker_columns: &'static [&'static str],
    }
    let methods = Method::ALL
        .iter()
        .map(|m| MethodInfo { name: m.name(), describe: m.describe(), finetune: m.finetune() })
        .collect();
    to_js(&Defaults {
        fewshot: FewShotConfig::default(),
        protocol: ProtocolConfig::default(),
        methods,
        best: Method::BEST.name(),
        speaker_columns: &crate::data::SPEAKER_COLUMNS,
    })
}

/// The crate version, shown in the page footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// A value for the page, as JSON text parsed on the JS side: one crossing of the boundary
/// however large the report. (serde-wasm-bindgen builds objects field by field, with code for
/// every type it is used on: the wasm was 3.8 KB larger gzipped when every value went that
/// way; it now passes only the list of emotions.) Non-finite numbers, which the reports do not
/// hold, would become `null`.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| usage(&e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| usage("a value could not be passed to the page"))
}

/// Experiment settings from the page: its `method` sets the training settings.
fn protocol_settings(config: JsValue) -> Result<ProtocolConfig, JsValue> {
    let config: ProtocolConfig = settings(config, "experiment settings")?;
    let method = config.method;
    Ok(config.with_method(method))
}

/// Reads settings from a JS object; `undefined`/`null` give the defaults. Unknown fields and
/// wrong types are errors naming the field. (Through JSON text, because serde-wasm-bindgen
/// only looks up the fields it knows and so cannot notice a misspelt one.)
fn settings<T: DeserializeOwned + Default>(value: JsValue, what: &str) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    let text: String =
        js_sys::JSON::stringify(&value).map_err(|_| setting_error(&format!("{what}: not a plain object")))?.into();
    crate::config::settings_from_json(&text)
        .map_err(|e| js_error(&format!("{what}: {e}"), e.kind(), refused_setting(&e)))
}

/// A JavaScript `Error` with `message` and `kind`; for a refused setting also the setting's name,
/// the value given and what is allowed, so the page can name the field by its label.
fn js_error(message: &str, kind: ErrorKind, setting: Option<(&str, &str, &str)>) -> JsValue {
    let e = js_sys::Error::new(message);
    let kind = serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
    let _ = js_sys::Reflect::set(&e, &"kind".into(), &kind.into());
    if let Some((name, value, expected)) = setting {
        let _ = js_sys::Reflect::set(&e, &"name".into(), &"SettingError".into());
        let _ = js_sys::Reflect::set(&e, &"setting".into(), &name.into());
        let _ = js_sys::Reflect::set(&e, &"value".into(), &value.into());
        let _ = js_sys::Reflect::set(&e, &"expected".into(), &expected.into());
    }
    e.into()
}

/// The name, value and allowed values of a refused setting.
fn refused_setting(e: &Error) -> Option<(&str, &str, &str)> {
    match e {
        Error::InvalidSetting { name, value, expected } => Some((*name, value.as_str(), expected.as_str())),
        _ => None,
    }
}

fn err(e: Error) -> JsValue {
    js_error(&e.to_string(), e.kind(), refused_setting(&e))
}

/// An error of the binding layer itself (a caller's mistake, or a setting object).
fn usage(message: &str) -> JsValue {
    js_error(message, ErrorKind::Internal, None)
}

fn setting_error(message: &str) -> JsValue {
    js_error(message, ErrorKind::Setting, None)
}

/// A trained recogniser.
#[wasm_bindgen]
pub struct Model {
    inner: Recognizer,
}

#[wasm_bindgen]
impl Model {
    /// Reads a weights file (the same format the CLI writes).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> Result<Model, JsValue> {
        Recognizer::from_json(text).map(|inner| Model { inner }).map_err(err)
    }

    /// The weights file, as JSON text.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Provenance and architecture in brief ([`crate::recognizer::ModelCard`]).
    pub fn card(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.card())
    }

    /// Corpora of `table` this model was trained on (its results there would be optimistic).
    pub fn overlap(&self, table: &Table) -> Result<JsValue, JsValue> {
        to_js(&self.inner.overlap(&table.ds))
    }

    /// UAR and confusion matrix on the labelled rows of `table`, against the model's references.
    pub fn evaluate(&self, table: &Table) -> Result<JsValue, JsValue> {
        to_js(&self.inner.evaluate(&table.ds).map_err(err)?)
    }

    /// Every row of `table` predicted, with per-class probabilities and what each row was
    /// standardised with, the totals, UAR and the baseline's on the labelled rows
    /// ([`Predictions`](crate::report::Predictions)), and the same rows as CSV text (`csv`).
    pub fn predict(&self, table: &Table) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct WithCsv {
            #[serde(flatten)]
            predictions: crate::report::Predictions,
            csv: String,
        }
        // Every row of the file, those of other emotions too: prediction needs no labels.
        let predictions = self.inner.predict_file(&table.ds, &table.other).map_err(err)?;
        to_js(&WithCsv { csv: predictions_csv(&predictions.rows), predictions })
    }

    /// The model's logistic-regression baseline on the labelled rows of `table` (`undefined`
    /// if the model has none).
    #[wasm_bindgen(js_name = evaluateBaseline)]
    pub fn evaluate_baseline(&self, table: &Table) -> Result<JsValue, JsValue> {
        to_js(&self.inner.evaluate_baseline(&table.ds).map_err(err)?)
    }

    /// The names of the model's input columns.
    #[wasm_bindgen(js_name = featureNames)]
    pub fn feature_names(&self) -> Vec<String> {
        self.inner.features.clone()
    }
}

/// A parsed feature table.
#[wasm_bindgen]
pub struct Table {
    ds: Dataset,
    summary: LoadSummary,
    /// Rows of emotions not used here (`neutral`, `calm`, …): predicted, never trained or
    /// tested on.
    other: OtherRows,
}

#[wasm_bindgen]
impl Table {
    /// Parses CSV text; `name` (the file name) names the corpus of rows that do not say theirs.
    /// `features`: the columns to read (a model's [`Model::feature_names`]); `undefined` reads
    /// the paper's 64 IS09 functionals.
    pub fn parse(text: &str, name: &str, features: Option<Vec<String>>) -> Result<Table, JsValue> {
        let corpus = crate::data::filename::stem(name);
        let set = features.map_or(FeatureSet::Is09, FeatureSet::Names);
        let (ds, summary, other) = parse_csv_with_other(text, corpus, &set, &LIMITS).map_err(err)?;
        Ok(Table { ds, summary, other })
    }

    /// What was read and skipped ([`LoadSummary`]).
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        to_js(&self.summary)
    }

    /// The rows as CSV text in our format, which [`Table::parse`] reads back exactly (how the
    /// page hands a table to the other workers of a pool).
    #[wasm_bindgen(js_name = toCsv)]
    pub fn to_csv(&self) -> String {
        self.ds.to_csv()
    }

    /// Rows kept.
    pub fn rows(&self) -> usize {
        self.ds.len()
    }
}

/// A CSV text being read a slice of rows at a time ([`CsvLoad`]), so the worker can report
/// progress and stop between slices.
#[wasm_bindgen]
pub struct TableLoad {
    load: Option<CsvLoad<'static>>,
}

#[wasm_bindgen]
impl TableLoad {
    /// Checks the size and the header of `text` (see [`Table::parse`] for the arguments).
    pub fn start(text: String, name: &str, features: Option<Vec<String>>) -> Result<TableLoad, JsValue> {
        let corpus = crate::data::filename::stem(name);
        let set = features.map_or(FeatureSet::Is09, FeatureSet::Names);
        let load = CsvLoad::start(text, corpus, &set, &LIMITS).map_err(err)?;
        Ok(TableLoad { load: Some(load) })
    }

    /// Reads up to `rows` more rows; true when the whole text is read.
    pub fn step(&mut self, rows: usize) -> Result<bool, JsValue> {
        self.load.as_mut().ok_or_else(|| usage("this load has finished"))?.step(rows.max(1)).map_err(err)
    }

    /// Bytes read so far.
    #[wasm_bindgen(js_name = bytesDone)]
    pub fn bytes_done(&self) -> usize {
        self.load.as_ref().map_or(0, |l| l.progress().0)
    }

    /// Bytes in all.
    #[wasm_bindgen(js_name = bytesTotal)]
    pub fn bytes_total(&self) -> usize {
        self.load.as_ref().map_or(0, |l| l.progress().1)
    }

    /// The table, once [`step`](Self::step) has returned true.
    pub fn finish(&mut self) -> Result<Table, JsValue> {
        let load = self.load.take().ok_or_else(|| usage("this load has finished"))?;
        let (ds, summary, other) = load.finish_with_other().map_err(err)?;
        Ok(Table { ds, summary, other })
    }
}

/// Recordings turned into feature rows: WAV files, or clips from the microphone
/// ([`recordings::Recordings`](crate::recordings::Recordings)).
#[wasm_bindgen]
#[derive(Default)]
pub struct Recordings {
    inner: crate::recordings::Recordings,
}

/// An emotion given by name ("" for none).
fn parse_emotion(text: &str) -> Result<Option<Emotion>, JsValue> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    match crate::data::emotion::parse_label(text) {
        Some(crate::data::Label::Target(e)) => Ok(Some(e)),
        _ => Err(setting_error(&format!("\"{text}\" is not one of angry, happy, sad, fearful"))),
    }
}

#[wasm_bindgen]
impl Recordings {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Recordings {
        Recordings::default()
    }

    /// Decodes a WAV file, converts it to 16 kHz and computes its features; returns what is
    /// known about it. Emotion and speaker come from the file name when it follows a known
    /// corpus's convention.
    #[wasm_bindgen(js_name = addWav)]
    pub fn add_wav(&mut self, name: &str, bytes: &[u8]) -> Result<JsValue, JsValue> {
        to_js(&self.inner.add_wav(name, bytes).map_err(err)?)
    }

    /// Adds a clip of mono `samples` at `rate` Hz (the microphone's), labelled `emotion`
    /// ("" for none), spoken by `speaker`.
    #[wasm_bindgen(js_name = addClip)]
    pub fn add_clip(
        &mut self,
        name: &str,
        samples: &[f32],
        rate: u32,
        emotion: &str,
        speaker: &str,
    ) -> Result<JsValue, JsValue> {
        let emotion = parse_emotion(emotion)?;
        to_js(&self.inner.add_clip(name, samples, rate, emotion, speaker).map_err(err)?)
    }

    /// A name for the next clip of `emotion` ("" for none) that no recording has.
    #[wasm_bindgen(js_name = nextClipName)]
    pub fn next_clip_name(&self, emotion: &str) -> Result<String, JsValue> {
        Ok(self.inner.next_clip_name(parse_emotion(emotion)?))
    }

    /// Sets the emotion ("" = unlabelled) and speaker ("" = unknown) of recording `index`.
    #[wasm_bindgen(js_name = setLabel)]
    pub fn set_label(&mut self, index: usize, emotion: &str, speaker: &str) -> Result<(), JsValue> {
        let emotion = parse_emotion(emotion)?;
        self.inner.set_label(index, emotion, speaker).map_err(err)
    }

    /// Removes recording `index`.
    pub fn remove(&mut self, index: usize) -> Result<(), JsValue> {
        self.inner.remove(index).map_err(err)
    }

    /// Recordings held.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// True if there are none.
    #[wasm_bindgen(js_name = isEmpty)]
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// What is known about each recording.
    pub fn list(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.list())
    }

    /// Labelled recordings per emotion, in the order of [`emotions`].
    pub fn counts(&self) -> Vec<u32> {
        self.inner.counts().iter().map(|&n| n as u32).collect()
    }

    /// The recordings as a feature table, for fine-tuning, the experiment or prediction.
    pub fn table(&self) -> Result<Table, JsValue> {
        let ds = self.inner.dataset().map_err(err)?;
        Ok(Table { summary: LoadSummary::of_recordings(&ds), other: OtherRows::none(ds.features.clone()), ds })
    }

    /// The features as CSV text in our format, for download.
    #[wasm_bindgen(js_name = toCsv)]
    pub fn to_csv(&self) -> Result<String, JsValue> {
        Ok(self.inner.dataset().map_err(err)?.to_csv())
    }

    /// Predicts the emotion of one utterance (mono `samples` at `rate` Hz) with `model`,
    /// standardised together with these recordings (the same speaker).
    #[wasm_bindgen(js_name = predictClip)]
    pub fn predict_clip(&self, model: &Model, samples: &[f32], rate: u32, speaker: &str) -> Result<JsValue, JsValue> {
        to_js(&self.inner.predict_clip(&model.inner, samples, rate, speaker).map_err(err)?)
    }
}

/// How well a model fine-tuned on recordings recognises the ones it was not fine-tuned on,
/// one fold per call ([`recordings::HeldOut`](crate::recordings::HeldOut)).
#[wasm_bindgen]
pub struct HeldOut {
    inner: crate::recordings::HeldOut,
}

#[wasm_bindgen]
impl HeldOut {
    /// Prepares the estimate for fine-tuning `model` on the labelled rows of `table` with the
    /// training settings of `config` ([`FewShotConfig`], partial objects allowed).
    #[wasm_bindgen(constructor)]
    pub fn new(model: &Model, table: &Table, config: JsValue) -> Result<HeldOut, JsValue> {
        let config: FewShotConfig = settings(config, "fine-tuning settings")?;
        Ok(HeldOut { inner: crate::recordings::HeldOut::start(&model.inner, &table.ds, &config).map_err(err)? })
    }

    /// Runs the next fold.
    pub fn step(&mut self) -> Result<(), JsValue> {
        self.inner.step().map_err(err)
    }

    /// True when every fold has run.
    pub fn done(&self) -> bool {
        self.inner.is_done()
    }

    /// Folds run.
    #[wasm_bindgen(js_name = foldsDone)]
    pub fn folds_done(&self) -> usize {
        self.inner.progress().0
    }

    /// Folds in all.
    pub fn folds(&self) -> usize {
        self.inner.progress().1
    }

    /// Stores the estimate in `model` (the model fine-tuned on every clip), so that its weights
    /// file and card carry it.
    #[wasm_bindgen(js_name = recordIn)]
    pub fn record_in(&self, model: &mut Model) -> Result<(), JsValue> {
        model.inner.record(self.inner.metrics().map_err(err)?);
        Ok(())
    }

    /// The estimate ([`HeldOutEstimate`](crate::recordings::HeldOutEstimate)).
    pub fn estimate(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.estimate().map_err(err)?)
    }
}

/// Cuts a live microphone stream into utterances ([`Segmenter`]).
#[wasm_bindgen]
pub struct Listener {
    segmenter: Segmenter,
    rate: u32,
}

#[wasm_bindgen]
impl Listener {
    /// A listener for a stream at `rate` Hz.
    #[wasm_bindgen(constructor)]
    pub fn new(rate: u32) -> Result<Listener, JsValue> {
        crate::audio::wav::check_rate(rate).map_err(err)?;
        Ok(Listener { segmenter: Segmenter::new(rate, SegmenterConfig::default()), rate })
    }

    /// Feeds samples; returns the utterances that ended (an array of Float32Arrays).
    pub fn push(&mut self, samples: &[f32]) -> js_sys::Array {
        self.segmenter
            .push(samples)
            .into_iter()
            .map(|u| JsValue::from(js_sys::Float32Array::from(u.as_slice())))
            .collect()
    }

    /// The level (RMS) of the latest 20 ms.
    pub fn level(&self) -> f32 {
        self.segmenter.level()
    }

    /// True while someone is speaking.
    pub fn speaking(&self) -> bool {
        self.segmenter.in_utterance()
    }

    /// The stream's rate.
    pub fn rate(&self) -> u32 {
        self.rate
    }
}

/// The rate features are computed at (recordings are converted to it).
#[wasm_bindgen(js_name = featureRate)]
pub fn feature_rate() -> u32 {
    FEATURE_RATE
}

/// A k-shot fine-tuning in progress ([`Session`]).
#[wasm_bindgen]
pub struct FineTune {
    inner: Session,
}

#[wasm_bindgen]
impl FineTune {
    /// Draws the labelled rows from `table` ([`FewShotConfig`], partial objects allowed),
    /// measures `model` and its logistic-regression baseline (adapted to the labelled rows) on
    /// the rest, and prepares training.
    #[wasm_bindgen(constructor)]
    pub fn new(model: &Model, table: &Table, config: JsValue) -> Result<FineTune, JsValue> {
        let config: FewShotConfig = settings(config, "fine-tuning settings")?;
        Ok(FineTune { inner: Session::start(&model.inner, &table.ds, config).map_err(err)? })
    }

    /// The "before" figures (the model as loaded, on the test rows: unseen and seen speakers).
    pub fn before(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.before())
    }

    /// The labelled rows drawn for fine-tuning.
    pub fn labelled(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.labelled())
    }

    /// Runs up to `max_epochs` epochs; returns their statistics (an array).
    pub fn step(&mut self, max_epochs: usize) -> Result<JsValue, JsValue> {
        to_js(&self.inner.step(max_epochs).map_err(err)?)
    }

    /// Epochs completed.
    #[wasm_bindgen(js_name = epochsDone)]
    pub fn epochs_done(&self) -> usize {
        self.inner.epochs_done()
    }

    /// Epochs configured.
    pub fn epochs(&self) -> usize {
        self.inner.epochs()
    }

    /// True when every epoch has run.
    pub fn done(&self) -> bool {
        self.inner.is_done()
    }

    /// Measures the fine-tuned model on the test rows and returns the outcome
    /// ([`FewShotOutcome`](crate::fewshot::FewShotOutcome)).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        to_js(self.inner.finish().map_err(err)?)
    }

    /// The outcome as CSV text (after [`finish`](Self::finish)), with the model's and the
    /// target's names in its settings lines.
    #[wasm_bindgen(js_name = outcomeCsv)]
    pub fn outcome_csv(&self, model: &str, target: &str) -> Result<String, JsValue> {
        self.inner.outcome().map(|o| o.to_csv(model, target)).ok_or_else(|| usage("the fine-tuning has not finished"))
    }

    /// The fine-tuned model (after [`finish`](Self::finish)).
    pub fn model(&self) -> Result<Model, JsValue> {
        self.inner
            .tuned()
            .cloned()
            .map(|inner| Model { inner })
            .ok_or_else(|| usage("the fine-tuning has not finished"))
    }
}

/// The paper's experiment, one unit of work per call.
#[wasm_bindgen]
pub struct PaperRun {
    exp: Experiment,
    units: Vec<Unit>,
    results: Vec<UnitResult>,
    report: Option<ReproduceReport>,
}

#[wasm_bindgen]
impl PaperRun {
    /// OODT from `model` (no source corpus needed), IDT and the fine-tuning grid on `target`.
    /// `config`: [`ProtocolConfig`], partial objects allowed.
    #[wasm_bindgen(js_name = fromModel)]
    pub fn from_model(model: &Model, target: &Table, config: JsValue) -> Result<PaperRun, JsValue> {
        let config = protocol_settings(config)?;
        let exp = Experiment::from_pretrained(model.inner.clone(), &target.ds, config).map_err(err)?;
        Ok(PaperRun::with(exp))
    }

    /// Everything from scratch: pretraining on `source`, then as [`from_model`](Self::from_model).
    #[wasm_bindgen(js_name = fromSource)]
    pub fn from_source(source: &Table, target: &Table, config: JsValue) -> Result<PaperRun, JsValue> {
        let config = protocol_settings(config)?;
        let exp = Experiment::new(&source.ds, &target.ds, config).map_err(err)?;
        Ok(PaperRun::with(exp))
    }

    fn with(exp: Experiment) -> PaperRun {
        let units = exp.units();
        PaperRun { exp, units, results: vec![], report: None }
    }

    /// Units in all.
    pub fn total(&self) -> usize {
        self.units.len()
    }

    /// Units done.
    #[wasm_bindgen(js_name = doneCount)]
    pub fn done_count(&self) -> usize {
        self.results.len()
    }

    /// True when every unit has run.
    pub fn done(&self) -> bool {
        self.results.len() == self.units.len()
    }

    /// Runs the next unit; returns its progress line ([`Progress`]).
    pub fn step(&mut self) -> Result<JsValue, JsValue> {
        let unit = *self.units.get(self.results.len()).ok_or_else(|| usage("the experiment has finished"))?;
        let r = self.exp.run_unit(&unit).map_err(err)?;
        let p = Progress { done: self.results.len() + 1, total: self.units.len(), what: r.describe() };
        self.results.push(r);
        to_js(&p)
    }

    /// The first-phase units (pretraining, the source baseline) come first in the list: how
    /// many. Every worker of a pool runs them; the rest can be shared out.
    #[wasm_bindgen(js_name = firstPhase)]
    pub fn first_phase(&self) -> usize {
        self.units.iter().take_while(|u| u.is_first_phase()).count()
    }

    /// Runs unit `index` (first-phase units before any other) and returns
    /// `{ result, what }`: the unit's result as numbers (a `Float64Array`, for
    /// [`assemble`](Self::assemble) in any worker; [`crate::protocol::transfer`]) and its
    /// progress line. Units are independent and seeded, so which worker runs which changes
    /// nothing.
    #[wasm_bindgen(js_name = runUnit)]
    pub fn run_unit(&mut self, index: usize) -> Result<JsValue, JsValue> {
        let unit = *self.units.get(index).ok_or_else(|| usage("no such unit"))?;
        let r = self.exp.run_unit(&unit).map_err(err)?;
        let out = js_sys::Object::new();
        let numbers = js_sys::Float64Array::from(crate::protocol::transfer::encode(&r).as_slice());
        js_sys::Reflect::set(&out, &"result".into(), &numbers)?;
        js_sys::Reflect::set(&out, &"what".into(), &r.describe().into())?;
        Ok(out.into())
    }

    /// The report from every unit's result (`results`: an array of what
    /// [`run_unit`](Self::run_unit) returned as `result`, from any workers, in any order).
    pub fn assemble(&mut self, results: js_sys::Array) -> Result<JsValue, JsValue> {
        let results = results
            .iter()
            .map(|r| self.exp.decode(&js_sys::Float64Array::from(r).to_vec()))
            .collect::<crate::Result<Vec<UnitResult>>>()
            .map_err(err)?;
        self.report = Some(self.exp.assemble(results).map_err(err)?);
        to_js(self.report.as_ref().expect("set above"))
    }

    /// The report ([`ReproduceReport`]) once every unit has run.
    pub fn report(&mut self) -> Result<JsValue, JsValue> {
        if self.report.is_none() {
            if !self.done() {
                return Err(usage("the experiment has not finished"));
            }
            self.report = Some(self.exp.assemble(self.results.clone()).map_err(err)?);
        }
        to_js(self.report.as_ref().expect("set above"))
    }

    /// The grid as CSV text (after [`report`](Self::report)).
    #[wasm_bindgen(js_name = gridCsv)]
    pub fn grid_csv(&self) -> Result<String, JsValue> {
        self.report.as_ref().map(|r| r.grid_csv()).ok_or_else(|| usage("the experiment has not finished"))
    }
}
