//! Few-shot fine-tuning of a recogniser on one target table — the paper's fine-tuning step,
//! as a person does it once on their own data (the page) and as the protocol repeats it.
//!
//! [`FewShot::draw`] picks the labelled rows the paper's way: `speakers` speakers at random,
//! then `samples_per_emotion` random rows of each emotion from each. Every other labelled row
//! is a test row, measured in two parts ([`Measured`]):
//! - **unseen speakers**: rows of speakers who gave no labelled row — the speaker-independent
//!   figure, the one reported first;
//! - **seen speakers**: the other rows of the speakers who did (easier: the model has heard
//!   those voices), reported beside it, never instead of it.
//!
//! Speakers listed in `exclude_speakers` (by default the development speakers the default
//! settings were chosen on) are neither drawn nor tested. The whole table is standardised
//! first, so per-speaker statistics use all of a speaker's rows (features only, never labels).
//! Training then runs one epoch per [`FewShot::step_epoch`]; [`FewShot::finish`] returns the
//! fine-tuned recogniser and its measurements.

use crate::baseline::LogisticRegression;
use crate::config::TrainConfig;
use crate::data::split::{draw_kshot, speakers_with_every_emotion};
use crate::data::{Dataset, Emotion};
use crate::error::{Error, Result};
use crate::eval::{evaluate, pool};
use crate::model::SiameseNet;
use crate::pca::{Projection, project_2d};
use crate::recognizer::{Metric, Recognizer, Training};
use crate::report::{EpochStats, EvalReport};
use crate::rng::{rng, stream};
use ndarray::{Array2, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

/// Most speakers a draw may ask for.
pub const MAX_SPEAKERS: usize = crate::limits::LIMITS.draw_speakers;
/// Most labelled rows per emotion per speaker.
pub const MAX_SAMPLES_PER_EMOTION: usize = crate::limits::LIMITS.samples_per_emotion;

/// How to draw the labelled rows, and how to train on them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FewShotConfig {
    /// Speakers to draw labelled rows from. Default 2, the paper's smallest setting.
    pub speakers: usize,
    /// Labelled rows per emotion per chosen speaker. Default 1, as in the paper.
    pub samples_per_emotion: usize,
    /// The fine-tuning run; its seed also draws the labelled rows.
    pub train: TrainConfig,
    /// Fine-tune on every labelled row and hold none out (so there is no UAR): for teaching
    /// the model one person's voice from a few recordings. Default false.
    pub all_rows: bool,
    /// Speaker keys (`corpus/speaker`) left out of the draw and of the test rows. Default: the
    /// development speakers the default settings were chosen on
    /// ([`DEFAULT_DEV_SPEAKERS`](crate::protocol::DEFAULT_DEV_SPEAKERS)); keys not in the table
    /// are ignored. Numeric speaker IDs match by value ([`same_speaker`](crate::data::same_speaker)).
    pub exclude_speakers: Vec<String>,
}

impl Default for FewShotConfig {
    fn default() -> Self {
        FewShotConfig {
            speakers: 2,
            samples_per_emotion: 1,
            train: TrainConfig::finetune(),
            all_rows: false,
            exclude_speakers: crate::protocol::default_dev_speakers(),
        }
    }
}

impl FewShotConfig {
    /// Rejects settings that cannot work for a network with `extractor_layers` extractor layers.
    pub fn validate(&self, extractor_layers: usize) -> Result<()> {
        if self.speakers == 0 || self.speakers > MAX_SPEAKERS {
            return Err(Error::setting("speakers", self.speakers, format!("an integer from 1 to {MAX_SPEAKERS}")));
        }
        if self.samples_per_emotion == 0 || self.samples_per_emotion > MAX_SAMPLES_PER_EMOTION {
            return Err(Error::setting(
                "samples_per_emotion",
                self.samples_per_emotion,
                format!("an integer from 1 to {MAX_SAMPLES_PER_EMOTION}"),
            ));
        }
        if self.exclude_speakers.len() > MAX_SPEAKERS {
            return Err(Error::setting(
                "exclude_speakers",
                self.exclude_speakers.len(),
                format!("at most {MAX_SPEAKERS} speakers"),
            ));
        }
        self.train.validate(extractor_layers)
    }
}

