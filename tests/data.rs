//! CSV parsing: both shapes, labels from columns and file names, and every error by variant.

mod common;
use common::{mixed_labels, our_header, our_row};
use siamese_ser::Error;
use siamese_ser::data::{Emotion, N_FEATURES, feature_names, parse_csv};

#[test]
fn reads_the_committed_ravdess_file() {
    let (ds, s) = parse_csv(include_str!("../data/ravdess_16k.csv"), "x").unwrap();
    assert_eq!(ds.len(), 768);
    assert_eq!(ds.x.dim(), (768, N_FEATURES));
    assert_eq!(s.per_emotion, [192; 4]);
    assert_eq!(s.speakers, 24);
    assert_eq!(s.corpora, vec!["ravdess"]);
    assert_eq!(s.format, "siamese-ser");
    assert_eq!(s.unused_columns, 0);
    assert_eq!(ds.speaker[0].as_deref(), Some("01"));
    // Column order in the file is the model's order; the first value of the first row:
    assert_eq!(ds.file[0], "03-01-03-01-01-01-01");
    assert!(ds.x.iter().all(|v| v.is_finite()));
}

#[test]
fn reads_opensmile_output_picking_64_of_384_columns() {
    let text = include_str!("fixtures/opensmile_is09.csv");
    let (ds, s) = parse_csv(text, "mine").unwrap();
    assert_eq!(s.format, "opensmile");
    assert_eq!(s.delimiter, ";");
    assert_eq!((s.features, s.unused_columns), (64, 321), "the other 320 functionals and frameTime are not used");
    assert_eq!(ds.len(), 10);
    assert_eq!(s.label_source, "file names");
    assert_eq!(s.unlabelled, 2, "'unknown' names carry no label");
    assert_eq!(ds.corpus[0], "ravdess", "recognised from the file name");
    assert_eq!(ds.corpus[9], "mine", "unrecognised rows get the default corpus");
    assert_eq!(ds.speaker[0].as_deref(), Some("03"));
    assert_eq!(ds.emotion[0], Some(Emotion::Happy));
    // The picked values equal our 64-column file's values for the same recording.
    let (ours, _) = parse_csv(include_str!("../data/ravdess_16k.csv"), "x").unwrap();
    let i = ours.file.iter().position(|f| f == &ds.file[0]).unwrap();
    assert_eq!(ds.x.row(0), ours.x.row(i));
}

/// Our layout with more of openSMILE's functionals (as in the shared `*_is09_full.csv` files)
/// is ours, not openSMILE's output: that is told by openSMILE's `frameTime` column.
#[test]
fn our_layout_with_every_functional_is_ours() {
    let text = format!(
        "{},pcm_RMSenergy_sma_linregc1,pcm_RMSenergy_sma_linregc2\n{},0.5,0.25\n",
        our_header(),
        our_row("a.wav", "01", "sad", 1.0)
    );
    let (_, s) = parse_csv(&text, "c").unwrap();
    assert_eq!((s.format.as_str(), s.features, s.unused_columns), ("siamese-ser", 64, 2));
}

#[test]
fn columns_in_any_order_extra_columns_ignored() {
    let names = feature_names();
    let mut header: Vec<String> = names.iter().rev().cloned().collect();
    header.insert(10, "emotion".into());
    header.push("extra".into());
    let mut row: Vec<String> = (0..64).rev().map(|j| j.to_string()).collect();
    row.insert(10, "sad".into());
    row.push("whatever".into());
    let text = format!("{}\n{}\n{}\n", header.join(","), row.join(","), row.join(","));
    let (ds, s) = parse_csv(&text, "c").unwrap();
    for (j, name) in names.iter().enumerate() {
        assert_eq!(ds.x[[0, j]], j as f32, "feature {name} landed in its place");
    }
    assert_eq!(ds.emotion[1], Some(Emotion::Sad));
    assert_eq!(s.unused_columns, 1, "'extra' is counted as not used");
}

/// A second label column (`label` beside `emotion`, which is the one read) and an unnamed
/// column are read by nothing, so they are counted as not used, as an unknown name is.
#[test]
fn every_column_nothing_reads_is_counted_as_not_used() {
    let header = format!("{},label,,actor", our_header());
    let row = format!("{},happy,7,02", our_row("a.wav", "01", "sad", 1.0));
    let (ds, s) = parse_csv(&format!("{header}\n{row}\n"), "c").unwrap();
    assert_eq!(ds.emotion[0], Some(Emotion::Sad), "the emotion column is the one read");
    assert_eq!(ds.speaker[0].as_deref(), Some("01"), "the speaker column is the one read");
    assert_eq!((s.features, s.unused_columns), (64, 3), "label, the unnamed column and actor");
    assert_eq!(s.unused_names, ["label", "", "actor"], "named, in the file's order");
}

