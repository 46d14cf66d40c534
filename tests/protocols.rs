//! Protocol invariants (speaker-disjoint folds, exact k-shot draws, fine-tuning measured on
//! unseen speakers, development speakers left out, a grid that fits the corpus), refusals,
//! determinism, and a small end-to-end run on committed data.

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
        speakers: Some(vec![2, 4]),
        frozen: vec![0, 1],
        repeats: 4,
        pretrain_seeds: 2,
        dev_speakers: vec![],
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
    let e = Experiment::new(&s, &t, ProtocolConfig { speakers: Some(vec![2, 12]), ..small() }).unwrap_err();
    assert!(matches!(&e, Error::NotEnoughData { what, .. } if what.contains("k = 12")), "{e}");
    assert!(e.to_string().contains("the target has 12 speakers"), "{e}");

    let no_fear: Vec<usize> = (0..t.len()).filter(|&i| t.emotion[i] != Some(Emotion::Fearful)).collect();
    let e = Experiment::new(&s, &t.select(&no_fear), small()).unwrap_err();
    assert!(
        matches!(&e, Error::NotEnoughData { what, found, .. }
        if what.contains("target") && found.contains("fearful")),
        "{e}"
    );

    let mut anon = t.clone();
    anon.speaker[5] = None;
    let e = Experiment::new(&s, &anon, small()).unwrap_err();
    assert!(matches!(&e, Error::NotEnoughData { found, .. } if found.contains("1 labelled row has none")), "{e}");

    // One speaker × one sample per emotion leaves no other speaker of that... k = 1 on a
    // two-speaker corpus is refused by the default grid before anything runs.
    let two: Vec<usize> = (0..t.len()).filter(|&i| ["01", "03"].contains(&t.speaker[i].as_deref().unwrap())).collect();
    let e = Experiment::new(&s, &t.select(&two), ProtocolConfig { speakers: None, ..small() }).unwrap_err();
    assert!(matches!(&e, Error::NotEnoughData { what, .. } if what == "k-shot fine-tuning"), "{e}");
    // …and asked for explicitly, k = 2 of 2 speakers leaves nobody to test on.
    let e = Experiment::new(&s, &t.select(&two), ProtocolConfig { speakers: Some(vec![2]), ..small() }).unwrap_err();
    assert!(matches!(&e, Error::NotEnoughData { what, .. } if what == "k = 2 speakers"), "{e}");
    assert_eq!(e.kind(), siamese_ser::ErrorKind::Data);

    let e = Experiment::new(&s, &t, ProtocolConfig { frozen: vec![3], ..small() }).unwrap_err();
    assert!(matches!(e, Error::InvalidSetting { name: "frozen", .. }), "{e}");
    let e = Experiment::new(&s, &t, ProtocolConfig { repeats: 0, ..small() }).unwrap_err();
    assert!(matches!(e, Error::InvalidSetting { name: "repeats", .. }), "{e}");
    let e = Experiment::new(&s, &t, ProtocolConfig { pretrain_seeds: 0, ..small() }).unwrap_err();
    assert!(matches!(e, Error::InvalidSetting { name: "pretrain_seeds", .. }), "{e}");
    let e = Experiment::new(&s, &t, ProtocolConfig { speakers: Some((1..=65).collect()), ..small() }).unwrap_err();
    assert!(matches!(e, Error::InvalidSetting { name: "speakers", .. }), "{e}");
    let mut exp = Experiment::new(&s, &t, small()).unwrap();
    let unit = exp.finetune_units()[0];
    assert!(matches!(exp.run_finetune(&unit), Err(Error::OutOfOrder(_))), "fine-tuning before pretraining is refused");
    for u in exp.units().into_iter().filter(|u| u.is_first_phase()) {
        exp.run_unit(&u).unwrap();
    }
    assert!(exp.run_finetune(&unit).is_ok());
}