/// A labelled row used for fine-tuning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowRef {
    pub file: String,
    pub speaker: Option<String>,
    pub emotion: Emotion,
}

/// One model measured on the test rows, split by whether their speaker gave labelled rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    /// Rows of speakers who gave no labelled row (`None` if there are none).
    pub unseen: Option<EvalReport>,
    /// The other rows of the speakers who gave labelled rows (`None` if there are none).
    pub seen: Option<EvalReport>,
}

impl Measured {
    /// Both parts together (every test row).
    pub fn all(&self) -> Option<EvalReport> {
        match (&self.unseen, &self.seen) {
            (Some(u), Some(s)) => Some(pool(&[u.clone(), s.clone()], u.speakers + s.speakers)),
            (Some(r), None) | (None, Some(r)) => Some(r.clone()),
            (None, None) => None,
        }
    }
}

/// Everything one fine-tuning measured, for display and download.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FewShotOutcome {
    pub config: FewShotConfig,
    /// The model before fine-tuning, compared with its own references (`None` when every row
    /// was used for fine-tuning).
    pub before: Option<Measured>,
    /// The fine-tuned model, compared with the labelled rows, on the same test rows.
    pub after: Option<Measured>,
    /// The model's logistic-regression baseline adapted to the same labelled rows
    /// ([`FewShot::baseline`]), on the same test rows; `None` if the model has no baseline.
    pub baseline: Option<Measured>,
    pub epochs: Vec<EpochStats>,
    /// Adam steps of the pair loss in all.
    pub steps: usize,
    pub labelled: Vec<RowRef>,
    /// Speakers left out (development speakers found in the table).
    pub excluded_speakers: Vec<String>,
    /// Labelled rows the model already held among its references (a model fine-tuned before on
    /// the same draw: the same seed draws the same rows).
    #[serde(default)]
    pub labelled_known: usize,
    /// The test rows' embeddings before and after fine-tuning, in two dimensions.
    pub embedding: Option<EmbeddingMap>,
}

/// The embeddings g(x) of (up to [`MAP_ROWS`]) test rows — unseen speakers' if there are any —
/// projected to two dimensions (PCA), by the model before and after fine-tuning: the picture
/// of what a Siamese network learns, rows of one emotion close together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmbeddingMap {
    pub emotions: Vec<Emotion>,
    pub before: Projection,
    pub after: Projection,
}

/// Most rows an embedding map shows.
pub const MAP_ROWS: usize = 400;

