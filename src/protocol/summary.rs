//! The report of a whole experiment: Table 1 with spreads, intervals and the rows each figure
//! is on, the baseline beside it, the grid (Figure 2), the distance loss's paired effect, and
//! the settings needed to rerun it.
//!
//! **Intervals.** A Table 1 figure's interval is the 95 % t-interval over its per-pretraining-
//! seed values (OODT and IDT: one value per seed; a fine-tuning cell: the mean of the repeats
//! that started from each seed), so it covers the randomness of pretraining, of the draws and
//! of fine-tuning. It is not an interval over speakers: every figure is on the same evaluation
//! speakers. With one model (an experiment from a given model) the fine-tuning intervals are
//! over repeats and OODT and IDT have none. An interval is cut to [0, 1], the values a UAR can
//! take (with 2 repeats a t-interval is 12.7 standard errors wide on each side).
//!
//! **Paired comparisons** (the distance loss, the baseline) use the Wilcoxon signed-rank test
//! on the natural pairs: the same draw (fine-tuning), the same speaker (OODT, IDT).

use super::{Experiment, TestRows, UnitResult};
use super::{FinetuneRun, FoldResult, ProtocolConfig};
use crate::data::Normalization;
use crate::error::{Error, Result};
use crate::eval::pool;
use crate::recognizer::{CorpusSummary, corpus_summaries};
use crate::report::EvalReport;
use crate::stats::{PairedTest, interval, mean_std, paired, t_quantile_975};
use serde::{Deserialize, Serialize};

/// The paper's Table 1 (UAR as a fraction), for comparison. Quoted, not computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaperTable1 {
    pub source: String,
    pub oodt: f64,
    pub idt: f64,
    pub finetune: f64,
    pub finetune_distance: f64,
}

/// Table 1 of Feng & Chaspari: eNTERFACE'05 and CREMA-D as sources, RAVDESS as target.
pub fn paper_table1() -> Vec<PaperTable1> {
    let row = |source: &str, oodt, idt, finetune, finetune_distance| PaperTable1 {
        source: source.into(),
        oodt,
        idt,
        finetune,
        finetune_distance,
    };
    vec![row("eNTERFACE'05", 0.328, 0.500, 0.329, 0.399), row("CREMA-D", 0.293, 0.500, 0.378, 0.434)]
}

/// Our Table 1 (UAR as fractions, means). The fine-tuning rows are the best grid cell by mean
/// UAR over numbers of speakers and frozen layers, as in the paper (a maximum over cells, so
/// biased upward by the pick), among the cells whose every draw tested all four emotions when
/// there are any (see [`GridCell::fewer_emotions`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table1 {
    pub oodt: f64,
    pub idt: f64,
    pub finetune: f64,
    pub finetune_distance: f64,
    /// The cells the two fine-tuning figures come from.
    pub finetune_cell: GridKey,
    pub finetune_distance_cell: GridKey,
}

/// Something for each row of Table 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table1Row<T> {
    pub oodt: T,
    pub idt: T,
    pub finetune: T,
    pub finetune_distance: T,
}

/// The fine-tuning rows on seen speakers (the other rows of the labelled speakers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table1Seen {
    pub finetune: Option<f64>,
    pub finetune_distance: Option<f64>,
}

/// A fine-tuning grid cell's coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridKey {
    pub speakers: usize,
    pub frozen: usize,
    pub distance_loss: bool,
}