#[test]
fn end_to_end_reproduce_is_deterministic_and_complete() {
    let (s, t) = split();
    let run = || Experiment::new(&s, &t, small()).unwrap().run_all(&Quiet).unwrap();
    let a = run();
    let b = run();
    assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap(), "same seed, same report");

    assert_eq!(a.idt.folds.len(), 12 * 2, "every fold once per pretraining seed");
    assert_eq!(a.idt.per_seed.len(), 2);
    assert_eq!(a.oodt.rows, 384);
    assert_eq!(a.oodt_per_seed.len(), 2);
    assert_eq!(a.grid.len(), 2 * 2 * 2);
    for c in &a.grid {
        assert_eq!(c.uars.len(), 4);
        // Unseen speakers only: the 12 − k speakers who gave no labelled row, all their rows.
        assert_eq!(c.test_speakers, 12 - c.speakers);
        assert_eq!(c.test_rows_mean, (32 * (12 - c.speakers)) as f64);
        assert!(c.uar_seen_mean.is_some(), "the seen-speaker figure is beside it");
        assert!((0.0..=1.0).contains(&c.uar_mean));
        let [lo, hi] = c.uar_ci.unwrap();
        assert!(lo <= c.uar_mean && c.uar_mean <= hi);
        assert_eq!(c.steps, 30, "30 epochs of one batch (8 or 16 rows, 32 pairs)");
        assert!(c.baseline_uar_mean.is_some() && c.vs_baseline.is_some());
    }
    assert_eq!(a.distance_effect.n, 2 * 4, "one paired difference per draw");
    assert_eq!(a.distance_effect_cells.len(), 4);
    assert!((0.0..=1.0).contains(&a.distance_effect.p_value));
    let best = a.grid.iter().filter(|c| !c.distance_loss).map(|c| c.uar_mean).fold(f64::MIN, f64::max);
    assert_eq!(a.table1.finetune, best);
    assert!(a.table1_ci.oodt.is_some() && a.table1_ci.idt.is_some());
    // Even this short training learns something on a corpus split by speaker.
    assert!(a.table1.idt > 0.35, "IDT {}", a.table1.idt);
    assert!(a.table1.oodt > 0.35, "OODT {}", a.table1.oodt);
    let lr = &a.baselines.logistic_regression;
    assert!(lr.idt > 0.35 && lr.oodt.unwrap() > 0.35 && lr.finetune.unwrap() > 0.35);
    assert!(a.table1_rows.finetune.contains("who gave no labelled row"), "{}", a.table1_rows.finetune);
    // The baseline beside each figure is on that figure's rows: a fine-tuning row's is the
    // baseline of its best cell (its k, draws and test rows), whichever k is the baseline's own
    // best; every paired interval is one a difference of two UARs can have.
    let cell_of = |key: &siamese_ser::protocol::GridKey| {
        a.grid
            .iter()
            .find(|c| (c.speakers, c.frozen, c.distance_loss) == (key.speakers, key.frozen, key.distance_loss))
            .unwrap()
    };
    assert_eq!(a.table1_baseline.oodt, lr.oodt);
    assert_eq!(a.table1_baseline.idt, Some(lr.idt));
    assert_eq!(a.table1_baseline.finetune, cell_of(&a.table1.finetune_cell).baseline_uar_mean);
    assert_eq!(a.table1_baseline.finetune_distance, cell_of(&a.table1.finetune_distance_cell).baseline_uar_mean);
    let tests =
        a.grid.iter().filter_map(|c| c.vs_baseline.as_ref()).chain(a.distance_effect_cells.iter().map(|c| &c.test));
    for t in tests.chain([&a.distance_effect]).chain(a.table1_vs_baseline.oodt.iter()) {
        if let Some([lo, hi]) = t.ci95 {
            assert!(-1.0 <= lo && lo <= t.mean && t.mean <= hi && hi <= 1.0, "{t:?}");
        }
    }

    let json: serde_json::Value = serde_json::to_value(&a).unwrap();
    for key in ["oodt", "idt", "finetune", "finetune_distance"] {
        assert!(json["table1"][key].is_f64(), "table1.{key}");
        assert!(json["table1_ci"][key].is_array(), "table1_ci.{key}");
        assert!(json["baselines"]["logistic_regression"][key.trim_end_matches("_distance")].is_f64(), "baseline {key}");
    }
    for key in ["finetune", "finetune_distance"] {
        assert!(json["table1_seen"][key].is_f64(), "table1_seen.{key}");
    }
    for key in [
        "speakers",
        "frozen",
        "distance_loss",
        "uar_mean",
        "uar_std",
        "uar_seen_mean",
        "test_rows_mean",
        "test_speakers",
        "steps",
        "baseline_uar_mean",
    ] {
        assert!(!json["grid"][0][key].is_null(), "grid[].{key}");
    }
    for key in ["mean", "ci95", "wins", "losses", "p_value"] {
        assert!(!json["distance_effect"][key].is_null(), "distance_effect.{key}");
    }
    for key in ["version", "seed", "pretrain_seeds", "features", "normalization", "selection", "test_rows"] {
        assert!(!json["settings"][key].is_null(), "settings.{key}");
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
    // 2 pretrainings + the source baseline; 12 folds × (2 seeds + baseline); 2 k × 2 frozen × 2 ×
    // 4 repeats; 2 k × 4 draw baselines.
    assert_eq!(units.len(), 2 + 1 + 12 * 3 + 2 * 2 * 2 * 4 + 2 * 4);
    let results: Vec<_> = units.iter().map(|u| exp.run_unit(u).unwrap()).collect();
    // Every result survives the numbers the page's engines hand each other.
    for r in &results {
        assert_eq!(&exp.decode(&siamese_ser::protocol::transfer::encode(r)).unwrap(), r);
    }
    assert!(exp.decode(&[9.0]).is_err() && exp.decode(&[]).is_err());
    assert_eq!(exp.assemble(results).unwrap(), all);
}

