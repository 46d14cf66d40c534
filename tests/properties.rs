//! Properties that must hold for any input (proptest), each able to fail: UAR is a fraction and
//! ignores row order; classification ignores the order of the references; standardisation
//! never makes a non-finite value; the distance loss's D_d ≤ D_s rule never lets a non-finite
//! value into the weights; a weights file reads back exactly.

use ndarray::Array2;
use proptest::prelude::*;
use rand::SeedableRng;
use siamese_ser::classify::References;
use siamese_ser::config::{ModelConfig, NormalizationConfig, TrainConfig};
use siamese_ser::data::normalize::Scaler;
use siamese_ser::data::{Dataset, Emotion, Normalization, feature_names};
use siamese_ser::eval::evaluate;
use siamese_ser::model::{DistanceLoss, SiameseNet};
use siamese_ser::recognizer::{Recognizer, ReferencePolicy};
use siamese_ser::train::Trainer;

fn emotion() -> impl Strategy<Value = Emotion> {
    (0usize..4).prop_map(Emotion::from_index)
}

/// A permutation of 0..n from a seed (Fisher–Yates).
fn permutation(n: usize, seed: u64) -> Vec<usize> {
    use rand::seq::SliceRandom;
    let mut p: Vec<usize> = (0..n).collect();
    p.shuffle(&mut rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed));
    p
}

/// Values from ordinary to absurd: tiny, huge, constant runs, both signs.
fn value() -> impl Strategy<Value = f32> {
    prop_oneof![-5.0f32..5.0, Just(0.0), Just(1e-9), Just(-1e-30), Just(3.0e30), Just(-3.0e30), -1e6f32..1e6]
}