/// A speaker column named otherwise than the reader expects is named among the unused ones,
/// and a summary names at most five.
#[test]
fn unused_columns_are_named_up_to_five() {
    let extra = ["spk", "a", "b", "c", "d", "e"];
    let header = format!("{},{}", our_header().replace("speaker", "sp"), extra.join(","));
    let row = format!("{},1,2,3,4,5,6", our_row("a.wav", "01", "sad", 1.0));
    let (ds, s) = parse_csv(&format!("{header}\n{row}\n"), "c").unwrap();
    assert_eq!(ds.speaker[0], None);
    assert_eq!(s.unused_columns, 7);
    assert_eq!(s.unused_names, ["sp", "spk", "a", "b", "c"]);
}

/// With a speaker column, a blank cell is a row of no known speaker: the file name (here a
/// RAVDESS one, naming actor 12) does not stand in for it.
#[test]
fn a_blank_speaker_cell_is_no_known_speaker() {
    let text = format!(
        "{}\n{}\n{}\n",
        our_header(),
        our_row("03-01-05-01-02-01-12.wav", "OAF4", "angry", 1.0),
        our_row("03-01-05-01-02-01-12.wav", " ", "angry", 1.0),
    );
    let (ds, s) = parse_csv(&text, "c").unwrap();
    assert_eq!(ds.speaker, [Some("OAF4".to_string()), None]);
    assert_eq!((s.speakers, s.unknown_speaker), (1, 1));
    // Without a speaker column the file name says whose the row is.
    let (named, _) = parse_csv(&text.replace(",speaker,", ",notes,"), "c").unwrap();
    assert_eq!(named.speaker[1].as_deref(), Some("12"));
}

/// A semicolon-separated file with decimal commas (a spreadsheet set to a European locale)
/// reads as with decimal points; with commas as the separator a comma cannot be a decimal one.
#[test]
fn decimal_commas_in_semicolon_files() {
    let text = format!("{}\n{}\n", our_header(), our_row("a.wav", "01", "sad", 0.25));
    let semi = text.replace(',', ";").replace("0.25", "0,25");
    assert!(semi.contains(";0,25;"));
    let (ds, _) = parse_csv(&semi, "c").unwrap();
    assert_eq!(ds, parse_csv(&text, "c").unwrap().0);
    let e = parse_csv(&semi.replacen("0,25", "0,2,5", 1), "c").unwrap_err();
    assert!(matches!(e, Error::NotANumber { line: 2, .. }), "{e}");
}

#[test]
fn other_emotions_are_skipped_and_counted() {
    let text = format!(
        "{}\n{}\n{}\n{}\n{}\n",
        our_header(),
        our_row("a.wav", "1", "neutral", 1.0),
        our_row("b.wav", "1", "Anger", 1.0),
        our_row("c.wav", "1", "disgust", 1.0),
        our_row("d.wav", "1", "", 1.0),
    );
    let (ds, s) = parse_csv(&text, "c").unwrap();
    assert_eq!(ds.len(), 2);
    assert_eq!(s.rows_read, 4);
    assert_eq!(s.unlabelled, 1);
    assert_eq!(s.per_emotion, [1, 0, 0, 0]);
    let skipped: Vec<(String, usize)> = s.skipped.iter().map(|k| (k.emotion.clone(), k.rows)).collect();
    assert_eq!(skipped, vec![("disgust".into(), 1), ("neutral".into(), 1)]);
}

#[test]
fn labels_and_speakers_from_file_names_when_no_columns() {
    let mut header = vec!["name".to_string()];
    header.extend(feature_names());
    let row = |f: &str| format!("{f},{}", vec!["0.5"; 64].join(","));
    let text = format!(
        "{}\n{}\n{}\n{}\n{}\n",
        header.join(","),
        row("1001_DFA_ANG_XX.wav"),
        row("OAF_back_fear.wav"),
        row("03a01Ta.wav"),
        row("s7_ha_2.avi"),
    );
    let (ds, s) = parse_csv(&text, "c").unwrap();
    assert_eq!(
        ds.emotion,
        vec![Some(Emotion::Angry), Some(Emotion::Fearful), Some(Emotion::Sad), Some(Emotion::Happy)]
    );
    assert_eq!(ds.corpus, vec!["crema-d", "tess", "emodb", "enterface05"]);
    assert_eq!(ds.speaker[0].as_deref(), Some("1001"));
    assert_eq!(s.label_source, "file names");
}

