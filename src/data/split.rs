//! How target rows are split for the protocols: which speakers a k-shot draw may choose, the
//! draw itself, the default grid of k for a corpus, and the development speakers that hyper-
//! parameter selection may look at (and no reported figure may).
//!
//! Everything here works on speaker groups (`(speaker key, row indices)`, as
//! [`Dataset::speaker_groups`](super::Dataset::speaker_groups) returns them) and is seeded by
//! the caller's generator, so the protocols and the page split the same way.

use super::{Emotion, N_EMOTIONS};
use crate::rng::{rng, stream};
use rand::RngExt;
use rand::seq::SliceRandom;

/// The largest k of the default grid (the paper's).
pub const MAX_DEFAULT_K: usize = 20;
/// Test speakers the default grid leaves at least.
pub const MIN_TEST_SPEAKERS: usize = 2;

/// Indices of the speaker groups that have at least `per_emotion` labelled rows of every
/// emotion: the speakers a k-shot draw may choose.
pub fn speakers_with_every_emotion(
    groups: &[(String, Vec<usize>)],
    emotion: &[Option<Emotion>],
    per_emotion: usize,
) -> Vec<usize> {
    (0..groups.len())
        .filter(|&s| {
            let mut c = [0usize; N_EMOTIONS];
            for e in groups[s].1.iter().filter_map(|&i| emotion[i]) {
                c[e.index()] += 1;
            }
            c.iter().all(|&n| n >= per_emotion)
        })
        .collect()
}

/// Draws the k-shot labelled set: `k` speakers from `eligible` (indices into `speaker_rows`),
/// then `per_emotion` rows of each emotion from each. Returns sorted row indices.
pub fn draw_kshot<R: rand::Rng + ?Sized>(
    rng: &mut R,
    speaker_rows: &[&[usize]],
    eligible: &[usize],
    emotion: &[Option<Emotion>],
    k: usize,
    per_emotion: usize,
) -> Vec<usize> {
    let mut speakers = eligible.to_vec();
    speakers.shuffle(rng);
    speakers.truncate(k);
    speakers.sort_unstable();
    let mut chosen = Vec::with_capacity(k * 4 * per_emotion);
    for s in speakers {
        for e in Emotion::ALL {
            let mut rows: Vec<usize> = speaker_rows[s].iter().copied().filter(|&i| emotion[i] == Some(e)).collect();
            // Partial Fisher–Yates: the first `per_emotion` entries become a uniform sample.
            for j in 0..per_emotion {
                let pick = rng.random_range(j..rows.len());
                rows.swap(j, pick);
            }
            chosen.extend_from_slice(&rows[..per_emotion]);
        }
    }
    chosen.sort_unstable();
    chosen
}

/// The smallest k that can train: a same-emotion pair needs two labelled rows of each emotion,
/// so k × `samples_per_emotion` must be at least 2.
pub fn min_k(samples_per_emotion: usize) -> usize {
    if samples_per_emotion >= 2 { 1 } else { 2 }
}

/// The default grid of k for a target with `speakers` speakers, `eligible` of whom have enough
/// rows of every emotion to be drawn: 2, 4, … up to the largest k that is drawable and leaves
/// at least [`MIN_TEST_SPEAKERS`] speakers to test on, capped at [`MAX_DEFAULT_K`]. With two or
/// more samples per emotion, a corpus too small for k = 2 gets `[1]` if that fits; a corpus too
/// small for any k gets no grid.
pub fn default_k_grid(speakers: usize, eligible: usize, samples_per_emotion: usize) -> Vec<usize> {
    let k_max = eligible.min(speakers.saturating_sub(MIN_TEST_SPEAKERS)).min(MAX_DEFAULT_K);
    if k_max < min_k(samples_per_emotion) {
        return vec![];
    }
    match k_max {
        1 => vec![1],
        _ => (1..=k_max / 2).map(|i| 2 * i).collect(),
    }
}

/// The development speakers `select` uses when none are named: `count` speaker keys drawn from
/// `keys` with a fixed seed (so the same corpus always gets the same ones, whatever the
/// protocol seed), sorted.
pub fn choose_dev_speakers(keys: &[String], count: usize) -> Vec<String> {
    let mut k = keys.to_vec();
    k.sort();
    k.dedup();
    k.shuffle(&mut rng(DEV_SEED, &[stream::DEV_SPEAKERS]));
    k.truncate(count);
    k.sort();
    k
}

/// The number of development speakers `select` keeps when not told: one in six speakers,
/// for corpora of at least 12 speakers (smaller ones have none to spare).
pub fn default_dev_count(speakers: usize) -> usize {
    if speakers >= 12 { speakers / 6 } else { 0 }
}

/// The seed of the development-speaker draw (fixed: see [`choose_dev_speakers`]).
const DEV_SEED: u64 = 0x5e1ec7;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_fits_the_corpus() {
        assert_eq!(default_k_grid(24, 24, 1), vec![2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
        assert_eq!(default_k_grid(20, 20, 1), vec![2, 4, 6, 8, 10, 12, 14, 16, 18]);
        assert_eq!(default_k_grid(10, 10, 1), vec![2, 4, 6, 8]);
        assert_eq!(default_k_grid(10, 5, 1), vec![2, 4]);
        // Three speakers: k = 1 leaves two to test on, but one row per emotion cannot form a
        // same-emotion pair; with two samples per emotion it can.
        assert_eq!(default_k_grid(3, 3, 1), Vec::<usize>::new());
        assert_eq!(default_k_grid(3, 3, 2), vec![1]);
        assert_eq!(default_k_grid(4, 4, 1), vec![2]);
        assert_eq!(default_k_grid(2, 2, 2), Vec::<usize>::new());
        assert_eq!(default_k_grid(91, 91, 1).last(), Some(&20));
    }

    #[test]
    fn dev_speakers_are_fixed_per_corpus() {
        let keys: Vec<String> = (1..=24).map(|i| format!("ravdess/{i:02}")).collect();
        let a = choose_dev_speakers(&keys, 4);
        assert_eq!(a.len(), 4);
        let mut shuffled = keys.clone();
        shuffled.reverse();
        assert_eq!(choose_dev_speakers(&shuffled, 4), a, "the order of the keys does not matter");
        assert_eq!(
            a,
            crate::protocol::default_dev_speakers(),
            "the default development speakers are the ones `select` draws for RAVDESS"
        );
        let genders: Vec<u32> = a.iter().map(|k| k[8..].parse::<u32>().unwrap() % 2).collect();
        assert!(genders.contains(&0) && genders.contains(&1), "RAVDESS: odd actors are male, even female");
        assert_eq!(default_dev_count(24), 4);
        assert_eq!(default_dev_count(10), 0);
    }
}
