//! Every limit on what the engine accepts, in one place.
//!
//! A web page takes files from strangers, so every input has a size it may not exceed, and
//! every check runs before any allocation proportional to what a header or a setting *claims*
//! (a WAV header's frame count, a CSV header's column count, a grid's number of cells). The
//! page reads these values from the engine ([`LIMITS`], exported by the binding) instead of
//! typing them again, and checks a file's size before reading it.
//!
//! The values are generous for real data — RAVDESS's features are 0.6 MB and 768 rows, a
//! 384-column openSMILE file of 60,000 rows is about 230 MB, an hour-long interview is 3,600 s —
//! and small enough that the worst input within them still loads in bounded time and memory
//! (README, "Limits and failure modes").

use serde::Serialize;

/// The limits (see [`LIMITS`] for the values and why).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limits {
    /// Bytes of one CSV text.
    pub csv_bytes: usize,
    /// Data rows of one CSV text.
    pub csv_rows: usize,
    /// Columns of a CSV header.
    pub csv_columns: usize,
    /// Bytes of one CSV cell (a file path is the longest thing a cell should hold).
    pub csv_field_bytes: usize,
    /// Bytes of one WAV file.
    pub wav_bytes: usize,
    /// Lowest and highest sample rate of a WAV file or a microphone stream, in Hz.
    pub min_sample_rate: u32,
    pub max_sample_rate: u32,
    /// Channels of a WAV file.
    pub max_channels: u16,
    /// Longest recording, in seconds.
    pub max_seconds: f64,
    /// Most samples per channel of one recording (10 minutes at 48 kHz), so that decoding holds
    /// at most 115 MB of mono samples whatever the rate: a 96 kHz file may be 5 minutes long.
    pub max_frames: usize,
    /// Bytes of a weights file.
    pub weights_bytes: usize,
    /// Reference rows a weights file may hold.
    pub weights_references: usize,
    /// Input features of a model.
    pub model_inputs: usize,
    /// Extractor layers of a model, and the widest layer.
    pub model_layers: usize,
    pub model_width: usize,
    /// Training epochs and pairs per batch.
    pub epochs: usize,
    pub batch_pairs: usize,
    /// Speakers one k-shot draw may ask for, and labelled rows per emotion per speaker.
    pub draw_speakers: usize,
    pub samples_per_emotion: usize,
    /// An experiment: values of k, values of frozen layers, repeats, pretraining seeds, and
    /// fine-tuning runs in all (k values × frozen values × 2 × repeats).
    pub grid_speakers: usize,
    pub grid_frozen: usize,
    pub repeats: usize,
    pub pretrain_seeds: usize,
    pub finetune_runs: usize,
    /// Bytes of a settings object (JSON).
    pub settings_bytes: usize,
}

/// The limits of this build.
pub const LIMITS: Limits = Limits {
    csv_bytes: 256 * 1024 * 1024,
    csv_rows: 200_000,
    csv_columns: 16_384,
    csv_field_bytes: 4096,
    // 10 minutes of stereo 32-bit audio at 48 kHz is 230 MB; longer files are refused by
    // `max_frames` anyway, from their header, before anything is decoded.
    wav_bytes: 512 * 1024 * 1024,
    min_sample_rate: 8_000,
    max_sample_rate: 384_000,
    max_channels: 32,
    max_seconds: 600.0,
    max_frames: 600 * 48_000,
    weights_bytes: 64 * 1024 * 1024,
    weights_references: 200_000,
    model_inputs: 8192,
    model_layers: 8,
    model_width: 1024,
    epochs: 100_000,
    batch_pairs: 4096,
    draw_speakers: 10_000,
    samples_per_emotion: 1000,
    grid_speakers: 64,
    grid_frozen: 8,
    repeats: 1000,
    pretrain_seeds: 50,
    finetune_runs: 100_000,
    settings_bytes: 64 * 1024,
};

impl Default for Limits {
    fn default() -> Self {
        LIMITS
    }
}

/// Refuses a settings text (JSON) longer than [`Limits::settings_bytes`].
pub fn check_settings(text: &str) -> crate::Result<()> {
    if text.len() > LIMITS.settings_bytes {
        return Err(crate::Error::TooLarge {
            what: "the settings' size in bytes",
            actual: text.len(),
            limit: LIMITS.settings_bytes,
        });
    }
    Ok(())
}
