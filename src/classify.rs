//! Classification by comparison: a sample is compared with every labelled reference sample,
//! and the emotion whose references it most resembles wins.
//!
//! For a query x and the references R_c of emotion c, the score is the mean log-similarity
//!
//! ```text
//! s_c(x) = (1/|R_c|) Σ_{r ∈ R_c} ln P(same | x, r)
//! ```
//!
//! and the prediction is argmax_c s_c (ties go to the earlier emotion in the fixed order).
//! The paper takes the *log-sum*; we divide by |R_c|, which changes nothing when every class
//! has the same number of references (all of the paper's protocols) and keeps a class from
//! losing merely because it has more references (each extra term is ≤ 0). The per-class
//! "probabilities" shown to users are softmax_c(s_c), i.e. the normalised geometric means of
//! P(same); a class without references gets score −∞ and probability 0.

use crate::data::{Emotion, N_EMOTIONS};
use crate::error::{Error, Result};
use crate::model::SiameseNet;
use crate::model::activation::log_sigmoid;
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// The decision for one query row.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub emotion: Emotion,
    /// Mean ln P(same) against each class's references (−∞ → `None`), in fixed emotion order.
    pub scores: [Option<f64>; N_EMOTIONS],
    /// softmax of the scores.
    pub probabilities: [f64; N_EMOTIONS],
}

/// Labelled references, embedded once by the network that will compare against them.
#[derive(Debug, Clone)]
pub struct References {
    embeddings: Array2<f32>,
    labels: Vec<Emotion>,
    counts: [usize; N_EMOTIONS],
}

impl References {
    /// Embeds reference rows `x` `(rows, 64)` (standardised) with `net`.
    pub fn new(net: &SiameseNet<f32>, x: ArrayView2<f32>, labels: &[Emotion]) -> Result<References> {
        if x.nrows() != labels.len() {
            return Err(Error::Shape { what: "reference rows vs labels", expected: x.nrows(), found: labels.len() });
        }
        let mut counts = [0; N_EMOTIONS];
        for e in labels {
            counts[e.index()] += 1;
        }
        if counts.iter().filter(|&&c| c > 0).count() < 2 {
            return Err(Error::data(
                "classification",
                "labelled references of at least two emotions",
                "the references cover fewer",
            ));
        }
        Ok(References { embeddings: net.embed(x), labels: labels.to_vec(), counts })
    }

    /// References per emotion.
    pub fn counts(&self) -> [usize; N_EMOTIONS] {
        self.counts
    }

    /// Classifies each row of `x` `(rows, 64)` (standardised, same normalisation as the
    /// references) with `net` (the network that embedded the references).
    pub fn classify(&self, net: &SiameseNet<f32>, x: ArrayView2<f32>) -> Vec<Prediction> {
        let queries = net.embed(x);
        let mut scratch = (Array2::zeros((0, 0)), Array2::zeros((0, 0)));
        queries
            .rows()
            .into_iter()
            .map(|q| {
                let z = net.logits_against(q, self.embeddings.view(), &mut scratch);
                let mut sums = [0.0f64; N_EMOTIONS];
                for (&zi, e) in z.iter().zip(&self.labels) {
                    sums[e.index()] += log_sigmoid(zi as f64);
                }
                decide(sums, self.counts)
            })
            .collect()
    }
}

/// Mean log-similarities → prediction and probabilities.
fn decide(sums: [f64; N_EMOTIONS], counts: [usize; N_EMOTIONS]) -> Prediction {
    let mut scores = [None; N_EMOTIONS];
    let mut best = 0;
    let mut best_score = f64::NEG_INFINITY;
    for c in 0..N_EMOTIONS {
        if counts[c] > 0 {
            let s = sums[c] / counts[c] as f64;
            scores[c] = Some(s);
            if s > best_score {
                best_score = s;
                best = c;
            }
        }
    }
    let mut probabilities = [0.0; N_EMOTIONS];
    let total: f64 = scores.iter().flatten().map(|s| (s - best_score).exp()).sum();
    for c in 0..N_EMOTIONS {
        if let Some(s) = scores[c] {
            probabilities[c] = (s - best_score).exp() / total;
        }
    }
    Prediction { emotion: Emotion::from_index(best), scores, probabilities }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_not_sum_decides_with_unequal_counts() {
        // Happy has 3 references with ln P = −0.2 each (sum −0.6, mean −0.2); angry has one
        // with ln P = −0.5. The log-sum would pick angry (−0.5 > −0.6); the mean picks happy.
        let p = decide([-0.5, -0.6, 0.0, 0.0], [1, 3, 0, 0]);
        assert_eq!(p.emotion, Emotion::Happy);
        assert_eq!(p.scores[2], None);
        assert_eq!(p.probabilities[2], 0.0);
        assert!((p.probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(p.probabilities[1] > p.probabilities[0]);
    }

    #[test]
    fn ties_go_to_the_earlier_emotion() {
        let p = decide([-1.0, -1.0, -1.0, -1.0], [1, 1, 1, 1]);
        assert_eq!(p.emotion, Emotion::Angry);
    }
}
