//! `siamese-ser`: the command-line tool. Thin over the library: it reads files, calls the core,
//! prints results, and reports progress on stderr.

use clap::{Parser, Subcommand};
use siamese_ser::audio::{recording_row, wav_features};
use siamese_ser::config::{ModelConfig, NormalizationConfig, TrainConfig};
use siamese_ser::data::{
    Dataset, FeatureSet, LIMITS, LoadSummary, Normalization, OtherRows, parse_csv_with, parse_csv_with_other,
};
use siamese_ser::eval::confusion_table;
use siamese_ser::fewshot::{FewShotConfig, Session, plural};
use siamese_ser::method::Method;
use siamese_ser::protocol::select::{self, SelectReport};
use siamese_ser::protocol::{Experiment, Observer, Progress, ProtocolConfig, ReproduceReport, TestRows};
use siamese_ser::recognizer::{Metric, Recognizer, ReferencePolicy};
use siamese_ser::recordings::HeldOut;
use siamese_ser::report::{EpochStats, EvalReport, predictions_csv};
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
    /// How to train: paper (the paper's settings), regularised (weight decay;
    /// fine-tuning keeps the model's references beside the labelled rows) or best (the one that
    /// measured best: today regularised). The options above override its values.
    #[arg(long, default_value = "paper")]
    method: String,
}