impl FewShotOutcome {
    /// The outcome as one CSV table (every row has the same 7 columns, so a spreadsheet or
    /// `csv` reader takes it whole): settings first (`setting`, the name under `emotion`, the
    /// value under `before`), then one row per emotion with recall before and after (and of the
    /// baseline) on unseen and on seen speakers, then the confusion matrices, one row per true
    /// and predicted emotion with the counts before and after.
    pub fn to_csv(&self, model: &str, target: &str) -> String {
        let mut s = String::from("measure,part,emotion,predicted,before,after,baseline\n");
        let c = &self.config;
        for (k, v) in [
            ("engine", format!("siamese-ser {}", env!("CARGO_PKG_VERSION"))),
            ("model", model.to_string()),
            ("target", target.to_string()),
            ("speakers", c.speakers.to_string()),
            ("samples_per_emotion", c.samples_per_emotion.to_string()),
            ("frozen_layers", c.train.frozen_layers.to_string()),
            ("distance_loss", c.train.distance_loss.to_string()),
            ("epochs", c.train.epochs.to_string()),
            ("learning_rate", c.train.learning_rate.to_string()),
            ("weight_decay", c.train.weight_decay.to_string()),
            ("input_noise", c.train.input_noise.to_string()),
            ("keep_references", c.train.keep_references.to_string()),
            ("seed", c.train.seed.to_string()),
            ("steps", self.steps.to_string()),
            ("excluded_speakers", self.excluded_speakers.join(" ")),
        ] {
            s += &format!("setting,,{k},,{},,\n", csv_cell(&v));
        }
        let (Some(before), Some(after)) = (&self.before, &self.after) else {
            return s; // nothing was held out, so nothing was measured
        };
        type Part = fn(&Measured) -> Option<&EvalReport>;
        let parts: [(&str, Part); 2] =
            [("unseen_speakers", |m| m.unseen.as_ref()), ("seen_speakers", |m| m.seen.as_ref())];
        for (part, get) in parts {
            let (Some(b), Some(a)) = (get(before), get(after)) else { continue };
            let base = self.baseline.as_ref().and_then(|m| get(m));
            let fmt = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.4}"));
            for e in Emotion::ALL {
                let r = |rep: Option<&EvalReport>| fmt(rep.and_then(|r| r.recall[e.index()]));
                s += &format!("recall,{part},{},,{},{},{}\n", e.name(), r(Some(b)), r(Some(a)), r(base));
            }
            s += &format!("uar,{part},all,,{},{},{}\n", fmt(Some(b.uar)), fmt(Some(a.uar)), fmt(base.map(|r| r.uar)));
            s += &format!("test_rows,{part},all,,{},{},{}\n", b.rows, a.rows, base.map_or(0, |r| r.rows));
            s += &format!(
                "test_speakers,{part},all,,{},{},{}\n",
                b.speakers,
                a.speakers,
                base.map_or(0, |r| r.speakers)
            );
            for t in Emotion::ALL {
                for p in Emotion::ALL {
                    let (i, j) = (t.index(), p.index());
                    s += &format!(
                        "confusion,{part},{},{},{},{},\n",
                        t.name(),
                        p.name(),
                        b.confusion[i][j],
                        a.confusion[i][j]
                    );
                }
            }
        }
        s
    }
}

/// Quotes a CSV cell if it needs it.
fn csv_cell(v: &str) -> String {
    if v.contains([',', '"', '\n']) { format!("\"{}\"", v.replace('"', "\"\"")) } else { v.to_string() }
}

/// A fine-tuning in progress, with its labelled rows and the test rows it is measured on.
#[derive(Debug, Clone)]
pub struct FewShot {
    labelled: Dataset,
    /// Standardised features of the labelled rows.
    labelled_z: Array2<f32>,
    tests: TestSet,
    training: Training,
    excluded: Vec<String>,
}

/// The test rows of a fine-tuning, split by whether their speaker gave labelled rows.
#[derive(Debug, Clone)]
struct TestSet {
    rows: Dataset,
    /// Standardised features of the rows.
    z: Array2<f32>,
    /// Indices into `rows` of rows whose speaker gave no labelled row, and of the others.
    unseen: Vec<usize>,
    seen: Vec<usize>,
}

impl TestSet {
    fn measure(&self, r: &Recognizer) -> Result<Measured> {
        self.measure_with(|z| Ok(r.classify_standardized(z)?.into_iter().map(|p| p.emotion).collect()))
    }

    fn measure_with(&self, predict: impl Fn(ArrayView2<f32>) -> Result<Vec<Emotion>>) -> Result<Measured> {
        let part = |rows: &[usize]| -> Result<Option<EvalReport>> {
            if rows.is_empty() {
                return Ok(None);
            }
            let z = self.z.select(Axis(0), rows);
            let ds = self.rows.select(rows);
            let truth: Vec<Emotion> = ds.emotion.iter().map(|e| e.expect("test rows are labelled")).collect();
            let predicted = predict(z.view())?;
            Ok(Some(evaluate(&truth, &predicted, ds.speakers().len())))
        };
        Ok(Measured { unseen: part(&self.unseen)?, seen: part(&self.seen)? })
    }
}

