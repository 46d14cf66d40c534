//! Feature CSV text → [`Dataset`].
//!
//! Two shapes are read, told apart by their columns, not by a flag:
//! - **ours**: `file`, `speaker`, `emotion`, optional `corpus`, and the 64 features named as in
//!   [`feature_names`](super::feature_names), in any order;
//! - **openSMILE's IS09 output**: all 384 functionals, `;` or `,` delimited, possibly with
//!   `name` (quoted as `'file.wav'` or `'unknown'`) and `frameTime` columns. The 64 columns are
//!   picked by name.
//!
//! Extra columns are ignored. Labels come from an `emotion` column or, if there is none, from
//! file names (see [`filename`](super::filename)); rows of emotions not used here are skipped
//! and counted. Every error names the line (1-based; the header is line 1) and column.

use super::emotion::{Label, parse_label};
use super::features::{FeatureSet, feature_names};
use super::filename::{parse_file_name, stem};
use super::{Dataset, LoadSummary, SkipCount};
use crate::error::{Error, Result};
use ndarray::Array2;

/// Largest CSV text accepted, in bytes (a 384-column openSMILE file of 60,000 rows fits).
pub const MAX_BYTES: usize = 256 * 1024 * 1024;
/// Most data rows accepted.
pub const MAX_ROWS: usize = 200_000;

const FILE_COLUMNS: [&str; 5] = ["file", "name", "filename", "file_name", "path"];
const SPEAKER_COLUMNS: [&str; 4] = ["speaker", "speaker_id", "actor", "subject"];
const EMOTION_COLUMNS: [&str; 4] = ["emotion", "label", "class", "emo"];
const CORPUS_COLUMNS: [&str; 2] = ["corpus", "dataset"];
/// Columns that are never features (besides the label columns above): openSMILE's frame time.
const OTHER_META_COLUMNS: [&str; 1] = ["frametime"];

/// Size limits of a parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_rows: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: MAX_BYTES, max_rows: MAX_ROWS }
    }
}

/// Parses feature-CSV `text` with the paper's 64 IS09 features. Rows whose corpus is neither in
/// a `corpus` column nor implied by a recognised file name get `default_corpus` (the CLI
/// passes the file's stem).
///
/// Returns the kept rows and a summary of what was read and skipped.
pub fn parse_csv(text: &str, default_corpus: &str) -> Result<(Dataset, LoadSummary)> {
    parse_csv_with(text, default_corpus, &FeatureSet::Is09, Limits::default())
}

/// [`parse_csv`] with explicit size limits.
pub fn parse_csv_with_limits(text: &str, default_corpus: &str, limits: Limits) -> Result<(Dataset, LoadSummary)> {
    parse_csv_with(text, default_corpus, &FeatureSet::Is09, limits)
}

