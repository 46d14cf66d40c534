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

/// Which development speakers, as the target spells them: `named` (numeric speaker IDs match
/// by value), or else `count` (default: one in six) drawn from the target's speakers.
pub fn dev_speakers_of(target: &Dataset, named: &[String], count: Option<usize>) -> Result<Vec<String>> {
    let keys = target.speakers();
    if !named.is_empty() {
        if let Some(k) = named.iter().find(|k| target.speakers_named(std::slice::from_ref(k)).is_empty()) {
            return Err(Error::setting("dev_speakers", k, "speakers of the target, as corpus/speaker"));
        }
        return Ok(target.speakers_named(named));
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

/// The development speakers' rows and the settings their runs use.
struct DevSet {
    /// Every labelled target row (IDT candidates train on the other speakers' rows).
    labelled: Dataset,
    /// The development speakers' rows.
    rows: Dataset,
    /// The k of the fine-tuning runs among them.
    k_grid: Vec<usize>,
    /// `base` on the development speakers alone, with that grid.
    on_dev: ProtocolConfig,
}

impl DevSet {
    /// `dev`: the development speakers as `target` spells them ([`Dataset::speakers_named`]).
    fn new(target: &Dataset, dev: &[String], base: &ProtocolConfig) -> DevSet {
        let labelled = target.select(&target.labelled());
        let keep: Vec<usize> = (0..labelled.len()).filter(|&i| dev.contains(&labelled.speaker_key(i))).collect();
        let rows = labelled.select(&keep);
        let groups = rows.speaker_groups();
        let eligible = speakers_with_every_emotion(&groups, &rows.emotion, base.samples_per_emotion).len();
        let k_grid = default_k_grid(groups.len(), eligible, base.samples_per_emotion);
        let on_dev = ProtocolConfig {
            dev_speakers: vec![],
            speakers: Some(k_grid.clone()),
            test_rows: TestRows::UnseenSpeakers,
            ..base.clone()
        };
        DevSet { labelled, rows, k_grid, on_dev }
    }

    /// OODT UAR on the development speakers, one per pretraining seed.
    fn oodt(&self, source: &Dataset, c: &ProtocolConfig) -> Result<Vec<f64>> {
        let mut exp = Experiment::new(source, &self.rows, c.clone())?;
        Ok(run(&mut exp, |u| matches!(u, Unit::Pretrain(_)))?
            .into_iter()
            .filter_map(|r| match r {
                UnitResult::Pretrain(o) => Some(o.report.uar),
                _ => None,
            })
            .collect())
    }

    /// UAR on unseen development speakers of every k-shot run among them.
    fn finetune(&self, source: &Dataset, c: &ProtocolConfig) -> Result<Vec<f64>> {
        let mut exp = Experiment::new(source, &self.rows, c.clone())?;
        Ok(run(&mut exp, |u| matches!(u, Unit::Pretrain(_) | Unit::Finetune(_)))?
            .into_iter()
            .filter_map(|r| match r {
                UnitResult::Finetune(f) => f.unseen.map(|r| r.uar),
                _ => None,
            })
            .collect())
    }

    /// IDT UAR of each development speaker left out (trained on every other target speaker),
    /// for each of `c.pretrain_seeds` seeds.
    fn idt(&self, source: &Dataset, dev: &[String], c: &ProtocolConfig) -> Result<Vec<f64>> {
        let exp = Experiment::new(source, &self.labelled, c.clone())?;
        let units: Vec<Unit> = exp
            .speaker_names()
            .iter()
            .enumerate()
            .filter(|(_, s)| dev.iter().any(|d| d == *s))
            .flat_map(|(fold, _)| (0..c.pretrain_seeds).map(move |seed| Unit::IdtFold { fold, seed }))
            .collect();
        let mut uars = Vec::new();
        for r in super::par_map(units, |u| exp.run_unit_shared(&u)) {
            if let UnitResult::Idt(f) = r? {
                uars.push(f.report.uar);
            }
        }
        Ok(uars)
    }

    /// The chosen settings, marked as chosen on these speakers.
    fn chosen(&self, dev: &[String], chosen: ProtocolConfig, how: &str) -> ProtocolConfig {
        ProtocolConfig {
            dev_speakers: dev.to_vec(),
            selection: format!(
                "{how} on the results of the development speakers {} only ({} rows), which are left out of every \
                 test set",
                dev.join(", "),
                self.rows.len()
            ),
            ..chosen
        }
    }

    fn report(self, dev: &[String], stages: [Vec<Candidate>; 3], chosen: ProtocolConfig) -> SelectReport {
        let [training_from_scratch, idt, fine_tuning] = stages;
        SelectReport {
            dev_speakers: dev.to_vec(),
            dev_rows: self.rows.len(),
            k_grid: self.k_grid,
            training_from_scratch,
            idt,
            fine_tuning,
            chosen,
        }
    }
}

/// Progress over the candidates of one or more stages.
struct Ticker<'a> {
    observer: &'a dyn super::Observer,
    done: usize,
    total: usize,
}

/// Scores every candidate `(settings in words, value)` with `score` (its UARs), in order,
/// reporting `"{stage}: {settings}: {measure} {UAR}%"` and honouring Cancel. Returns the
/// candidates and the value of the first with the highest mean (ties go to the earlier).
fn run_stage<T>(
    ticker: &mut Ticker,
    stage: &str,
    measure: &str,
    candidates: Vec<(String, T)>,
    score: impl Fn(&T) -> Result<Vec<f64>>,
) -> Result<(Vec<Candidate>, T)> {
    let mut scored = Vec::new();
    let mut best: Option<(f64, T)> = None;
    for (settings, value) in candidates {
        if ticker.observer.cancelled() {
            return Err(Error::Cancelled);
        }
        let uars = score(&value)?;
        let (score, std) = mean_std(&uars);
        ticker.done += 1;
        ticker.observer.progress(&super::Progress {
            done: ticker.done,
            total: ticker.total,
            what: format!("{stage}: {settings}: {measure} {:.1} %", 100.0 * score),
        });
        scored.push(Candidate { settings, score, std, n: uars.len() });
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, value));
        }
    }
    let (_, value) = best.ok_or(Error::OutOfOrder("the selection grid is empty"))?;
    Ok((scored, value))
}