#[test]
fn an_experiment_from_a_trained_model_matches_one_that_trains_it() {
    let (s, t) = split();
    let mut trained = Experiment::new(&s, &t, small()).unwrap();
    let report = trained.run_all(&Quiet).unwrap();
    let model = trained.pretrained(0).unwrap().clone();
    let one = ProtocolConfig { pretrain_seeds: 1, ..small() };
    let mut trained1 = Experiment::new(&s, &t, one.clone()).unwrap();
    let report1 = trained1.run_all(&Quiet).unwrap();
    let mut given = Experiment::from_pretrained(model, &t, one).unwrap();
    let again = given.run_all(&Quiet).unwrap();
    assert_eq!(again.table1, report1.table1);
    assert_eq!(again.oodt, report.oodt, "pretraining seed 0 is the same model with any number of seeds");
    // The Siamese grid is the same; the baseline differs by design (the model's baseline adapted
    // with its weights as the prior, not refitted on source plus labelled rows).
    for (a, b) in again.grid.iter().zip(&report1.grid) {
        assert_eq!((a.uar_mean, &a.uars), (b.uar_mean, &b.uars));
    }
    assert_eq!(again.source, report.source, "the source is described from the model's history");
    assert_eq!(again.settings.pretrain_seeds, 1);
}