#[test]
fn blank_lines_and_a_byte_order_mark_are_harmless() {
    let text =
        format!("\u{feff}{}\n{}\n\n{}\n", our_header(), our_row("a", "1", "sad", 1.0), our_row("b", "1", "sad", 2.0));
    assert_eq!(parse_csv(&text, "c").unwrap().0.len(), 2);
}

fn err(text: &str) -> Error {
    parse_csv(text, "c").expect_err("must fail")
}

#[test]
fn empty_input() {
    assert_eq!(err(""), Error::EmptyInput);
    assert_eq!(err("  \n\n"), Error::EmptyInput);
}

#[test]
fn duplicate_column() {
    let text = format!("{},emotion\n", our_header());
    assert_eq!(err(&text), Error::DuplicateColumn { name: "emotion".into(), first: 3, second: 68 });
}

#[test]
fn missing_columns_are_listed() {
    let header = our_header().replace(",F0_sma_stddev", "").replace(",pcm_zcr_sma_de_amean", "");
    match err(&format!("{header}\n")) {
        Error::MissingColumns { missing, expected } => {
            assert_eq!(expected, 64);
            assert_eq!(missing, vec!["F0_sma_stddev".to_string(), "pcm_zcr_sma_de_amean".into()]);
        }
        e => panic!("{e:?}"),
    }
    let e = err("a,b,c\n1,2,3\n");
    assert!(matches!(&e, Error::MissingColumns { missing, .. } if missing.len() == 64));
    assert!(e.to_string().contains("lacks 64 of the 64"), "{e}");
}

#[test]
fn ragged_row() {
    let text =
        format!("{}\n{}\n{},extra\n", our_header(), our_row("a", "1", "sad", 1.0), our_row("b", "1", "sad", 1.0));
    assert_eq!(err(&text), Error::RaggedRow { line: 3, expected: 67, found: 68 });
}

#[test]
fn not_a_number_names_line_and_column() {
    let row = our_row("a", "1", "sad", 1.0).replacen(",1,1,1", ",1,x1,1", 1);
    let e = err(&format!("{}\n{}\n", our_header(), row));
    assert_eq!(
        e,
        Error::NotANumber { line: 2, column: 5, name: "pcm_RMSenergy_sma_stddev".into(), value: "x1".into() }
    );
    assert!(e.to_string().starts_with("line 2, column 5"), "{e}");
    let empty = our_row("a", "1", "sad", 1.0).replacen(",1,1", ",,1", 1);
    assert!(
        matches!(err(&format!("{}\n{}\n", our_header(), empty)), Error::NotANumber { value, .. } if value == "(empty)")
    );
}

#[test]
fn nan_and_infinity_are_rejected() {
    for bad in ["NaN", "inf", "-Infinity", "1e50"] {
        let row = our_row("a", "s1", "sad", 1.0).replacen(",1,", &format!(",{bad},"), 1);
        let e = err(&format!("{}\n{}\n", our_header(), row));
        assert!(matches!(&e, Error::NonFinite { line: 2, column: 4, .. }), "{bad}: {e:?}");
    }
}

#[test]
fn unknown_emotion() {
    let e = err(&format!("{}\n{}\n", our_header(), our_row("a", "1", "banana", 1.0)));
    assert_eq!(e, Error::UnknownEmotion { line: 2, column: 3, value: "banana".into() });
}

#[test]
fn no_usable_rows() {
    let e = err(&format!("{}\n", our_header()));
    assert!(matches!(&e, Error::NoUsableRows { reason } if reason.contains("no data rows")), "{e}");
    let e = err(&format!("{}\n{}\n", our_header(), our_row("a", "1", "neutral", 1.0)));
    assert!(matches!(&e, Error::NoUsableRows { reason } if reason.contains("1 neutral")), "{e}");
}

#[test]
fn unterminated_quote_is_reported_not_panicked() {
    let text = format!("{}\n\"{}\n", our_header(), our_row("a", "1", "sad", 1.0));
    let e = err(&text);
    assert!(matches!(e, Error::RaggedRow { line: 2, .. } | Error::CsvSyntax { .. }), "{e:?}");
}

