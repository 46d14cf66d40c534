//! The command-line tool, driven as a user would: files in, files and text out.

mod common;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_siamese-ser"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn ok(out: Output) -> (String, String) {
    let (o, e) = (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap());
    assert!(out.status.success(), "exit {:?}\nstdout:\n{o}\nstderr:\n{e}", out.status);
    (o, e)
}

/// Writes the committed RAVDESS rows whose speaker satisfies `keep`, plus the header.
fn ravdess_subset(path: &Path, keep: impl Fn(u32) -> bool) {
    let text = include_str!("../data/ravdess_16k.csv");
    let mut lines = text.lines();
    let mut out = vec![lines.next().unwrap().to_string()];
    for l in lines {
        let speaker: u32 = l.split(',').nth(2).unwrap().parse().unwrap();
        if keep(speaker) {
            out.push(l.to_string());
        }
    }
    std::fs::write(path, out.join("\n") + "\n").unwrap();
}

#[test]
fn pretrain_evaluate_finetune_predict() {
    let (src, tgt, model, tuned, preds) =
        (tmp("src.csv"), tmp("tgt.csv"), tmp("model.json"), tmp("tuned.json"), tmp("predictions.csv"));
    ravdess_subset(&src, |s| s > 12);
    ravdess_subset(&tgt, |s| s <= 12);
    let (_, err) = ok(bin()
        .args(["pretrain", "--source"])
        .arg(&src)
        .args(["--epochs", "6", "--seed", "3", "--out"])
        .arg(&model)
        .arg("--eval-target")
        .arg(&tgt)
        .output()
        .unwrap());
    assert!(err.contains("epoch    6/6"), "{err}");
    let weights = std::fs::read_to_string(&model).unwrap();
    assert!(weights.contains("\"oodt_uar\""), "the OODT UAR is recorded in the weights file");

    let (out, _) = ok(bin().args(["evaluate", "--weights"]).arg(&model).arg("--target").arg(&tgt).output().unwrap());
    assert!(out.starts_with("UAR ") && out.contains("on 384 rows from 12 speakers"), "{out}");
    assert!(out.contains("fearful") && out.contains("recall"), "{out}");

    let labelled = tmp("labelled.csv");
    ravdess_subset(&labelled, |s| s == 1 || s == 2);
    let (_, err) = ok(bin()
        .args(["finetune", "--weights"])
        .arg(&model)
        .arg("--labelled")
        .arg(&labelled)
        .args(["--frozen", "1", "--distance-loss", "--epochs", "20", "--out"])
        .arg(&tuned)
        .output()
        .unwrap());
    assert!(err.contains("distance loss"), "{err}");

    ok(bin()
        .args(["predict", "--weights"])
        .arg(&tuned)
        .arg("--input")
        .arg(&tgt)
        .arg("--out")
        .arg(&preds)
        .arg("--json")
        .arg(tmp("predictions.json"))
        .output()
        .unwrap());
    let p = std::fs::read_to_string(&preds).unwrap();
    let mut lines = p.lines();
    assert_eq!(
        lines.next().unwrap(),
        "file,corpus,speaker,emotion,predicted,p_angry,p_happy,p_sad,p_fearful,standardised_by"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 384);
    let probs: f64 = rows[0].split(',').skip(5).take(4).map(|v| v.parse::<f64>().unwrap()).sum();
    assert!((probs - 1.0).abs() < 1e-3);
    assert!(rows.iter().all(|r| r.ends_with(",speaker")), "every speaker has 32 rows: scaled by their own");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp("predictions.json")).unwrap()).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 384);
    assert_eq!(json[0]["standardised_by"], "speaker");

    // A lone row of a speaker is scaled with the model's statistics, and says so.
    let lone = tmp("lone.csv");
    let text = std::fs::read_to_string(&tgt).unwrap();
    std::fs::write(&lone, text.lines().take(2).collect::<Vec<_>>().join("\n") + "\n").unwrap();
    let (out, err) = ok(bin().args(["predict", "--weights"]).arg(&tuned).arg("--input").arg(&lone).output().unwrap());
    assert!(out.lines().nth(1).unwrap().ends_with(",model"), "{out}");
    assert!(err.contains("1 of 1 rows were standardised with the model's statistics"), "{err}");

    let (out, _) = ok(bin()
        .args(["evaluate", "--weights"])
        .arg(&model)
        .arg("--target")
        .arg(&tgt)
        .arg("--json")
        .arg(tmp("evaluate.json"))
        .output()
        .unwrap());
    assert!(out.contains("Baseline (the model's logistic regression"), "{out}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp("evaluate.json")).unwrap()).unwrap();
    assert!(json["siamese"]["uar"].is_f64() && json["baseline_logistic_regression"]["uar"].is_f64(), "{json}");
}

