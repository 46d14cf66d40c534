//! Plain serde records shared by the CLI, the tests and the page: what training, evaluation and
//! the protocols report. Vectors and structs only (no maps), so they cross to JavaScript as
//! plain objects and arrays.

use crate::data::N_EMOTIONS;
use crate::data::normalize::ScaledBy;
use serde::{Deserialize, Serialize};

/// What one epoch of training measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochStats {
    /// 1-based epoch number.
    pub epoch: usize,
    /// Batches (Adam steps of the pair loss) in this epoch.
    pub batches: usize,
    /// Mean pair binary cross-entropy over the epoch's batches.
    pub bce: f64,
    /// Fraction of the epoch's pairs judged correctly (P(same) on the right side of ½).
    pub pair_accuracy: f64,
    /// Mean distance loss over batches where it is defined (`None` if it is off).
    pub distance: Option<f64>,
    /// Mean relative margin m = (D_d − D_s)/(D_d + D_s) of the batches (`None` if off).
    pub margin: Option<f64>,
    /// Batches where m < m₀ and the distance loss used its tangent extension.
    pub distance_clamped: usize,
    /// Batches where the distance loss was undefined (all embeddings equal) and skipped.
    pub distance_undefined: usize,
}

/// Confusion matrix, per-class recall and UAR, in [`Emotion::ALL`](crate::data::Emotion::ALL) order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalReport {
    /// `confusion[true][predicted]` row counts.
    pub confusion: [[usize; N_EMOTIONS]; N_EMOTIONS],
    /// Recall per true class; `None` for a class with no test rows.
    pub recall: [Option<f64>; N_EMOTIONS],
    /// Unweighted average recall over the classes that have test rows.
    pub uar: f64,
    /// Test rows.
    pub rows: usize,
    /// Test rows predicted correctly (the confusion matrix's diagonal).
    pub correct: usize,
    /// Distinct test speakers.
    pub speakers: usize,
}

/// One row of a predictions table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictionRow {
    /// The row's file name, or where it is in its CSV text (`line 13`, the header being line
    /// 1, as in a spreadsheet's row numbers) when it has none, so that rows can be told apart.
    pub file: String,
    pub corpus: String,
    pub speaker: Option<String>,
    /// The row's own label, if it has one.
    pub emotion: Option<crate::data::Emotion>,
    /// The row's label when it is an emotion not used here (`neutral`, `calm`, …): the row is
    /// predicted as one of the four, and counts in no figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_label: Option<String>,
    pub predicted: crate::data::Emotion,
    /// Per-class probabilities in fixed emotion order.
    pub probabilities: [f64; N_EMOTIONS],
    /// What the row was standardised with: its own speaker's rows, its corpus's, or the
    /// statistics stored in the model.
    pub standardised_by: ScaledBy,
}

/// A table predicted: every row, the totals, and on its labelled rows the UAR beside the
/// model's logistic-regression baseline, with the corpora the model was trained on that the
/// table also has (its figures are then optimistic).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Predictions {
    pub rows: Vec<PredictionRow>,
    pub totals: PredictionTotals,
    /// UAR and confusion on the labelled rows (`None` without labels).
    pub labelled: Option<EvalReport>,
    /// The model's baseline on the same labelled rows (`None` without labels or baseline).
    pub baseline: Option<EvalReport>,
    pub overlap: Vec<String>,
}

/// What a set of predictions adds up to: how many rows, how many of the labelled ones were
/// right, and how many were standardised with the model's statistics instead of their
/// speaker's (fewer than `min_group_rows` rows of that speaker, or no speaker).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PredictionTotals {
    pub rows: usize,
    pub labelled: usize,
    pub correct: usize,
    pub standardised_by_model: usize,
    pub min_group_rows: usize,
}

impl PredictionTotals {
    /// Totals of `rows`, predicted by a model that standardises speakers with at least
    /// `min_group_rows` rows by their own statistics.
    pub fn of(rows: &[PredictionRow], min_group_rows: usize) -> PredictionTotals {
        let labelled: Vec<&PredictionRow> = rows.iter().filter(|r| r.emotion.is_some()).collect();
        PredictionTotals {
            rows: rows.len(),
            labelled: labelled.len(),
            correct: labelled.iter().filter(|r| r.emotion == Some(r.predicted)).count(),
            standardised_by_model: rows.iter().filter(|r| r.standardised_by == ScaledBy::Model).count(),
            min_group_rows,
        }
    }
}

/// Pairs each row of `ds` with its prediction and what it was standardised with.
pub fn prediction_rows(
    ds: &crate::data::Dataset,
    predictions: &[crate::classify::Prediction],
    scaled_by: &[ScaledBy],
) -> Vec<PredictionRow> {
    predictions
        .iter()
        .zip(scaled_by)
        .enumerate()
        .map(|(i, (p, &by))| PredictionRow {
            file: if ds.file[i].is_empty() { format!("line {}", ds.line[i]) } else { ds.file[i].clone() },
            corpus: ds.corpus[i].clone(),
            speaker: ds.speaker[i].clone(),
            emotion: ds.emotion[i],
            other_label: None,
            predicted: p.emotion,
            probabilities: p.probabilities,
            standardised_by: by,
        })
        .collect()
}

/// The predictions as CSV text:
/// `file,corpus,speaker,emotion,predicted,p_angry,p_happy,p_sad,p_fearful,standardised_by`.
pub fn predictions_csv(rows: &[PredictionRow]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "file",
        "corpus",
        "speaker",
        "emotion",
        "predicted",
        "p_angry",
        "p_happy",
        "p_sad",
        "p_fearful",
        "standardised_by",
    ];
    w.write_record(header).expect("writing to memory");
    for r in rows {
        let mut rec = vec![
            r.file.clone(),
            r.corpus.clone(),
            r.speaker.clone().unwrap_or_default(),
            r.emotion.map(|e| e.name()).or(r.other_label.as_deref()).unwrap_or_default().to_string(),
            r.predicted.name().to_string(),
        ];
        rec.extend(r.probabilities.iter().map(|v| format!("{v:.4}")));
        rec.push(
            match r.standardised_by {
                ScaledBy::Speaker => "speaker",
                ScaledBy::Corpus => "corpus",
                ScaledBy::Model => "model",
            }
            .to_string(),
        );
        w.write_record(&rec).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 strings")
}