#[test]
fn to_csv_round_trips_exactly() {
    let (ds, _) = parse_csv(include_str!("../data/ravdess_16k.csv"), "x").unwrap();
    let again = parse_csv(&ds.to_csv(), "y").unwrap().0;
    assert_eq!(again.x, ds.x, "every value survives");
    assert_eq!(again.emotion, ds.emotion);
    assert_eq!(again.speaker, ds.speaker);
    assert_eq!(again.corpus, ds.corpus);
    assert_eq!(again.file, ds.file);
}

#[test]
fn reading_in_slices_equals_reading_at_once() {
    use siamese_ser::data::csv::CsvLoad;
    use siamese_ser::data::{FeatureSet, LIMITS};
    let text = include_str!("../data/ravdess_16k.csv");
    let whole = parse_csv(text, "r").unwrap();
    for slice in [1, 7, 100] {
        let mut load = CsvLoad::start(text, "r", &FeatureSet::Is09, &LIMITS).unwrap();
        let mut last = 0;
        while !load.step(slice).unwrap() {
            let (done, total) = load.progress();
            assert!(last < done && done <= total, "progress moves forward: {last} → {done} of {total}");
            last = done;
        }
        assert_eq!(load.finish().unwrap(), whole, "slices of {slice} rows");
    }
    // An error in a later slice still names its line and column.
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut cells: Vec<&str> = lines[500].split(',').collect();
    cells[6] = "oops";
    lines[500] = cells.join(",");
    let bad = lines.join("\n");
    let mut load = CsvLoad::start(bad.as_str(), "r", &FeatureSet::Is09, &LIMITS).unwrap();
    let e = loop {
        match load.step(64) {
            Ok(true) => panic!("the bad cell must be found"),
            Ok(false) => {}
            Err(e) => break e,
        }
    };
    assert!(matches!(e, Error::NotANumber { line: 501, column: 7, .. }), "{e:?}");
    assert!(CsvLoad::start("a,b\n1,2\n", "r", &FeatureSet::Is09, &LIMITS).is_err(), "the header is checked first");
}

/// Windows line ends (a spreadsheet's export) name the same lines as Unix ones, in the first
/// slice and in later ones, for a bad cell and for a short row.
#[test]
fn crlf_files_name_the_right_line() {
    use siamese_ser::data::csv::CsvLoad;
    use siamese_ser::data::{FeatureSet, LIMITS};
    let text = include_str!("../data/ravdess_16k.csv");
    for (row, slice) in [(6usize, 64usize), (500, 64), (699, 1000)] {
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        let mut cells: Vec<&str> = lines[row].split(',').collect();
        cells[10] = "abc";
        lines[row] = cells.join(",");
        lines[row + 3] = "a,b,c".into();
        for end in ["\n", "\r\n"] {
            let bad = lines.join(end);
            let mut load = CsvLoad::start(bad.as_str(), "r", &FeatureSet::Is09, &LIMITS).unwrap();
            let e = loop {
                match load.step(slice) {
                    Ok(true) => panic!("the bad cell must be found"),
                    Ok(false) => {}
                    Err(e) => break e,
                }
            };
            let want = row as u64 + 1;
            assert!(matches!(e, Error::NotANumber { line, column: 11, .. } if line == want), "{end:?}: {e:?}");
        }
        // The short row after it, with the bad cell mended.
        let mut mended = lines.clone();
        mended[row] = text.lines().nth(row).unwrap().to_string();
        let bad = mended.join("\r\n");
        let e = parse_csv(&bad, "r").unwrap_err();
        assert!(matches!(e, Error::RaggedRow { line, .. } if line == row as u64 + 4), "{e:?}");
    }
}

#[test]
fn what_is_not_a_csv_file_is_named() {
    for (text, says) in [
        ("{\"format\": \"siamese-ser-weights\"}", "JSON"),
        ("\u{89}PNG\r\n\u{1a}\n....", "image"),
        ("\u{fffd}PNG\r\n\u{1a}\n....", "image"),
        ("a,b\n\u{fffd}\u{fffd}\u{fffd},x", "binary"),
        ("RIFF....WAVEfmt ", "WAV"),
        ("<html><body>", "HTML"),
        ("just some words\nand more", "no commas"),
    ] {
        let e = parse_csv(text, "x").unwrap_err();
        assert!(matches!(&e, Error::NotCsv { reason } if reason.contains(says)), "{text}: {e}");
        assert!(e.to_string().starts_with("this is not a CSV file"), "{e}");
    }
}