#[test]
fn fewshot_draw_splits_and_fine_tunes() {
    use siamese_ser::fewshot::{FewShot, FewShotConfig};
    let (s, t) = split();
    let mut exp = Experiment::new(&s, &t, small()).unwrap();
    exp.run_unit(&siamese_ser::protocol::Unit::Pretrain(0)).unwrap();
    let base = exp.pretrained(0).unwrap().clone();
    let cfg = FewShotConfig {
        speakers: 3,
        samples_per_emotion: 2,
        train: TrainConfig { epochs: 10, ..TrainConfig::finetune() },
        all_rows: false,
        exclude_speakers: vec!["ravdess/05".into(), "nowhere/1".into()],
    };
    let mut f = FewShot::draw(&base, &t, &cfg).unwrap();
    assert_eq!(f.excluded_speakers(), ["ravdess/05".to_string()]);
    let lab = f.labelled_rows();
    assert_eq!(lab.len(), 3 * 4 * 2);
    let labelled_speakers = lab.speakers();
    assert_eq!(labelled_speakers.len(), 3);
    assert!(!labelled_speakers.contains(&"ravdess/05".to_string()), "excluded speakers are not drawn");
    let test = f.test_rows();
    assert_eq!(test.len(), 384 - 32 - 24);
    assert!(test.speakers().iter().all(|k| k != "ravdess/05"), "…nor tested");
    let before = f.evaluate_base(&base).unwrap().unwrap();
    // Unseen: the 8 speakers who gave no labelled row; seen: the 3 labelled speakers' other rows.
    assert_eq!((before.unseen.as_ref().unwrap().rows, before.unseen.as_ref().unwrap().speakers), (8 * 32, 8));
    assert_eq!((before.seen.as_ref().unwrap().rows, before.seen.as_ref().unwrap().speakers), (3 * 24, 3));
    assert!(f.baseline(&base).unwrap().is_some(), "a pretrained model carries its baseline");
    f.run().unwrap();
    assert_eq!(f.progress(), (10, 10));
    let (tuned, after) = f.finish().unwrap();
    assert_eq!(after.unwrap().all().unwrap().rows, 8 * 32 + 3 * 24);
    assert_eq!(tuned.references.labels.len(), 24);
    assert_eq!(tuned.history.len(), 2);
    assert_eq!(tuned.history[1].kind, "finetune");

    // Every row, nothing held out: a voice of one's own.
    let all = FewShotConfig { all_rows: true, exclude_speakers: vec![], ..cfg.clone() };
    let mut f = FewShot::draw(&base, &t, &all).unwrap();
    assert!(!f.has_test_rows());
    assert_eq!(f.labelled_rows().len(), 384);
    assert_eq!(f.evaluate_base(&base).unwrap(), None);
    f.run().unwrap();
    let (tuned, after) = f.finish().unwrap();
    assert_eq!(after, None);
    assert_eq!(tuned.references.labels.len(), 384);

    // Impossible requests are refused with a reason.
    let too_many = FewShotConfig { speakers: 12, ..cfg.clone() };
    let e = FewShot::draw(&base, &t, &too_many).unwrap_err();
    assert!(e.to_string().contains("drawing 12 speakers") && e.to_string().contains("11 such speakers"), "{e}");
    let all_rows = FewShotConfig { speakers: 11, samples_per_emotion: 8, ..cfg.clone() };
    let e = FewShot::draw(&base, &t, &all_rows).unwrap_err();
    assert!(matches!(&e, Error::NotEnoughData { what, .. } if what == "measuring UAR"), "{e}");
    let zero = FewShotConfig { speakers: 0, ..cfg };
    assert!(matches!(FewShot::draw(&base, &t, &zero), Err(Error::InvalidSetting { name: "speakers", .. })));
}

#[test]
fn development_speakers_are_left_out_of_every_unit() {
    let (s, t) = split();
    let cfg = ProtocolConfig {
        dev_speakers: vec!["ravdess/03".into(), "ravdess/07".into(), "crema-d/1001".into()],
        ..small()
    };
    let exp = Experiment::new(&s, &t, cfg).unwrap();
    assert_eq!(exp.excluded_speakers(), ["ravdess/03".to_string(), "ravdess/07".into()]);
    assert_eq!(exp.speaker_names().len(), 10);
    assert!(exp.target.speakers().iter().all(|k| k != "ravdess/03" && k != "ravdess/07"));
    // The default development speakers are RAVDESS's (02, 06, 21, 24): two of them are in this split.
    let exp =
        Experiment::new(&s, &t, ProtocolConfig { dev_speakers: ProtocolConfig::default().dev_speakers, ..small() })
            .unwrap();
    assert_eq!(exp.excluded_speakers(), ["ravdess/02".to_string(), "ravdess/06".into()]);
}

