//! Choosing settings without looking at the test speakers.
//!
//! `select` keeps a few **development speakers** of the target apart (by default one in six,
//! drawn with a fixed seed: [`choose_dev_speakers`]) and scores candidate settings on their
//! results only. Every reported figure then leaves those speakers out
//! ([`ProtocolConfig::dev_speakers`]), so no figure comes from a speaker whose results chose
//! it. Nothing else of the target is used: the candidates train on the source corpus and are
//! tested, and fine-tuned, on development speakers alone.
//!
//! Two stages, each over a small grid:
//! 1. **Training from scratch** — standardisation × learning rate × epochs — scored by the
//!    OODT UAR on the development speakers' rows, averaged over the pretraining seeds. IDT
//!    trains from scratch the same way, so it takes the same settings.
//! 2. **Fine-tuning** — learning rate × epochs, from the stage-1 choice — scored by the mean
//!    UAR on unseen development speakers of k-shot runs with k labelled development
//!    speakers (every k the development set allows), over the frozen-layer settings, with and
//!    without the distance loss.
//!
//! Ties go to the earlier candidate (the current defaults come first).

use super::{Experiment, ProtocolConfig, TestRows, Unit, UnitResult};
use crate::config::TrainConfig;
use crate::data::split::{choose_dev_speakers, default_dev_count, default_k_grid, speakers_with_every_emotion};
use crate::data::{Dataset, Normalization};
use crate::error::{Error, Result};
use crate::stats::mean_std;
use serde::{Deserialize, Serialize};

/// The candidates of one stage and their scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The settings, in words (`per_speaker, lr 0.003, 40 epochs`).
    pub settings: String,
    /// Mean UAR on the development speakers.
    pub score: f64,
    /// Its standard deviation over the values averaged.
    pub std: f64,
    /// Values averaged (seeds, or runs).
    pub n: usize,
}

/// What `select` did and chose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelectReport {
    /// The development speakers (`corpus/speaker`): the only target speakers used.
    pub dev_speakers: Vec<String>,
    /// Their rows.
    pub dev_rows: usize,
    /// The k of the stage-2 runs.
    pub k_grid: Vec<usize>,
    pub training_from_scratch: Vec<Candidate>,
    /// Candidates for IDT, scored by leaving out one development speaker at a time (only the
    /// regularised method chooses IDT settings apart from pretraining's).
    #[serde(default)]
    pub idt: Vec<Candidate>,
    pub fine_tuning: Vec<Candidate>,
    /// The chosen settings, with `dev_speakers` and `selection` filled in: pass them to
    /// `reproduce --config`.
    pub chosen: ProtocolConfig,
}

/// Learning rates and epochs tried for training from scratch.
pub const SCRATCH_LEARNING_RATES: [f64; 2] = [3e-3, 1e-3];
pub const SCRATCH_EPOCHS: [usize; 3] = [40, 20, 80];
/// Learning rates and epochs tried for fine-tuning.
pub const FINETUNE_LEARNING_RATES: [f64; 3] = [1e-3, 3e-4, 3e-3];
pub const FINETUNE_EPOCHS: [usize; 3] = [240, 120, 480];
/// Standardisations tried.
pub const NORMALIZATIONS: [Normalization; 3] =
    [Normalization::PerSpeaker, Normalization::PerCorpus, Normalization::Global];

/// Which development speakers: `named`, or else `count` (default: one in six) drawn from the
/// target's speakers.
pub fn dev_speakers_of(target: &Dataset, named: &[String], count: Option<usize>) -> Result<Vec<String>> {
    let keys = target.speakers();
    if !named.is_empty() {
        if let Some(k) = named.iter().find(|k| !keys.contains(k)) {
            return Err(Error::setting("dev_speakers", k, "speakers of the target, as corpus/speaker"));
        }
        let mut n = named.to_vec();
        n.sort();
        n.dedup();
        return Ok(n);
    }
    let count = count.unwrap_or_else(|| default_dev_count(keys.len()));
    if count < 4 || count + 2 > keys.len() {
        return Err(Error::data(
            "selection",
            "at least 4 development speakers (2 to label, 2 to test on) and 2 other target speakers",
            format!("{count} development speakers of {} were asked for", keys.len()),
        ));
    }
    Ok(choose_dev_speakers(&keys, count))
}