/// One cell of the Figure 2 grid. `uar_*` are on the rows `settings.test_rows` names (unseen
/// speakers by default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridCell {
    pub speakers: usize,
    pub frozen: usize,
    pub distance_loss: bool,
    pub uar_mean: f64,
    /// Sample standard deviation (n − 1) over repeats; 0 for one repeat.
    pub uar_std: f64,
    /// 95 % interval (see the module docs).
    pub uar_ci: Option<[f64; 2]>,
    /// UAR of each repeat, in repeat order.
    pub uars: Vec<f64>,
    /// Mean UAR on unseen speakers and on seen speakers (the labelled speakers' other rows).
    pub uar_unseen_mean: f64,
    pub uar_seen_mean: Option<f64>,
    /// Test rows per repeat (mean) and test speakers.
    pub test_rows_mean: f64,
    pub test_speakers: usize,
    /// Adam steps of the pair loss per run (epochs × ⌈4k·samples / batch⌉).
    pub steps: usize,
    /// Fraction of distance-loss batches that used the D_d ≤ D_s rule (0 without the loss).
    pub clamped_fraction: f64,
    /// Draws whose test rows lack an emotion (a small corpus, where the speakers left to test
    /// on have no fearful row, say): their UAR averages the emotions present, an easier test
    /// than all four, so such a cell is not picked for Table 1 over one that tested all four.
    #[serde(default)]
    pub fewer_emotions: usize,
    /// The logistic-regression baseline on the same draws and rows.
    pub baseline_uar_mean: Option<f64>,
    pub baseline_uar_std: Option<f64>,
    /// This cell minus the baseline, paired by draw.
    pub vs_baseline: Option<PairedTest>,
}

/// The distance loss's effect in one (speakers, frozen) cell, paired by draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellEffect {
    pub speakers: usize,
    pub frozen: usize,
    pub test: PairedTest,
}

/// IDT summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdtReport {
    /// The folds of pretraining seed 0 in one confusion matrix.
    pub pooled: EvalReport,
    /// Pooled UAR of each pretraining seed's folds.
    pub per_seed: Vec<f64>,
    /// Each evaluation speaker's UAR (mean over seeds), in sorted speaker order.
    pub per_speaker: Vec<f64>,
    /// Mean and standard deviation over speakers of `per_speaker`.
    pub speaker_mean: f64,
    pub speaker_std: f64,
    pub folds: Vec<FoldResult>,
}

/// The logistic-regression baseline's Table 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineTable {
    /// What was fitted, in words.
    pub method: String,
    /// OODT (`None` when a given model has no baseline).
    pub oodt: Option<f64>,
    pub oodt_report: Option<EvalReport>,
    /// Leave-one-speaker-out, pooled over folds.
    pub idt: f64,
    pub idt_report: EvalReport,
    /// Its best k (mean over repeats on the same rows as the Siamese cells), and its interval.
    pub finetune: Option<f64>,
    pub finetune_speakers: Option<usize>,
    pub finetune_ci: Option<[f64; 2]>,
    /// How the fine-tuning baseline was trained.
    pub finetune_method: Option<String>,
}

/// Baselines by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baselines {
    pub logistic_regression: BaselineTable,
}

/// What a reader needs to rerun an experiment and to read its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub version: String,
    pub seed: u64,
    pub pretrain_seeds: usize,
    /// "pretrained here on the source corpus" or "given (a weights file)".
    pub oodt_model: String,
    pub test_rows: TestRows,
    /// Development speakers found in the target and left out of every unit.
    pub dev_speakers_excluded: Vec<String>,
    /// The speakers every figure is on.
    pub evaluation_speakers: Vec<String>,
    pub features: String,
    pub normalization: Normalization,
    /// How the settings were chosen.
    pub selection: String,
    /// The method the network was trained with.
    #[serde(default)]
    pub method: crate::method::Method,
    /// What the intervals cover.
    pub intervals: String,
}

