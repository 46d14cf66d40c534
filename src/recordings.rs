//! Recordings a person brings — WAV files or microphone clips — turned into feature rows, and
//! what the page does with one person's clips: predict a new utterance in the company of the
//! clips (so it is standardised as that speaker), and estimate how well a model fine-tuned on
//! the clips recognises clips it has not heard ([`HeldOut`]).
//!
//! The estimate is cross-validation over the labelled clips: they are split into at most
//! [`MAX_FOLDS`] folds, stratified by emotion; for each fold the model is fine-tuned on the
//! other clips exactly as "teach it your voice" fine-tunes on all of them, and the fold's clips
//! are predicted. Beside it stand the model before fine-tuning and its logistic-regression
//! baseline adapted to the same clips, on the same folds. With one speaker's clips this says
//! how well the model knows that voice, not how it would do on other people.

use crate::audio::{decode_wav, features, recording_row};
use crate::data::{Dataset, Emotion, FeatureRow, N_EMOTIONS};
use crate::error::{Error, Result};
use crate::eval::pool;
use crate::fewshot::{FewShot, FewShotConfig, plural};
use crate::recognizer::{Metric, Recognizer};
use crate::report::{EvalReport, PredictionRow};
use crate::rng::{rng, stream};
use ndarray::{Array2, Axis};
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

/// What is known about one recording, as the page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordingInfo {
    pub file: String,
    pub seconds: f64,
    pub sample_rate: u32,
    pub channels: u16,
    pub emotion: Option<Emotion>,
    pub speaker: Option<String>,
    pub corpus: String,
    /// An emotion the file name gives that is not one of the four (the row stays unlabelled).
    pub other_emotion: Option<&'static str>,
}

/// What the audio of a recording was (its feature row holds the rest).
#[derive(Debug, Clone)]
struct Audio {
    seconds: f64,
    sample_rate: u32,
    channels: u16,
    other_emotion: Option<&'static str>,
}

/// Recordings turned into feature rows, in the order they were added.
#[derive(Debug, Clone, Default)]
pub struct Recordings {
    rows: Vec<FeatureRow>,
    audio: Vec<Audio>,
}

impl Recordings {
    /// No recordings yet.
    pub fn new() -> Recordings {
        Recordings::default()
    }

    /// Keeps a recording; returns what the page shows about it.
    fn push(&mut self, row: FeatureRow, audio: Audio) -> RecordingInfo {
        self.rows.push(row);
        self.audio.push(audio);
        self.info(self.rows.len() - 1)
    }

    /// What the page shows about recording `i`.
    fn info(&self, i: usize) -> RecordingInfo {
        let (row, audio) = (&self.rows[i], &self.audio[i]);
        RecordingInfo {
            file: row.file.clone(),
            seconds: audio.seconds,
            sample_rate: audio.sample_rate,
            channels: audio.channels,
            emotion: row.emotion,
            speaker: row.speaker.clone(),
            corpus: row.corpus.clone(),
            other_emotion: audio.other_emotion,
        }
    }

    /// Decodes a WAV file, converts it to 16 kHz and computes its features. Emotion and speaker
    /// come from the file name when it follows a known corpus's convention. Errors name the file.
    pub fn add_wav(&mut self, name: &str, bytes: &[u8]) -> Result<RecordingInfo> {
        let named = |e: Error| Error::File { file: name.to_string(), source: Box::new(e) };
        let wav = decode_wav(bytes).map_err(named)?;
        let f = features(&wav.samples, wav.sample_rate).map_err(named)?;
        let (row, other_emotion) = recording_row(name, f, "recordings");
        let audio =
            Audio { seconds: wav.seconds(), sample_rate: wav.sample_rate, channels: wav.channels, other_emotion };
        Ok(self.push(row, audio))
    }

    /// Adds a clip of mono `samples` at `rate` Hz (the microphone's) labelled `emotion`, spoken
    /// by `speaker` ("" for unknown).
    pub fn add_clip(
        &mut self,
        name: &str,
        samples: &[f32],
        rate: u32,
        emotion: Option<Emotion>,
        speaker: &str,
    ) -> Result<RecordingInfo> {
        let row = clip_row(name, samples, rate, emotion, speaker)?;
        let audio =
            Audio { seconds: samples.len() as f64 / rate as f64, sample_rate: rate, channels: 1, other_emotion: None };
        Ok(self.push(row, audio))
    }

    /// Sets the emotion (`None` = unlabelled) and speaker ("" = unknown) of recording `index`.
    pub fn set_label(&mut self, index: usize, emotion: Option<Emotion>, speaker: &str) -> Result<()> {
        let row = self.rows.get_mut(index).ok_or(Error::OutOfOrder("there is no such recording"))?;
        row.emotion = emotion;
        row.speaker = Some(speaker.trim().to_string()).filter(|s| !s.is_empty());
        Ok(())
    }

    /// Removes recording `index`.
    pub fn remove(&mut self, index: usize) -> Result<()> {
        if index >= self.rows.len() {
            return Err(Error::OutOfOrder("there is no such recording"));
        }
        self.rows.remove(index);
        self.audio.remove(index);
        Ok(())
    }

