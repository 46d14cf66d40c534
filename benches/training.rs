//! Fixed units of work, so figures compare across changes and across implementations:
//!
//! - `pretrain_960x64`: one pretraining, 960 Adam steps of 64 pairs on TESS 16 kHz
//!   (needs ../shared/data; skipped with a message otherwise);
//! - `finetune_k2_240x32[_distance]`: 240 Adam steps of 32 pairs on the 8 labelled rows of a
//!   k = 2 RAVDESS draw (with the distance loss: 240 more extractor steps), then
//!   classification of the other 760 RAVDESS rows against those 8 references;
//! - `idt_fold_960x64`: 960 steps of 64 pairs on 23 RAVDESS speakers, then classification of
//!   the held-out speaker's 32 rows against the 736 training rows.
//!
//! Run: `cargo bench --bench training` (single-threaded: each unit is sequential).

use criterion::{Criterion, criterion_group, criterion_main};
use ndarray::Axis;
use siamese_ser::classify::References;
use siamese_ser::config::{ModelConfig, NormalizationConfig, TrainConfig};
use siamese_ser::data::split::draw_kshot;
use siamese_ser::data::{Dataset, Emotion, parse_csv};
use siamese_ser::recognizer::{Recognizer, ReferencePolicy};
use siamese_ser::rng::rng;
use siamese_ser::train::Trainer;
use std::hint::black_box;
use std::path::PathBuf;

fn ravdess() -> Dataset {
    parse_csv(include_str!("../data/ravdess_16k.csv"), "ravdess").unwrap().0
}

fn tess() -> Option<Dataset> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/tess_16k.csv");
    match std::fs::read_to_string(&p) {
        Ok(text) => Some(parse_csv(&text, "tess").unwrap().0),
        Err(_) => {
            eprintln!("SKIPPED pretrain_960x64: {} is missing (TESS is not committed)", p.display());
            None
        }
    }
}

fn labels(ds: &Dataset) -> Vec<Emotion> {
    ds.emotion.iter().map(|e| e.unwrap()).collect()
}

/// A trainer over all of `ds` (standardised as a pretraining would), before any step.
fn trainer(ds: &Dataset, cfg: TrainConfig) -> Trainer {
    let t = Recognizer::start_pretraining(
        ds,
        &ModelConfig::default(),
        &NormalizationConfig::default(),
        &cfg,
        ReferencePolicy::Rows { per_class: None },
    )
    .unwrap()
    .finish();
    Trainer::new(t.net.clone(), t.standardize(ds).unwrap(), &labels(ds), cfg).unwrap()
}

fn pretrain(c: &mut Criterion) {
    let Some(tess) = tess() else { return };
    let base = trainer(&tess, TrainConfig::pretrain());
    let mut g = c.benchmark_group("training");
    g.sample_size(10);
    g.bench_function("pretrain_960x64", |b| {
        b.iter(|| {
            let mut t = base.clone();
            for _ in 0..960 {
                black_box(t.step_batch());
            }
            t
        })
    });
    g.finish();
}

fn finetune(c: &mut Criterion) {
    let all = ravdess();
    // Start from a model pretrained on other data, as the protocol does (TESS if present).
    let source = tess().unwrap_or_else(|| {
        let rows: Vec<usize> = (0..all.len()).filter(|&i| all.speaker[i].as_deref() > Some("12")).collect();
        all.select(&rows)
    });
    let mut t = Recognizer::start_pretraining(
        &source,
        &ModelConfig::default(),
        &NormalizationConfig::default(),
        &TrainConfig::pretrain(),
        ReferencePolicy::default(),
    )
    .unwrap();
    t.run().unwrap();
    let base = t.finish();
    let z = base.standardize(&all).unwrap();
    let speakers = all.speakers();
    let rows: Vec<Vec<usize>> =
        speakers.iter().map(|s| (0..all.len()).filter(|&i| &all.speaker_key(i) == s).collect()).collect();
    let row_refs: Vec<&[usize]> = rows.iter().map(|r| r.as_slice()).collect();
    let eligible: Vec<usize> = (0..speakers.len()).collect();
    let labelled = draw_kshot(&mut rng(42, &[1]), &row_refs, &eligible, &all.emotion, 2, 1);
    let test: Vec<usize> = (0..all.len()).filter(|i| !labelled.contains(i)).collect();
    let (zl, zt) = (z.select(Axis(0), &labelled), z.select(Axis(0), &test));
    let ll: Vec<Emotion> = labelled.iter().map(|&i| all.emotion[i].unwrap()).collect();
    assert_eq!((zl.nrows(), zt.nrows()), (8, 760));

    let mut g = c.benchmark_group("training");
    for distance_loss in [false, true] {
        let name = if distance_loss { "finetune_k2_240x32_distance" } else { "finetune_k2_240x32" };
        let cfg = TrainConfig { distance_loss, ..TrainConfig::finetune() };
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut t = Trainer::new(base.net.clone(), zl.clone(), &ll, cfg.clone()).unwrap();
                assert_eq!(t.batches_per_epoch(), 1);
                t.fit().unwrap();
                let net = t.into_net();
                let refs = References::new(&net, zl.view(), &ll).unwrap();
                black_box(refs.classify(&net, zt.view()))
            })
        });
    }
    // The regularised method: the 200 source references train beside the 8 labelled rows
    // (7 batches an epoch, 60 epochs) and stay references.
    let cfg = siamese_ser::method::Method::Regularised.finetune();
    let one = all.select(&labelled[..1]);
    g.bench_function("finetune_k2_regularised", |b| {
        b.iter(|| {
            let mut t = base.start_finetuning(zl.clone(), &ll, &one, &cfg).unwrap();
            assert_eq!(t.batches_per_epoch(), 7);
            t.run().unwrap();
            black_box(t.finish().classify_standardized(zt.view()).unwrap())
        })
    });
    g.finish();
}

