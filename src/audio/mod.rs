//! Audio in: WAV decoding, sample-rate conversion, openSMILE-compatible IS09 features, and
//! utterance segmentation for live prediction.
//!
//! Every recording is converted to [`FEATURE_RATE`] (16 kHz) before its features are
//! computed: IS09 features depend on the sample rate, and the bundled models were trained on
//! features of 16 kHz audio (as were `ravdess_16k.csv` and `tess_16k.csv`). So a 44.1 kHz WAV
//! file and 48 kHz microphone audio end up described exactly like the training data.

pub mod is09;
pub mod resample;
pub mod segment;
pub mod wav;

pub use resample::resample;
pub use segment::{Segmenter, SegmenterConfig};
pub use wav::{Audio, decode_wav};

use crate::data::FeatureRow;
use crate::data::emotion::Label;
use crate::data::filename::{parse_file_name, stem};
use crate::error::Result;

/// The sample rate features are computed at.
pub const FEATURE_RATE: u32 = 16_000;

/// The 64 IS09 features (in [`crate::data::feature_names`] order) of mono `samples` at `rate`
/// Hz, after conversion to 16 kHz.
pub fn features(samples: &[f32], rate: u32) -> Result<Vec<f32>> {
    let x = resample(samples, rate, FEATURE_RATE);
    is09::features(&x, FEATURE_RATE)
}

/// Decodes a WAV file and computes its features.
pub fn wav_features(bytes: &[u8]) -> Result<(Audio, Vec<f32>)> {
    let audio = decode_wav(bytes)?;
    let f = features(&audio.samples, audio.sample_rate)?;
    Ok((audio, f))
}

/// A feature row for the recording `name`, with emotion, speaker and corpus from its file name
/// when the name follows a known corpus's convention (otherwise unlabelled, speaker unknown,
/// corpus `default_corpus`). Rows of emotions not used here come back with `emotion: None`
/// and `Some(name_of_that_emotion)` as the second value, so callers can skip or relabel them.
pub fn recording_row(name: &str, features: Vec<f32>, default_corpus: &str) -> (FeatureRow, Option<&'static str>) {
    let info = parse_file_name(name);
    let (emotion, other) = match info.as_ref().map(|i| i.label) {
        Some(Label::Target(e)) => (Some(e), None),
        Some(Label::Other(o)) => (None, Some(o)),
        None => (None, None),
    };
    let row = FeatureRow {
        file: stem(name).to_string(),
        corpus: info.as_ref().map_or(default_corpus.to_string(), |i| i.corpus.to_string()),
        speaker: info.map(|i| i.speaker),
        emotion,
        features,
    };
    (row, other)
}