    /// Recordings held.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// What is known about each recording.
    pub fn list(&self) -> Vec<RecordingInfo> {
        (0..self.rows.len()).map(|i| self.info(i)).collect()
    }

    /// The labelled recordings of each emotion, in the fixed emotion order.
    pub fn counts(&self) -> [usize; N_EMOTIONS] {
        let mut n = [0; N_EMOTIONS];
        for e in self.rows.iter().filter_map(|r| r.emotion) {
            n[e.index()] += 1;
        }
        n
    }

    /// A name for the next clip of `emotion` ("angry-3"; "clip-2" when unlabelled) that no
    /// recording has, so that deleting and recording again never repeats one.
    pub fn next_clip_name(&self, emotion: Option<Emotion>) -> String {
        let stem = emotion.map_or("clip", |e| e.name());
        (1..).map(|i| format!("{stem}-{i}")).find(|n| !self.rows.iter().any(|r| &r.file == n)).expect("unbounded")
    }

    /// The recordings as a feature table, for fine-tuning, the experiment or prediction.
    pub fn dataset(&self) -> Result<Dataset> {
        if self.rows.is_empty() {
            return Err(Error::data("a table of recordings", "at least one recording", "there are none yet"));
        }
        Dataset::from_rows(&self.rows)
    }

    /// Predicts the emotion of one utterance (mono `samples` at `rate` Hz) with `model`. The
    /// utterance is standardised together with these recordings (the same speaker), as the
    /// model was fine-tuned on them.
    pub fn predict_clip(&self, model: &Recognizer, samples: &[f32], rate: u32, speaker: &str) -> Result<PredictionRow> {
        let mut rows = self.rows.clone();
        rows.push(clip_row("live", samples, rate, None, speaker)?);
        let ds = Dataset::from_rows(&rows)?;
        let mut predicted = model.predict(&ds)?;
        predicted.pop().ok_or(Error::OutOfOrder("one row was added"))
    }
}

/// The feature row of a microphone clip.
fn clip_row(name: &str, samples: &[f32], rate: u32, emotion: Option<Emotion>, speaker: &str) -> Result<FeatureRow> {
    crate::audio::wav::check_rate(rate)?;
    crate::audio::wav::check_length(samples.len(), rate)?;
    Ok(FeatureRow {
        file: name.to_string(),
        corpus: "microphone".into(),
        speaker: Some(speaker.trim().to_string()).filter(|s| !s.is_empty()),
        emotion,
        features: features(samples, rate)?,
    })
}

/// Most folds of the held-out estimate (leave-one-out below this many labelled clips).
pub const MAX_FOLDS: usize = 10;

/// How well a model fine-tuned on a person's clips recognises clips it was not fine-tuned on
/// (every labelled clip predicted once, by a model fine-tuned without it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldOutEstimate {
    pub folds: usize,
    /// The fine-tuned models, each on the clips it did not see, pooled.
    pub tuned: EvalReport,
    /// The model before fine-tuning on the same clips (its own references).
    pub before: EvalReport,
    /// The model's logistic-regression baseline adapted to the same training clips, on the same
    /// folds (`None` if the model has none).
    pub baseline: Option<EvalReport>,
    /// UAR of guessing among the four emotions.
    pub chance: f64,
}

/// The held-out estimate in progress: one fold per [`step`](HeldOut::step).
#[derive(Debug, Clone)]
pub struct HeldOut {
    base: Recognizer,
    config: FewShotConfig,
    rows: Dataset,
    z: Array2<f32>,
    folds: Vec<Vec<usize>>,
    tuned: Vec<EvalReport>,
    before: Vec<EvalReport>,
    baseline: Vec<EvalReport>,
}

impl HeldOut {
    /// Prepares the estimate for fine-tuning `base` on the labelled rows of `recordings` with
    /// `config`'s training settings (its draw settings are not used: every clip but a fold's
    /// trains). Needs two labelled clips.
    pub fn start(base: &Recognizer, recordings: &Dataset, config: &FewShotConfig) -> Result<HeldOut> {
        config.validate(base.net.extractor.len())?;
        let labelled = recordings.labelled();
        if labelled.len() < 2 {
            return Err(Error::data(
                "estimating accuracy on clips held out",
                "at least two labelled clips",
                format!("there {}", if labelled.len() == 1 { "is one".to_string() } else { "are none".to_string() }),
            ));
        }
        // Standardised together, as fine-tuning on all of them does (features only, no labels).
        let z = base.standardize(recordings)?.select(Axis(0), &labelled);
        let rows = recordings.select(&labelled);
        let k = rows.len().min(MAX_FOLDS);
        // Stratified: each emotion's clips shuffled, then dealt to the folds in turn.
        let mut order: Vec<usize> = Vec::with_capacity(rows.len());
        let mut r = rng(config.train.seed, &[stream::HELD_OUT]);
        for e in Emotion::ALL {
            let mut of: Vec<usize> = (0..rows.len()).filter(|&i| rows.emotion[i] == Some(e)).collect();
            of.shuffle(&mut r);
            order.extend(of);
        }
        let mut folds = vec![Vec::new(); k];
        for (p, i) in order.into_iter().enumerate() {
            folds[p % k].push(i);
        }
        for f in &mut folds {
            f.sort_unstable();
        }
        Ok(HeldOut {
            base: base.clone(),
            config: config.clone(),
            rows,
            z,
            folds,
            tuned: vec![],
            before: vec![],
            baseline: vec![],
        })
    }