/// Everything `reproduce` measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReproduceReport {
    pub table1: Table1,
    pub table1_std: Table1Row<f64>,
    pub table1_ci: Table1Row<Option<[f64; 2]>>,
    pub table1_seen: Table1Seen,
    /// Which rows each figure is computed on, in words.
    pub table1_rows: Table1Row<String>,
    /// The baseline on the rows of each figure: its OODT and IDT, and for a fine-tuning row
    /// its mean on the draws of that row's best cell (the same k, draws and test rows; its own
    /// best k is in [`baselines`](Self::baselines)). `None` where there is no baseline.
    #[serde(default = "no_baselines")]
    pub table1_baseline: Table1Row<Option<f64>>,
    /// Each Siamese figure minus the baseline's, paired (speakers for OODT and IDT, draws for
    /// fine-tuning).
    pub table1_vs_baseline: Table1Row<Option<PairedTest>>,
    pub baselines: Baselines,
    /// The distance loss's effect over the whole grid: per draw, UAR with the loss minus
    /// without, averaged over frozen layers.
    pub distance_effect: PairedTest,
    pub distance_effect_cells: Vec<CellEffect>,
    pub paper: Vec<PaperTable1>,
    /// OODT of pretraining seed 0 (the confusion matrix), and each seed's UAR.
    pub oodt: EvalReport,
    pub oodt_per_seed: Vec<f64>,
    pub idt: IdtReport,
    pub grid: Vec<GridCell>,
    pub source: Vec<CorpusSummary>,
    pub target: Vec<CorpusSummary>,
    pub settings: Settings,
    pub config: ProtocolConfig,
}

impl ReproduceReport {
    /// Figure 2's grid as CSV, with the settings that produced it as leading `#` lines.
    pub fn grid_csv(&self) -> String {
        let s = &self.settings;
        let mut out = format!(
            "# siamese-ser {}; seed {}; pretraining seeds {}; OODT model {}; method {}; test rows {}; features {}; \
             normalisation {}; evaluation speakers {}; left out {}\n",
            s.version,
            s.seed,
            s.pretrain_seeds,
            s.oodt_model,
            s.method.name(),
            s.test_rows.name(),
            s.features,
            s.normalization.name(),
            s.evaluation_speakers.len(),
            if s.dev_speakers_excluded.is_empty() { "none".into() } else { s.dev_speakers_excluded.join(" ") }
        );
        out += "speakers,frozen,distance_loss,uar_mean,uar_std,uar_ci_low,uar_ci_high,uar_seen_mean,\
                baseline_uar_mean,test_rows_mean,test_speakers,steps,repeats\n";
        let f = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.4}"));
        for c in &self.grid {
            out += &format!(
                "{},{},{},{:.4},{},{},{},{},{},{:.1},{},{},{}\n",
                c.speakers,
                c.frozen,
                c.distance_loss,
                c.uar_mean,
                // One repeat has no spread to report (the JSON's 0 is documented as such).
                f((c.uars.len() >= 2).then_some(c.uar_std)),
                f(c.uar_ci.map(|v| v[0])),
                f(c.uar_ci.map(|v| v[1])),
                f(c.uar_seen_mean),
                f(c.baseline_uar_mean),
                c.test_rows_mean,
                c.test_speakers,
                c.steps,
                c.uars.len()
            );
        }
        out
    }
}

/// Puts `value` at `slots[at]`, refusing a result that belongs to no unit.
fn put<T>(slots: &mut [Option<T>], at: usize, value: T) -> Result<()> {
    let slot = slots.get_mut(at).ok_or(Error::OutOfOrder("a result that belongs to no unit of this experiment"))?;
    *slot = Some(value);
    Ok(())
}

/// Mean and standard deviation of `values`, and a 95 % interval from the means of the groups
/// `group[i]` (pretraining seeds) if there are at least two, else from the values themselves;
/// centred on the overall mean.
fn clustered(values: &[f64], group: &[usize], groups: usize) -> (f64, f64, Option<[f64; 2]>) {
    let (mean, std) = mean_std(values);
    let basis: Vec<f64> = if groups >= 2 {
        (0..groups)
            .filter_map(|g| {
                let v: Vec<f64> = values.iter().zip(group).filter(|&(_, &k)| k == g).map(|(v, _)| *v).collect();
                (!v.is_empty()).then(|| mean_std(&v).0)
            })
            .collect()
    } else {
        values.to_vec()
    };
    let ci = (basis.len() >= 2).then(|| {
        let half = t_quantile_975(basis.len() - 1) * mean_std(&basis).1 / (basis.len() as f64).sqrt();
        within_uar([mean - half, mean + half])
    });
    (mean, std, ci)
}

