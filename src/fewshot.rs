//! Few-shot fine-tuning of a recogniser on one target table — the paper's fine-tuning step,
//! as a person does it once on their own data (the page) and as the protocol repeats it.
//!
//! [`FewShot::draw`] picks the labelled rows the paper's way: `speakers` speakers at random,
//! then `samples_per_emotion` random rows of each emotion from each; every other labelled row
//! of the table is a test row. The whole table is standardised first, so per-speaker
//! statistics use all of a speaker's rows (features only, never labels). Training then runs
//! one epoch per [`FewShot::step_epoch`]; [`FewShot::finish`] returns the fine-tuned
//! recogniser and its UAR on the test rows.

use crate::config::TrainConfig;
use crate::data::{Dataset, Emotion};
use crate::error::{Error, Result};
use crate::protocol::{draw_kshot, speakers_with_every_emotion};
use crate::recognizer::{Recognizer, Training, evaluate_rows};
use crate::report::{EpochStats, EvalReport};
use crate::rng::{rng, stream};
use ndarray::{Array2, Axis};
use serde::{Deserialize, Serialize};

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
}

impl Default for FewShotConfig {
    fn default() -> Self {
        FewShotConfig { speakers: 2, samples_per_emotion: 1, train: TrainConfig::finetune(), all_rows: false }
    }
}

/// A labelled row used for fine-tuning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowRef {
    pub file: String,
    pub speaker: Option<String>,
    pub emotion: Emotion,
}

/// Everything one fine-tuning measured, for display and download.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FewShotOutcome {
    pub config: FewShotConfig,
    /// The model before fine-tuning, compared with its own references, on the test rows
    /// (`None` when every row was used for fine-tuning).
    pub before: Option<EvalReport>,
    /// The fine-tuned model, compared with the labelled rows, on the same test rows.
    pub after: Option<EvalReport>,
    pub epochs: Vec<EpochStats>,
    pub labelled: Vec<RowRef>,
}

impl FewShotOutcome {
    /// The outcome as CSV: one row per emotion with recall before and after, then the two
    /// confusion matrices (rows: true emotion, columns: predicted).
    pub fn to_csv(&self) -> String {
        let mut s = String::from("measure,emotion,before,after\n");
        let (Some(before), Some(after)) = (&self.before, &self.after) else {
            return s; // nothing was held out, so nothing was measured
        };
        for e in Emotion::ALL {
            let r = |rep: &EvalReport| rep.recall[e.index()].map_or(String::new(), |v| format!("{v:.4}"));
            s += &format!("recall,{},{},{}\n", e.name(), r(before), r(after));
        }
        s += &format!("uar,all,{:.4},{:.4}\n", before.uar, after.uar);
        s += &format!("test_rows,all,{},{}\n", before.rows, after.rows);
        s += &format!("test_speakers,all,{},{}\n", before.speakers, after.speakers);
        for (name, rep) in [("before", before), ("after", after)] {
            s += &format!("\nconfusion_{name},true \\ predicted,angry,happy,sad,fearful\n");
            for t in Emotion::ALL {
                let row: Vec<String> = rep.confusion[t.index()].iter().map(|c| c.to_string()).collect();
                s += &format!("confusion_{name},{},{}\n", t.name(), row.join(","));
            }
        }
        s
    }
}

/// A fine-tuning in progress, with its labelled rows and the test rows it is measured on.
#[derive(Debug, Clone)]
pub struct FewShot {
    labelled: Dataset,
    test: Dataset,
    /// Standardised features of the test rows.
    test_z: Array2<f32>,
    training: Training,
}

