//! The crate's one error type. Every variant carries the evidence a person needs to fix the
//! input: the line and column of a bad CSV cell, the names of missing columns, the value of a
//! rejected setting. `Display` texts are written for the person who supplied the input, not
//! for the programmer, because the page and the CLI show them as they are.

use thiserror::Error;

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Everything that can go wrong in the core, by cause.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum Error {
    /// The CSV text is empty or has only whitespace.
    #[error("the CSV file is empty")]
    EmptyInput,

    /// The input is larger than the engine accepts (protects the page from freezing).
    #[error("the file is too large: {what} is {actual}, the limit is {limit}")]
    TooLarge { what: &'static str, actual: usize, limit: usize },

    /// A CSV cell longer than any feature value or file name should be.
    #[error("line {line} has a cell of {bytes} bytes; the limit is {limit} (is it a CSV file of features?)")]
    LongField { line: u64, bytes: usize, limit: usize },

    /// The text is not a CSV table at all.
    #[error("this is not a CSV file: {reason}")]
    NotCsv { reason: String },

    /// The CSV library could not read the text (bad quoting, invalid UTF-8, …).
    #[error("the CSV file could not be read at line {line}: {message}")]
    CsvSyntax { line: u64, message: String },

    /// The header names the same column twice.
    #[error("the header has the column \"{name}\" twice (columns {first} and {second})")]
    DuplicateColumn { name: String, first: usize, second: usize },

    /// Feature columns the model needs are not in the header.
    #[error(
        "the header lacks {} of the {expected} feature columns{}, for example {}; \
         expected either our format (file, speaker, emotion and the features) or openSMILE's output",
        .missing.len(),
        if *.expected == crate::data::N_FEATURES { " (the paper's IS09 functionals)" } else { "" },
        .missing.iter().take(4).map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
    )]
    MissingColumns { missing: Vec<String>, expected: usize },

    /// `--features all` found nothing but label columns.
    #[error("the header has no feature columns, only file, speaker, emotion or corpus columns")]
    NoFeatureColumns,

    /// A table's feature columns are not the ones the model was trained on.
    #[error(
        "the model reads {expected} feature columns and this table has {found}{}",
        if .missing.is_empty() {
            " in another order".to_string()
        } else {
            format!(
                "; it lacks {}",
                .missing.iter().take(4).map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
            )
        }
    )]
    FeatureMismatch { expected: usize, found: usize, missing: Vec<String> },

    /// A row has a different number of cells than the header.
    #[error("line {line} has {found} cells but the header has {expected}")]
    RaggedRow { line: u64, expected: usize, found: usize },

    /// A feature cell is not a number.
    #[error("line {line}, column {column} (\"{name}\"): \"{value}\" is not a number")]
    NotANumber { line: u64, column: usize, name: String, value: String },

    /// A feature cell is NaN or infinite.
    #[error("line {line}, column {column} (\"{name}\"): {value} is not a finite number")]
    NonFinite { line: u64, column: usize, name: String, value: String },

    /// An `emotion` cell holds a label we do not know.
    #[error(
        "line {line}, column {column}: unknown emotion label \"{value}\"; expected angry, happy, \
         sad or fearful (or neutral, calm, disgust, surprise or boredom, which are skipped)"
    )]
    UnknownEmotion { line: u64, column: usize, value: String },

    /// After skipping other emotions, nothing is left.
    #[error("the CSV file has no usable rows: {reason}")]
    NoUsableRows { reason: String },

    /// A settings object (JSON) that does not describe settings.
    #[error("the settings could not be read: {message}")]
    BadSettings { message: String },

    /// A setting is out of its allowed range.
    #[error("setting \"{name}\" = {value} is not allowed: {expected}")]
    InvalidSetting { name: &'static str, value: String, expected: String },

    /// The data cannot support the requested run (too few speakers, a class missing, …):
    /// `what` needs `needed`, and `found` says what there is.
    #[error("{what} needs {needed}; {found}")]
    NotEnoughData { what: String, needed: String, found: String },

    /// Steps called in the wrong order (a caller's mistake, not the data's).
    #[error("{0}")]
    OutOfOrder(&'static str),

    /// A weights file is not JSON or not our format.
    #[error("the weights file could not be read: {0}")]
    WeightsFormat(String),

    /// A weights file has a format version this build does not read.
    #[error("the weights file has format version {found}; this version of siamese-ser reads version {supported}")]
    WeightsVersion { found: u32, supported: u32 },

    /// A tensor in the weights file has the wrong shape for the declared architecture.
    #[error("the weights file is inconsistent: {what} has {found} values, expected {expected}")]
    WeightsShape { what: String, expected: usize, found: usize },

    /// A tensor in the weights file holds NaN or infinity.
    #[error("the weights file is corrupt: {what} holds a value that is not finite")]
    WeightsNonFinite { what: String },

    /// Two arrays that must agree in shape do not (a programming or data mismatch).
    #[error("shape mismatch: {what}: expected {expected}, found {found}")]
    Shape { what: &'static str, expected: usize, found: usize },

    /// Training diverged (a loss or weight became NaN/∞).
    #[error("training diverged at epoch {epoch}: {what} is not finite; try a smaller learning rate")]
    Diverged { epoch: usize, what: &'static str },

    /// Audio bytes that are not a WAV file this decoder reads.
    #[error("the audio file could not be read: {0}")]
    Wav(String),

    /// Audio too short or too long to analyse.
    #[error("the audio is {seconds:.2} s long; {expected}")]
    AudioLength { seconds: f64, expected: String },

    /// The caller asked to stop.
    #[error("cancelled")]
    Cancelled,

    /// A problem with one of several files: which one, and what (of the inner error's kind).
    #[error("{file}: {source}")]
    File { file: String, source: Box<Error> },
}

/// What kind of problem an [`Error`] is, so that a caller (the page) can place it without
/// reading its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The file's contents: not a CSV, bad cells, missing columns, too large.
    Input,
    /// A setting out of range.
    Setting,
    /// The data cannot support the run (too few speakers, rows or emotions).
    Data,
    /// A weights file.
    Weights,
    /// An audio file or clip.
    Audio,
    /// Training diverged.
    Training,
    /// The user cancelled.
    Cancelled,
    /// A caller's mistake (a bug).
    Internal,
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::EmptyInput
            | Error::TooLarge { .. }
            | Error::LongField { .. }
            | Error::NotCsv { .. }
            | Error::CsvSyntax { .. }
            | Error::DuplicateColumn { .. }
            | Error::MissingColumns { .. }
            | Error::NoFeatureColumns
            | Error::RaggedRow { .. }
            | Error::NotANumber { .. }
            | Error::NonFinite { .. }
            | Error::UnknownEmotion { .. }
            | Error::NoUsableRows { .. }
            | Error::FeatureMismatch { .. } => ErrorKind::Input,
            Error::InvalidSetting { .. } | Error::BadSettings { .. } => ErrorKind::Setting,
            Error::NotEnoughData { .. } => ErrorKind::Data,
            Error::WeightsFormat(_)
            | Error::WeightsVersion { .. }
            | Error::WeightsShape { .. }
            | Error::WeightsNonFinite { .. } => ErrorKind::Weights,
            Error::Wav(_) | Error::AudioLength { .. } => ErrorKind::Audio,
            Error::Diverged { .. } => ErrorKind::Training,
            Error::Cancelled => ErrorKind::Cancelled,
            Error::File { source, .. } => source.kind(),
            Error::Shape { .. } | Error::OutOfOrder(_) => ErrorKind::Internal,
        }
    }

    /// Shorthand for [`Error::NotEnoughData`].
    pub fn data(what: impl Into<String>, needed: impl Into<String>, found: impl Into<String>) -> Self {
        Error::NotEnoughData { what: what.into(), needed: needed.into(), found: found.into() }
    }

    /// Shorthand for [`Error::InvalidSetting`].
    pub fn setting(name: &'static str, value: impl std::fmt::Display, expected: impl Into<String>) -> Self {
        Error::InvalidSetting { name, value: value.to_string(), expected: expected.into() }
    }
}