impl FewShot {
    /// Draws labelled rows from `table` as `config` says and starts fine-tuning `base` on them.
    pub fn draw(base: &Recognizer, table: &Dataset, config: &FewShotConfig) -> Result<FewShot> {
        config.validate(base.net.extractor.len())?;
        let z_all = base.standardize(table)?;
        if config.all_rows {
            let rows = table.labelled();
            if rows.is_empty() {
                return Err(Error::data("fine-tuning", "labelled rows", "the target file has none"));
            }
            let target = table.select(&rows);
            return FewShot::new(
                base,
                &target,
                &z_all.select(Axis(0), &rows),
                &rows_of(rows.len()),
                &[],
                &config.train,
            );
        }
        if config.speakers * config.samples_per_emotion < 2 {
            return Err(Error::data(
                format!(
                    "drawing {} with {}",
                    plural(config.speakers, "speaker"),
                    samples_per_emotion(config.samples_per_emotion)
                ),
                "two labelled rows of each emotion, to form same-emotion pairs",
                "draw 2 or more speakers, or 2 or more samples per emotion",
            ));
        }
        let excluded = table.speakers_named(&config.exclude_speakers);
        let rows: Vec<usize> =
            table.labelled().into_iter().filter(|&i| !excluded.contains(&table.speaker_key(i))).collect();
        if rows.is_empty() {
            return Err(Error::data(
                "fine-tuning",
                "labelled rows",
                if excluded.is_empty() {
                    "the target file has none".to_string()
                } else {
                    format!("the target file has none outside the excluded speakers ({})", excluded.join(", "))
                },
            ));
        }
        let target = table.select(&rows);
        let z = z_all.select(Axis(0), &rows);
        let known: Vec<(String, Vec<usize>)> =
            target.speaker_groups().into_iter().filter(|(_, r)| target.speaker[r[0]].is_some()).collect();
        let eligible = speakers_with_every_emotion(&known, &target.emotion, config.samples_per_emotion);
        if config.speakers > eligible.len() {
            return Err(Error::data(
                format!("drawing {}", plural(config.speakers, "speaker")),
                format!(
                    "as many speakers with at least {} of every emotion",
                    plural(config.samples_per_emotion, "labelled row")
                ),
                format!("the target has {}", plural(eligible.len(), "such speaker")),
            ));
        }
        let refs: Vec<&[usize]> = known.iter().map(|(_, r)| r.as_slice()).collect();
        let mut draw_rng = rng(config.train.seed, &[stream::FINETUNE_DRAW]);
        let labelled =
            draw_kshot(&mut draw_rng, &refs, &eligible, &target.emotion, config.speakers, config.samples_per_emotion);
        let test: Vec<usize> = (0..target.len()).filter(|i| labelled.binary_search(i).is_err()).collect();
        if test.is_empty() {
            return Err(Error::data(
                "measuring UAR",
                "test rows that were not used for fine-tuning",
                "every labelled row would be used; choose fewer speakers or fewer samples per emotion",
            ));
        }
        let mut run = FewShot::new(base, &target, &z, &labelled, &test, &config.train)?;
        run.excluded = excluded;
        Ok(run)
    }

    /// Starts fine-tuning `base` on rows `labelled` of `target` (whose standardised features
    /// are `z`), to be tested on rows `test`. Keeps only those rows, not the whole table.
    pub fn new(
        base: &Recognizer,
        target: &Dataset,
        z: &Array2<f32>,
        labelled: &[usize],
        test: &[usize],
        train: &TrainConfig,
    ) -> Result<FewShot> {
        let labels: Vec<Emotion> = labelled
            .iter()
            .map(|&i| target.emotion[i].ok_or(Error::OutOfOrder("a fine-tuning row has no label")))
            .collect::<Result<_>>()?;
        let labelled_rows = target.select(labelled);
        let labelled_z = z.select(Axis(0), labelled);
        let training = base.start_finetuning(labelled_z.clone(), &labels, &labelled_rows, train)?;
        let test_rows = target.select(test);
        let labelled_speakers = labelled_rows.speakers();
        let (seen, unseen): (Vec<usize>, Vec<usize>) = (0..test_rows.len()).partition(|&i| {
            test_rows.speaker[i].is_some() && labelled_speakers.binary_search(&test_rows.speaker_key(i)).is_ok()
        });
        Ok(FewShot {
            labelled: labelled_rows,
            labelled_z,
            tests: TestSet { rows: test_rows, z: z.select(Axis(0), test), unseen, seen },
            training,
            excluded: vec![],
        })
    }