#[test]
fn fine_tuning_is_measured_on_unseen_speakers_by_default() {
    let (s, t) = split();
    let mut exp = Experiment::new(&s, &t, small()).unwrap();
    for u in exp.units().into_iter().filter(|u| u.is_first_phase()) {
        exp.run_unit(&u).unwrap();
    }
    for k in [2, 4] {
        for repeat in 0..4 {
            let (labelled, test) = exp.kshot_split(k, repeat);
            let labelled_speakers = speakers_of(&exp.target, &labelled);
            let unseen: Vec<usize> =
                test.iter().copied().filter(|&i| !labelled_speakers.contains(&exp.target.speaker_key(i))).collect();
            assert!(speakers_of(&exp.target, &unseen).is_disjoint(&labelled_speakers));
            let unit = siamese_ser::protocol::FinetuneUnit { speakers: k, frozen: 0, distance_loss: false, repeat };
            let run = exp.run_finetune(&unit).unwrap();
            let u = run.unseen.unwrap();
            assert_eq!(u.rows, unseen.len(), "the unseen figure is on exactly the rows of speakers never drawn");
            assert_eq!(u.speakers, 12 - k);
            assert_eq!(run.seen.unwrap().rows, test.len() - unseen.len());
        }
    }
    // The paper's literal reading is one setting away.
    let all = ProtocolConfig { test_rows: siamese_ser::protocol::TestRows::AllRemaining, ..small() };
    let r = Experiment::new(&s, &t, all).unwrap().run_all(&Quiet).unwrap();
    for c in &r.grid {
        assert_eq!(c.test_rows_mean, (384 - 4 * c.speakers) as f64);
    }
    assert!(r.table1_rows.finetune.contains("including the other rows"), "{}", r.table1_rows.finetune);
}

#[test]
fn the_default_grid_fits_the_corpus() {
    let (s, t) = split();
    let keep = |n: u32| -> Dataset {
        let rows: Vec<usize> =
            (0..t.len()).filter(|&i| t.speaker[i].as_deref().unwrap().parse::<u32>().unwrap() <= n).collect();
        t.select(&rows)
    };
    let grid =
        |n| Experiment::new(&s, &keep(n), ProtocolConfig { speakers: None, ..small() }).unwrap().k_grid().to_vec();
    assert_eq!(grid(12), vec![2, 4, 6, 8, 10]);
    assert_eq!(grid(10), vec![2, 4, 6, 8]);
    assert_eq!(grid(4), vec![2]);
    // Three speakers: k = 1 leaves two to test on but cannot form same-emotion pairs from one
    // row per emotion; the refusal says so before anything runs. Two samples per emotion work.
    let e = Experiment::new(&s, &keep(3), ProtocolConfig { speakers: None, ..small() }).unwrap_err();
    assert!(e.to_string().contains("at least 4 speakers, 2 with 1 row of every emotion"), "{e}");
    let two = ProtocolConfig { speakers: None, samples_per_emotion: 2, ..small() };
    assert_eq!(Experiment::new(&s, &keep(3), two).unwrap().k_grid(), [1]);
    let e = Experiment::new(&s, &t, ProtocolConfig { speakers: Some(vec![1]), ..small() }).unwrap_err();
    assert!(e.to_string().contains("k = 1 with 1 sample per emotion needs two labelled rows of each emotion"), "{e}");
    assert!(
        e.to_string().ends_with("k × samples per emotion is 1; use k = 2 or more"),
        "the advice can be followed: {e}"
    );
    // All 24 RAVDESS speakers: the paper's 2 … 20.
    let all = common::ravdess();
    let mut src = s.clone();
    src.corpus.iter_mut().for_each(|c| *c = "elsewhere".into());
    let exp = Experiment::new(&src, &all, ProtocolConfig { speakers: None, ..small() }).unwrap();
    assert_eq!(exp.k_grid(), [2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
}

/// With one draw per cell the grid CSV leaves the spread and the interval empty rather than
/// writing a standard deviation of 0.
#[test]
fn one_draw_per_cell_reports_no_spread() {
    let (s, t) = split();
    let config = ProtocolConfig { repeats: 1, pretrain_seeds: 1, frozen: vec![0], speakers: Some(vec![2]), ..small() };
    let csv = Experiment::new(&s, &t, config).unwrap().run_all(&Quiet).unwrap().grid_csv();
    let header: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|&h| h == name).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().skip(2).map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2, "one k, one frozen setting, with and without the distance loss");
    for r in &rows {
        assert_eq!((r[col("uar_std")], r[col("uar_ci_low")], r[col("repeats")]), ("", "", "1"), "{r:?}");
        assert!(r[col("uar_mean")].parse::<f64>().is_ok());
    }
}