/// Runs the selection; `base` holds everything not selected (seeds, repeats, frozen layers…).
pub fn select(
    source: &Dataset,
    target: &Dataset,
    dev: &[String],
    base: &ProtocolConfig,
    observer: &dyn super::Observer,
) -> Result<SelectReport> {
    let dev = &target.speakers_named(dev);
    let set = DevSet::new(target, dev, base);

    // Stage 1: standardisation × learning rate × epochs, by OODT on the development speakers.
    let mut candidates = Vec::new();
    for &mode in &NORMALIZATIONS {
        for &lr in &SCRATCH_LEARNING_RATES {
            for &epochs in &SCRATCH_EPOCHS {
                let mut c = set.on_dev.clone();
                c.normalization.mode = mode;
                c.pretrain = TrainConfig { learning_rate: lr, epochs, ..c.pretrain.clone() };
                c.idt = c.pretrain.clone();
                candidates.push((format!("{}, learning rate {lr}, {epochs} epochs", mode_name(mode)), c));
            }
        }
    }
    let mut ticker = Ticker { observer, done: 0, total: candidates.len() };
    let (scratch, stage1) =
        run_stage(&mut ticker, "from scratch", "OODT on development speakers", candidates, |c| set.oodt(source, c))?;

    // Stage 2: fine-tuning learning rate × epochs, from the stage-1 models.
    let mut candidates = Vec::new();
    for &lr in &FINETUNE_LEARNING_RATES {
        for &epochs in &FINETUNE_EPOCHS {
            let mut c = stage1.clone();
            c.finetune = TrainConfig { learning_rate: lr, epochs, ..c.finetune.clone() };
            candidates.push((format!("learning rate {lr}, {epochs} epochs"), c));
        }
    }
    let mut ticker = Ticker { observer, done: 0, total: candidates.len() };
    let (tuning, chosen) =
        run_stage(&mut ticker, "fine-tuning", "unseen development speakers", candidates, |c| set.finetune(source, c))?;
    let chosen = ProtocolConfig { speakers: base.speakers.clone(), test_rows: base.test_rows, ..chosen };
    let chosen = set.chosen(dev, chosen, "chosen by `siamese-ser select`");
    Ok(set.report(dev, [scratch, vec![], tuning], chosen))
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
    let dev = &target.speakers_named(dev);
    let set = DevSet::new(target, dev, &base);
    // Weight decay × input noise × epochs, as candidate training settings over `from`.
    let scratch_grid = |from: &TrainConfig, epochs: &[usize]| -> Vec<(String, TrainConfig)> {
        let mut out = Vec::new();
        for &weight_decay in &REG_WEIGHT_DECAYS {
            for &input_noise in &REG_INPUT_NOISES {
                for &epochs in epochs {
                    let words = format!("weight decay {weight_decay}, input noise {input_noise}, {epochs} epochs");
                    out.push((words, TrainConfig { weight_decay, input_noise, epochs, ..from.clone() }));
                }
            }
        }
        out
    };
    let pretraining = scratch_grid(&base.pretrain, &REG_PRETRAIN_EPOCHS);
    let idt_candidates = scratch_grid(&base.idt, &REG_IDT_EPOCHS);
    let mut tuning_candidates = Vec::new();
    for &keep_references in &REG_FINETUNE_KEEP {
        for &epochs in &REG_FINETUNE_EPOCHS {
            for &weight_decay in &REG_FINETUNE_WEIGHT_DECAYS {
                let kept = if keep_references { "references kept" } else { "references replaced" };
                let t = TrainConfig { keep_references, epochs, weight_decay, ..base.finetune.clone() };
                tuning_candidates.push((format!("{kept}, {epochs} epochs, weight decay {weight_decay}"), t));
            }
        }
    }
    let total = pretraining.len() + idt_candidates.len() + tuning_candidates.len();
    let mut ticker = Ticker { observer, done: 0, total };

    // Stage 1: pretraining, by OODT on the development speakers.
    let (scratch, pretrain) =
        run_stage(&mut ticker, "pretraining", "OODT on development speakers", pretraining, |t| {
            set.oodt(source, &ProtocolConfig { pretrain: t.clone(), ..set.on_dev.clone() })
        })?;

    // Stage 2: IDT, leaving out one development speaker at a time.
    let whole = ProtocolConfig { dev_speakers: vec![], pretrain_seeds: REG_IDT_SEEDS, ..base.clone() };
    let (idt, idt_chosen) = run_stage(&mut ticker, "IDT", "development speakers left out", idt_candidates, |t| {
        set.idt(source, dev, &ProtocolConfig { idt: t.clone(), ..whole.clone() })
    })?;

    // Stage 3: fine-tuning from the stage-1 models.
    let from_stage1 = ProtocolConfig { pretrain: pretrain.clone(), ..set.on_dev.clone() };
    let (tuning, finetune) =
        run_stage(&mut ticker, "fine-tuning", "unseen development speakers", tuning_candidates, |t| {
            set.finetune(source, &ProtocolConfig { finetune: t.clone(), ..from_stage1.clone() })
        })?;

    let chosen = ProtocolConfig { pretrain, idt: idt_chosen, finetune, method: Method::Regularised, ..base };
    let chosen = set.chosen(
        dev,
        chosen,
        "the regularised method's settings chosen by `siamese-ser select --method regularised`",
    );
    Ok(set.report(dev, [scratch, idt, tuning], chosen))
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