    /// The labelled rows, as a dataset (file names, speakers, emotions).
    pub fn labelled_rows(&self) -> &Dataset {
        &self.labelled
    }

    /// The labelled rows' z-scores and emotions.
    pub fn labelled_z(&self) -> (&Array2<f32>, Vec<Emotion>) {
        (&self.labelled_z, self.labelled.emotion.iter().map(|e| e.expect("labelled")).collect())
    }

    /// The labelled rows in the form the page lists them.
    pub fn labelled_refs(&self) -> Vec<RowRef> {
        let rows = &self.labelled;
        (0..rows.len())
            .map(|i| RowRef {
                file: rows.file[i].clone(),
                speaker: rows.speaker[i].clone(),
                emotion: rows.emotion[i].expect("drawn rows are labelled"),
            })
            .collect()
    }

    /// The test rows, as a dataset.
    pub fn test_rows(&self) -> &Dataset {
        &self.tests.rows
    }

    /// Speakers left out of the draw and the test rows.
    pub fn excluded_speakers(&self) -> &[String] {
        &self.excluded
    }

    /// True if rows are held out for testing (not in `all_rows` mode).
    pub fn has_test_rows(&self) -> bool {
        !self.tests.rows.is_empty()
    }

    /// Adam steps of the pair loss per epoch.
    pub fn steps_per_epoch(&self) -> usize {
        self.training.batches_per_epoch()
    }

    /// `base` (the recogniser before fine-tuning, with its own references) on the test rows:
    /// the "before" figures. `None` if no rows are held out.
    pub fn evaluate_base(&self, base: &Recognizer) -> Result<Option<Measured>> {
        if !self.has_test_rows() {
            return Ok(None);
        }
        self.tests.measure(base).map(Some)
    }

    /// The logistic-regression baseline for this draw: `base`'s baseline (trained on its source
    /// rows) adapted to the labelled rows with the source weights as its prior, measured on the
    /// test rows. `None` if `base` has no baseline or no rows are held out.
    pub fn baseline(&self, base: &Recognizer) -> Result<Option<Measured>> {
        self.baseline_on_tests(self.adapted_baseline(base)?.as_ref())
    }

    /// `lr` on the test rows; `None` without `lr` or without test rows.
    pub fn baseline_on_tests(&self, lr: Option<&LogisticRegression>) -> Result<Option<Measured>> {
        match lr {
            Some(lr) if self.has_test_rows() => self.measure_baseline(lr).map(Some),
            _ => Ok(None),
        }
    }

    /// `base`'s baseline adapted to the labelled rows, its source weights as the prior: the
    /// baseline a model fine-tuned on these rows is compared with, and carries in its weights
    /// file (so that Predict sets it beside the like baseline). `None` if `base` has none.
    pub fn adapted_baseline(&self, base: &Recognizer) -> Result<Option<LogisticRegression>> {
        let Some(prior) = &base.baseline else { return Ok(None) };
        let (z, labels) = self.labelled_z();
        LogisticRegression::fit(z.view(), &labels, prior.config, Some(prior), None).map(Some)
    }

    /// A given baseline (e.g. one trained on source plus labelled rows) on the test rows.
    pub fn measure_baseline(&self, lr: &LogisticRegression) -> Result<Measured> {
        self.tests.measure_with(|z| Ok(lr.predict(z)))
    }

    /// The test rows a map shows (unseen speakers' if any, else all; at most [`MAP_ROWS`],
    /// evenly spaced) and their emotions.
    fn map_rows(&self) -> (Vec<usize>, Vec<Emotion>) {
        let t = &self.tests;
        let pool: Vec<usize> = if t.unseen.is_empty() { (0..t.rows.len()).collect() } else { t.unseen.clone() };
        let step = pool.len().div_ceil(MAP_ROWS).max(1);
        let rows: Vec<usize> = pool.into_iter().step_by(step).collect();
        let emotions = rows.iter().map(|&i| t.rows.emotion[i].expect("test rows are labelled")).collect();
        (rows, emotions)
    }