#[test]
fn selection_looks_only_at_development_speakers() {
    use siamese_ser::protocol::select::{dev_speakers_of, select};
    let (s, t) = split();
    let base = ProtocolConfig { repeats: 2, frozen: vec![0], ..small() };
    let dev = dev_speakers_of(&t, &[], Some(4)).unwrap();
    assert_eq!(dev.len(), 4);
    let a = select(&s, &t, &dev, &base, &Quiet).unwrap();
    assert_eq!(a.dev_rows, 4 * 32);
    assert_eq!(a.k_grid, vec![2], "four development speakers: two to label, two to test on");
    assert_eq!(a.training_from_scratch.len(), 18);
    assert_eq!(a.fine_tuning.len(), 9);
    assert_eq!(a.chosen.dev_speakers, dev, "the chosen settings leave the development speakers out");
    assert!(a.chosen.selection.contains(&dev[0]));
    let best = a.training_from_scratch.iter().map(|c| c.score).fold(f64::MIN, f64::max);
    let first_best = a.training_from_scratch.iter().position(|c| c.score == best).unwrap();
    assert!(a.training_from_scratch[first_best].settings.starts_with(mode(&a.chosen)));

    // Scramble every other target speaker's rows (features and labels): nothing changes.
    let mut scrambled = t.clone();
    for i in 0..scrambled.len() {
        if !dev.contains(&scrambled.speaker_key(i)) {
            scrambled.x.row_mut(i).mapv_inplace(|v| -3.0 * v + 1.0);
            scrambled.emotion[i] = Some(Emotion::ALL[(i * 7) % 4]);
        }
    }
    let b = select(&s, &scrambled, &dev, &base, &Quiet).unwrap();
    assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());

    // Too few speakers to select on is refused with the reason.
    assert!(dev_speakers_of(&t, &[], Some(3)).is_err());
    assert!(dev_speakers_of(&t, &["ravdess/99".into()], None).is_err());
}

fn mode(c: &ProtocolConfig) -> &'static str {
    match c.normalization.mode {
        siamese_ser::data::Normalization::PerSpeaker => "per_speaker",
        siamese_ser::data::Normalization::PerCorpus => "per_corpus",
        siamese_ser::data::Normalization::Global => "global",
    }
}

/// The committed RAVDESS file with its speaker column written without leading zeros (`2`, not
/// `02`), as a CSV tool may write it.
fn ravdess_unpadded() -> Dataset {
    let text = include_str!("../data/ravdess_16k.csv");
    let mut lines = text.lines();
    let mut out = vec![lines.next().unwrap().to_string()];
    assert!(out[0].starts_with("file,corpus,speaker,"));
    for line in lines {
        let mut cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[2].len(), 2, "every RAVDESS speaker ID is written with two digits");
        cells[2] = cells[2].trim_start_matches('0');
        out.push(cells.join(","));
    }
    siamese_ser::data::parse_csv(&out.join("\n"), "ravdess").unwrap().0
}