/// Runs the selection; `base` holds everything not selected (seeds, repeats, frozen layers…).
pub fn select(
    source: &Dataset,
    target: &Dataset,
    dev: &[String],
    base: &ProtocolConfig,
    observer: &dyn super::Observer,
) -> Result<SelectReport> {
    let labelled = target.select(&target.labelled());
    let rows: Vec<usize> = (0..labelled.len()).filter(|&i| dev.contains(&labelled.speaker_key(i))).collect();
    let dev_rows = labelled.select(&rows);
    let groups = dev_rows.speaker_groups();
    let eligible = speakers_with_every_emotion(&groups, &dev_rows.emotion, base.samples_per_emotion).len();
    let k_grid = default_k_grid(groups.len(), eligible, base.samples_per_emotion);
    let on_dev = ProtocolConfig {
        dev_speakers: vec![],
        speakers: Some(k_grid.clone()),
        test_rows: TestRows::UnseenSpeakers,
        ..base.clone()
    };

    // Stage 1: standardisation × learning rate × epochs, by OODT on the development speakers.
    let mut scratch = Vec::new();
    let mut best: Option<(f64, ProtocolConfig)> = None;
    for &mode in &NORMALIZATIONS {
        for &lr in &SCRATCH_LEARNING_RATES {
            for &epochs in &SCRATCH_EPOCHS {
                if observer.cancelled() {
                    return Err(Error::Cancelled);
                }
                let mut c = on_dev.clone();
                c.normalization.mode = mode;
                c.pretrain = TrainConfig { learning_rate: lr, epochs, ..c.pretrain.clone() };
                c.idt = c.pretrain.clone();
                let mut exp = Experiment::new(source, &dev_rows, c.clone())?;
                let uars: Vec<f64> = run(&mut exp, |u| matches!(u, Unit::Pretrain(_)))?
                    .into_iter()
                    .filter_map(|r| match r {
                        UnitResult::Pretrain(o) => Some(o.report.uar),
                        _ => None,
                    })
                    .collect();
                let (score, std) = mean_std(&uars);
                let settings = format!("{}, learning rate {lr}, {epochs} epochs", mode_name(mode));
                observer.progress(&super::Progress {
                    done: scratch.len() + 1,
                    total: NORMALIZATIONS.len() * SCRATCH_LEARNING_RATES.len() * SCRATCH_EPOCHS.len(),
                    what: format!("from scratch: {settings}: OODT on development speakers {:.1}%", 100.0 * score),
                });
                scratch.push(Candidate { settings, score, std, n: uars.len() });
                if best.as_ref().is_none_or(|(b, _)| score > *b) {
                    best = Some((score, c));
                }
            }
        }
    }
    let (_, stage1) = best.ok_or(Error::OutOfOrder("the selection grid is empty"))?;

    // Stage 2: fine-tuning learning rate × epochs, from the stage-1 models.
    let mut tuning = Vec::new();
    let mut best: Option<(f64, ProtocolConfig)> = None;
    for &lr in &FINETUNE_LEARNING_RATES {
        for &epochs in &FINETUNE_EPOCHS {
            if observer.cancelled() {
                return Err(Error::Cancelled);
            }
            let mut c = stage1.clone();
            c.finetune = TrainConfig { learning_rate: lr, epochs, ..c.finetune.clone() };
            let mut exp = Experiment::new(source, &dev_rows, c.clone())?;
            let uars: Vec<f64> = run(&mut exp, |u| matches!(u, Unit::Pretrain(_) | Unit::Finetune(_)))?
                .into_iter()
                .filter_map(|r| match r {
                    UnitResult::Finetune(f) => f.unseen.map(|r| r.uar),
                    _ => None,
                })
                .collect();
            let (score, std) = mean_std(&uars);
            let settings = format!("learning rate {lr}, {epochs} epochs");
            observer.progress(&super::Progress {
                done: tuning.len() + 1,
                total: FINETUNE_LEARNING_RATES.len() * FINETUNE_EPOCHS.len(),
                what: format!("fine-tuning: {settings}: unseen development speakers {:.1}%", 100.0 * score),
            });
            tuning.push(Candidate { settings, score, std, n: uars.len() });
            if best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, c));
            }
        }
    }
    let (_, mut chosen) = best.ok_or(Error::OutOfOrder("the selection grid is empty"))?;
    chosen.dev_speakers = dev.to_vec();
    chosen.speakers = base.speakers.clone();
    chosen.test_rows = base.test_rows;
    chosen.selection = format!(
        "chosen by `siamese-ser select` on the results of the development speakers {} only ({} rows), which are \
         left out of every test set",
        dev.join(", "),
        dev_rows.len()
    );
    Ok(SelectReport {
        dev_speakers: dev.to_vec(),
        dev_rows: dev_rows.len(),
        k_grid,
        training_from_scratch: scratch,
        idt: vec![],
        fine_tuning: tuning,
        chosen,
    })
}