impl TrainArgs {
    fn method(&self) -> Result<Method, siamese_ser::error::Error> {
        Method::parse(&self.method)
    }

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
        /// Input columns: is09-64 (the paper's 64 IS09 functionals), all (every numeric column
        /// but the label columns) or a file naming one column a line. Stored in the weights.
        #[arg(long, default_value = "is09-64")]
        features: String,
    },
    /// Measure a model on a labelled target CSV: UAR, per-class recall, confusion matrix, and
    /// the model's logistic-regression baseline on the same rows.
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
        /// Also estimate how well the fine-tuned model recognises labelled rows it was not
        /// fine-tuned on: up to 10 folds, each fine-tuned on the other rows, beside the model
        /// before fine-tuning and its logistic regression on the same folds (the page's
        /// estimate for "teach it your voice").
        #[arg(long)]
        held_out: bool,
    },
    /// Predict the emotion of every row of a feature CSV. A row is standardised with its own
    /// speaker's rows, or (unknown speaker, fewer than 8 rows) with statistics stored in the
    /// model; the `standardised_by` column says which.
    Predict {
        #[arg(long)]
        weights: PathBuf,
        #[arg(long)]
        input: PathBuf,
        /// Write predictions as CSV here (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write them as JSON here.
        #[arg(long)]
        json: Option<PathBuf>,
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
    /// Choose settings on development speakers only (left out of every later test set): training
    /// from scratch by OODT, then fine-tuning by k-shot runs on unseen development speakers.
    /// Writes the chosen settings for `reproduce --config`.
    Select {
        /// Source-corpus feature CSV (repeatable).
        #[arg(long, required = true)]
        source: Vec<PathBuf>,
        /// Target-corpus feature CSV; only its development speakers are used.
        #[arg(long)]
        target: PathBuf,
        /// Development speakers as corpus/speaker, comma-separated (default: one in six of the
        /// target's speakers, drawn with a fixed seed).
        #[arg(long, value_delimiter = ',')]
        dev_speakers: Option<Vec<String>>,
        /// How many development speakers to draw, if none are named.
        #[arg(long)]
        dev_count: Option<usize>,
        /// Settings not selected (seeds, repeats, frozen layers…) as JSON.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Input columns: is09-64, all, or a file naming one column a line.
        #[arg(long, default_value = "is09-64")]
        features: String,
        /// Write the chosen settings (a protocol config) here.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write the whole selection report as JSON here.
        #[arg(long)]
        json: Option<PathBuf>,
        /// Which method's settings to choose: paper (standardisation, learning rates, epochs) or
        /// regularised (weight decay, input noise, budgets, whether fine-tuning keeps the
        /// references).
        #[arg(long, default_value = "paper")]
        method: String,
    },
    /// Run the paper's protocols (OODT, IDT, k-shot fine-tuning grid) on unseen speakers, with
    /// several pretraining seeds and a logistic-regression baseline, and print Table 1 and
    /// Figure 2.
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
        /// Numbers of target speakers k, comma-separated (default: 2, 4, … up to the largest k
        /// that leaves two speakers to test on, at most 20).
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
        /// Models pretrained with different seeds (OODT and IDT run once per seed; fine-tuning
        /// repeats are spread over them). Default 5.
        #[arg(long)]
        pretrain_seeds: Option<usize>,
        /// Rows the fine-tuning figures are on: unseen-speakers (default: speakers who gave no
        /// labelled row) or all-remaining (every row not drawn, as the paper literally says).
        #[arg(long)]
        test_rows: Option<String>,
        /// Input columns: is09-64, all, or a file naming one column a line.
        #[arg(long)]
        features: Option<String>,
        /// Protocol settings as JSON (any subset of the fields; see the README).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Write the full report as JSON here.
        #[arg(long)]
        json: Option<PathBuf>,
        /// How the network is trained: paper (default; the paper's settings), regularised
        /// (weight decay, a longer IDT budget, fine-tuning that keeps the pretrained
        /// model's references beside the labelled rows), or best (the one that measured best:
        /// today regularised). Applied before the other options; overrides a --config's
        /// training settings.
        #[arg(long)]
        method: Option<String>,
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
        Command::Pretrain {
            source,
            out,
            train,
            normalization,
            references_per_class,
            speaker_means,
            eval_target,
            features,
        } => {
            let features = feature_set(&features)?;
            let data = load_many(&source, &features)?;
            let normalization =
                NormalizationConfig { mode: Normalization::parse(&normalization)?, ..NormalizationConfig::default() };
            let config = train.apply(train.method()?.pretrain());
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
                let target = load(&t, &FeatureSet::Names(recognizer.features.clone()))?;
                let report = recognizer.evaluate(&target)?;
                print_eval(&report);
                let on = format!("{} ({} rows)", t.display(), report.rows);
                recognizer.record(vec![Metric { name: "oodt_uar".into(), value: report.uar, on }]);
            }
            write(&out, &recognizer.to_json())?;
        }
        Command::Evaluate { weights, target, json } => {
            let recognizer = load_weights(&weights)?;
            let data = load_for(&target, &recognizer)?;
            let report = recognizer.evaluate(&data)?;
            print_eval(&report);
            let baseline = recognizer.evaluate_baseline(&data)?;
            match &baseline {
                Some(b) => {
                    println!("Baseline (the model's logistic regression, same rows and z-scores): UAR {}%", pct(b.uar))
                }
                None => println!("Baseline: this weights file has none (it predates them)"),
            }
            if let Some(p) = json {
                let out = serde_json::json!({ "siamese": report, "baseline_logistic_regression": baseline,
                    "weights": weights.display().to_string(), "target": target.display().to_string(),
                    "version": env!("CARGO_PKG_VERSION") });
                write(&p, &serde_json::to_string_pretty(&out)?)?;
            }
        }
        Command::Finetune { weights, labelled, frozen, distance_loss, train, out, held_out } => {
            let base = load_weights(&weights)?;
            let data = load_for(&labelled, &base)?;
            let train = train.apply(TrainConfig { frozen_layers: frozen, distance_loss, ..train.method()?.finetune() });
            // Every labelled row, nothing held out: the page's "your voice" path, from a file.
            let config = FewShotConfig { all_rows: true, train, exclude_speakers: vec![], ..FewShotConfig::default() };
            // The page's session, so that the model written is the one the page would give.
            let mut session = Session::start(&base, &data, config.clone())?;
            run_epochs(session.epochs(), || {
                session.step(1)?.pop().ok_or(siamese_ser::Error::OutOfOrder("no epoch left to run"))
            })?;
            session.finish()?;
            let mut tuned =
                session.tuned().ok_or(siamese_ser::Error::OutOfOrder("the fine-tuning has no model"))?.clone();
            if held_out {
                let mut estimate = HeldOut::start(&base, &data, &config)?;
                estimate.run()?;
                let e = estimate.estimate()?;
                let line = |name: &str, r: &EvalReport| {
                    println!("  {name:<42} UAR {:>5}%   {} of {} right", pct(r.uar), r.correct, r.rows);
                };
                println!("Held out ({} folds; chance UAR {}%):", e.folds, pct(e.chance));
                line("fine-tuned without the fold", &e.tuned);
                line("before fine-tuning", &e.before);
                if let Some(b) = &e.baseline {
                    line("logistic regression adapted the same way", b);
                }
                tuned.record(estimate.metrics()?);
            }
            write(&out, &tuned.to_json())?;
        }
        Command::Predict { weights, input, out, json } => {
            let recognizer = load_weights(&weights)?;
            let (data, other) = load_for_prediction(&input, &recognizer)?;
            let predicted = recognizer.predict_file(&data, &other)?;
            let rows = &predicted.rows;
            let text = predictions_csv(rows);
            match out {
                Some(p) => write(&p, &text)?,
                None => print!("{text}"),
            }
            if let Some(p) = json {
                write(&p, &serde_json::to_string_pretty(&rows)?)?;
            }
            let t = &predicted.totals;
            if let Some(r) = &predicted.labelled {
                eprintln!(
                    "{} of {} labelled rows predicted correctly; UAR {}% (chance 25.0%){}",
                    t.correct,
                    t.labelled,
                    pct(r.uar),
                    predicted.baseline.as_ref().map_or(String::new(), |b| format!(
                        "; the model's logistic regression on the same rows: {}%",
                        pct(b.uar)
                    ))
                );
            }
            if !predicted.overlap.is_empty() {
                eprintln!(
                    "the model was trained on {} too, so these figures are optimistic",
                    predicted.overlap.join(", ")
                );
            }
            if t.standardised_by_model > 0 {
                eprintln!(
                    "{} of {} rows were standardised with the model's statistics (unknown speaker, or fewer than {} \
                     rows of their speaker)",
                    t.standardised_by_model, t.rows, t.min_group_rows
                );
            }
        }
        Command::Features { files, out, corpus } => {
            let started = Instant::now();
            let mut rows = Vec::with_capacity(files.len());
            let mut seconds = 0.0;
            for (i, path) in files.iter().enumerate() {
                let bytes = read_bytes(path, LIMITS.wav_bytes, "a WAV file")?;
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
        Command::Select { source, target, dev_speakers, dev_count, config, features, out, json, method } => {
            let mut base: ProtocolConfig = match &config {
                Some(p) => read_config(p)?,
                None => ProtocolConfig::default(),
            };
            base.features = feature_set(&features)?;
            let target = load(&target, &base.features)?;
            let source = load_many(&source, &FeatureSet::Names(target.features.clone()))?;
            let dev = select::dev_speakers_of(&target, &dev_speakers.unwrap_or_default(), dev_count)?;
            eprintln!("development speakers (the only target speakers used): {}", dev.join(", "));
            let started = Instant::now();
            let report = match Method::parse(&method)? {
                Method::Paper => select::select(&source, &target, &dev, &base, &StderrProgress { started })?,
                Method::Regularised => {
                    select::select_regularised(&source, &target, &dev, &base, &StderrProgress { started })?
                }
            };
            eprintln!("done in {:.1} s", started.elapsed().as_secs_f64());
            print_select(&report);
            if let Some(p) = out {
                write(&p, &serde_json::to_string_pretty(&report.chosen)?)?;
            }
            if let Some(p) = json {
                write(&p, &serde_json::to_string_pretty(&report)?)?;
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
            pretrain_seeds,
            test_rows,
            features,
            config,
            json,
            method,
        } => {
            let mut cfg: ProtocolConfig = match &config {
                Some(p) => read_config(p)?,
                None => ProtocolConfig::default(),
            };
            if let Some(m) = method {
                cfg = cfg.with_method(Method::parse(&m)?);
            }
            if let Some(r) = repeats {
                cfg.repeats = r;
            }
            if let Some(s) = speakers {
                cfg.speakers = Some(s);
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
            if let Some(n) = pretrain_seeds {
                cfg.pretrain_seeds = n;
            }
            if let Some(t) = test_rows {
                cfg.test_rows = TestRows::parse(&t)?;
            }
            if let Some(f) = features {
                cfg.features = feature_set(&f)?;
            }
            let started = Instant::now();
            let mut exp = match &weights {
                Some(w) => {
                    let model = load_weights(w)?;
                    let target = load_for(&target, &model)?;
                    Experiment::from_pretrained(model, &target, cfg)?
                }
                None => {
                    let target = load(&target, &cfg.features)?;
                    let source = load_many(&source, &FeatureSet::Names(target.features.clone()))?;
                    Experiment::new(&source, &target, cfg)?
                }
            };
            if !exp.excluded_speakers().is_empty() {
                eprintln!(
                    "left out of every unit: {} (the development speakers the settings were chosen on)",
                    exp.excluded_speakers().join(", ")
                );
            }
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

/// A protocol config file (JSON; any subset of the fields).
fn read_config(path: &Path) -> AnyResult<ProtocolConfig> {
    let text = read_text(path, LIMITS.settings_bytes, "a settings file")?;
    Ok(siamese_ser::config::settings_from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?)
}

fn write(path: &Path, text: &str) -> AnyResult<()> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn load_weights(path: &Path) -> AnyResult<Recognizer> {
    let text = read_text(path, LIMITS.weights_bytes, "a weights file")?;
    Ok(Recognizer::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?)
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
    read_text(path, LIMITS.settings_bytes.max(LIMITS.csv_bytes), "a text file")
}

/// The bytes of `path`, refused unread if the file is larger than `limit`.
fn read_bytes(path: &Path, limit: usize, what: &str) -> AnyResult<Vec<u8>> {
    let size = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?.len();
    if size > limit as u64 {
        return Err(format!("{}: the file is {size} bytes; the limit for {what} is {limit}", path.display()).into());
    }
    Ok(std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?)
}

/// The text of `path` (size-checked like [`read_bytes`]). Bytes that are not UTF-8 become
/// U+FFFD, so the parsers can say the file is binary rather than failing here.
fn read_text(path: &Path, limit: usize, what: &str) -> AnyResult<String> {
    let bytes = read_bytes(path, limit, what)?;
    Ok(match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Reads and parses one feature CSV with the columns `features`, printing its load summary to
/// stderr.
fn load(path: &Path, features: &FeatureSet) -> AnyResult<Dataset> {
    let text = read_text(path, LIMITS.csv_bytes, "a CSV file")?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("data");
    let (ds, summary) =
        parse_csv_with(&text, stem, features, &LIMITS).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("{}: {}", path.display(), describe(&summary));
    Ok(ds)
}

/// Reads a feature CSV with the columns `model` was trained on.
fn load_for(path: &Path, model: &Recognizer) -> AnyResult<Dataset> {
    load(path, &FeatureSet::Names(model.features.clone()))
}

/// Reads a feature CSV for prediction: the rows of the four emotions, and those of other
/// emotions, predicted too (see [`Recognizer::predict_file`]).
fn load_for_prediction(path: &Path, model: &Recognizer) -> AnyResult<(Dataset, OtherRows)> {
    let text = read_text(path, LIMITS.csv_bytes, "a CSV file")?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("data");
    let features = FeatureSet::Names(model.features.clone());
    let (ds, summary, other) =
        parse_csv_with_other(&text, stem, &features, &LIMITS).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("{}: {}", path.display(), describe(&summary));
    if !other.rows.is_empty() {
        eprintln!(
            "{}: the {} of other emotions are predicted too (their labels are kept in the emotion column; they count in no figure)",
            path.display(),
            plural(other.rows.len(), "row")
        );
    }
    Ok((ds, other))
}

fn load_many(paths: &[PathBuf], features: &FeatureSet) -> AnyResult<Dataset> {
    let parts = paths.iter().map(|p| load(p, features)).collect::<AnyResult<Vec<_>>>()?;
    Ok(Dataset::concat(&parts)?)
}

/// `is09-64`, `all`, or a file naming the columns.
fn feature_set(arg: &str) -> AnyResult<FeatureSet> {
    match FeatureSet::parse(arg) {
        Some(f) => Ok(f),
        None => Ok(FeatureSet::from_list(&read(Path::new(arg))?).map_err(|e| format!("{arg}: {e}"))?),
    }
}

fn describe(s: &LoadSummary) -> String {
    let mut out = format!(
        "{} rows kept of {} ({} format, {} feature columns{}); angry {}, happy {}, sad {}, fearful {}, unlabelled {}; \
         {} speakers",
        s.rows_kept,
        s.rows_read,
        s.format,
        s.features,
        match s.unused_columns {
            0 => String::new(),
            n => format!(
                ", {} not used: {}{}",
                plural(n, "other column"),
                s.unused_names
                    .iter()
                    .map(|c| if c.is_empty() { "(unnamed)" } else { c })
                    .collect::<Vec<_>>()
                    .join(", "),
                if n > s.unused_names.len() { ", …" } else { "" }
            ),
        },
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
    if s.duplicate_rows > 0 {
        let n = s.duplicate_rows;
        out += &format!(
            "; {} {} an earlier row's features exactly",
            plural(n, "row"),
            if n == 1 { "repeats" } else { "repeat" }
        );
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
    let s = &r.settings;
    let lr = &r.baselines.logistic_regression;
    let src: Vec<String> = r.source.iter().map(|c| c.name.clone()).collect();
    let ci = |c: Option<[f64; 2]>| c.map_or("—".to_string(), |[a, b]| format!("[{}, {}]", pct(a), pct(b)));
    let opt = |v: Option<f64>| v.map_or("—".to_string(), pct);
    println!(
        "Table 1: UAR (%) on the target's evaluation speakers; mean ± std [95% interval] over {}",
        if s.pretrain_seeds > 1 { format!("{} pretraining seeds", s.pretrain_seeds) } else { "one model".into() }
    );
    println!(
        "{:<36}{:>28}{:>10}{:>10}  {:>12}  {:>9}",
        "",
        format!("ours: {} → target", src.join("+")),
        "p vs LR",
        "seen",
        "log. regr.",
        r.paper[0].source.chars().take(9).collect::<String>()
    );
    let rows = [
        (
            "OODT",
            t.oodt,
            r.table1_std.oodt,
            r.table1_ci.oodt,
            None,
            r.table1_baseline.oodt,
            &r.table1_vs_baseline.oodt,
            r.paper[0].oodt,
        ),
        (
            "IDT (leave one speaker out)",
            t.idt,
            r.table1_std.idt,
            r.table1_ci.idt,
            None,
            r.table1_baseline.idt,
            &r.table1_vs_baseline.idt,
            r.paper[0].idt,
        ),
        (
            "Siamese NN fine-tuning (best cell)",
            t.finetune,
            r.table1_std.finetune,
            r.table1_ci.finetune,
            r.table1_seen.finetune,
            r.table1_baseline.finetune,
            &r.table1_vs_baseline.finetune,
            r.paper[0].finetune,
        ),
        (
            "… with distance loss (best cell)",
            t.finetune_distance,
            r.table1_std.finetune_distance,
            r.table1_ci.finetune_distance,
            r.table1_seen.finetune_distance,
            r.table1_baseline.finetune_distance,
            &r.table1_vs_baseline.finetune_distance,
            r.paper[0].finetune_distance,
        ),
    ];
    for (name, mean, std, c, seen, base, vs, paper) in rows {
        println!(
            "{name:<36}{:>28}{:>10}{:>10}  {:>12}  {:>9}",
            format!("{} ± {:.1} {}", pct(mean), 100.0 * std, ci(c)),
            vs.as_ref().map_or("—".into(), |p| format!("{:.3}", p.p_value)),
            opt(seen),
            opt(base),
            pct(paper)
        );
    }
    println!(
        "(paper: {} → RAVDESS; {} → RAVDESS: {} / {} / {} / {})",
        r.paper[0].source,
        r.paper[1].source,
        pct(r.paper[1].oodt),
        pct(r.paper[1].idt),
        pct(r.paper[1].finetune),
        pct(r.paper[1].finetune_distance)
    );
    println!("Rows each figure is on:");
    println!("  OODT: {}", r.table1_rows.oodt);
    println!("  IDT: {}", r.table1_rows.idt);
    println!(
        "  fine-tuning: {}; best cell k={} frozen={} (with the loss: k={} frozen={}; a maximum over {} cells, biased upward)",
        r.table1_rows.finetune,
        t.finetune_cell.speakers,
        t.finetune_cell.frozen,
        t.finetune_distance_cell.speakers,
        t.finetune_distance_cell.frozen,
        r.grid.len() / 2
    );
    println!("  seen: the other rows of the labelled speakers (not speaker-independent; shown for comparison)");
    println!(
        "Logistic regression ({}): OODT {}, IDT {}, fine-tuning best k = {} {} {} ({})",
        lr.method,
        opt(lr.oodt),
        pct(lr.idt),
        lr.finetune_speakers.map_or("—".into(), |k| k.to_string()),
        opt(lr.finetune),
        ci(lr.finetune_ci),
        lr.finetune_method.as_deref().unwrap_or("no source baseline")
    );
    println!(
        "\"p vs LR\": Wilcoxon signed-rank, Siamese − logistic regression paired by speaker (OODT, IDT) or by draw (fine-tuning)"
    );
    println!(
        "IDT per speaker: mean {}% ± {} over {} speakers; pooled per seed: {}",
        pct(r.idt.speaker_mean),
        pct(r.idt.speaker_std),
        r.idt.per_speaker.len(),
        r.idt.per_seed.iter().map(|v| pct(*v)).collect::<Vec<_>>().join(" ")
    );
    println!("OODT per seed: {}", r.oodt_per_seed.iter().map(|v| pct(*v)).collect::<Vec<_>>().join(" "));
    println!(
        "\nOODT confusion matrix, pretraining seed 1 ({} rows, {} speakers):\n{}",
        r.oodt.rows,
        r.oodt.speakers,
        confusion_table(&r.oodt)
    );

    let test_rows = match s.test_rows {
        TestRows::UnseenSpeakers => "unseen speakers",
        TestRows::AllRemaining => "all remaining rows",
    };
    println!(
        "Figure 2: fine-tuning UAR (%) on {test_rows}, mean ± std over {} repeats; LR = logistic regression on the same draws",
        r.config.repeats
    );
    let frozen: Vec<usize> = r.config.frozen.clone();
    let mut header = format!("{:>4}{:>7}", "k", "steps");
    for d in [false, true] {
        for f in &frozen {
            header += &format!("{:>14}", format!("{}frozen {f}", if d { "dist " } else { "" }));
        }
    }
    header += &format!("{:>8}{:>8}", "LR", "seen");
    println!("{header}");
    for &k in r.config.speakers.as_deref().unwrap_or(&[]) {
        let cells: Vec<_> = r.grid.iter().filter(|c| c.speakers == k).collect();
        let mut line = format!("{k:>4}{:>7}", cells.first().map_or(0, |c| c.steps));
        for d in [false, true] {
            for &f in &frozen {
                let cell = cells.iter().find(|c| c.frozen == f && c.distance_loss == d);
                line += &format!(
                    "{:>14}",
                    cell.map_or("—".into(), |c| format!(
                        "{} ± {:.1}{}",
                        pct(c.uar_mean),
                        100.0 * c.uar_std,
                        if c.fewer_emotions > 0 { " †" } else { "" }
                    ))
                );
            }
        }
        let first = cells.iter().find(|c| !c.distance_loss);
        line += &format!(
            "{:>8}{:>8}",
            opt(first.and_then(|c| c.baseline_uar_mean)),
            opt(first.and_then(|c| c.uar_seen_mean))
        );
        println!("{line}");
    }
    let short = r.grid.iter().filter(|c| c.fewer_emotions > 0).count();
    if short > 0 {
        println!(
            "† in {}, some draws' test rows lacked an emotion: UAR over fewer than four, an easier test; \
             the best cells are picked among those that tested all four",
            plural(short, "cell")
        );
    }
    let e = &r.distance_effect;
    println!(
        "\nDistance loss (UAR with − without, paired by draw, averaged over frozen layers; {} draws): {:+.2} points {}, \
         {} better / {} worse, Wilcoxon p = {:.3}",
        e.n,
        100.0 * e.mean,
        e.ci95.map_or("".into(), |[a, b]| format!("[{:+.2}, {:+.2}]", 100.0 * a, 100.0 * b)),
        e.wins,
        e.losses,
        e.p_value
    );
    for c in &r.distance_effect_cells {
        println!(
            "  k={:>2} frozen={}: {:+.1} points {} ({} better, {} worse, p = {:.2})",
            c.speakers,
            c.frozen,
            100.0 * c.test.mean,
            c.test.ci95.map_or("".into(), |[a, b]| format!("[{:+.1}, {:+.1}]", 100.0 * a, 100.0 * b)),
            c.test.wins,
            c.test.losses,
            c.test.p_value
        );
    }
    let clamped: Vec<String> =
        r.grid.iter().filter(|c| c.distance_loss).map(|c| format!("{:.0}%", 100.0 * c.clamped_fraction)).collect();
    println!("Distance-loss batches under the D_d ≤ D_s rule (m < m₀), per cell: {}", clamped.join(" "));
    println!(
        "\nSettings: seed {}, {}, OODT model {}, features {}, normalisation {}; evaluation speakers: {}; \
         left out: {}",
        s.seed,
        plural(s.pretrain_seeds, "pretraining seed"),
        s.oodt_model,
        s.features,
        s.normalization.name(),
        s.evaluation_speakers.len(),
        if s.dev_speakers_excluded.is_empty() { "none".into() } else { s.dev_speakers_excluded.join(", ") }
    );
    println!("Method: {} — {}", s.method.name(), s.method.describe());
    println!("Selection: {}", s.selection);
    println!("Intervals: {}", s.intervals);
}

fn print_select(r: &SelectReport) {
    println!(
        "Selection on the development speakers {} ({} rows); fine-tuning runs with k = {:?} of them labelled",
        r.dev_speakers.join(", "),
        r.dev_rows,
        r.k_grid
    );
    for (title, list) in [
        (
            "Training from scratch (OODT UAR % on the development speakers, mean ± std over seeds)",
            &r.training_from_scratch,
        ),
        ("IDT (UAR % on each development speaker left out, mean ± std over folds and seeds)", &r.idt),
        ("Fine-tuning (UAR % on unseen development speakers, mean ± std over runs)", &r.fine_tuning),
    ] {
        if list.is_empty() {
            continue;
        }
        println!("\n{title}");
        // The first candidate with the highest score is the one chosen (ties go to the earlier).
        let best = list.iter().map(|c| c.score).fold(f64::MIN, f64::max);
        let chosen = list.iter().position(|c| c.score == best);
        for (i, c) in list.iter().enumerate() {
            println!(
                "  {:<52}{:>6} ± {:>4.1}  (n = {}){}",
                c.settings,
                pct(c.score),
                100.0 * c.std,
                c.n,
                if Some(i) == chosen { "  ← chosen" } else { "" }
            );
        }
    }
    let c = &r.chosen;
    println!(
        "\nChosen ({} method): {:?} standardisation; {}",
        c.method.name(),
        c.normalization.mode,
        [("pretraining", &c.pretrain), ("IDT", &c.idt), ("fine-tuning", &c.finetune)]
            .iter()
            .map(|(what, t)| format!(
                "{what}: learning rate {}, {} epochs, weight decay {}, input noise {}{}",
                t.learning_rate,
                t.epochs,
                t.weight_decay,
                t.input_noise,
                if t.keep_references { ", references kept" } else { "" }
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
}