#[test]
fn development_speakers_match_unpadded_speaker_ids() {
    use siamese_ser::fewshot::{FewShot, FewShotConfig};
    use siamese_ser::protocol::select::dev_speakers_of;
    let padded = common::ravdess();
    let unpadded = ravdess_unpadded();
    assert_eq!(unpadded.speaker[0].as_deref(), Some("1"));
    let mut source = split().0;
    source.corpus.iter_mut().for_each(|c| *c = "elsewhere".into());
    let config = || ProtocolConfig { speakers: None, dev_speakers: ProtocolConfig::default().dev_speakers, ..small() };
    let a = Experiment::new(&source, &padded, config()).unwrap();
    let b = Experiment::new(&source, &unpadded, config()).unwrap();
    assert_eq!(a.excluded_speakers(), ["ravdess/02", "ravdess/06", "ravdess/21", "ravdess/24"]);
    assert_eq!(
        b.excluded_speakers(),
        ["ravdess/2", "ravdess/21", "ravdess/24", "ravdess/6"],
        "the target's own spelling of the development speakers"
    );
    assert_eq!(a.target.line, b.target.line, "the same rows are left out");
    assert_eq!(b.speaker_names().len(), 20);

    // Fine-tuning's draw leaves them out too.
    let base = {
        let cfg = TrainConfig { epochs: 1, ..TrainConfig::pretrain() };
        let mut t = siamese_ser::recognizer::Recognizer::start_pretraining(
            &source,
            &Default::default(),
            &Default::default(),
            &cfg,
            Default::default(),
        )
        .unwrap();
        t.run().unwrap();
        t.finish()
    };
    let draw =
        FewShotConfig { train: TrainConfig { epochs: 1, ..TrainConfig::finetune() }, ..FewShotConfig::default() };
    let f = FewShot::draw(&base, &unpadded, &draw).unwrap();
    assert_eq!(f.excluded_speakers(), b.excluded_speakers());
    let mut used = [f.labelled_rows().line.as_slice(), f.test_rows().line.as_slice()].concat();
    used.sort_unstable();
    assert_eq!(used, a.target.line, "labelled and test rows are every row but the development speakers'");

    // Named development speakers for `select` match by value and come back as the target writes them.
    assert_eq!(
        dev_speakers_of(&unpadded, &["ravdess/02".into(), "ravdess/6".into()], None).unwrap(),
        ["ravdess/2", "ravdess/6"]
    );
    assert_eq!(dev_speakers_of(&padded, &["ravdess/2".into()], None).unwrap(), ["ravdess/02"]);
}

#[test]
fn a_source_that_shares_speakers_with_the_target_is_refused() {
    let (s, t) = split();
    let e = Experiment::new(&t, &t, small()).unwrap_err();
    assert_eq!(e.kind(), siamese_ser::ErrorKind::Data);
    assert_eq!(
        e.to_string(),
        "OODT needs a source corpus without the target's speakers, to test a model on speakers it was not trained \
         on; the source and the target share 12 speakers (ravdess/01, ravdess/02, ravdess/03, …)"
    );
    // Also when the two files spell the speaker IDs differently…
    let unpadded = ravdess_unpadded();
    let first: Vec<usize> = (0..unpadded.len()).filter(|&i| unpadded.speaker[i].as_deref() == Some("1")).collect();
    let with_01 = Dataset::concat(&[s.clone(), unpadded.select(&first)]).unwrap();
    let e = Experiment::new(&with_01, &t, small()).unwrap_err();
    assert!(e.to_string().ends_with("share 1 speaker (ravdess/01)"), "{e}");
    // …but not for the development speakers, which are never tested.
    let dev: Vec<usize> = (0..t.len()).filter(|&i| t.speaker[i].as_deref() == Some("02")).collect();
    let with_dev = Dataset::concat(&[s.clone(), t.select(&dev)]).unwrap();
    let cfg = ProtocolConfig { dev_speakers: vec!["ravdess/02".into()], ..small() };
    assert!(Experiment::new(&with_dev, &t, cfg).is_ok());
    // The same corpus name with other speakers is fine.
    let mut same_name = s;
    same_name.corpus.iter_mut().for_each(|c| *c = "ravdess".into());
    assert!(Experiment::new(&same_name, &t, small()).is_ok());
}