/// [`parse_csv`] reading the feature columns `features` (see [`FeatureSet`]).
pub fn parse_csv_with(
    text: &str,
    default_corpus: &str,
    features: &FeatureSet,
    limits: Limits,
) -> Result<(Dataset, LoadSummary)> {
    if text.len() > limits.max_bytes {
        return Err(Error::TooLarge { what: "the text size in bytes", actual: text.len(), limit: limits.max_bytes });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_line = text.lines().find(|l| !l.trim().is_empty()).ok_or(Error::EmptyInput)?;
    let delimiter = detect_delimiter(header_line);

    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());

    let header: Vec<String> = reader.headers().map_err(csv_error)?.iter().map(|h| unquote(h).to_string()).collect();
    let columns = Columns::find(&header, features)?;
    let n_features = columns.features.len();

    let mut ds = Dataset::empty_with(columns.features.iter().map(|&c| header[c].clone()).collect());
    let mut rows: Vec<f32> = Vec::new();
    let mut summary = LoadSummary {
        format: if columns.opensmile { "opensmile" } else { "siamese-ser" }.into(),
        delimiter: (delimiter as char).to_string(),
        label_source: if columns.emotion.is_some() { "emotion column" } else { "file names" }.into(),
        ..LoadSummary::default()
    };
    let mut skipped: Vec<SkipCount> = Vec::new();
    let mut any_label_from_name = false;

    let mut record = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(e)),
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.len() == 1 && record[0].is_empty() {
            continue; // a blank line inside the file
        }
        summary.rows_read += 1;
        if summary.rows_read > limits.max_rows {
            return Err(Error::TooLarge {
                what: "the number of rows",
                actual: summary.rows_read,
                limit: limits.max_rows,
            });
        }
        if record.len() != header.len() {
            return Err(Error::RaggedRow { line, expected: header.len(), found: record.len() });
        }

        let start = rows.len();
        for (k, &col) in columns.features.iter().enumerate() {
            let cell = &record[col];
            let value: f32 = cell.parse().map_err(|_| Error::NotANumber {
                line,
                column: col + 1,
                name: header[col].clone(),
                value: if cell.is_empty() { "(empty)".into() } else { cell.chars().take(40).collect() },
            })?;
            if !value.is_finite() {
                return Err(Error::NonFinite { line, column: col + 1, name: header[col].clone(), value: cell.into() });
            }
            rows.push(value);
            debug_assert_eq!(rows.len() - start, k + 1);
        }

        let file = columns.file.map(|c| unquote(&record[c]).to_string()).unwrap_or_default();
        let from_name = if file.is_empty() { None } else { parse_file_name(&file) };
        let label = match columns.emotion {
            Some(c) => {
                let cell = unquote(&record[c]);
                if cell.is_empty() {
                    None
                } else {
                    Some(parse_label(cell).ok_or_else(|| Error::UnknownEmotion {
                        line,
                        column: c + 1,
                        value: cell.chars().take(40).collect(),
                    })?)
                }
            }
            None => {
                any_label_from_name |= from_name.is_some();
                from_name.as_ref().map(|i| i.label)
            }
        };
        let emotion = match label {
            Some(Label::Other(name)) => {
                match skipped.iter_mut().find(|s| s.emotion == name) {
                    Some(s) => s.rows += 1,
                    None => skipped.push(SkipCount { emotion: name.into(), rows: 1 }),
                }
                rows.truncate(start);
                continue;
            }
            Some(Label::Target(e)) => Some(e),
            None => None,
        };
        let speaker = columns
            .speaker
            .map(|c| unquote(&record[c]).to_string())
            .filter(|s| !s.is_empty())
            .or_else(|| from_name.as_ref().map(|i| i.speaker.clone()));
        let corpus = columns
            .corpus
            .map(|c| unquote(&record[c]).to_ascii_lowercase())
            .filter(|s| !s.is_empty())
            .or_else(|| from_name.as_ref().map(|i| i.corpus.to_string()))
            .unwrap_or_else(|| default_corpus.to_string());

        ds.emotion.push(emotion);
        ds.speaker.push(speaker);
        ds.corpus.push(corpus);
        ds.file.push(if file == "unknown" { String::new() } else { stem(&file).to_string() });
        ds.line.push(line);
    }

    if summary.rows_read == 0 {
        return Err(Error::NoUsableRows { reason: "the file has a header but no data rows".into() });
    }
    let n = ds.emotion.len();
    if n == 0 {
        let what: Vec<String> = skipped.iter().map(|s| format!("{} {}", s.rows, s.emotion)).collect();
        return Err(Error::NoUsableRows {
            reason: format!(
                "all {} rows are of emotions not used here ({}); only angry, happy, sad and fearful are",
                summary.rows_read,
                what.join(", ")
            ),
        });
    }
    ds.x = Array2::from_shape_vec((n, n_features), rows).expect("one value per feature was pushed per kept row");

    summary.count_rows(&ds);
    skipped.sort_by(|a, b| a.emotion.cmp(&b.emotion));
    summary.skipped = skipped;
    if columns.emotion.is_none() && !any_label_from_name {
        summary.label_source = "none".into();
    }
    Ok((ds, summary))
}