/// A UAR interval cut to the values a UAR can take, [0, 1]: with few values a t-interval
/// reaches past them (2 repeats: 12.7 standard errors either side).
fn within_uar([lo, hi]: [f64; 2]) -> [f64; 2] {
    [lo.max(0.0), hi.min(1.0)]
}

/// A paired comparison of UARs, its interval cut to what a difference of two UARs can be
/// (−1 to 1), as UAR intervals are cut to 0–1.
fn paired_uar(diffs: &[f64]) -> PairedTest {
    let mut test = paired(diffs);
    test.ci95 = test.ci95.map(|[lo, hi]| [lo.max(-1.0), hi.min(1.0)]);
    test
}

/// Reports written before `table1_baseline` existed.
fn no_baselines() -> Table1Row<Option<f64>> {
    Table1Row { oodt: None, idt: None, finetune: None, finetune_distance: None }
}

impl Experiment {
    /// The figure of a fine-tuning run (or a draw baseline) on the configured test rows.
    fn headline(&self, unseen: &Option<EvalReport>, seen: &Option<EvalReport>) -> Option<EvalReport> {
        match self.config.test_rows {
            TestRows::UnseenSpeakers => unseen.clone(),
            TestRows::AllRemaining => crate::fewshot::Measured { unseen: unseen.clone(), seen: seen.clone() }.all(),
        }
    }