#[test]
fn prediction_keeps_rows_of_other_emotions_unlabelled() {
    use siamese_ser::data::{FeatureSet, LIMITS, parse_csv_with_other};
    let text = mixed_labels("file");
    let (ds, summary, other) = parse_csv_with_other(&text, "x", &FeatureSet::Is09, &LIMITS).unwrap();
    assert_eq!((ds.len(), other.rows.len(), summary.rows_read), (30, 10, 40));
    assert_eq!(summary.skipped.iter().map(|s| s.rows).sum::<usize>(), 10, "training still skips them");
    assert!(other.rows.emotion.iter().all(|e| e.is_none()));
    assert_eq!(other.labels.len(), 10);
    assert_eq!((other.label_at(5), other.label_at(4), other.label_at(99)), (Some("calm"), None, None));
    assert_eq!(parse_csv(&text, "x").unwrap().0, ds, "the rows kept are the same as without the others");
    let all = ds.with_rows_of(&other.rows).unwrap();
    assert_eq!(all.line, (2..42).collect::<Vec<u64>>(), "every row, in the file's order");
    assert_eq!(all.file[3], "03-01-03-01-02-02-01", "line 5 is the 4th row, relabelled calm");
    assert_eq!(all.emotion[3], None);

    let model = common::one_epoch_model();
    let p = model.predict_table(&all).unwrap();
    assert_eq!((p.totals.rows, p.totals.labelled), (40, 30));
    assert_eq!(p.labelled.as_ref().unwrap().rows, 30, "UAR counts only the rows of the four emotions");
    assert_eq!(p.rows[3].emotion, None);
    // Predicting the file keeps each set-aside row's own label, for the reader, in no figure.
    let file = model.predict_file(&ds, &other).unwrap();
    assert_eq!(
        file.rows.iter().map(|r| r.predicted).collect::<Vec<_>>(),
        p.rows.iter().map(|r| r.predicted).collect::<Vec<_>>()
    );
    assert_eq!((file.totals, file.labelled), (p.totals, p.labelled));
    assert_eq!(file.rows[3].other_label.as_deref(), Some("calm"));
    assert_eq!(file.rows.iter().filter(|r| r.other_label.is_some()).count(), 10);
    assert!(file.rows.iter().all(|r| r.other_label.is_none() || r.emotion.is_none()));
    let csv = siamese_ser::report::predictions_csv(&file.rows);
    assert!(csv.lines().nth(4).unwrap().contains(",calm,"), "{}", csv.lines().nth(4).unwrap());

    // Rows are told apart by an `id` column, or else by their line.
    let (by_id, _) = parse_csv(&mixed_labels("id"), "x").unwrap();
    assert_eq!(by_id.file, ds.file);
    let (unnamed, _) = parse_csv(&mixed_labels(""), "x").unwrap();
    assert!(unnamed.file.iter().all(|f| f.is_empty()));
    let rows = model.predict(&unnamed).unwrap();
    assert_eq!(rows[0].file, "line 2");
    assert_eq!(rows[3].file, "line 6", "line 5 was calm, skipped");
}

/// Rows whose features repeat an earlier row's are counted: RAVDESS has one such pair (actor
/// 07, happy, statement 2, both repetitions), and a row copied under another speaker counts.
#[test]
fn rows_that_repeat_an_earlier_row_are_counted() {
    let text = include_str!("../data/ravdess_16k.csv");
    let (ds, s) = parse_csv(text, "ravdess").unwrap();
    assert_eq!(s.duplicate_rows, 1);
    assert_eq!((ds.file[194].as_str(), ds.file[195].as_str()), ("03-01-03-01-02-01-07", "03-01-03-01-02-02-07"));
    assert_eq!(ds.x.row(194), ds.x.row(195));
    // The first 100 rows have none; the same rows again under other speakers repeat all 100.
    let lines: Vec<&str> = text.lines().take(101).collect();
    let (_, s) = parse_csv(&lines.join("\n"), "ravdess").unwrap();
    assert_eq!(s.duplicate_rows, 0);
    let copy = lines[1..].iter().map(|l| l.replacen(",ravdess,", ",ravdess,9", 1));
    let twice: Vec<String> = lines.iter().map(|l| l.to_string()).chain(copy).collect();
    let (ds, s) = parse_csv(&twice.join("\n"), "ravdess").unwrap();
    assert_eq!((ds.speakers().len(), s.duplicate_rows), (8, 100));
    // One value different in the last feature: not a repeat.
    let mut one_off = twice.clone();
    one_off[150] = one_off[150].rsplit_once(',').map(|(a, _)| format!("{a},12345")).unwrap();
    assert_eq!(parse_csv(&one_off.join("\n"), "ravdess").unwrap().1.duplicate_rows, 99);
}
