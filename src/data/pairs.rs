//! Balanced same/different pair sampling over labelled rows.
//!
//! Every batch has exactly ⌊n/2⌋ same-emotion pairs and ⌈n/2⌉ different-emotion pairs. Anchors
//! walk through a shuffled order of all rows (reshuffled when used up), so each row anchors
//! pairs equally often; an epoch is ⌈rows / pairs per batch⌉ batches, i.e. every row anchors
//! at least one pair per epoch. A same partner is a random *other* row of the anchor's emotion;
//! a different partner is a random row of a random other emotion (emotions equally likely, so
//! a rare emotion is not drowned by a frequent one).
//!
//! A batch lists each distinct row once ([`PairBatch::rows`]) and the pairs as positions in that
//! list, so the network embeds each row once per batch.

use super::emotion::{Emotion, N_EMOTIONS};
use crate::error::{Error, Result};
use rand::RngExt;
use rand::seq::SliceRandom;

/// One mini-batch of pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PairBatch {
    /// Distinct training-row indices the batch uses.
    pub rows: Vec<usize>,
    /// Pairs as positions in `rows`.
    pub pairs: Vec<(usize, usize)>,
    /// `true` where the two rows have the same emotion.
    pub same: Vec<bool>,
}

/// Draws balanced pair batches from labelled rows.
#[derive(Debug, Clone)]
pub struct PairSampler {
    labels: Vec<Emotion>,
    by_class: [Vec<usize>; N_EMOTIONS],
    present: Vec<usize>,
    order: Vec<usize>,
    cursor: usize,
    slot: Vec<usize>,
}

impl PairSampler {
    /// A sampler over rows with these `labels`. Needs at least two emotions, and at least two
    /// rows of every emotion present (a same pair needs two different rows).
    pub fn new(labels: &[Emotion]) -> Result<PairSampler> {
        let mut by_class: [Vec<usize>; N_EMOTIONS] = Default::default();
        for (i, e) in labels.iter().enumerate() {
            by_class[e.index()].push(i);
        }
        let present: Vec<usize> = (0..N_EMOTIONS).filter(|&c| !by_class[c].is_empty()).collect();
        if present.len() < 2 {
            return Err(Error::data(
                "training",
                "labelled rows of at least two emotions",
                match present.first() {
                    Some(&c) => format!("all are {}", Emotion::from_index(c)),
                    None => "there are none".into(),
                },
            ));
        }
        if let Some(&c) = present.iter().find(|&&c| by_class[c].len() < 2) {
            return Err(Error::data(
                "training",
                "at least two labelled rows of each emotion to form same-emotion pairs",
                format!("{} has only one", Emotion::from_index(c)),
            ));
        }
        Ok(PairSampler {
            labels: labels.to_vec(),
            by_class,
            present,
            order: (0..labels.len()).collect(),
            cursor: labels.len(), // forces a shuffle on first use
            slot: vec![usize::MAX; labels.len()],
        })
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True if there are no rows (never, for a constructed sampler).
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Batches in one epoch: ⌈rows / pairs⌉, at least 1.
    pub fn batches_per_epoch(&self, pairs_per_batch: usize) -> usize {
        self.len().div_ceil(pairs_per_batch.max(1)).max(1)
    }

    /// Draws one batch of `n_pairs` pairs into `batch` (reusing its allocations).
    pub fn sample<R: rand::Rng + ?Sized>(&mut self, rng: &mut R, n_pairs: usize, batch: &mut PairBatch) {
        batch.rows.clear();
        batch.pairs.clear();
        batch.same.clear();
        let n_same = n_pairs / 2;
        for p in 0..n_pairs {
            let a = self.next_anchor(rng);
            let class = self.labels[a].index();
            let same = p < n_same;
            let b = if same {
                let members = &self.by_class[class];
                // Uniform over the other members: draw among len-1 and skip the anchor.
                let k = rng.random_range(0..members.len() - 1);
                let candidate = members[k];
                if candidate == a { members[members.len() - 1] } else { candidate }
            } else {
                let k = rng.random_range(0..self.present.len() - 1);
                let mut other = self.present[k];
                if other == class {
                    other = self.present[self.present.len() - 1];
                }
                let members = &self.by_class[other];
                members[rng.random_range(0..members.len())]
            };
            let pa = self.position(a, batch);
            let pb = self.position(b, batch);
            batch.pairs.push((pa, pb));
            batch.same.push(same);
        }
        for &r in &batch.rows {
            self.slot[r] = usize::MAX;
        }
    }

    fn next_anchor<R: rand::Rng + ?Sized>(&mut self, rng: &mut R) -> usize {
        if self.cursor >= self.order.len() {
            self.order.shuffle(rng);
            self.cursor = 0;
        }
        self.cursor += 1;
        self.order[self.cursor - 1]
    }

    fn position(&mut self, row: usize, batch: &mut PairBatch) -> usize {
        if self.slot[row] == usize::MAX {
            self.slot[row] = batch.rows.len();
            batch.rows.push(row);
        }
        self.slot[row]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn labels(counts: [usize; 4]) -> Vec<Emotion> {
        let mut v = vec![];
        for (c, &n) in counts.iter().enumerate() {
            v.extend(std::iter::repeat_n(Emotion::from_index(c), n));
        }
        v
    }

    #[test]
    fn batches_are_balanced_and_correct() {
        let l = labels([5, 3, 2, 7]);
        let mut s = PairSampler::new(&l).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let mut b = PairBatch::default();
        for _ in 0..50 {
            s.sample(&mut rng, 32, &mut b);
            assert_eq!(b.pairs.len(), 32);
            assert_eq!(b.same.iter().filter(|&&x| x).count(), 16);
            let mut sorted = b.rows.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), b.rows.len(), "rows are distinct");
            for (&(i, j), &same) in b.pairs.iter().zip(&b.same) {
                let (ri, rj) = (b.rows[i], b.rows[j]);
                assert_ne!(ri, rj, "never a row with itself");
                assert_eq!(l[ri] == l[rj], same);
            }
        }
    }

    #[test]
    fn every_row_anchors_once_per_epoch() {
        let l = labels([4, 4, 4, 4]);
        let mut s = PairSampler::new(&l).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        let mut b = PairBatch::default();
        s.sample(&mut rng, 16, &mut b);
        let mut anchors: Vec<usize> = b.pairs.iter().map(|&(i, _)| b.rows[i]).collect();
        anchors.sort();
        assert_eq!(anchors, (0..16).collect::<Vec<_>>());
        assert_eq!(s.batches_per_epoch(16), 1);
        assert_eq!(s.batches_per_epoch(5), 4);
    }

    #[test]
    fn refuses_what_cannot_form_pairs() {
        assert!(PairSampler::new(&labels([3, 0, 0, 0])).is_err());
        assert!(PairSampler::new(&labels([3, 1, 0, 0])).is_err());
        assert!(PairSampler::new(&labels([2, 2, 0, 0])).is_ok());
    }
}