    /// Puts the results of every unit together into the report.
    pub fn assemble(&self, results: Vec<UnitResult>) -> Result<ReproduceReport> {
        let n_seeds = self.config.pretrain_seeds;
        let n_spk = self.speakers.len();
        // Each result has one place, in unit order (no sorting: results may come in any order).
        let ks = self.k_grid();
        let (nf, reps) = (self.config.frozen.len(), self.config.repeats);
        let (mut oodt, mut lr_oodt, mut folds, mut lr_folds) =
            (vec![None; n_seeds], None, vec![None; n_seeds * n_spk], vec![None; n_spk]);
        let (mut runs, mut draws) = (vec![None; ks.len() * nf * 2 * reps], vec![None; ks.len() * reps]);
        let k_index = |k: usize| ks.iter().position(|&x| x == k).unwrap_or(usize::MAX);
        for r in results {
            match r {
                UnitResult::Pretrain(r) => put(&mut oodt, r.seed, r)?,
                UnitResult::SourceBaseline(r) => lr_oodt = Some(r),
                UnitResult::Idt(f) => put(&mut folds, f.seed * n_spk + f.fold, f)?,
                UnitResult::IdtBaseline(f) => put(&mut lr_folds, f.fold, f)?,
                UnitResult::Finetune(f) => {
                    let u = f.unit;
                    let fi = self.config.frozen.iter().position(|&x| x == u.frozen).unwrap_or(usize::MAX);
                    let at = ((k_index(u.speakers).saturating_mul(nf) + fi).saturating_mul(2)
                        + usize::from(u.distance_loss))
                    .saturating_mul(reps)
                        + u.repeat;
                    put(&mut runs, at, f)?;
                }
                UnitResult::DrawBaseline(b) => {
                    let at = k_index(b.speakers).saturating_mul(reps) + b.repeat;
                    put(&mut draws, at, b)?;
                }
            }
        }
        let missing = || Error::OutOfOrder("the report needs every unit's result");
        let oodt: Vec<super::OodtRun> = oodt.into_iter().collect::<Option<_>>().ok_or_else(missing)?;
        let folds: Vec<FoldResult> = folds.into_iter().collect::<Option<_>>().ok_or_else(missing)?;
        let lr_folds: Vec<FoldResult> = lr_folds.into_iter().collect::<Option<_>>().ok_or_else(missing)?;
        let runs: Vec<FinetuneRun> = runs.into_iter().collect::<Option<_>>().ok_or_else(missing)?;

        // OODT and IDT, per seed.
        let oodt_uars: Vec<f64> = oodt.iter().map(|r| r.report.uar).collect();
        let idt_by_seed: Vec<EvalReport> = (0..n_seeds)
            .map(|s| {
                let reports: Vec<EvalReport> = folds.iter().filter(|f| f.seed == s).map(|f| f.report.clone()).collect();
                pool(&reports, n_spk)
            })
            .collect();
        let idt_uars: Vec<f64> = idt_by_seed.iter().map(|r| r.uar).collect();
        let idt_speaker: Vec<f64> = (0..n_spk)
            .map(|fold| mean_std(&folds.iter().filter(|f| f.fold == fold).map(|f| f.report.uar).collect::<Vec<_>>()).0)
            .collect();
        let (speaker_mean, speaker_std) = mean_std(&idt_speaker);
        let idt = IdtReport {
            pooled: idt_by_seed[0].clone(),
            per_seed: idt_uars.clone(),
            per_speaker: idt_speaker.clone(),
            speaker_mean,
            speaker_std,
            folds,
        };

        // The grid.
        let grid = self.grid(&runs, &draws);
        let best =
            |distance: bool| best_cell(&grid, distance).cloned().ok_or(Error::OutOfOrder("the grid has no cells"));
        let (ft, ftd) = (best(false)?, best(true)?);
        let key = |c: &GridCell| GridKey { speakers: c.speakers, frozen: c.frozen, distance_loss: c.distance_loss };
        let one = |v: &[f64]| {
            let e = interval(v);
            (e.mean, e.std, e.ci95.map(within_uar))
        };
        let (oodt_m, oodt_s, oodt_ci) = one(&oodt_uars);
        let (idt_m, idt_s, idt_ci) = one(&idt_uars);

        // The baseline beside each figure.
        let lr_idt_report = pool(&lr_folds.iter().map(|f| f.report.clone()).collect::<Vec<_>>(), n_spk);
        let lr_k = self.baseline_by_k(&draws);
        let lr_best = lr_k.iter().max_by(|a, b| a.1.total_cmp(&b.1)).copied();
        let vs_oodt = lr_oodt.as_ref().map(|lr| {
            let diffs: Vec<f64> = (0..n_spk)
                .map(|s| mean_std(&oodt.iter().map(|r| r.per_speaker[s]).collect::<Vec<_>>()).0 - lr.per_speaker[s])
                .collect();
            paired_uar(&diffs)
        });
        let vs_idt = {
            let diffs: Vec<f64> = (0..n_spk).map(|s| idt_speaker[s] - lr_folds[s].report.uar).collect();
            Some(paired_uar(&diffs))
        };
        let given = self.given;
        let baselines = Baselines {
            logistic_regression: BaselineTable {
                method: format!(
                    "multinomial logistic regression, L2 with C = {}, on the same z-scores and splits",
                    self.config.baseline.c
                ),
                oodt: lr_oodt.as_ref().map(|r| r.report.uar),
                oodt_report: lr_oodt.as_ref().map(|r| r.report.clone()),
                idt: lr_idt_report.uar,
                idt_report: lr_idt_report,
                finetune: lr_best.map(|b| b.1),
                finetune_speakers: lr_best.map(|b| b.0),
                finetune_ci: lr_best.and_then(|b| b.2),
                finetune_method: self.has_source_baseline.then(|| {
                    if given {
                        "the model's baseline adapted to the labelled rows, its source weights as the prior".into()
                    } else {
                        "trained on the source rows plus the labelled rows".into()
                    }
                }),
            },
        };

        // The distance loss, paired by draw (averaged over frozen layers) and per cell.
        let (distance_effect, distance_effect_cells) = self.distance_effects(&runs);

        let rows_ft = |c: &GridCell| match self.config.test_rows {
            TestRows::UnseenSpeakers => format!(
                "rows of the {} who gave no labelled row (k = {}: {:.0} rows per repeat)",
                crate::fewshot::plural(n_spk - c.speakers, "evaluation speaker"),
                c.speakers,
                c.test_rows_mean
            ),
            TestRows::AllRemaining => format!(
                "every evaluation row not drawn for labelling, including the other rows of the {} labelled speakers \
                 ({:.0} rows per repeat)",
                c.speakers, c.test_rows_mean
            ),
        };
        let seeds_word = if n_seeds == 1 { "one model".to_string() } else { format!("{n_seeds} pretraining seeds") };
        let table1_rows = Table1Row {
            oodt: format!(
                "all {} rows of the {n_spk} evaluation speakers, {} ({seeds_word})",
                self.target.len(),
                if given { "by the given model" } else { "by models trained on the source corpus" }
            ),
            idt: format!(
                "each evaluation speaker's rows, by a model trained on the other {} speakers' rows ({})",
                n_spk - 1,
                if n_seeds == 1 { "one model per speaker".to_string() } else { format!("{n_seeds} seeds per speaker") }
            ),
            finetune: rows_ft(&ft),
            finetune_distance: rows_ft(&ftd),
        };
        let source = match (self.source.is_empty(), self.pretrained(0)) {
            (true, Some(r)) => r.history.first().map(|h| h.corpora.clone()).unwrap_or_default(),
            _ => corpus_summaries(&self.source),
        };
        let settings = Settings {
            version: env!("CARGO_PKG_VERSION").into(),
            seed: self.config.seed,
            pretrain_seeds: n_seeds,
            oodt_model: if given { "given (a weights file)" } else { "pretrained here on the source corpus" }.into(),
            test_rows: self.config.test_rows,
            dev_speakers_excluded: self.excluded.clone(),
            evaluation_speakers: self.speakers.iter().map(|(k, _)| k.clone()).collect(),
            features: self.config.features.describe(self.target.features.len()),
            normalization: self.config.normalization.mode,
            selection: self.config.selection.clone(),
            method: self.config.method,
            intervals: if n_seeds >= 2 {
                format!(
                    "95 % t-intervals over the {n_seeds} pretraining seeds (a fine-tuning cell: the mean of the repeats \
                     that started from each seed); they cover training and draw randomness on these speakers, not \
                     the choice of speakers"
                )
            } else {
                "One model: fine-tuning intervals are 95 % t-intervals over repeats; OODT and IDT have none".into()
            },
        };
        Ok(ReproduceReport {
            table1: Table1 {
                oodt: oodt_m,
                idt: idt_m,
                finetune: ft.uar_mean,
                finetune_distance: ftd.uar_mean,
                finetune_cell: key(&ft),
                finetune_distance_cell: key(&ftd),
            },
            table1_std: Table1Row { oodt: oodt_s, idt: idt_s, finetune: ft.uar_std, finetune_distance: ftd.uar_std },
            table1_ci: Table1Row { oodt: oodt_ci, idt: idt_ci, finetune: ft.uar_ci, finetune_distance: ftd.uar_ci },
            table1_seen: Table1Seen { finetune: ft.uar_seen_mean, finetune_distance: ftd.uar_seen_mean },
            table1_rows,
            table1_baseline: Table1Row {
                oodt: baselines.logistic_regression.oodt,
                idt: Some(baselines.logistic_regression.idt),
                finetune: ft.baseline_uar_mean,
                finetune_distance: ftd.baseline_uar_mean,
            },
            table1_vs_baseline: Table1Row {
                oodt: vs_oodt,
                idt: vs_idt,
                finetune: ft.vs_baseline.clone(),
                finetune_distance: ftd.vs_baseline.clone(),
            },
            baselines,
            distance_effect,
            distance_effect_cells,
            paper: paper_table1(),
            oodt: oodt[0].report.clone(),
            oodt_per_seed: oodt_uars,
            idt,
            grid,
            source,
            target: corpus_summaries(&self.target),
            settings,
            config: self.config.clone(),
        })
    }

