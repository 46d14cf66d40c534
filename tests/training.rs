//! Training behaviour: learning happens, seeds fix everything, frozen layers stay frozen, the
//! distance loss widens the margin it is meant to widen.

mod common;
use ndarray::{Array2, Axis};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use siamese_ser::config::TrainConfig;
use siamese_ser::data::Emotion;
use siamese_ser::model::{ModelConfig, SiameseNet};
use siamese_ser::train::Trainer;

/// Four well-separated Gaussian clusters in 64 dimensions, `per_class` rows each.
fn clusters(per_class: usize, seed: u64) -> (Array2<f32>, Vec<Emotion>) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let centres = Array2::from_shape_simple_fn((4, 64), || rng.random_range(-1.5f32..1.5));
    let mut x = Array2::zeros((4 * per_class, 64));
    let mut y = Vec::new();
    for c in 0..4 {
        for k in 0..per_class {
            let i = c * per_class + k;
            for j in 0..64 {
                x[[i, j]] = centres[[c, j]] + rng.random_range(-0.8f32..0.8);
            }
            y.push(Emotion::from_index(c));
        }
    }
    (x, y)
}

fn net(seed: u64) -> SiameseNet<f32> {
    SiameseNet::new(&ModelConfig::default(), &mut Xoshiro256PlusPlus::seed_from_u64(seed))
}

#[test]
fn loss_falls_and_pairs_are_learned() {
    let (x, y) = clusters(20, 1);
    let cfg = TrainConfig { epochs: 30, ..TrainConfig::pretrain() };
    let mut t = Trainer::new(net(1), x, &y, cfg).unwrap();
    let h = t.fit().unwrap();
    assert_eq!(h.len(), 30);
    assert!(h[29].bce < 0.5 * h[0].bce, "loss {} → {}", h[0].bce, h[29].bce);
    assert!(h[29].pair_accuracy > 0.95, "pair accuracy {}", h[29].pair_accuracy);
}

#[test]
fn same_seed_same_weights_other_seed_other_weights() {
    let (x, y) = clusters(10, 2);
    let run = |seed: u64, distance_loss: bool| {
        let cfg = TrainConfig { epochs: 15, seed, distance_loss, ..TrainConfig::default() };
        let mut t = Trainer::new(net(3), x.clone(), &y, cfg).unwrap();
        let h = t.fit().unwrap();
        (t.into_net(), h)
    };
    for d in [false, true] {
        let (a, ha) = run(5, d);
        let (b, hb) = run(5, d);
        assert_eq!(a, b, "bit-identical weights");
        assert_eq!(ha, hb);
        let (c, _) = run(6, d);
        assert_ne!(a, c);
    }
}

#[test]
fn frozen_layers_stay_bit_identical() {
    let (x, y) = clusters(6, 3);
    for frozen in 0..=2 {
        for distance_loss in [false, true] {
            let start = net(4);
            let cfg = TrainConfig { epochs: 20, frozen_layers: frozen, distance_loss, ..TrainConfig::default() };
            let mut t = Trainer::new(start.clone(), x.clone(), &y, cfg).unwrap();
            t.fit().unwrap();
            let end = t.net();
            for l in 0..3 {
                if l < frozen {
                    assert_eq!(end.extractor[l], start.extractor[l], "layer {l} frozen");
                } else {
                    assert_ne!(end.extractor[l], start.extractor[l], "layer {l} trains");
                }
            }
            assert_ne!(end.head, start.head);
        }
    }
    // All three frozen: only the decision layer and output train.
    let start = net(4);
    let cfg = TrainConfig { epochs: 5, frozen_layers: 3, ..TrainConfig::default() };
    let mut t = Trainer::new(start.clone(), x, &y, cfg).unwrap();
    t.fit().unwrap();
    assert_eq!(t.net().extractor, start.extractor);
}

/// Mean embedding distance of different-emotion pairs over same-emotion pairs, all pairs.
fn distance_ratio(net: &SiameseNet<f32>, x: &Array2<f32>, y: &[Emotion]) -> f64 {
    let e = net.embed(x.view());
    let (mut s, mut d, mut ns, mut nd) = (0.0, 0.0, 0, 0);
    for i in 0..y.len() {
        for j in i + 1..y.len() {
            let dist = (&e.row(i) - &e.row(j)).mapv(|v| (v as f64).powi(2)).sum().sqrt();
            if y[i] == y[j] {
                s += dist;
                ns += 1;
            } else {
                d += dist;
                nd += 1;
            }
        }
    }
    (d / nd as f64) / (s / ns as f64)
}