impl FewShot {
    /// Draws labelled rows from `table` as `config` says and starts fine-tuning `base` on them.
    pub fn draw(base: &Recognizer, table: &Dataset, config: &FewShotConfig) -> Result<FewShot> {
        if config.speakers == 0 || config.speakers > 10_000 {
            return Err(Error::setting("speakers", config.speakers, "an integer from 1 to 10000"));
        }
        if config.samples_per_emotion == 0 || config.samples_per_emotion > 1000 {
            return Err(Error::setting("samples_per_emotion", config.samples_per_emotion, "an integer from 1 to 1000"));
        }
        config.train.validate(base.net.extractor.len())?;
        let rows = table.labelled();
        if rows.is_empty() {
            return Err(Error::Protocol("the target file has no labelled rows to fine-tune on".into()));
        }
        let target = table.select(&rows);
        // Standardise with every row of the table in view (unlabelled ones too), then keep the
        // labelled ones.
        let z = base.standardize(table).select(Axis(0), &rows);
        if config.all_rows {
            let all: Vec<usize> = (0..target.len()).collect();
            return FewShot::new(base, &target, &z, &all, &[], &config.train);
        }
        let groups = target.speaker_groups();
        let eligible = speakers_with_every_emotion(&groups, &target.emotion, config.samples_per_emotion);
        if config.speakers > eligible.len() {
            return Err(Error::Protocol(format!(
                "{} speakers were asked for, but only {} speaker(s) in the target file have at least {} labelled row(s) \
                 of every emotion",
                config.speakers,
                eligible.len(),
                config.samples_per_emotion
            )));
        }
        let refs: Vec<&[usize]> = groups.iter().map(|(_, r)| r.as_slice()).collect();
        let mut draw_rng = rng(config.train.seed, &[stream::FINETUNE_DRAW]);
        let labelled =
            draw_kshot(&mut draw_rng, &refs, &eligible, &target.emotion, config.speakers, config.samples_per_emotion);
        let test: Vec<usize> = (0..target.len()).filter(|i| labelled.binary_search(i).is_err()).collect();
        if test.is_empty() {
            return Err(Error::Protocol(
                "every labelled row would be used for fine-tuning, leaving none to measure UAR on; \
                 choose fewer speakers or fewer samples per emotion"
                    .into(),
            ));
        }
        FewShot::new(base, &target, &z, &labelled, &test, &config.train)
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
            .map(|&i| target.emotion[i].ok_or_else(|| Error::Protocol("a fine-tuning row has no label".into())))
            .collect::<Result<_>>()?;
        let labelled_rows = target.select(labelled);
        let training = base.start_finetuning(z.select(Axis(0), labelled), &labels, &labelled_rows, train)?;
        Ok(FewShot { labelled: labelled_rows, test: target.select(test), test_z: z.select(Axis(0), test), training })
    }

    /// The labelled rows, as a dataset (file names, speakers, emotions).
    pub fn labelled_rows(&self) -> &Dataset {
        &self.labelled
    }

    /// The test rows, as a dataset.
    pub fn test_rows(&self) -> &Dataset {
        &self.test
    }

    /// True if rows are held out for testing (not in `all_rows` mode).
    pub fn has_test_rows(&self) -> bool {
        !self.test.is_empty()
    }

    /// UAR of `base` (the recogniser before fine-tuning, with its own references) on the test
    /// rows: the "before" figure. `None` if no rows are held out.
    pub fn evaluate_base(&self, base: &Recognizer) -> Result<Option<EvalReport>> {
        if self.test.is_empty() {
            return Ok(None);
        }
        evaluate_all(base, &self.test_z, &self.test).map(Some)
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

    /// Epochs completed and configured.
    pub fn progress(&self) -> (usize, usize) {
        (self.training.epochs_done(), self.training.epochs())
    }

    /// The fine-tuned recogniser (as trained so far) and its UAR on the test rows (`None` if
    /// no rows are held out).
    pub fn finish(self) -> Result<(Recognizer, Option<EvalReport>)> {
        let FewShot { test, test_z, training, .. } = self;
        let tuned = training.finish();
        if test.is_empty() {
            return Ok((tuned, None));
        }
        let report = evaluate_all(&tuned, &test_z, &test)?;
        Ok((tuned, Some(report)))
    }
}

/// UAR of `recognizer` on every row of `rows`, whose standardised features are `z`.
fn evaluate_all(recognizer: &Recognizer, z: &Array2<f32>, rows: &Dataset) -> Result<EvalReport> {
    let all: Vec<usize> = (0..rows.len()).collect();
    evaluate_rows(recognizer, z, rows, &all)
}