    /// The grid cells, with the baseline on the same draws. `runs` are in unit order
    /// ([`finetune_units`](Experiment::finetune_units)), `draws` in (k, repeat) order.
    fn grid(&self, runs: &[FinetuneRun], draws: &[Option<super::DrawBaseline>]) -> Vec<GridCell> {
        let n_seeds = self.config.pretrain_seeds;
        let reps = self.config.repeats;
        let groups: Vec<usize> = (0..reps).map(|r| self.model_of_repeat(r)).collect();
        let mut cells = Vec::new();
        let mut cell_runs = runs.chunks_exact(reps);
        for (ki, &k) in self.k_grid().iter().enumerate() {
            let lr_uars: Vec<f64> = draws[ki * reps..(ki + 1) * reps]
                .iter()
                .filter_map(|b| b.as_ref().and_then(|b| self.headline(&b.unseen, &b.seen)).map(|r| r.uar))
                .collect();
            for &frozen in &self.config.frozen {
                for distance_loss in [false, true] {
                    let v = cell_runs.next().expect("one chunk per cell");
                    let heads: Vec<EvalReport> = v
                        .iter()
                        .map(|r| self.headline(&r.unseen, &r.seen).expect("a k-shot run has test rows"))
                        .collect();
                    let uars: Vec<f64> = heads.iter().map(|r| r.uar).collect();
                    let (uar_mean, uar_std, uar_ci) = clustered(&uars, &groups, n_seeds);
                    let unseen: Vec<f64> = v.iter().filter_map(|r| r.unseen.as_ref().map(|r| r.uar)).collect();
                    let seen: Vec<f64> = v.iter().filter_map(|r| r.seen.as_ref().map(|r| r.uar)).collect();
                    let batches: usize = v.iter().map(|r| r.distance_batches).sum();
                    let clamped: usize = v.iter().map(|r| r.clamped).sum();
                    let paired_ok = lr_uars.len() == uars.len();
                    cells.push(GridCell {
                        speakers: k,
                        frozen,
                        distance_loss,
                        uar_mean,
                        uar_std,
                        uar_ci,
                        uars: uars.clone(),
                        uar_unseen_mean: mean_std(&unseen).0,
                        uar_seen_mean: (!seen.is_empty()).then(|| mean_std(&seen).0),
                        test_rows_mean: mean_std(&heads.iter().map(|r| r.rows as f64).collect::<Vec<_>>()).0,
                        test_speakers: heads.first().map_or(0, |r| r.speakers),
                        steps: v.first().map_or(0, |r| r.steps),
                        clamped_fraction: if batches > 0 { clamped as f64 / batches as f64 } else { 0.0 },
                        fewer_emotions: heads.iter().filter(|r| r.recall.contains(&None)).count(),
                        baseline_uar_mean: paired_ok.then(|| mean_std(&lr_uars).0),
                        baseline_uar_std: paired_ok.then(|| mean_std(&lr_uars).1),
                        vs_baseline: paired_ok
                            .then(|| paired_uar(&uars.iter().zip(&lr_uars).map(|(a, b)| a - b).collect::<Vec<_>>())),
                    });
                }
            }
        }
        cells
    }