/// Which header column holds what.
struct Columns {
    /// Column index of each feature, in model order.
    features: Vec<usize>,
    file: Option<usize>,
    speaker: Option<usize>,
    emotion: Option<usize>,
    corpus: Option<usize>,
    /// The header looks like openSMILE's own output (many more functionals than ours).
    opensmile: bool,
}

impl Columns {
    fn find(header: &[String], set: &FeatureSet) -> Result<Columns> {
        // One pass with a map: a header of a million names is checked in linear time.
        let mut position: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::with_capacity(header.len());
        for (i, h) in header.iter().enumerate() {
            if h.is_empty() {
                continue; // several unnamed columns are harmless; they are never read
            }
            if let Some(&j) = position.get(h.as_str()) {
                return Err(Error::DuplicateColumn { name: h.clone(), first: j + 1, second: i + 1 });
            }
            position.insert(h.as_str(), i);
        }
        let is_meta = |h: &str| {
            let h = h.to_ascii_lowercase();
            [&FILE_COLUMNS[..], &SPEAKER_COLUMNS, &EMOTION_COLUMNS, &CORPUS_COLUMNS, &OTHER_META_COLUMNS]
                .iter()
                .any(|list| list.contains(&h.as_str()))
        };
        let features: Vec<usize> = match set {
            FeatureSet::All => {
                let f: Vec<usize> =
                    (0..header.len()).filter(|&i| !header[i].is_empty() && !is_meta(&header[i])).collect();
                if f.is_empty() {
                    return Err(Error::NoFeatureColumns);
                }
                f
            }
            FeatureSet::Is09 | FeatureSet::Names(_) => {
                let names = match set {
                    FeatureSet::Names(n) => n.clone(),
                    _ => feature_names(),
                };
                let mut features = Vec::with_capacity(names.len());
                let mut missing = Vec::new();
                for name in &names {
                    match position.get(name.as_str()) {
                        Some(&i) => features.push(i),
                        None => missing.push(name.clone()),
                    }
                }
                if !missing.is_empty() {
                    return Err(Error::MissingColumns { missing, expected: names.len() });
                }
                features
            }
        };
        let meta =
            |options: &[&str]| options.iter().find_map(|o| header.iter().position(|h| h.eq_ignore_ascii_case(o)));
        Ok(Columns {
            features,
            file: meta(&FILE_COLUMNS),
            speaker: meta(&SPEAKER_COLUMNS),
            emotion: meta(&EMOTION_COLUMNS),
            corpus: meta(&CORPUS_COLUMNS),
            opensmile: header.iter().any(|h| h.ends_with("_linregc1")),
        })
    }
}

/// `;` if the header has more semicolons than commas (openSMILE's default), else `,`.
fn detect_delimiter(header: &str) -> u8 {
    let semi = header.matches(';').count();
    let comma = header.matches(',').count();
    let tab = header.matches('\t').count();
    if tab > semi && tab > comma {
        b'\t'
    } else if semi > comma {
        b';'
    } else {
        b','
    }
}

/// Strips openSMILE's single quotes (`'unknown'`) and stray double quotes.
fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['\'', '"'] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

fn csv_error(e: ::csv::Error) -> Error {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    let message = match e.kind() {
        ::csv::ErrorKind::Utf8 { .. } => "the text is not valid UTF-8 (is it a CSV file?)".to_string(),
        _ => e.to_string(),
    };
    Error::CsvSyntax { line, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter("name;frameTime;a,b"), b';');
        assert_eq!(detect_delimiter("file,speaker,emotion"), b',');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
    }

    #[test]
    fn unquoting() {
        assert_eq!(unquote("'unknown'"), "unknown");
        assert_eq!(unquote("\"x\""), "x");
        assert_eq!(unquote("'"), "'");
    }
}