#[test]
fn distance_loss_widens_the_margin() {
    // Noisy clusters so the margin has room to grow; the head is frozen out of the picture by
    // a tiny pair-loss learning rate, leaving the distance loss to move the extractor.
    let (x, y) = clusters(8, 5);
    let x = &x * 0.3
        + Array2::from_shape_simple_fn(x.raw_dim(), {
            let mut r = Xoshiro256PlusPlus::seed_from_u64(9);
            move || r.random_range(-1.0f32..1.0)
        });
    let start = net(6);
    let before = distance_ratio(&start, &x, &y);
    let cfg = TrainConfig { epochs: 60, learning_rate: 1e-6, distance_loss: true, ..TrainConfig::default() };
    let mut t = Trainer::new(start, x.clone(), &y, cfg).unwrap();
    let h = t.fit().unwrap();
    let after = distance_ratio(t.net(), &x, &y);
    assert!(after > before * 1.2, "D_d/D_s {before:.3} → {after:.3}");
    assert!(h.last().unwrap().distance.unwrap() < h[0].distance.unwrap());
    assert!(h.iter().all(|e| e.distance_undefined == 0));
}

#[test]
fn bad_inputs_are_refused() {
    let (x, y) = clusters(3, 7);
    assert!(Trainer::new(net(1), x.clone(), &y[..5], TrainConfig::default()).is_err());
    let one_class: Vec<Emotion> = vec![Emotion::Sad; y.len()];
    assert!(Trainer::new(net(1), x.clone(), &one_class, TrainConfig::default()).is_err());
    let narrow = x.select(Axis(1), &[0, 1, 2]);
    assert!(Trainer::new(net(1), narrow, &y, TrainConfig::default()).is_err());
    assert!(Trainer::new(net(1), x, &y, TrainConfig { epochs: 0, ..Default::default() }).is_err());
}

#[test]
fn divergence_is_an_error_not_a_panic() {
    // Adam's normalised steps are hard to blow up from sane weights, so start from weights
    // whose activations overflow f32: the loss becomes NaN and training must say so.
    let (x, y) = clusters(4, 8);
    let mut start = net(2);
    start.extractor[0].w.fill(3e38);
    let mut t = Trainer::new(start, x, &y, TrainConfig { epochs: 5, ..TrainConfig::default() }).unwrap();
    let r = t.fit();
    assert!(matches!(r, Err(siamese_ser::Error::Diverged { epoch: 1, .. })), "{r:?}");
}

#[test]
fn input_noise_is_seeded_and_changes_the_run_weight_decay_shrinks_the_weights() {
    let (x, y) = clusters(10, 4);
    let run = |input_noise: f64, weight_decay: f64| {
        let cfg = TrainConfig { epochs: 20, input_noise, weight_decay, ..TrainConfig::pretrain() };
        let mut t = Trainer::new(net(2), x.clone(), &y, cfg).unwrap();
        t.fit().unwrap();
        t.into_net()
    };
    let plain = run(0.0, 0.0);
    assert_eq!(run(0.5, 0.0), run(0.5, 0.0), "same seed, same noise, same weights");
    assert_ne!(run(0.5, 0.0), plain, "the noise changes the run");
    let norm = |n: &SiameseNet<f32>| n.extractor.iter().map(|l| l.w.iter().map(|w| w * w).sum::<f32>()).sum::<f32>();
    let decayed = run(0.0, 1.0);
    assert!(norm(&decayed) < 0.9 * norm(&plain), "{} vs {}", norm(&decayed), norm(&plain));
}

#[test]
fn fine_tuning_can_keep_the_references_and_train_on_them() {
    use siamese_ser::config::NormalizationConfig;
    use siamese_ser::recognizer::{Recognizer, ReferencePolicy};
    let ds = common::ravdess();
    let source: Vec<usize> = (0..ds.len()).filter(|&i| ds.speaker_key(i).as_str() > "ravdess/12").collect();
    let source = ds.select(&source);
    let cfg = TrainConfig { epochs: 2, ..TrainConfig::pretrain() };
    let policy = ReferencePolicy::Rows { per_class: Some(10) };
    let mut t =
        Recognizer::start_pretraining(&source, &ModelConfig::default(), &NormalizationConfig::default(), &cfg, policy)
            .unwrap();
    t.run().unwrap();
    let base = t.finish();
    assert_eq!(base.references.labels.len(), 40);
    // Two rows of each emotion.
    let emotions = &source.emotion;
    let rows: Vec<usize> = Emotion::ALL
        .iter()
        .flat_map(|&e| (0..emotions.len()).filter(move |&i| emotions[i] == Some(e)).take(2))
        .collect();
    let z = base.standardize(&source).unwrap().select(Axis(0), &rows);
    let labels: Vec<Emotion> = rows.iter().map(|&i| source.emotion[i].unwrap()).collect();
    for keep in [false, true] {
        let ft = TrainConfig { epochs: 3, keep_references: keep, ..TrainConfig::finetune() };
        let training = base.start_finetuning(z.clone(), &labels, &source.select(&[0]), &ft).unwrap();
        // An epoch is ⌈training rows / 32⌉ batches: the kept references are trained on too.
        assert_eq!(training.batches_per_epoch(), if keep { 2 } else { 1 });
        let tuned = training.finish();
        let refs = &tuned.references;
        assert_eq!(refs.labels.len(), if keep { 48 } else { 8 });
        assert_eq!(refs.description.contains("references kept from before"), keep, "{}", refs.description);
        if keep {
            assert_eq!(refs.x.slice(ndarray::s![..40, ..]), base.references.x, "the earlier references come first");
            // Fine-tuned again, keeping references again: one description, not one nested in another.
            let again = tuned.start_finetuning(z.clone(), &labels, &source.select(&[0]), &ft).unwrap().finish();
            let d = &again.references.description;
            assert_eq!(again.references.labels.len(), 56);
            assert_eq!(d.matches("kept from before").count(), 1, "{d}");
            assert_eq!(
                d,
                &format!(
                    "the 8 labelled rows fine-tuned on and the 48 references kept from before (8 labelled rows of \
                     earlier fine-tuning; 40 from the start: {})",
                    base.references.description
                )
            );
        }
    }
}

