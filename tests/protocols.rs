//! Protocol invariants (speaker-disjoint folds, exact k-shot draws, test rows exclude the
//! labelled ones), refusals, determinism, and a small end-to-end run on committed data.

mod common;
use siamese_ser::Error;
use siamese_ser::config::TrainConfig;
use siamese_ser::data::{Dataset, Emotion};
use siamese_ser::protocol::{Experiment, ProtocolConfig, Quiet};
use std::collections::BTreeSet;

/// RAVDESS split in two by speaker: 13–24 play the source corpus, 01–12 the target.
fn split() -> (Dataset, Dataset) {
    let all = common::ravdess();
    let (mut src, mut tgt) = (vec![], vec![]);
    for i in 0..all.len() {
        let n: u32 = all.speaker[i].as_deref().unwrap().parse().unwrap();
        if n > 12 { src.push(i) } else { tgt.push(i) }
    }
    let mut source = all.select(&src);
    source.corpus.iter_mut().for_each(|c| *c = "ravdess-13-24".into());
    (source, all.select(&tgt))
}

fn small() -> ProtocolConfig {
    ProtocolConfig {
        pretrain: TrainConfig { epochs: 8, ..TrainConfig::pretrain() },
        idt: TrainConfig { epochs: 8, ..TrainConfig::pretrain() },
        finetune: TrainConfig { epochs: 30, ..TrainConfig::finetune() },
        speakers: vec![2, 4],
        frozen: vec![0, 2],
        repeats: 3,
        ..ProtocolConfig::default()
    }
}

fn speakers_of(ds: &Dataset, rows: &[usize]) -> BTreeSet<String> {
    rows.iter().map(|&i| ds.speaker_key(i)).collect()
}

#[test]
fn idt_folds_are_speaker_disjoint_and_cover_everything() {
    let (s, t) = split();
    let exp = Experiment::new(&s, &t, small()).unwrap();
    assert_eq!(exp.speaker_names().len(), 12);
    for fold in 0..12 {
        let (train, test) = exp.idt_split(fold);
        let (a, b) = (speakers_of(&exp.target, &train), speakers_of(&exp.target, &test));
        assert_eq!(b.len(), 1);
        assert!(a.is_disjoint(&b), "fold {fold}");
        assert_eq!(train.len() + test.len(), exp.target.len());
        assert_eq!(test.len(), 32);
    }
}

#[test]
fn kshot_draws_one_row_per_emotion_per_chosen_speaker() {
    let (s, t) = split();
    for per in [1, 2] {
        let exp = Experiment::new(&s, &t, ProtocolConfig { samples_per_emotion: per, ..small() }).unwrap();
        for k in [1, 2, 5, 11] {
            for repeat in 0..5 {
                let (labelled, test) = exp.kshot_split(k, repeat);
                assert_eq!(labelled.len(), k * 4 * per);
                let chosen = speakers_of(&exp.target, &labelled);
                assert_eq!(chosen.len(), k);
                for spk in &chosen {
                    for e in Emotion::ALL {
                        let n = labelled
                            .iter()
                            .filter(|&&i| &exp.target.speaker_key(i) == spk && exp.target.emotion[i] == Some(e))
                            .count();
                        assert_eq!(n, per, "{spk} {e}");
                    }
                }
                assert_eq!(labelled.len() + test.len(), exp.target.len());
                assert!(test.iter().all(|i| !labelled.contains(i)), "test rows exclude the labelled rows");
                assert_eq!(
                    exp.kshot_split(k, repeat),
                    (labelled.clone(), test),
                    "the draw depends only on (seed, k, repeat)"
                );
            }
        }
        // Different repeats draw differently.
        assert_ne!(exp.kshot_split(2, 0).0, exp.kshot_split(2, 1).0);
    }
}

#[test]
fn impossible_settings_are_refused_with_a_reason() {
    let (s, t) = split();
    let e = Experiment::new(&s, &t, ProtocolConfig { speakers: vec![2, 12], ..small() }).unwrap_err();
    assert!(matches!(&e, Error::Protocol(m) if m.contains("k = 12")), "{e}");

    let no_fear: Vec<usize> = (0..t.len()).filter(|&i| t.emotion[i] != Some(Emotion::Fearful)).collect();
    let e = Experiment::new(&s, &t.select(&no_fear), small()).unwrap_err();
    assert!(matches!(&e, Error::Protocol(m) if m.contains("target") && m.contains("fearful")), "{e}");

    let mut anon = t.clone();
    anon.speaker[5] = None;
    let e = Experiment::new(&s, &anon, small()).unwrap_err();
    assert!(matches!(&e, Error::Protocol(m) if m.contains("no speaker")), "{e}");

    let e = Experiment::new(&s, &t, ProtocolConfig { frozen: vec![3], ..small() }).unwrap_err();
    assert!(matches!(e, Error::InvalidSetting { name: "frozen", .. }), "{e}");
    let e = Experiment::new(&s, &t, ProtocolConfig { repeats: 0, ..small() }).unwrap_err();
    assert!(matches!(e, Error::InvalidSetting { name: "repeats", .. }), "{e}");
    let mut exp = Experiment::new(&s, &t, small()).unwrap();
    let unit = exp.finetune_units()[0];
    assert!(matches!(exp.run_finetune(&unit), Err(Error::Protocol(_))), "fine-tuning before OODT is refused");
    exp.run_oodt().unwrap();
    assert!(exp.run_finetune(&unit).is_ok());
}

