//! One person's recordings: the fine-tuning session the page runs, predicting among clips,
//! and the held-out estimate of a model fine-tuned on them.

use siamese_ser::data::Emotion;
use siamese_ser::error::{Error, ErrorKind};
use siamese_ser::fewshot::{FewShotConfig, FewShotOutcome, Session};
use siamese_ser::method::Method;
use siamese_ser::recognizer::Recognizer;
use siamese_ser::recordings::{HeldOut, MAX_FOLDS, Recordings};
use siamese_ser::report::PredictionTotals;

mod common;

fn model() -> Recognizer {
    Recognizer::from_json(include_str!("../www/models/tess.json")).unwrap()
}

/// The 16 fixture recordings (4 RAVDESS speakers, one clip of each emotion).
fn fixtures() -> Recordings {
    let mut r = Recordings::new();
    for emotion in ["03", "04", "05", "06"] {
        for actor in ["03", "04", "07", "08"] {
            let name = format!("03-01-{emotion}-02-01-01-{actor}.wav");
            let bytes = std::fs::read(format!("{}/tests/fixtures/audio/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            r.add_wav(&name, &bytes).unwrap();
        }
    }
    r
}

fn voice_config(method: Method) -> FewShotConfig {
    FewShotConfig { all_rows: true, train: method.finetune(), exclude_speakers: vec![], ..FewShotConfig::default() }
}

/// A whole fine-tuning session of `base` on `table`: its outcome and the fine-tuned model.
fn fine_tuned(
    base: &Recognizer,
    table: &siamese_ser::data::Dataset,
    config: &FewShotConfig,
) -> (FewShotOutcome, Recognizer) {
    let mut s = Session::start(base, table, config.clone()).unwrap();
    s.step(usize::MAX).unwrap();
    let outcome = s.finish().unwrap().clone();
    (outcome, s.tuned().unwrap().clone())
}

#[test]
fn a_bad_wav_is_named_and_keeps_its_kind() {
    let mut r = Recordings::new();
    let e = r.add_wav("notes.wav", b"hello").unwrap_err();
    assert!(matches!(&e, Error::File { file, .. } if file == "notes.wav"), "{e:?}");
    assert_eq!(e.kind(), ErrorKind::Audio);
    assert!(e.to_string().starts_with("notes.wav: "), "{e}");
    assert!(r.is_empty(), "nothing is kept of a file that failed");
}

#[test]
fn held_out_estimate_is_stratified_seeded_and_beside_its_baselines() {
    let rec = fixtures();
    assert_eq!(rec.counts(), [4, 4, 4, 4]);
    let ds = rec.dataset().unwrap();
    let base = model();
    let config = voice_config(Method::Paper);
    let run = |config: &FewShotConfig| {
        let mut h = HeldOut::start(&base, &ds, config).unwrap();
        assert_eq!(h.progress(), (0, MAX_FOLDS));
        h.step().unwrap();
        assert_eq!(h.progress(), (1, MAX_FOLDS));
        h.run().unwrap();
        h.estimate().unwrap()
    };
    let e = run(&config);
    assert_eq!(e.folds, MAX_FOLDS);
    // Every clip is predicted exactly once, by each of the three.
    for r in [&e.tuned, &e.before, e.baseline.as_ref().unwrap()] {
        assert_eq!(r.rows, 16);
        assert_eq!(r.confusion.iter().map(|row| row.iter().sum::<usize>()).collect::<Vec<_>>(), vec![4; 4]);
    }
    assert_eq!(e.chance, 0.25);
    assert_eq!(run(&config), e, "same seed, same estimate");
    let mut other = config.clone();
    other.train.seed += 1;
    assert_ne!(run(&other).tuned.confusion, e.tuned.confusion, "the seed draws the folds and the training");
    // The model before fine-tuning does not depend on how the folds train.
    assert_eq!(run(&other).before, e.before);
}

#[test]
fn held_out_estimate_needs_two_labelled_clips_and_says_what_is_missing() {
    let mut rec = fixtures();
    while rec.len() > 1 {
        rec.remove(0).unwrap();
    }
    let e = HeldOut::start(&model(), &rec.dataset().unwrap(), &voice_config(Method::Regularised)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Data);
    assert!(e.to_string().contains("at least two labelled clips"), "{e}");
    // With the paper's method a fold must keep two clips of each emotion it trains on.
    let mut rec = fixtures();
    for i in (0..16).rev().filter(|i| i % 4 != 0) {
        rec.remove(i).unwrap(); // one clip of each emotion left
    }
    let mut h = HeldOut::start(&model(), &rec.dataset().unwrap(), &voice_config(Method::Paper)).unwrap();
    let e = h.step().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Data);
    assert!(e.to_string().contains("fold 1 of 4") && e.to_string().contains("record more clips"), "{e}");
}

#[test]
fn a_live_utterance_is_predicted_as_one_of_the_speakers_clips() {
    let mut rec = fixtures();
    for i in 0..rec.len() {
        let emotion = rec.list()[i].emotion;
        rec.set_label(i, emotion, "me").unwrap();
    }
    let base = model();
    let tone: Vec<f32> = (0..48000).map(|i| 0.2 * ((i as f32) * 0.05).sin()).collect();
    let p = rec.predict_clip(&base, &tone, 48000, "me").unwrap();
    assert_eq!(p.file, "live");
    assert!((p.probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-6);
    assert!(rec.predict_clip(&base, &tone, 10, "me").is_err(), "an absurd rate is refused");
    assert_eq!(rec.next_clip_name(Some(Emotion::Sad)), "sad-1");
}

#[test]
fn a_session_measures_before_and_after_on_the_same_rows_and_finishes_once() {
    let base = model();
    let table = common::ravdess();
    let config = FewShotConfig { train: Method::Regularised.finetune(), ..FewShotConfig::default() };
    let mut s = Session::start(&base, &table, config).unwrap();
    assert_eq!(s.labelled().len(), 8);
    let before = s.before().unwrap().clone();
    let mut epochs = 0;
    while !s.is_done() {
        epochs += s.step(7).unwrap().len();
    }
    assert_eq!(epochs, s.epochs());
    let outcome = s.finish().unwrap().clone();
    assert_eq!(outcome.epochs.len(), epochs);
    let after = outcome.after.as_ref().unwrap();
    assert_eq!(after.unseen.as_ref().unwrap().rows, before.unseen.as_ref().unwrap().rows);
    assert_eq!(outcome.baseline.as_ref().unwrap().unseen.as_ref().unwrap().rows, after.unseen.as_ref().unwrap().rows);
    assert!(outcome.embedding.is_some());
    assert_eq!(s.finish().unwrap(), &outcome, "finishing again returns the same outcome");
    assert!(s.step(1).is_err(), "no training after the end");
    let tuned = s.tuned().unwrap();
    let rows = tuned.predict(&table).unwrap();
    let t = PredictionTotals::of(&rows, tuned.scaler.config.min_group_rows);
    assert_eq!((t.rows, t.labelled), (table.len(), table.len()));
    assert_eq!(t.correct, rows.iter().filter(|r| r.emotion == Some(r.predicted)).count());
    assert!(t.correct > 0 && t.correct < t.rows);
    // The fine-tuned model carries the baseline it was compared with (the base's, adapted to
    // the labelled rows), not the base's own: Predict sets it beside the like baseline.
    let (adapted, own) = (tuned.baseline.as_ref().unwrap(), base.baseline.as_ref().unwrap());
    assert_ne!(adapted, own);
    let draw = siamese_ser::fewshot::FewShot::draw(
        &base,
        &table,
        &FewShotConfig { train: Method::Regularised.finetune(), ..FewShotConfig::default() },
    )
    .unwrap();
    assert_eq!(Some(adapted), draw.adapted_baseline(&base).unwrap().as_ref(), "the same draw, the same fit");
}

#[test]
fn a_fine_tuned_model_keeps_what_it_was_measured_at_in_its_weights_file() {
    let base = model();
    let table = common::ravdess();
    let config = FewShotConfig { train: Method::Regularised.finetune(), ..FewShotConfig::default() };
    let (outcome, tuned) = fine_tuned(&base, &table, &config);
    let saved = Recognizer::from_json(&tuned.to_json()).unwrap();
    let card = saved.card();
    assert!(card.fine_tuned[0].metrics.len() >= 3, "{:?}", card.fine_tuned[0].metrics);
    assert_eq!(card.fine_tuned[0].seed, outcome.config.train.seed);
    let find = |name: &str| card.fine_tuned[0].metrics.iter().find(|m| m.name == name).unwrap().clone();
    let unseen = |m: &Option<siamese_ser::fewshot::Measured>| m.as_ref().unwrap().unseen.clone().unwrap();
    let after = unseen(&outcome.after);
    let m = find("uar_after_finetuning");
    assert_eq!(m.value, after.uar);
    let rows_said = format!("{} rows of {} speakers who gave no labelled row", after.rows, after.speakers);
    assert!(m.on.starts_with(&rows_said), "{}", m.on);
    assert_eq!(find("uar_before_finetuning").value, unseen(&outcome.before).uar);
    assert_eq!(find("baseline_uar").value, unseen(&outcome.baseline).uar);
    // The pretraining's own measurement stays with the pretraining.
    assert_eq!(card.metrics.iter().filter(|m| m.name == "oodt_uar").count(), 1);
    assert_eq!(saved.history[0].metrics, base.history[0].metrics);
}

#[test]
fn a_voice_model_keeps_its_held_out_estimate() {
    let ds = fixtures().dataset().unwrap();
    let base = model();
    let config = voice_config(Method::Regularised);
    let (_, mut tuned) = fine_tuned(&base, &ds, &config);
    assert!(tuned.card().fine_tuned[0].metrics.is_empty(), "every clip trained: no test rows to measure on");
    let mut h = HeldOut::start(&base, &ds, &config).unwrap();
    assert!(h.metrics().is_err(), "no estimate before a fold has run");
    h.run().unwrap();
    let e = h.estimate().unwrap();
    tuned.record(h.metrics().unwrap());
    let card = Recognizer::from_json(&tuned.to_json()).unwrap().card();
    let m = &card.fine_tuned[0].metrics;
    let names: Vec<&str> = m.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["heldout_uar", "heldout_uar_before", "heldout_baseline_uar"]);
    assert_eq!(m[0].value, e.tuned.uar);
    assert_eq!(m[2].value, e.baseline.unwrap().uar);
    assert_eq!(m[0].on, "16 clips of 4 speakers, each held out of the fine-tuning in one of 10 folds");
}

#[test]
fn a_second_fine_tuning_on_the_same_draw_says_its_rows_are_known() {
    let base = model();
    let table = common::ravdess();
    let config = FewShotConfig { train: Method::Regularised.finetune(), ..FewShotConfig::default() };
    assert!(config.train.keep_references, "the regularised method keeps the labelled rows as references");
    let run = |m: &Recognizer, config: &FewShotConfig| fine_tuned(m, &table, config);
    let (first, tuned) = run(&base, &config);
    assert_eq!(first.labelled_known, 0);
    let (again, _) = run(&tuned, &config);
    assert_eq!(again.labelled, first.labelled, "the same seed draws the same rows");
    assert_eq!(again.labelled_known, 8);
    let mut other = config.clone();
    other.train.seed += 1;
    let (fresh, _) = run(&tuned, &other);
    assert!(fresh.labelled_known < 8, "another seed draws other rows: {}", fresh.labelled_known);
}