/// "The 8 labelled rows fine-tuned on and the 16 references kept from before (…)": every count
/// in a description of kept references is the number of references that part describes, after
/// any number of fine-tunings that keep references, and through a weights file between them.
#[test]
fn kept_references_are_described_with_counts_that_add_up() {
    use siamese_ser::config::NormalizationConfig;
    use siamese_ser::recognizer::{Recognizer, ReferencePolicy};
    let ds = common::ravdess();
    let cfg = TrainConfig { epochs: 1, ..TrainConfig::pretrain() };
    let two: Vec<usize> =
        (0..ds.len()).filter(|&i| ["ravdess/01", "ravdess/03"].contains(&ds.speaker_key(i).as_str())).collect();
    let source = ds.select(&two);
    let mut t = Recognizer::start_pretraining(
        &source,
        &ModelConfig::default(),
        &NormalizationConfig::default(),
        &cfg,
        ReferencePolicy::SpeakerMeans,
    )
    .unwrap();
    t.run().unwrap();
    let mut model = t.finish();
    let start = model.references.description.clone();
    assert!(start.ends_with("(8 means)"), "{start}");
    let emotions = &ds.emotion;
    let rows: Vec<usize> =
        Emotion::ALL.iter().flat_map(|&e| (0..ds.len()).filter(move |&i| emotions[i] == Some(e)).take(2)).collect();
    let z = model.standardize(&ds).unwrap().select(Axis(0), &rows);
    let labels: Vec<Emotion> = rows.iter().map(|&i| ds.emotion[i].unwrap()).collect();
    let ft = TrainConfig { epochs: 1, keep_references: true, ..TrainConfig::finetune() };
    let expected = [
        format!("the 8 labelled rows fine-tuned on and the 8 references kept from before ({start})"),
        format!(
            "the 8 labelled rows fine-tuned on and the 16 references kept from before (8 labelled rows of earlier \
             fine-tuning; 8 from the start: {start})"
        ),
        format!(
            "the 8 labelled rows fine-tuned on and the 24 references kept from before (16 labelled rows of earlier \
             fine-tuning; 8 from the start: {start})"
        ),
    ];
    for (round, expected) in expected.iter().enumerate() {
        let tuned = model.start_finetuning(z.clone(), &labels, &ds.select(&[0]), &ft).unwrap().finish();
        // Exported and imported, as the page does before "Use the fine-tuned model".
        model = Recognizer::from_json(&tuned.to_json()).unwrap();
        let refs = &model.references;
        assert_eq!(refs.labels.len(), 8 * (round + 2));
        assert_eq!(&refs.description, expected, "round {}", round + 1);
        // Each count is the number of references its part describes.
        let numbers: Vec<usize> =
            refs.description.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
        let (new, kept) = (numbers[0], numbers[1]);
        assert_eq!(new + kept, refs.labels.len(), "{}", refs.description);
        if round > 0 {
            let (earlier, from_start) = (numbers[2], numbers[3]);
            assert_eq!(earlier + from_start, kept, "{}", refs.description);
            assert_eq!(from_start, 8, "the 8 means of the pretraining");
        }
    }

    // A model fine-tuned without keeping references, then with: its rows are earlier fine-tuning rows.
    let plain = TrainConfig { keep_references: false, ..ft.clone() };
    let tuned = model.start_finetuning(z.clone(), &labels, &ds.select(&[0]), &plain).unwrap().finish();
    assert_eq!(tuned.references.description, "the 8 labelled rows fine-tuned on");
    let again = tuned.start_finetuning(z.clone(), &labels, &ds.select(&[0]), &ft).unwrap().finish();
    assert_eq!(
        again.references.description,
        "the 8 labelled rows fine-tuned on and the 8 references kept from before (8 labelled rows of earlier \
         fine-tuning)"
    );
}