    /// The baseline's mean UAR per k, with its interval (grouped like the Siamese repeats).
    fn baseline_by_k(&self, draws: &[Option<super::DrawBaseline>]) -> Vec<(usize, f64, Option<[f64; 2]>)> {
        let reps = self.config.repeats;
        let groups: Vec<usize> = (0..reps).map(|r| self.model_of_repeat(r)).collect();
        self.k_grid()
            .iter()
            .zip(draws.chunks_exact(reps))
            .filter_map(|(&k, v)| {
                let uars: Vec<f64> = v
                    .iter()
                    .filter_map(|b| b.as_ref().and_then(|b| self.headline(&b.unseen, &b.seen)).map(|r| r.uar))
                    .collect();
                (uars.len() == reps).then(|| {
                    let (m, _, ci) = clustered(&uars, &groups, self.config.pretrain_seeds);
                    (k, m, ci)
                })
            })
            .collect()
    }

    /// The distance loss's paired effects: over the grid (per draw, averaged over frozen
    /// layers) and per cell. `runs` are in unit order.
    fn distance_effects(&self, runs: &[FinetuneRun]) -> (PairedTest, Vec<CellEffect>) {
        let (nf, reps) = (self.config.frozen.len(), self.config.repeats);
        let uar = |ki: usize, fi: usize, d: bool, r: usize| {
            let run = &runs[((ki * nf + fi) * 2 + usize::from(d)) * reps + r];
            self.headline(&run.unseen, &run.seen).map_or(f64::NAN, |x| x.uar)
        };
        let mut per_draw = Vec::new();
        let mut cells = Vec::new();
        for (ki, &k) in self.k_grid().iter().enumerate() {
            for r in 0..reps {
                let d: Vec<f64> = (0..nf).map(|fi| uar(ki, fi, true, r) - uar(ki, fi, false, r)).collect();
                per_draw.push(mean_std(&d).0);
            }
            for (fi, &f) in self.config.frozen.iter().enumerate() {
                let d: Vec<f64> = (0..reps).map(|r| uar(ki, fi, true, r) - uar(ki, fi, false, r)).collect();
                cells.push(CellEffect { speakers: k, frozen: f, test: paired_uar(&d) });
            }
        }
        (paired_uar(&per_draw), cells)
    }
}