/// Writes the committed RAVDESS rows with `extra` more numeric columns (other feature sets).
fn ravdess_wider(path: &Path, extra: usize, drop_last: bool) {
    let text = include_str!("../data/ravdess_16k.csv");
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut cells: Vec<String> = line.split(',').map(String::from).collect();
        for j in 0..extra {
            if drop_last && j + 1 == extra {
                continue;
            }
            cells.push(if n == 0 { format!("extra_{j}") } else { format!("{}", (n * (j + 3)) % 17) });
        }
        out.push(cells.join(","));
    }
    std::fs::write(path, out.join("\n") + "\n").unwrap();
}

#[test]
fn any_feature_set_pretrain_then_evaluate() {
    let (wide, narrow, model) = (tmp("wide.csv"), tmp("narrow.csv"), tmp("wide.json"));
    ravdess_wider(&wide, 3, false);
    ravdess_wider(&narrow, 3, true);
    let (_, err) = ok(bin()
        .args(["pretrain", "--source"])
        .arg(&wide)
        .args(["--features", "all", "--epochs", "2", "--out"])
        .arg(&model)
        .output()
        .unwrap());
    assert!(err.contains("67 feature columns)"), "{err}");
    let weights: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    assert_eq!(weights["model"]["inputs"], 67);
    assert_eq!(weights["feature_names"][66], "extra_2");
    let (out, _) = ok(bin().args(["evaluate", "--weights"]).arg(&model).arg("--target").arg(&wide).output().unwrap());
    assert!(out.starts_with("UAR "), "{out}");
    // The 64-feature TESS model takes 64 of them: the summary names the 3 it does not read.
    let tess = concat!(env!("CARGO_MANIFEST_DIR"), "/www/models/tess.json");
    let (_, err) = ok(bin().args(["evaluate", "--weights", tess]).arg("--target").arg(&wide).output().unwrap());
    assert!(
        err.contains("(siamese-ser format, 64 feature columns, 3 other columns not used: extra_0, extra_1, extra_2)"),
        "{err}"
    );
    // A file without one of the model's columns is refused, naming it.
    let out = bin().args(["evaluate", "--weights"]).arg(&model).arg("--target").arg(&narrow).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("lacks 1 of the 67 feature columns") && err.contains("\"extra_2\""), "{err}");
    // A list of names in a file.
    let list = tmp("features.txt");
    std::fs::write(&list, "# two MFCC means\npcm_fftMag_mfcc_sma[1]_amean\npcm_fftMag_mfcc_sma[2]_amean\n").unwrap();
    ok(bin()
        .args(["pretrain", "--source"])
        .arg(&wide)
        .arg("--features")
        .arg(&list)
        .args(["--epochs", "1", "--out"])
        .arg(tmp("two.json"))
        .output()
        .unwrap());
    let two: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(tmp("two.json")).unwrap()).unwrap();
    assert_eq!(two["model"]["inputs"], 2);
}

#[test]
fn bad_input_is_a_message_and_exit_code_1() {
    let bad = tmp("bad.csv");
    let mut lines: Vec<String> = include_str!("../data/ravdess_16k.csv").lines().take(4).map(String::from).collect();
    let mut cells: Vec<&str> = lines[1].split(',').collect();
    cells[4] = "oops";
    lines[1] = cells.join(",");
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    let junk = tmp("junk.json");
    std::fs::write(&junk, "{\"format\": \"something else\"}").unwrap();
    let out = bin().args(["predict", "--weights"]).arg(&junk).arg("--input").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("junk.json") && err.contains("not a siamese-ser weights file"), "{err}");

    let out = bin().args(["reproduce", "--source"]).arg(&bad).arg("--target").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.csv") && err.contains("line 2, column 5") && err.contains("is not a number"), "{err}");
}

#[test]
fn reproduce_tess_to_ravdess_on_the_shared_data() {
    let Some(paths) =
        common::shared(&["tess_16k.csv", "ravdess_16k.csv"], "reproduce_tess_to_ravdess_on_the_shared_data")
    else {
        return;
    };
    let (tess, ravdess) = (&paths[0], &paths[1]);
    let json = tmp("report.json");
    let (out, _) = ok(bin()
        .args(["reproduce", "--source"])
        .arg(tess)
        .arg("--target")
        .arg(ravdess)
        .args(["--speakers", "2,8", "--repeats", "2", "--frozen", "0", "--json"])
        .arg(&json)
        .output()
        .unwrap());
    assert!(out.contains("Table 1") && out.contains("Figure 2") && out.contains("CREMA-D"), "{out}");
    let r: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let t = &r["table1"];
    // The full IDT (20 evaluation speakers × 5 pretraining seeds, default budget) is part of
    // this run: the paper's figure is 0.50.
    assert!(t["idt"].as_f64().unwrap() >= 0.50, "IDT {}", t["idt"]);
    assert!(t["oodt"].as_f64().unwrap() > 0.30, "OODT {}", t["oodt"]);
    assert_eq!(r["grid"].as_array().unwrap().len(), 4);
    assert_eq!(r["settings"]["dev_speakers_excluded"].as_array().unwrap().len(), 4);
    assert_eq!(r["settings"]["evaluation_speakers"].as_array().unwrap().len(), 20);
    assert!(r["baselines"]["logistic_regression"]["idt"].as_f64().unwrap() > 0.5);
}