fn idt_fold(c: &mut Criterion) {
    let all = ravdess();
    let train: Vec<usize> = (0..all.len()).filter(|&i| all.speaker[i].as_deref() != Some("01")).collect();
    let test: Vec<usize> = (0..all.len()).filter(|&i| all.speaker[i].as_deref() == Some("01")).collect();
    let tr = all.select(&train);
    let base = trainer(&tr, TrainConfig::pretrain());
    let z = Recognizer::start_pretraining(
        &tr,
        &ModelConfig::default(),
        &NormalizationConfig::default(),
        &TrainConfig::pretrain(),
        ReferencePolicy::Rows { per_class: None },
    )
    .unwrap()
    .finish()
    .standardize(&all)
    .unwrap();
    let (ztr, zte) = (z.select(Axis(0), &train), z.select(Axis(0), &test));
    let ltr = labels(&tr);
    let mut g = c.benchmark_group("training");
    g.sample_size(10);
    g.bench_function("idt_fold_960x64", |b| {
        b.iter(|| {
            let mut t = base.clone();
            for _ in 0..960 {
                black_box(t.step_batch());
            }
            let net = t.into_net();
            let refs = References::new(&net, ztr.view(), &ltr).unwrap();
            black_box(refs.classify(&net, zte.view()))
        })
    });
    g.finish();
}

/// The page's unit of work, for the browser comparison (bench/bench.js runs the same in wasm):
/// a k = 2 session with the bundled TESS model — draw, "before" evaluation, the logistic-
/// regression baseline adapted to the labelled rows, 240 epochs, evaluation of the test rows
/// (576 rows of unseen speakers, 56 of seen ones).
fn session(c: &mut Criterion) {
    use siamese_ser::fewshot::{FewShot, FewShotConfig};
    let model = Recognizer::from_json(include_str!("../www/models/tess.json")).unwrap();
    let all = ravdess();
    let mut g = c.benchmark_group("training");
    let regularised = siamese_ser::method::Method::Regularised.finetune();
    for (name, train) in [
        ("finetune_k2_session", TrainConfig::finetune()),
        ("finetune_k2_session_distance", TrainConfig { distance_loss: true, ..TrainConfig::finetune() }),
        ("finetune_k2_session_regularised", regularised),
    ] {
        let cfg = FewShotConfig { train, ..FewShotConfig::default() };
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut f = FewShot::draw(&model, &all, &cfg).unwrap();
                black_box(f.evaluate_base(&model).unwrap());
                black_box(f.baseline(&model).unwrap());
                f.run().unwrap();
                black_box(f.finish().unwrap())
            })
        });
    }
    g.finish();
}

/// Feature extraction: the 16 RAVDESS fixture files (decode + IS09 at 16 kHz), and the same audio
/// at 48 kHz as the microphone delivers it (conversion to 16 kHz + IS09). Divide the seconds
/// of audio (printed) by the time per iteration for the real-time factor.
fn features(c: &mut Criterion) {
    use siamese_ser::audio::{decode_wav, features, resample, wav_features};
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio");
    let mut files: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "wav"))
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    files.sort();
    let audio: Vec<f32> = files.iter().flat_map(|b| decode_wav(b).unwrap().samples).collect();
    let seconds = audio.len() as f64 / 16000.0;
    eprintln!("feature benchmarks: {} files, {seconds:.2} s of audio", files.len());
    let at48 = resample(&audio, 16000, 48000);
    let mut g = c.benchmark_group("features");
    g.sample_size(20);
    g.bench_function("wav_16k_files", |b| {
        b.iter(|| {
            for f in &files {
                black_box(wav_features(f).unwrap());
            }
        })
    });
    g.bench_function("microphone_48k_to_16k", |b| b.iter(|| black_box(features(&at48, 48000).unwrap())));
    g.finish();
}

criterion_group!(benches, finetune, session, pretrain, idt_fold, features);
criterion_main!(benches);
