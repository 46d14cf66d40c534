//! `siamese-ser`: the command-line tool. Thin over the library: it reads files, calls the core,
//! prints results, and reports progress on stderr.

use clap::{Parser, Subcommand};
use siamese_ser::audio::{recording_row, wav_features};
use siamese_ser::config::{ModelConfig, NormalizationConfig, TrainConfig};
use siamese_ser::data::{Dataset, LoadSummary, Normalization, parse_csv};
use siamese_ser::eval::confusion_table;
use siamese_ser::fewshot::{FewShot, FewShotConfig};
use siamese_ser::protocol::{Experiment, Observer, Progress, ProtocolConfig, ReproduceReport};
use siamese_ser::recognizer::{Metric, Recognizer, ReferencePolicy};
use siamese_ser::report::{EpochStats, EvalReport, prediction_rows, predictions_csv};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(
    name = "siamese-ser",
    version,
    about = "Few-shot speech-emotion recognition with a Siamese network (Feng & Chaspari)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Training settings shared by `pretrain` and `finetune`; unset ones take the command's defaults.
#[derive(clap::Args)]
struct TrainArgs {
    /// Epochs (passes over the labelled rows).
    #[arg(long)]
    epochs: Option<usize>,
    /// Adam learning rate.
    #[arg(long)]
    learning_rate: Option<f64>,
    /// Pairs per batch.
    #[arg(long)]
    batch_pairs: Option<usize>,
    /// Seed of every random choice.
    #[arg(long)]
    seed: Option<u64>,
}

impl TrainArgs {
    fn apply(&self, mut c: TrainConfig) -> TrainConfig {
        if let Some(v) = self.epochs {
            c.epochs = v;
        }
        if let Some(v) = self.learning_rate {
            c.learning_rate = v;
        }
        if let Some(v) = self.batch_pairs {
            c.batch_pairs = v;
        }
        if let Some(v) = self.seed {
            c.seed = v;
        }
        c
    }
}

#[derive(Subcommand)]
enum Command {
    /// Train a new model on source corpora and write its weights file.
    Pretrain {
        /// Source-corpus feature CSV (repeatable; corpora are combined).
        #[arg(long, required = true)]
        source: Vec<PathBuf>,
        /// Where to write the weights (JSON).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        train: TrainArgs,
        /// Standardisation: global, per_corpus or per_speaker.
        #[arg(long, default_value = "per_speaker")]
        normalization: String,
        /// Source rows per emotion stored as references (ignored with --speaker-means).
        #[arg(long, default_value_t = 50)]
        references_per_class: usize,
        /// Store each speaker's mean standardised row per emotion as the references instead of
        /// individual rows (aggregate statistics only; for corpora whose license forbids
        /// redistributing derived features).
        #[arg(long)]
        speaker_means: bool,
        /// Also measure the OODT UAR on this target CSV and record it in the weights file.
        #[arg(long)]
        eval_target: Option<PathBuf>,
    },
    /// Measure a model on a labelled target CSV: UAR, per-class recall, confusion matrix.
    Evaluate {
        #[arg(long)]
        weights: PathBuf,
        #[arg(long)]
        target: PathBuf,
        /// Write the report as JSON here.
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// Fine-tune a model on labelled rows; they become its references.
    Finetune {
        #[arg(long)]
        weights: PathBuf,
        /// Feature CSV whose labelled rows are trained on (unlabelled rows only shape the
        /// per-speaker standardisation).
        #[arg(long)]
        labelled: PathBuf,
        /// Extractor layers to keep fixed (0, 1 or 2).
        #[arg(long, default_value_t = 0)]
        frozen: usize,
        /// Add the distance loss (Eq. 1) on the extractor at the end of each batch.
        #[arg(long)]
        distance_loss: bool,
        #[command(flatten)]
        train: TrainArgs,
        /// Where to write the fine-tuned weights.
        #[arg(long)]
        out: PathBuf,
    },
    /// Predict the emotion of every row of a feature CSV.
    Predict {
        #[arg(long)]
        weights: PathBuf,
        #[arg(long)]
        input: PathBuf,
        /// Write predictions as CSV here (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Compute openSMILE-compatible IS09 features of WAV files (converted to 16 kHz first) and
    /// write them in our CSV format; emotion and speaker come from recognised file names.
    Features {
        /// WAV files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Write the CSV here (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Corpus name for files whose names follow no known corpus's convention.
        #[arg(long, default_value = "recordings")]
        corpus: String,
    },
    /// Run the paper's protocols (OODT, IDT, k-shot fine-tuning grid) and print Table 1 and Figure 2.
    Reproduce {
        /// Source-corpus feature CSV (repeatable); OODT pretrains on it.
        #[arg(long, required_unless_present = "weights", conflicts_with = "weights")]
        source: Vec<PathBuf>,
        /// Use this trained model as the OODT model instead of pretraining (as the page does).
        #[arg(long)]
        weights: Option<PathBuf>,
        /// Target-corpus feature CSV.
        #[arg(long)]
        target: PathBuf,
        /// Repeats per fine-tuning cell.
        #[arg(long)]
        repeats: Option<usize>,
        /// Numbers of target speakers k, comma-separated.
        #[arg(long, value_delimiter = ',')]
        speakers: Option<Vec<usize>>,
        /// Numbers of frozen extractor layers, comma-separated.
        #[arg(long, value_delimiter = ',')]
        frozen: Option<Vec<usize>>,
        /// Seed of every random choice.
        #[arg(long)]
        seed: Option<u64>,
        /// Standardisation: global, per_corpus or per_speaker.
        #[arg(long)]
        normalization: Option<String>,
        /// Protocol settings as JSON (any subset of the fields; see the README).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Write the full report as JSON here.
        #[arg(long)]
        json: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

type AnyResult<T> = Result<T, Box<dyn std::error::Error>>;

fn run(cli: Cli) -> AnyResult<()> {
    match cli.command {
        Command::Pretrain { source, out, train, normalization, references_per_class, speaker_means, eval_target } => {
            let data = load_many(&source)?;
            let normalization =
                NormalizationConfig { mode: Normalization::parse(&normalization)?, ..NormalizationConfig::default() };
            let config = train.apply(TrainConfig::pretrain());
            let mut training = Recognizer::start_pretraining(
                &data,
                &ModelConfig::default(),
                &normalization,
                &config,
                if speaker_means {
                    ReferencePolicy::SpeakerMeans
                } else {
                    ReferencePolicy::Rows { per_class: Some(references_per_class) }
                },
            )?;
            run_epochs(training.epochs(), || training.step_epoch())?;
            let mut recognizer = training.finish();
            if let Some(t) = eval_target {
                let target = load(&t)?;
                let report = recognizer.evaluate(&target)?;
                print_eval(&report);
                let on = format!("{} ({} rows)", t.display(), report.rows);
                if let Some(h) = recognizer.history.last_mut() {
                    h.metrics.push(Metric { name: "oodt_uar".into(), value: report.uar, on });
                }
            }
            write(&out, &recognizer.to_json())?;
        }
        Command::Evaluate { weights, target, json } => {
            let recognizer = load_weights(&weights)?;
            let report = recognizer.evaluate(&load(&target)?)?;
            print_eval(&report);
            if let Some(p) = json {
                write(&p, &serde_json::to_string_pretty(&report)?)?;
            }
        }
        Command::Finetune { weights, labelled, frozen, distance_loss, train, out } => {
            let base = load_weights(&weights)?;
            let data = load(&labelled)?;
            let train = train.apply(TrainConfig { frozen_layers: frozen, distance_loss, ..TrainConfig::finetune() });
            // Every labelled row, nothing held out: the page's "your voice" path, from a file.
            let config = FewShotConfig { all_rows: true, train, ..FewShotConfig::default() };
            let mut run = FewShot::draw(&base, &data, &config)?;
            run_epochs(run.progress().1, || run.step_epoch())?;
            let (tuned, _) = run.finish()?;
            write(&out, &tuned.to_json())?;
        }
        Command::Predict { weights, input, out } => {
            let recognizer = load_weights(&weights)?;
            let data = load(&input)?;
            let predictions = recognizer.classify(&data)?;
            let text = predictions_csv(&prediction_rows(&data, &predictions));
            match out {
                Some(p) => write(&p, &text)?,
                None => print!("{text}"),
            }
            let labelled = data.labelled();
            if !labelled.is_empty() {
                let correct = labelled.iter().filter(|&&i| data.emotion[i] == Some(predictions[i].emotion)).count();
                eprintln!("{} of {} labelled rows predicted correctly", correct, labelled.len());
            }
        }
        Command::Features { files, out, corpus } => {
            let started = Instant::now();
            let mut rows = Vec::with_capacity(files.len());
            let mut seconds = 0.0;
            for (i, path) in files.iter().enumerate() {
                let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
                let (audio, f) = wav_features(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
                seconds += audio.seconds();
                let name = path.to_string_lossy();
                let (row, other) = recording_row(&name, f, &corpus);
                if let Some(o) = other {
                    eprintln!("{}: {o}, not one of the four emotions; written unlabelled", path.display());
                }
                rows.push(row);
                if (i + 1) % 50 == 0 || i + 1 == files.len() {
                    eprintln!("[{:>6.1}s] {} of {} files", started.elapsed().as_secs_f64(), i + 1, files.len());
                }
            }
            let text = Dataset::from_rows(&rows)?.to_csv();
            eprintln!("{} files, {seconds:.1} s of audio in {:.2} s", rows.len(), started.elapsed().as_secs_f64());
            match out {
                Some(p) => write(&p, &text)?,
                None => print!("{text}"),
            }
        }
        Command::Reproduce {
            source,
            weights,
            target,
            repeats,
            speakers,
            frozen,
            seed,
            normalization,
            config,
            json,
        } => {
            let mut cfg: ProtocolConfig = match &config {
                Some(p) => serde_json::from_str(&read(p)?).map_err(|e| format!("{}: {e}", p.display()))?,
                None => ProtocolConfig::default(),
            };
            if let Some(r) = repeats {
                cfg.repeats = r;
            }
            if let Some(s) = speakers {
                cfg.speakers = s;
            }
            if let Some(f) = frozen {
                cfg.frozen = f;
            }
            if let Some(s) = seed {
                cfg.seed = s;
            }
            if let Some(n) = normalization {
                cfg.normalization.mode = Normalization::parse(&n)?;
            }
            let target = load(&target)?;
            let started = Instant::now();
            let mut exp = match &weights {
                Some(w) => Experiment::from_pretrained(load_weights(w)?, &target, cfg)?,
                None => Experiment::new(&load_many(&source)?, &target, cfg)?,
            };
            let report = exp.run_all(&StderrProgress { started })?;
            eprintln!("done in {:.1} s", started.elapsed().as_secs_f64());
            print_reproduce(&report);
            if let Some(p) = json {
                write(&p, &serde_json::to_string_pretty(&report)?)?;
            }
        }
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> AnyResult<()> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn load_weights(path: &Path) -> AnyResult<Recognizer> {
    Ok(Recognizer::from_json(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))?)
}

/// Calls `step` (one epoch) until `total` epochs have run, with about 20 lines of progress on
/// stderr.
fn run_epochs(total: usize, mut step: impl FnMut() -> siamese_ser::Result<EpochStats>) -> AnyResult<()> {
    let started = Instant::now();
    let every = (total / 20).max(1);
    for _ in 0..total {
        let s = step()?;
        if s.epoch % every == 0 || s.epoch == total {
            let mut line = format!(
                "[{:>6.1}s] epoch {:>4}/{total}: pair loss {:.4}, pair accuracy {:.1}%",
                started.elapsed().as_secs_f64(),
                s.epoch,
                s.bce,
                100.0 * s.pair_accuracy
            );
            if let Some(d) = s.distance {
                line += &format!(
                    ", distance loss {d:.3} ({} of {} batches under the D_d ≤ D_s rule)",
                    s.distance_clamped, s.batches
                );
            }
            eprintln!("{line}");
        }
    }
    Ok(())
}

fn print_eval(r: &EvalReport) {
    println!("UAR {}% on {} rows from {} speakers", pct(r.uar), r.rows, r.speakers);
    println!("{}", confusion_table(r));
}

fn read(path: &Path) -> AnyResult<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// Reads and parses one feature CSV, printing its load summary to stderr.
fn load(path: &Path) -> AnyResult<Dataset> {
    let text = read(path)?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("data");
    let (ds, summary) = parse_csv(&text, stem).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("{}: {}", path.display(), describe(&summary));
    Ok(ds)
}

fn load_many(paths: &[PathBuf]) -> AnyResult<Dataset> {
    let parts = paths.iter().map(|p| load(p)).collect::<AnyResult<Vec<_>>>()?;
    Ok(Dataset::concat(&parts))
}

fn describe(s: &LoadSummary) -> String {
    let mut out = format!(
        "{} rows kept of {} ({} format); angry {}, happy {}, sad {}, fearful {}, unlabelled {}; {} speakers",
        s.rows_kept,
        s.rows_read,
        s.format,
        s.per_emotion[0],
        s.per_emotion[1],
        s.per_emotion[2],
        s.per_emotion[3],
        s.unlabelled,
        s.speakers
    );
    if !s.skipped.is_empty() {
        let skipped: Vec<String> = s.skipped.iter().map(|k| format!("{} {}", k.rows, k.emotion)).collect();
        out += &format!("; skipped {}", skipped.join(", "));
    }
    out
}

struct StderrProgress {
    started: Instant,
}

impl Observer for StderrProgress {
    fn progress(&self, p: &Progress) {
        eprintln!("[{:>6.1}s {:>4}/{}] {}", self.started.elapsed().as_secs_f64(), p.done, p.total, p.what);
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}", 100.0 * x)
}

fn print_reproduce(r: &ReproduceReport) {
    let t = &r.table1;
    let src: Vec<String> = r.source.iter().map(|c| c.name.clone()).collect();
    println!("Table 1: UAR (%) on the target corpus; ours beside the paper's");
    println!("{:<44}{:>12}{:>14}{:>10}", "", format!("ours: {}", src.join("+")), r.paper[0].source, r.paper[1].source);
    let rows = [
        ("OODT", t.oodt, r.paper[0].oodt, r.paper[1].oodt),
        ("IDT", t.idt, r.paper[0].idt, r.paper[1].idt),
        ("Siamese NN fine-tuning", t.finetune, r.paper[0].finetune, r.paper[1].finetune),
        (
            "Siamese NN fine-tuning with distance loss",
            t.finetune_distance,
            r.paper[0].finetune_distance,
            r.paper[1].finetune_distance,
        ),
    ];
    for (name, ours, a, b) in rows {
        println!("{name:<44}{:>12}{:>14}{:>10}", pct(ours), pct(a), pct(b));
    }
    println!(
        "(fine-tuning rows: best cell by mean UAR — without the loss k={} frozen={}, with it k={} frozen={})",
        t.finetune_cell.speakers,
        t.finetune_cell.frozen,
        t.finetune_distance_cell.speakers,
        t.finetune_distance_cell.frozen
    );
    println!(
        "IDT: pooled UAR {}%, per-fold mean {}% ± {}",
        pct(r.idt.pooled.uar),
        pct(r.idt.uar_mean),
        pct(r.idt.uar_std)
    );
    println!(
        "\nOODT confusion matrix ({} rows, {} speakers):\n{}",
        r.oodt.rows,
        r.oodt.speakers,
        confusion_table(&r.oodt)
    );

    println!("Figure 2: fine-tuning UAR (%) mean ± std over {} repeats", r.config.repeats);
    let frozen: Vec<usize> = r.config.frozen.clone();
    let mut header = format!("{:>4}", "k");
    for d in [false, true] {
        for f in &frozen {
            header += &format!("{:>15}", format!("{}frozen {f}", if d { "dist " } else { "" }));
        }
    }
    println!("{header}");
    for &k in &r.config.speakers {
        let mut line = format!("{k:>4}");
        for d in [false, true] {
            for &f in &frozen {
                let cell = r.grid.iter().find(|c| c.speakers == k && c.frozen == f && c.distance_loss == d);
                line += &format!(
                    "{:>15}",
                    cell.map_or("—".into(), |c| format!("{} ± {:.1}", pct(c.uar_mean), 100.0 * c.uar_std))
                );
            }
        }
        println!("{line}");
    }
    println!("\nDistance loss effect (UAR with − without, same draws; points): mean ± std, repeats better/worse");
    for e in &r.distance_effect {
        println!(
            "  k={:>2} frozen={}: {:+.1} ± {:.1}  ({} better, {} worse)",
            e.speakers,
            e.frozen,
            100.0 * e.diff_mean,
            100.0 * e.diff_std,
            e.better,
            e.worse
        );
    }
    let clamped: Vec<String> =
        r.grid.iter().filter(|c| c.distance_loss).map(|c| format!("{:.0}%", 100.0 * c.clamped_fraction)).collect();
    println!("Distance-loss batches under the D_d ≤ D_s rule (m < m₀), per cell: {}", clamped.join(" "));
}