    /// Folds done and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.tuned.len(), self.folds.len())
    }

    /// True when every fold has run.
    pub fn is_done(&self) -> bool {
        self.tuned.len() == self.folds.len()
    }

    /// Fine-tunes without the next fold and predicts it.
    pub fn step(&mut self) -> Result<()> {
        let Some(test) = self.folds.get(self.tuned.len()) else { return Ok(()) };
        let train: Vec<usize> = (0..self.rows.len()).filter(|i| test.binary_search(i).is_err()).collect();
        let fold = self.tuned.len() + 1;
        let context = |e: Error| match e {
            Error::NotEnoughData { what, needed, found } => Error::NotEnoughData {
                what: format!("{what} (estimating accuracy: fold {fold} of {})", self.folds.len()),
                needed,
                found: format!("{found}; record more clips of each emotion"),
            },
            e => e,
        };
        let mut run =
            FewShot::new(&self.base, &self.rows, &self.z, &train, test, &self.config.train).map_err(context)?;
        let all = |m: Option<crate::fewshot::Measured>| m.and_then(|m| m.all());
        let before = all(run.evaluate_base(&self.base)?);
        let baseline = all(run.baseline(&self.base)?);
        run.run().map_err(context)?;
        let (_, after) = run.finish()?;
        let (Some(before), Some(after)) = (before, all(after)) else {
            return Err(Error::OutOfOrder("a fold has no held-out clips"));
        };
        self.before.push(before);
        self.tuned.push(after);
        self.baseline.extend(baseline);
        Ok(())
    }

    /// Runs the remaining folds.
    pub fn run(&mut self) -> Result<()> {
        while !self.is_done() {
            self.step()?;
        }
        Ok(())
    }

    /// The estimate as measurements a model fine-tuned on every clip keeps in its weights file
    /// (its card shows them): the UAR of the models fine-tuned without each fold, of the model
    /// before fine-tuning and of the baseline, on the clips held out.
    pub fn metrics(&self) -> Result<Vec<Metric>> {
        let e = self.estimate()?;
        let on = format!(
            "{} of {}, each held out of the fine-tuning in one of {}",
            plural(e.tuned.rows, "clip"),
            plural(e.tuned.speakers, "speaker"),
            plural(e.folds, "fold")
        );
        let named = [
            ("heldout_uar", Some(&e.tuned)),
            ("heldout_uar_before", Some(&e.before)),
            ("heldout_baseline_uar", e.baseline.as_ref()),
        ];
        Ok(named
            .into_iter()
            .filter_map(|(name, r)| r.map(|r| Metric { name: name.into(), value: r.uar, on: on.clone() }))
            .collect())
    }

    /// The estimate, pooled over the folds run so far (all of them once [`is_done`](Self::is_done)).
    pub fn estimate(&self) -> Result<HeldOutEstimate> {
        if self.tuned.is_empty() {
            return Err(Error::OutOfOrder("no fold has run yet"));
        }
        let speakers = self.rows.speakers().len();
        Ok(HeldOutEstimate {
            folds: self.tuned.len(),
            tuned: pool(&self.tuned, speakers),
            before: pool(&self.before, speakers),
            baseline: (self.baseline.len() == self.tuned.len()).then(|| pool(&self.baseline, speakers)),
            chance: 1.0 / N_EMOTIONS as f64,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_names_are_never_repeated() {
        let mut r = Recordings::new();
        let tone: Vec<f32> = (0..16000).map(|i| (i as f32 * 0.05).sin() * 0.3).collect();
        assert_eq!(r.next_clip_name(Some(Emotion::Angry)), "angry-1");
        r.add_clip("angry-1", &tone, 16000, Some(Emotion::Angry), "me").unwrap();
        r.add_clip("angry-2", &tone, 16000, Some(Emotion::Angry), "me").unwrap();
        r.remove(0).unwrap();
        // "angry-2" is still there: the next one is not "angry-2" again.
        assert_eq!(r.next_clip_name(Some(Emotion::Angry)), "angry-1");
        r.add_clip("angry-1", &tone, 16000, Some(Emotion::Angry), "me").unwrap();
        assert_eq!(r.next_clip_name(Some(Emotion::Angry)), "angry-3");
        assert_eq!(r.next_clip_name(None), "clip-1");
        assert_eq!(r.counts(), [2, 0, 0, 0]);
        assert!(r.remove(5).is_err());
        assert!(r.set_label(5, None, "").is_err());
    }
}