/// A table of `rows` rows with 64 features, `speakers` speakers and two corpora.
fn table(rows: usize, speakers: usize) -> impl Strategy<Value = Dataset> {
    (
        proptest::collection::vec(value(), rows * 64),
        proptest::collection::vec(0..speakers.max(1), rows),
        proptest::collection::vec(proptest::option::weighted(0.9, emotion()), rows),
        proptest::collection::vec(any::<bool>(), rows),
    )
        .prop_map(move |(x, spk, emo, corpus)| Dataset {
            features: feature_names(),
            x: Array2::from_shape_vec((rows, 64), x).unwrap(),
            emotion: emo,
            speaker: spk.iter().map(|s| (*s > 0).then(|| s.to_string())).collect(),
            corpus: corpus.iter().map(|c| if *c { "a" } else { "b" }.to_string()).collect(),
            file: vec![String::new(); rows],
            line: (2..rows as u64 + 2).collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn uar_is_a_fraction_and_ignores_row_order(
        pairs in proptest::collection::vec((emotion(), emotion()), 1..200),
        seed in any::<u64>(),
    ) {
        let (truth, pred): (Vec<Emotion>, Vec<Emotion>) = pairs.iter().copied().unzip();
        let r = evaluate(&truth, &pred, 1);
        prop_assert!((0.0..=1.0).contains(&r.uar));
        let p = permutation(truth.len(), seed);
        let t2: Vec<Emotion> = p.iter().map(|&i| truth[i]).collect();
        let p2: Vec<Emotion> = p.iter().map(|&i| pred[i]).collect();
        let r2 = evaluate(&t2, &p2, 1);
        prop_assert_eq!(r.confusion, r2.confusion);
        prop_assert_eq!(r.uar, r2.uar);
    }

    #[test]
    fn classification_ignores_the_order_of_the_references(
        refs in proptest::collection::vec((proptest::collection::vec(-3.0f32..3.0, 64), emotion()), 2..24),
        queries in proptest::collection::vec(-3.0f32..3.0, 64 * 5),
        net_seed in any::<u64>(),
        seed in any::<u64>(),
    ) {
        let labels: Vec<Emotion> = refs.iter().map(|r| r.1).collect();
        prop_assume!(labels.iter().any(|&e| e != labels[0]));
        let net: SiameseNet<f32> =
            SiameseNet::new(&ModelConfig::default(), &mut rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(net_seed));
        let x = Array2::from_shape_fn((refs.len(), 64), |(i, j)| refs[i].0[j]);
        let q = Array2::from_shape_vec((5, 64), queries).unwrap();
        let p = permutation(refs.len(), seed);
        let xp = Array2::from_shape_fn((refs.len(), 64), |(i, j)| refs[p[i]].0[j]);
        let lp: Vec<Emotion> = p.iter().map(|&i| labels[i]).collect();
        let a = References::new(&net, x.view(), &labels).unwrap().classify(&net, q.view());
        let b = References::new(&net, xp.view(), &lp).unwrap().classify(&net, q.view());
        for (a, b) in a.iter().zip(&b) {
            for (u, v) in a.probabilities.iter().zip(&b.probabilities) {
                prop_assert!((u - v).abs() < 1e-9, "{u} vs {v}");
            }
            // The same emotion unless two classes tie to rounding.
            let mut s: Vec<f64> = a.scores.iter().flatten().copied().collect();
            s.sort_by(|x, y| y.total_cmp(x));
            if s.len() < 2 || s[0] - s[1] > 1e-9 {
                prop_assert_eq!(a.emotion, b.emotion);
            }
        }
    }

    #[test]
    fn standardisation_never_makes_a_non_finite_value(
        train in table(12, 3),
        ds in table(20, 5),
        mode in prop_oneof![Just(Normalization::PerSpeaker), Just(Normalization::PerCorpus), Just(Normalization::Global)],
        min_group_rows in 2usize..10,
    ) {
        let cfg = NormalizationConfig { mode, min_group_rows, ..NormalizationConfig::default() };
        let scaler = Scaler::fit(&train, &cfg);
        let z = scaler.apply(&ds);
        prop_assert!(z.iter().all(|v| v.is_finite() && v.abs() <= cfg.clip), "{:?}", z.iter().find(|v| !v.is_finite()));
    }

    #[test]
    fn the_distance_rule_is_finite_for_any_distances(
        d_d in prop_oneof![0.0f32..10.0, Just(0.0), Just(1e-38), Just(3.0e38), Just(f32::MAX)],
        d_s in prop_oneof![0.0f32..10.0, Just(0.0), Just(1e-38), Just(3.0e38), Just(f32::MAX)],
        m0 in 0.001f32..0.999,
    ) {
        if let Some(l) = DistanceLoss::new(d_d, d_s, m0) {
            prop_assert!(l.value.is_finite() && l.d_dd.is_finite() && l.d_ds.is_finite(), "{l:?}");
        }
    }

    #[test]
    fn distance_loss_training_never_leaves_non_finite_weights(
        rows in proptest::collection::vec((proptest::collection::vec(value(), 64), emotion()), 8..16),
        lr in prop_oneof![Just(1e-3f64), Just(0.1), Just(1.0)],
        frozen in 0usize..3,
        seed in any::<u64>(),
    ) {
        let labels: Vec<Emotion> = rows.iter().map(|r| r.1).collect();
        let mut counts = [0; 4];
        labels.iter().for_each(|e| counts[e.index()] += 1);
        prop_assume!(counts.iter().filter(|&&c| c >= 2).count() >= 2 && counts.iter().all(|&c| c != 1));
        // Clipped z-scores, as the network always sees.
        let x = Array2::from_shape_fn((rows.len(), 64), |(i, j)| rows[i].0[j].clamp(-5.0, 5.0));
        let net = SiameseNet::new(&ModelConfig::default(), &mut rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed));
        let cfg = TrainConfig {
            epochs: 5,
            learning_rate: lr,
            distance_learning_rate: lr,
            distance_loss: true,
            frozen_layers: frozen,
            seed,
            ..TrainConfig::finetune()
        };
        let mut t = Trainer::new(net, x, &labels, cfg).unwrap();
        while !t.is_done() {
            match t.step_epoch() {
                Ok(_) => prop_assert!(t.net().is_finite(), "an epoch returned Ok with non-finite weights"),
                Err(e) => {
                    prop_assert!(matches!(e, siamese_ser::Error::Diverged { .. }), "{e}");
                    break;
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn a_weights_file_reads_back_exactly(train in table(24, 4), per_class in 1usize..6, means in any::<bool>(), seed in any::<u64>()) {
        let labelled = train.labelled();
        let t = train.select(&labelled);
        let mut counts = [0; 4];
        t.emotion.iter().flatten().for_each(|e| counts[e.index()] += 1);
        prop_assume!(counts.iter().all(|&c| c >= 2));
        let refs = if means { ReferencePolicy::SpeakerMeans } else { ReferencePolicy::Rows { per_class: Some(per_class) } };
        let cfg = TrainConfig { epochs: 1, seed, ..TrainConfig::pretrain() };
        let r = Recognizer::start_pretraining(&t, &ModelConfig::default(), &NormalizationConfig::default(), &cfg, refs)
            .unwrap()
            .finish();
        let back = Recognizer::from_json(&r.to_json()).unwrap();
        prop_assert_eq!(&back, &r);
        prop_assert_eq!(back.classify(&train).unwrap(), r.classify(&train).unwrap());
    }
}
