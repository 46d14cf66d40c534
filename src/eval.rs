//! Confusion matrix, per-class recall and the unweighted average recall (UAR), always in the
//! fixed emotion order angry, happy, sad, fearful.
//!
//! UAR = (1/|C|) Σ_{c ∈ C} recall_c, over the set C of classes that have at least one test row.
//! A class absent from the test rows has no recall (`None`) and does not enter the mean
//! (dividing by zero would make it NaN; counting it as 0 would punish the model for the data).
//! With all four classes present — every protocol here — this is the usual UAR.

use crate::data::{Emotion, N_EMOTIONS};
use crate::report::EvalReport;

/// Builds the report from true and predicted emotions, for test rows from `speakers` speakers.
/// Panics if the two slices differ in length (a programming error).
pub fn evaluate(truth: &[Emotion], predicted: &[Emotion], speakers: usize) -> EvalReport {
    assert_eq!(truth.len(), predicted.len(), "one prediction per test row");
    let mut confusion = [[0usize; N_EMOTIONS]; N_EMOTIONS];
    for (t, p) in truth.iter().zip(predicted) {
        confusion[t.index()][p.index()] += 1;
    }
    report_from_confusion(confusion, speakers)
}

/// Recall and UAR of a confusion matrix `confusion[true][predicted]`.
pub fn report_from_confusion(confusion: [[usize; N_EMOTIONS]; N_EMOTIONS], speakers: usize) -> EvalReport {
    let mut recall = [None; N_EMOTIONS];
    for c in 0..N_EMOTIONS {
        let total: usize = confusion[c].iter().sum();
        if total > 0 {
            recall[c] = Some(confusion[c][c] as f64 / total as f64);
        }
    }
    let present: Vec<f64> = recall.iter().flatten().copied().collect();
    let uar = if present.is_empty() { 0.0 } else { present.iter().sum::<f64>() / present.len() as f64 };
    let rows = confusion.iter().flatten().sum();
    let correct = (0..N_EMOTIONS).map(|c| confusion[c][c]).sum();
    EvalReport { confusion, recall, uar, rows, correct, speakers }
}

/// Sums confusion matrices (pooling folds).
pub fn pool(reports: &[EvalReport], speakers: usize) -> EvalReport {
    let mut confusion = [[0usize; N_EMOTIONS]; N_EMOTIONS];
    for r in reports {
        for (row, add) in confusion.iter_mut().zip(&r.confusion) {
            for (c, a) in row.iter_mut().zip(add) {
                *c += a;
            }
        }
    }
    report_from_confusion(confusion, speakers)
}

/// Formats a confusion matrix as a text table (CLI output).
pub fn confusion_table(r: &EvalReport) -> String {
    let mut s = format!("{:>14}", "true \\ pred");
    for e in Emotion::ALL {
        s += &format!("{:>9}", e.name());
    }
    s += "   recall\n";
    for t in Emotion::ALL {
        s += &format!("{:>14}", t.name());
        for p in Emotion::ALL {
            s += &format!("{:>9}", r.confusion[t.index()][p.index()]);
        }
        match r.recall[t.index()] {
            Some(v) => s += &format!("   {:>5.1}%\n", 100.0 * v),
            None => s += "       —\n",
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use Emotion::*;

    #[test]
    fn hand_built_case() {
        // angry: 2 of 3 right; happy: 1 of 2; sad: 2 of 2; fearful: 0 of 1.
        let truth = [Angry, Angry, Angry, Happy, Happy, Sad, Sad, Fearful];
        let pred = [Angry, Angry, Sad, Happy, Angry, Sad, Sad, Happy];
        let r = evaluate(&truth, &pred, 2);
        assert_eq!(r.confusion[0], [2, 0, 1, 0]);
        assert_eq!(r.confusion[1], [1, 1, 0, 0]);
        assert_eq!(r.confusion[2], [0, 0, 2, 0]);
        assert_eq!(r.confusion[3], [0, 1, 0, 0]);
        assert_eq!(r.recall, [Some(2.0 / 3.0), Some(0.5), Some(1.0), Some(0.0)]);
        assert!((r.uar - (2.0 / 3.0 + 0.5 + 1.0 + 0.0) / 4.0).abs() < 1e-12);
        assert_eq!(r.rows, 8);
        assert_eq!(r.correct, 5, "the diagonal: 2 + 1 + 2 + 0");
        // Accuracy would be 5/8 = 0.625; UAR weighs classes equally.
        assert!((r.uar - 0.5416666666666666).abs() < 1e-12);
    }

    #[test]
    fn absent_class_has_no_recall() {
        let r = evaluate(&[Angry, Happy], &[Angry, Angry], 1);
        assert_eq!(r.recall, [Some(1.0), Some(0.0), None, None]);
        assert!((r.uar - 0.5).abs() < 1e-12);
        assert!(confusion_table(&r).contains('—'));
    }

    #[test]
    fn pooling_adds_matrices() {
        let a = evaluate(&[Angry, Sad], &[Angry, Happy], 1);
        let b = evaluate(&[Sad, Fearful], &[Sad, Fearful], 1);
        let p = pool(&[a, b], 2);
        assert_eq!(p.rows, 4);
        assert_eq!(p.correct, 3);
        assert_eq!(p.recall, [Some(1.0), None, Some(0.5), Some(1.0)]);
    }
}