#[test]
fn refusals_count_the_development_speakers_left_out() {
    let all = common::ravdess();
    let six: Vec<usize> = (0..all.len())
        .filter(|&i| ["01", "03", "02", "06", "21", "24"].contains(&all.speaker[i].as_deref().unwrap()))
        .collect();
    let mut source = split().0;
    source.corpus.iter_mut().for_each(|c| *c = "elsewhere".into());
    let config = ProtocolConfig { speakers: None, dev_speakers: ProtocolConfig::default().dev_speakers, ..small() };
    let e = Experiment::new(&source, &all.select(&six), config.clone()).unwrap_err();
    assert!(matches!(&e, Error::NotEnoughData { what, .. } if what == "k-shot fine-tuning"), "{e}");
    assert!(
        e.to_string().ends_with(
            "the target has 2 speakers (2 with enough rows), besides 4 development speakers left out (ravdess/02, \
             ravdess/06, ravdess/21, ravdess/24)"
        ),
        "{e}"
    );
    // The other refusals say it the same way.
    let three: Vec<usize> =
        (0..all.len()).filter(|&i| ["01", "02"].contains(&all.speaker[i].as_deref().unwrap())).collect();
    let e = Experiment::new(&source, &all.select(&three), config.clone()).unwrap_err();
    assert!(
        e.to_string().ends_with("the target has 1 speaker, besides 1 development speaker left out (ravdess/02)"),
        "{e}"
    );
    let e =
        Experiment::new(&source, &all.select(&six), ProtocolConfig { speakers: Some(vec![2]), ..config }).unwrap_err();
    assert!(
        e.to_string().ends_with("the target has 2 speakers, 2 with enough rows, besides 4 development speakers left out (ravdess/02, ravdess/06, ravdess/21, ravdess/24)"),
        "{e}"
    );
}

/// A small target whose fearful rows come from 4 speakers only: with k = 4 those are the
/// labelled speakers and the test rows have no fearful row, so those cells' UAR averages three
/// emotions, and the grid counts those draws.
#[test]
fn the_grid_counts_draws_that_tested_fewer_emotions() {
    let (s, t) = split();
    let rows: Vec<usize> = (0..t.len())
        .filter(|&i| {
            let n: u32 = t.speaker[i].as_deref().unwrap().parse().unwrap();
            n <= 6 && (t.emotion[i] != Some(Emotion::Fearful) || n <= 4)
        })
        .collect();
    let target = t.select(&rows);
    let config =
        ProtocolConfig { repeats: 2, pretrain_seeds: 1, frozen: vec![0], speakers: Some(vec![4, 2]), ..small() };
    let r = Experiment::new(&s, &target, config).unwrap().run_all(&Quiet).unwrap();
    assert_eq!(r.config.speakers, Some(vec![2, 4]), "k as typed, run in order");
    assert_eq!(r.grid.iter().map(|c| c.speakers).collect::<Vec<_>>(), [2, 2, 4, 4]);
    for c in &r.grid {
        assert_eq!(c.fewer_emotions, if c.speakers == 4 { 2 } else { 0 }, "k = {}", c.speakers);
    }
    // Which cell is picked when both kinds are there: the unit test of `best_cell`.
    assert_eq!((r.table1.finetune_cell.speakers, r.table1.finetune_distance_cell.speakers), (2, 2));
}