    /// The map's rows embedded by `net`, projected to two dimensions (`None` without test rows).
    pub fn project(&self, net: &SiameseNet<f32>) -> Option<(Vec<Emotion>, Projection)> {
        if !self.has_test_rows() {
            return None;
        }
        let (rows, emotions) = self.map_rows();
        let g = net.embed(self.tests.z.select(Axis(0), &rows).view());
        Some((emotions, project_2d(g.view())))
    }

    /// Runs one epoch.
    pub fn step_epoch(&mut self) -> Result<EpochStats> {
        self.training.step_epoch()
    }

    /// Runs the remaining epochs.
    pub fn run(&mut self) -> Result<Vec<EpochStats>> {
        self.training.run()
    }

    /// True when all epochs have run.
    pub fn is_done(&self) -> bool {
        self.training.is_done()
    }

    /// The network as trained so far.
    pub fn current_net(&self) -> &SiameseNet<f32> {
        self.training.net()
    }

    /// Epochs completed and configured.
    pub fn progress(&self) -> (usize, usize) {
        (self.training.epochs_done(), self.training.epochs())
    }

    /// The fine-tuned recogniser (as trained so far) and its measurements on the test rows
    /// (`None` if no rows are held out).
    pub fn finish(self) -> Result<(Recognizer, Option<Measured>)> {
        let FewShot { tests, training, .. } = self;
        let tuned = training.finish();
        if tests.rows.is_empty() {
            return Ok((tuned, None));
        }
        let m = tests.measure(&tuned)?;
        Ok((tuned, Some(m)))
    }
}

/// A fine-tuning as a person runs it once (the page, the CLI): the draw, the "before" and
/// baseline figures and the embedding map measured at the start, training a few epochs at a
/// time, and at the end one [`FewShotOutcome`] and the fine-tuned recogniser.
#[derive(Debug)]
pub struct Session {
    run: Option<FewShot>,
    config: FewShotConfig,
    before: Option<Measured>,
    baseline: Option<Measured>,
    /// The base's baseline adapted to the labelled rows: the fine-tuned model's.
    adapted: Option<LogisticRegression>,
    labelled: Vec<RowRef>,
    labelled_known: usize,
    excluded: Vec<String>,
    steps_per_epoch: usize,
    /// The test rows' embedding map by the model before fine-tuning.
    map_before: Option<(Vec<Emotion>, Projection)>,
    epochs: Vec<EpochStats>,
    tuned: Option<Recognizer>,
    outcome: Option<FewShotOutcome>,
}

impl Session {
    /// Draws the labelled rows from `table`, measures `base` and its logistic-regression
    /// baseline (adapted to the labelled rows) on the test rows, and prepares training.
    pub fn start(base: &Recognizer, table: &Dataset, config: FewShotConfig) -> Result<Session> {
        let run = FewShot::draw(base, table, &config)?;
        let adapted = run.adapted_baseline(base)?;
        Ok(Session {
            before: run.evaluate_base(base)?,
            baseline: run.baseline_on_tests(adapted.as_ref())?,
            adapted,
            map_before: run.project(&base.net),
            labelled: run.labelled_refs(),
            labelled_known: base.known_references(run.labelled_z().0.view()),
            excluded: run.excluded_speakers().to_vec(),
            steps_per_epoch: run.steps_per_epoch(),
            run: Some(run),
            config,
            epochs: vec![],
            tuned: None,
            outcome: None,
        })
    }

    /// The "before" figures: the model as loaded, on the test rows.
    pub fn before(&self) -> Option<&Measured> {
        self.before.as_ref()
    }

    /// The labelled rows drawn for fine-tuning.
    pub fn labelled(&self) -> &[RowRef] {
        &self.labelled
    }