/// Table 1's cell of the grid, with or without the distance loss: the highest mean UAR, among
/// the cells whose every draw tested all four emotions when there are any.
fn best_cell(grid: &[GridCell], distance: bool) -> Option<&GridCell> {
    grid.iter()
        .filter(|c| c.distance_loss == distance)
        .max_by(|a, b| (b.fewer_emotions > 0).cmp(&(a.fewer_emotions > 0)).then(a.uar_mean.total_cmp(&b.uar_mean)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(speakers: usize, distance_loss: bool, uar_mean: f64, fewer_emotions: usize) -> GridCell {
        GridCell {
            speakers,
            frozen: 0,
            distance_loss,
            uar_mean,
            uar_std: 0.0,
            uar_ci: None,
            uars: vec![uar_mean],
            uar_unseen_mean: uar_mean,
            uar_seen_mean: None,
            test_rows_mean: 8.0,
            test_speakers: 2,
            steps: 1,
            clamped_fraction: 0.0,
            fewer_emotions,
            baseline_uar_mean: None,
            baseline_uar_std: None,
            vs_baseline: None,
        }
    }

    #[test]
    fn the_best_cell_tested_all_four_emotions_when_one_did() {
        let grid = [cell(2, false, 0.40, 0), cell(4, false, 0.45, 0), cell(6, false, 0.60, 1), cell(2, true, 0.9, 0)];
        assert_eq!(best_cell(&grid, false).unwrap().speakers, 4, "k = 6 averaged three emotions in a draw");
        assert_eq!(best_cell(&grid, true).unwrap().speakers, 2);
        // When every cell tested fewer, the highest of them.
        let fewer = [cell(2, false, 0.40, 2), cell(4, false, 0.45, 1)];
        assert_eq!(best_cell(&fewer, false).unwrap().speakers, 4);
        assert!(best_cell(&fewer, true).is_none());
    }
}