#[test]
fn end_to_end_reproduce_is_deterministic_and_complete() {
    let (s, t) = split();
    let run = || Experiment::new(&s, &t, small()).unwrap().run_all(&Quiet).unwrap();
    let a = run();
    let b = run();
    assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap(), "same seed, same report");

    assert_eq!(a.idt.folds.len(), 12);
    assert_eq!(a.oodt.rows, 384);
    assert_eq!(a.grid.len(), 2 * 2 * 2);
    for c in &a.grid {
        assert_eq!(c.uars.len(), 3);
        assert_eq!(c.test_rows, 384 - c.speakers * 4);
        assert!((0.0..=1.0).contains(&c.uar_mean));
    }
    assert_eq!(a.distance_effect.len(), 4);
    let best = a.grid.iter().filter(|c| !c.distance_loss).map(|c| c.uar_mean).fold(f64::MIN, f64::max);
    assert_eq!(a.table1.finetune, best);
    // Even this short training learns something on a corpus split by speaker.
    assert!(a.table1.idt > 0.35, "IDT {}", a.table1.idt);
    assert!(a.table1.oodt > 0.35, "OODT {}", a.table1.oodt);

    let json: serde_json::Value = serde_json::to_value(&a).unwrap();
    for key in ["oodt", "idt", "finetune", "finetune_distance"] {
        assert!(json["table1"][key].is_f64(), "table1.{key}");
    }
    for key in ["speakers", "frozen", "distance_loss", "uar_mean", "uar_std"] {
        assert!(!json["grid"][0][key].is_null(), "grid[].{key}");
    }

    let c = run();
    let other = Experiment::new(&s, &t, ProtocolConfig { seed: 7, ..small() }).unwrap().run_all(&Quiet).unwrap();
    assert_eq!(a, c);
    assert_ne!(a.table1, other.table1, "another seed, another run");
}

#[test]
fn cancel_stops_the_run() {
    struct Stop;
    impl siamese_ser::protocol::Observer for Stop {
        fn cancelled(&self) -> bool {
            true
        }
    }
    let (s, t) = split();
    let r = Experiment::new(&s, &t, small()).unwrap().run_all(&Stop);
    assert_eq!(r.unwrap_err(), Error::Cancelled);
}

#[test]
fn stepping_units_one_by_one_equals_run_all() {
    let (s, t) = split();
    let all = Experiment::new(&s, &t, small()).unwrap().run_all(&Quiet).unwrap();
    let mut exp = Experiment::new(&s, &t, small()).unwrap();
    let units = exp.units();
    assert_eq!(units.len(), 1 + 12 + 2 * 2 * 2 * 3);
    let results: Vec<_> = units.iter().map(|u| exp.run_unit(u).unwrap()).collect();
    assert_eq!(exp.assemble(results).unwrap(), all);
}

#[test]
fn an_experiment_from_a_trained_model_matches_one_that_trains_it() {
    let (s, t) = split();
    let mut trained = Experiment::new(&s, &t, small()).unwrap();
    let report = trained.run_all(&Quiet).unwrap();
    let model = trained.pretrained().unwrap().clone();
    let mut given = Experiment::from_pretrained(model, &t, small()).unwrap();
    let again = given.run_all(&Quiet).unwrap();
    assert_eq!(again.table1, report.table1);
    assert_eq!(again.grid, report.grid);
    assert_eq!(again.source, report.source, "the source is described from the model's history");
}

#[test]
fn fewshot_draw_splits_and_fine_tunes() {
    use siamese_ser::fewshot::{FewShot, FewShotConfig};
    let (s, t) = split();
    let mut exp = Experiment::new(&s, &t, small()).unwrap();
    exp.run_oodt().unwrap();
    let base = exp.pretrained().unwrap().clone();
    let cfg = FewShotConfig {
        speakers: 3,
        samples_per_emotion: 2,
        train: TrainConfig { epochs: 10, ..TrainConfig::finetune() },
        all_rows: false,
    };
    let mut f = FewShot::draw(&base, &t, &cfg).unwrap();
    let lab = f.labelled_rows();
    assert_eq!(lab.len(), 3 * 4 * 2);
    assert_eq!(lab.speakers().len(), 3);
    assert_eq!(f.test_rows().len(), 384 - 24);
    let before = f.evaluate_base(&base).unwrap().unwrap();
    assert_eq!(before.rows, 360);
    f.run().unwrap();
    assert_eq!(f.progress(), (10, 10));
    let (tuned, after) = f.finish().unwrap();
    assert_eq!(after.unwrap().rows, 360);
    assert_eq!(tuned.references.labels.len(), 24);
    assert_eq!(tuned.history.len(), 2);
    assert_eq!(tuned.history[1].kind, "finetune");

    // Every row, nothing held out: a voice of one's own.
    let all = FewShotConfig { all_rows: true, ..cfg.clone() };
    let mut f = FewShot::draw(&base, &t, &all).unwrap();
    assert!(!f.has_test_rows());
    assert_eq!(f.labelled_rows().len(), 384);
    assert_eq!(f.evaluate_base(&base).unwrap(), None);
    f.run().unwrap();
    let (tuned, after) = f.finish().unwrap();
    assert_eq!(after, None);
    assert_eq!(tuned.references.labels.len(), 384);

    // Impossible requests are refused with a reason.
    let too_many = FewShotConfig { speakers: 13, ..cfg.clone() };
    assert!(matches!(FewShot::draw(&base, &t, &too_many), Err(Error::Protocol(m)) if m.contains("13 speakers")));
    let all_rows = FewShotConfig { speakers: 12, samples_per_emotion: 8, ..cfg.clone() };
    assert!(matches!(FewShot::draw(&base, &t, &all_rows), Err(Error::Protocol(m)) if m.contains("none to measure")));
    let zero = FewShotConfig { speakers: 0, ..cfg };
    assert!(matches!(FewShot::draw(&base, &t, &zero), Err(Error::InvalidSetting { name: "speakers", .. })));
}