    /// Runs up to `max_epochs` (at least one) more epochs; returns their statistics, none once
    /// training is done.
    pub fn step(&mut self, max_epochs: usize) -> Result<Vec<EpochStats>> {
        let Some(run) = self.run.as_mut() else { return Err(Error::OutOfOrder("this fine-tuning has finished")) };
        let mut out = Vec::new();
        for _ in 0..max_epochs.max(1) {
            if run.is_done() {
                break;
            }
            out.push(run.step_epoch()?);
        }
        self.epochs.extend(out.iter().cloned());
        Ok(out)
    }

    /// Epochs completed.
    pub fn epochs_done(&self) -> usize {
        self.run.as_ref().map_or(self.config.train.epochs, |r| r.progress().0)
    }

    /// Epochs configured.
    pub fn epochs(&self) -> usize {
        self.config.train.epochs
    }

    /// True when every epoch has run (or the session has finished).
    pub fn is_done(&self) -> bool {
        self.run.as_ref().is_none_or(|r| r.is_done())
    }

    /// Measures the fine-tuned model on the test rows and returns the outcome. Training stops
    /// where it is (finishing early keeps the epochs run so far); later calls return the same.
    pub fn finish(&mut self) -> Result<&FewShotOutcome> {
        if let Some(run) = self.run.take() {
            let map_after = run.project(run.current_net());
            let corpora = run.test_rows().corpora().join(", ");
            let (mut tuned, after) = run.finish()?;
            tuned.baseline = self.adapted.clone().or(tuned.baseline);
            tuned.record(measured_metrics(
                &[
                    ("uar_after_finetuning", &after),
                    ("uar_before_finetuning", &self.before),
                    ("baseline_uar", &self.baseline),
                ],
                &corpora,
            ));
            let embedding = match (self.map_before.take(), map_after) {
                (Some((emotions, before)), Some((_, after))) => Some(EmbeddingMap { emotions, before, after }),
                _ => None,
            };
            self.tuned = Some(tuned);
            let epochs = std::mem::take(&mut self.epochs);
            self.outcome = Some(FewShotOutcome {
                config: self.config.clone(),
                before: self.before.clone(),
                after,
                baseline: self.baseline.clone(),
                steps: self.steps_per_epoch * epochs.len(),
                epochs,
                labelled: self.labelled.clone(),
                labelled_known: self.labelled_known,
                excluded_speakers: self.excluded.clone(),
                embedding,
            });
        }
        self.outcome.as_ref().ok_or(Error::OutOfOrder("the fine-tuning has no outcome"))
    }

    /// The outcome, once [`finish`](Self::finish) has run.
    pub fn outcome(&self) -> Option<&FewShotOutcome> {
        self.outcome.as_ref()
    }

    /// The fine-tuned recogniser, once [`finish`](Self::finish) has run.
    pub fn tuned(&self) -> Option<&Recognizer> {
        self.tuned.as_ref()
    }
}

/// What a fine-tuned model's weights file keeps of its session: each named measurement on
/// each part of the test rows (unseen speakers' first), saying which rows of `corpora`.
fn measured_metrics(measured: &[(&str, &Option<Measured>)], corpora: &str) -> Vec<Metric> {
    let mut out = Vec::new();
    for unseen in [true, false] {
        for (name, m) in measured {
            let part = m.as_ref().and_then(|m| if unseen { m.unseen.as_ref() } else { m.seen.as_ref() });
            let Some(r) = part else { continue };
            let (rows, speakers) = (plural(r.rows, "row"), plural(r.speakers, "speaker"));
            let on = if unseen {
                format!("{rows} of {speakers} who gave no labelled row, in {corpora}")
            } else {
                format!("{rows} not fine-tuned on, of the {speakers} who gave the labelled rows, in {corpora}")
            };
            out.push(Metric { name: name.to_string(), value: r.uar, on });
        }
    }
    out
}

/// `0..n` as a vector.
fn rows_of(n: usize) -> Vec<usize> {
    (0..n).collect()
}

/// "1 speaker", "3 speakers".
pub fn plural(n: usize, one: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") }
}

/// "1 sample per emotion", "2 samples per emotion".
pub fn samples_per_emotion(n: usize) -> String {
    if n == 1 { "1 sample per emotion".into() } else { format!("{n} samples per emotion") }
}
