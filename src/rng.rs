//! The only source of randomness in the core: seeded, portable generators.
//!
//! Every random choice (initial weights, pair sampling, the k-shot draws of a protocol) takes a
//! generator made here from the run's seed and a *stream* path naming what it is for
//! (`[FINETUNE, k, repeat]`), so independent pieces of work get independent streams and can
//! run in any order, or in parallel, with the same result. Xoshiro256++ is used because its
//! output is fixed by its specification (unlike `rand`'s `StdRng`, which may change between
//! releases).

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator type used everywhere.
pub type Rng = Xoshiro256PlusPlus;

/// Stream tags, so that different uses of one seed never share a stream.
pub mod stream {
    pub const INIT: u64 = 1;
    pub const PAIRS: u64 = 2;
    pub const IDT: u64 = 3;
    pub const FINETUNE_DRAW: u64 = 4;
    pub const REFERENCES: u64 = 5;
    pub const PRETRAIN: u64 = 6;
    pub const DEV_SPEAKERS: u64 = 7;
    pub const SELECT: u64 = 8;
    pub const INPUT_NOISE: u64 = 9;
    pub const HELD_OUT: u64 = 10;
}

/// A generator for `seed` and the stream `path`.
pub fn rng(seed: u64, path: &[u64]) -> Rng {
    let mut h = splitmix64(seed);
    for &p in path {
        h = splitmix64(h ^ splitmix64(p.wrapping_add(0x632B_E59B_D9B4_E019)));
    }
    Rng::seed_from_u64(h)
}

/// A seed for one piece of work, derived from a run's seed and a stream path (for work that
/// takes a seed rather than a generator, such as a [`TrainConfig`](crate::config::TrainConfig)).
pub fn derive_seed(seed: u64, path: &[u64]) -> u64 {
    use rand::RngExt;
    rng(seed, path).random()
}

/// SplitMix64's output function (Steele, Lea & Flood 2014), a good 64-bit mixer.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn same_path_same_stream_other_path_other_stream() {
        let a: u64 = rng(7, &[stream::PAIRS, 3]).random();
        let b: u64 = rng(7, &[stream::PAIRS, 3]).random();
        let c: u64 = rng(7, &[stream::PAIRS, 4]).random();
        let d: u64 = rng(8, &[stream::PAIRS, 3]).random();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }
}