/// Weight decays, input noises and epochs tried for the regularised method's training from
/// scratch (pretraining and IDT separately: a source of two speakers and a fold of nineteen
/// need not want the same).
pub const REG_WEIGHT_DECAYS: [f64; 3] = [0.0, 0.3, 1.0];
pub const REG_INPUT_NOISES: [f64; 2] = [0.0, 0.6];
pub const REG_PRETRAIN_EPOCHS: [usize; 2] = [40, 80];
pub const REG_IDT_EPOCHS: [usize; 2] = [80, 240];
/// Pretraining seeds each IDT candidate is trained with on each development fold.
pub const REG_IDT_SEEDS: usize = 2;
/// Fine-tuning candidates: whether the references are kept, epochs and weight decay.
pub const REG_FINETUNE_KEEP: [bool; 2] = [true, false];
pub const REG_FINETUNE_EPOCHS: [usize; 2] = [60, 240];
pub const REG_FINETUNE_WEIGHT_DECAYS: [f64; 2] = [0.0, 0.3];

/// The selection of the regularised method ([`Method::Regularised`](crate::method::Method)),
/// on the development speakers' results only, in three stages:
/// 1. **pretraining** — weight decay × input noise × epochs, by OODT on the development
///    speakers, over the pretraining seeds;
/// 2. **IDT** — the same grid with longer budgets, by leaving out one development speaker at a
///    time (trained on every other target speaker, tested on the one left out);
/// 3. **fine-tuning** — keeping the references or not × epochs × weight decay, from the
///    stage-1 models, by k-shot runs on unseen development speakers.
///
/// The standardisation and learning rates stay those of `base`.
pub fn select_regularised(
    source: &Dataset,
    target: &Dataset,
    dev: &[String],
    base: &ProtocolConfig,
    observer: &dyn super::Observer,
) -> Result<SelectReport> {
    use crate::method::Method;
    let base = base.clone().with_method(Method::Paper);
    let labelled = target.select(&target.labelled());
    let rows: Vec<usize> = (0..labelled.len()).filter(|&i| dev.contains(&labelled.speaker_key(i))).collect();
    let dev_rows = labelled.select(&rows);
    let groups = dev_rows.speaker_groups();
    let eligible = speakers_with_every_emotion(&groups, &dev_rows.emotion, base.samples_per_emotion).len();
    let k_grid = default_k_grid(groups.len(), eligible, base.samples_per_emotion);
    let on_dev = ProtocolConfig {
        dev_speakers: vec![],
        speakers: Some(k_grid.clone()),
        test_rows: TestRows::UnseenSpeakers,
        ..base.clone()
    };
    let grid: Vec<(f64, f64)> =
        REG_WEIGHT_DECAYS.iter().flat_map(|&wd| REG_INPUT_NOISES.iter().map(move |&n| (wd, n))).collect();
    let total = grid.len() * (REG_PRETRAIN_EPOCHS.len() + REG_IDT_EPOCHS.len())
        + REG_FINETUNE_KEEP.len() * REG_FINETUNE_EPOCHS.len() * REG_FINETUNE_WEIGHT_DECAYS.len();
    let mut done = 0;
    let mut tick = |what: String| {
        done += 1;
        observer.progress(&super::Progress { done, total, what });
    };
    let words = |wd: f64, noise: f64, epochs: usize| format!("weight decay {wd}, input noise {noise}, {epochs} epochs");

    // Stage 1: pretraining, by OODT on the development speakers.
    let mut scratch = Vec::new();
    let mut best: Option<(f64, TrainConfig)> = None;
    for &(wd, noise) in &grid {
        for &epochs in &REG_PRETRAIN_EPOCHS {
            if observer.cancelled() {
                return Err(Error::Cancelled);
            }
            let mut c = on_dev.clone();
            c.pretrain = TrainConfig { weight_decay: wd, input_noise: noise, epochs, ..c.pretrain.clone() };
            let mut exp = Experiment::new(source, &dev_rows, c.clone())?;
            let uars: Vec<f64> = run(&mut exp, |u| matches!(u, Unit::Pretrain(_)))?
                .into_iter()
                .filter_map(|r| match r {
                    UnitResult::Pretrain(o) => Some(o.report.uar),
                    _ => None,
                })
                .collect();
            let (score, std) = mean_std(&uars);
            let settings = words(wd, noise, epochs);
            tick(format!("pretraining: {settings}: OODT on development speakers {:.1}%", 100.0 * score));
            scratch.push(Candidate { settings, score, std, n: uars.len() });
            if best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, c.pretrain));
            }
        }
    }
    let (_, pretrain) = best.ok_or(Error::OutOfOrder("the selection grid is empty"))?;

    // Stage 2: IDT, leaving out one development speaker at a time.
    let whole = ProtocolConfig { dev_speakers: vec![], pretrain_seeds: REG_IDT_SEEDS, ..base.clone() };
    let mut idt = Vec::new();
    let mut best: Option<(f64, TrainConfig)> = None;
    for &(wd, noise) in &grid {
        for &epochs in &REG_IDT_EPOCHS {
            if observer.cancelled() {
                return Err(Error::Cancelled);
            }
            let mut c = whole.clone();
            c.idt = TrainConfig { weight_decay: wd, input_noise: noise, epochs, ..c.idt.clone() };
            let exp = Experiment::new(source, &labelled, c.clone())?;
            let folds: Vec<usize> = exp
                .speaker_names()
                .iter()
                .enumerate()
                .filter(|(_, s)| dev.iter().any(|d| d == *s))
                .map(|(i, _)| i)
                .collect();
            let units: Vec<Unit> = folds
                .iter()
                .flat_map(|&fold| (0..REG_IDT_SEEDS).map(move |seed| Unit::IdtFold { fold, seed }))
                .collect();
            let mut uars = Vec::new();
            for r in super::par_map(units, |u| exp.run_unit_shared(&u)) {
                if let UnitResult::Idt(f) = r? {
                    uars.push(f.report.uar);
                }
            }
            let (score, std) = mean_std(&uars);
            let settings = words(wd, noise, epochs);
            tick(format!("IDT: {settings}: development speakers left out {:.1}%", 100.0 * score));
            idt.push(Candidate { settings, score, std, n: uars.len() });
            if best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, c.idt));
            }
        }
    }
    let (_, idt_chosen) = best.ok_or(Error::OutOfOrder("the selection grid is empty"))?;

    // Stage 3: fine-tuning from the stage-1 models.
    let mut tuning = Vec::new();
    let mut best: Option<(f64, TrainConfig)> = None;
    for &keep in &REG_FINETUNE_KEEP {
        for &epochs in &REG_FINETUNE_EPOCHS {
            for &wd in &REG_FINETUNE_WEIGHT_DECAYS {
                if observer.cancelled() {
                    return Err(Error::Cancelled);
                }
                let mut c = on_dev.clone();
                c.pretrain = pretrain.clone();
                c.finetune = TrainConfig { keep_references: keep, epochs, weight_decay: wd, ..c.finetune.clone() };
                let mut exp = Experiment::new(source, &dev_rows, c.clone())?;
                let uars: Vec<f64> = run(&mut exp, |u| matches!(u, Unit::Pretrain(_) | Unit::Finetune(_)))?
                    .into_iter()
                    .filter_map(|r| match r {
                        UnitResult::Finetune(f) => f.unseen.map(|r| r.uar),
                        _ => None,
                    })
                    .collect();
                let (score, std) = mean_std(&uars);
                let settings = format!(
                    "{}, {epochs} epochs, weight decay {wd}",
                    if keep { "references kept" } else { "references replaced" }
                );
                tick(format!("fine-tuning: {settings}: unseen development speakers {:.1}%", 100.0 * score));
                tuning.push(Candidate { settings, score, std, n: uars.len() });
                if best.as_ref().is_none_or(|(b, _)| score > *b) {
                    best = Some((score, c.finetune));
                }
            }
        }
    }
    let (_, finetune) = best.ok_or(Error::OutOfOrder("the selection grid is empty"))?;
    let chosen = ProtocolConfig {
        pretrain,
        idt: idt_chosen,
        finetune,
        method: Method::Regularised,
        dev_speakers: dev.to_vec(),
        selection: format!(
            "the regularised method's settings chosen by `siamese-ser select --method regularised` on the results of \
             the development speakers {} only ({} rows), which are left out of every test set",
            dev.join(", "),
            dev_rows.len()
        ),
        ..base
    };
    Ok(SelectReport {
        dev_speakers: dev.to_vec(),
        dev_rows: dev_rows.len(),
        k_grid,
        training_from_scratch: scratch,
        idt,
        fine_tuning: tuning,
        chosen,
    })
}

/// Runs the first phase and the units `keep` picks, in parallel where there are threads.
fn run(exp: &mut Experiment, keep: impl Fn(&Unit) -> bool + Sync) -> Result<Vec<UnitResult>> {
    let units: Vec<Unit> = exp.units().into_iter().filter(|u| keep(u)).collect();
    let (first, rest): (Vec<Unit>, Vec<Unit>) = units.into_iter().partition(|u| u.is_first_phase());
    let mut out = exp.run_first_phase(first, &|_| Ok(()))?;
    let this = &*exp;
    for r in super::par_map(rest, |u| this.run_unit_shared(&u)) {
        out.push(r?);
    }
    Ok(out)
}

fn mode_name(m: Normalization) -> &'static str {
    match m {
        Normalization::PerSpeaker => "per_speaker",
        Normalization::PerCorpus => "per_corpus",
        Normalization::Global => "global",
    }
}