#[test]
fn methods_are_listed_chosen_by_name_and_recorded() {
    let (out, _) = ok(bin().args(["reproduce", "--help"]).output().unwrap());
    assert!(out.contains("paper") && out.contains("regularised") && out.contains("best"), "{out}");
    let (src, tgt, json) = (tmp("m-src.csv"), tmp("m-tgt.csv"), tmp("m-report.json"));
    ravdess_subset(&src, |s| s > 12);
    ravdess_subset(&tgt, |s| s <= 12);
    let (out, _) = ok(bin()
        .args(["reproduce", "--method", "best", "--source"])
        .arg(&src)
        .arg("--target")
        .arg(&tgt)
        .args(["--speakers", "2", "--repeats", "1", "--frozen", "0", "--pretrain-seeds", "1", "--json"])
        .arg(&json)
        .output()
        .unwrap());
    assert!(out.contains("Method: regularised"), "{out}");
    let r: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(r["settings"]["method"], "regularised");
    assert_eq!(r["config"]["finetune"]["keep_references"], true);
    assert_eq!(r["config"]["pretrain"]["weight_decay"], 0.3);
    assert_eq!(r["config"]["idt"]["epochs"], 240);

    let model = tmp("m-model.json");
    ok(bin()
        .args(["pretrain", "--method", "regularised", "--epochs", "3", "--source"])
        .arg(&src)
        .arg("--out")
        .arg(&model)
        .output()
        .unwrap());
    let tuned = tmp("m-tuned.json");
    ok(bin()
        .args(["finetune", "--method", "best", "--epochs", "3", "--weights"])
        .arg(&model)
        .arg("--labelled")
        .arg(&tgt)
        .arg("--out")
        .arg(&tuned)
        .output()
        .unwrap());
    let w = std::fs::read_to_string(&tuned).unwrap();
    assert!(w.contains("references kept from before"), "the fine-tuned model keeps the pretrained references");

    let bad = bin().args(["reproduce", "--method", "magic", "--source"]).arg(&src).arg("--target").arg(&tgt).output();
    let bad = bad.unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8(bad.stderr).unwrap();
    assert!(err.contains("method") && err.contains("paper, regularised or best"), "{err}");
}

/// `predict` needs no labels: rows labelled with an emotion not used here (`neutral`, `calm`)
/// are predicted as unlabelled rows, not dropped; rows are named by an `id` column, or by their
/// line when there is no name at all.
#[test]
fn predict_keeps_rows_of_other_emotions_and_names_every_row() {
    let model = tmp("mixed-model.json");
    std::fs::write(&model, common::one_epoch_model().to_json()).unwrap();
    // 40 RAVDESS rows, every 4th relabelled neutral or calm; the file column renamed or dropped.
    let mixed = |file_column: &str| -> PathBuf {
        let path = tmp(&format!("mixed-{file_column}.csv"));
        std::fs::write(&path, common::mixed_labels(file_column) + "\n").unwrap();
        path
    };
    let predict = |input: &Path| -> (Vec<Vec<String>>, String) {
        let (out, err) =
            ok(bin().args(["predict", "--weights"]).arg(&model).arg("--input").arg(input).output().unwrap());
        (out.lines().skip(1).map(|l| l.split(',').map(String::from).collect()).collect(), err)
    };
    let (rows, err) = predict(&mixed("id"));
    assert_eq!(rows.len(), 40, "every row is predicted: {err}");
    let label = |r: &Vec<String>| r[3].clone();
    assert_eq!(
        rows.iter().filter(|r| ["neutral", "calm"].contains(&r[3].as_str())).count(),
        10,
        "the neutral and calm rows, with their labels"
    );
    assert_eq!((label(&rows[3]), label(&rows[7])), ("calm".to_string(), "neutral".to_string()));
    assert!(err.contains("the 10 rows of other emotions are predicted too"), "{err}");
    assert_eq!(rows[3][0], "03-01-03-01-02-02-01", "rows are named by their id");
    assert!(err.contains(" of 30 labelled rows predicted correctly"), "UAR counts the four emotions only: {err}");
    let (rows, _) = predict(&mixed(""));
    assert_eq!(rows.len(), 40);
    assert_eq!((rows[0][0].as_str(), rows[39][0].as_str()), ("line 2", "line 41"), "no name: the line");
}
