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
use crate::limits::{LIMITS, Limits};
use ndarray::Array2;
use std::borrow::Cow;

/// Columns naming a row, first match wins: a file name (openSMILE writes `name`), or an `id`.
const FILE_COLUMNS: [&str; 6] = ["file", "name", "filename", "file_name", "path", "id"];
/// Column names a speaker column may have, first match wins (the page names them when no
/// speaker is known).
pub const SPEAKER_COLUMNS: [&str; 4] = ["speaker", "speaker_id", "actor", "subject"];
const EMOTION_COLUMNS: [&str; 4] = ["emotion", "label", "class", "emo"];
const CORPUS_COLUMNS: [&str; 2] = ["corpus", "dataset"];
/// Columns that are never features (besides the label columns above): openSMILE's frame time.
const OTHER_META_COLUMNS: [&str; 1] = ["frametime"];

/// Parses feature-CSV `text` with the paper's 64 IS09 features. Rows whose corpus is neither in
/// a `corpus` column nor implied by a recognised file name get `default_corpus` (the CLI
/// passes the file's stem).
///
/// Returns the kept rows and a summary of what was read and skipped.
pub fn parse_csv(text: &str, default_corpus: &str) -> Result<(Dataset, LoadSummary)> {
    parse_csv_with(text, default_corpus, &FeatureSet::Is09, &LIMITS)
}

/// [`parse_csv`] with explicit size limits.
pub fn parse_csv_with_limits(text: &str, default_corpus: &str, limits: &Limits) -> Result<(Dataset, LoadSummary)> {
    parse_csv_with(text, default_corpus, &FeatureSet::Is09, limits)
}

/// [`parse_csv`] reading the feature columns `features` (see [`FeatureSet`]).
pub fn parse_csv_with(
    text: &str,
    default_corpus: &str,
    features: &FeatureSet,
    limits: &Limits,
) -> Result<(Dataset, LoadSummary)> {
    parse_csv_with_other(text, default_corpus, features, limits).map(|(ds, summary, _)| (ds, summary))
}

/// [`parse_csv_with`], and also the rows of emotions not used here (`neutral`, `calm`, …) as
/// unlabelled rows, which prediction reads: it needs no labels. The summary counts them as
/// skipped (from training and testing). [`Dataset::with_rows_of`] puts the two together in
/// the file's order.
pub fn parse_csv_with_other(
    text: &str,
    default_corpus: &str,
    features: &FeatureSet,
    limits: &Limits,
) -> Result<(Dataset, LoadSummary, OtherRows)> {
    let mut load = CsvLoad::start(text, default_corpus, features, limits)?;
    while !load.step(usize::MAX)? {}
    load.finish_with_other()
}

/// The rows of a file whose emotion is not used here (`neutral`, `calm`, …): unlabelled for
/// training and testing, but predicted, and shown with the label the file gave them.
#[derive(Debug, Clone, PartialEq)]
pub struct OtherRows {
    pub rows: Dataset,
    /// The label of each row, as [`parse_label`] names it.
    pub labels: Vec<&'static str>,
}

impl OtherRows {
    /// No rows, with the feature columns `features`.
    pub fn none(features: Vec<String>) -> OtherRows {
        OtherRows { rows: Dataset::empty_with(features), labels: Vec::new() }
    }

    /// The label of the row on line `line` of the file, if it is one of these rows.
    pub fn label_at(&self, line: u64) -> Option<&'static str> {
        self.rows.line.binary_search(&line).ok().map(|i| self.labels[i])
    }
}

/// A CSV text being read a slice of rows at a time, so that a long load reports progress and
/// can be cancelled between slices (the page's worker does this). [`parse_csv_with`] is
/// `start`, `step` until done, `finish`.
#[derive(Debug)]
pub struct CsvLoad<'a> {
    text: Cow<'a, str>,
    /// Byte offset of the next record, and the line it starts on (1-based; the header is 1).
    offset: usize,
    line: u64,
    delimiter: u8,
    header: Vec<String>,
    columns: Columns,
    limits: Limits,
    default_corpus: String,
    ds: Dataset,
    rows: Vec<f32>,
    /// Rows of emotions not used here, as unlabelled rows with their labels (prediction reads
    /// them), and their features.
    other: OtherRows,
    other_rows: Vec<f32>,
    summary: LoadSummary,
    skipped: Vec<SkipCount>,
    any_label_from_name: bool,
    done: bool,
}

impl<'a> CsvLoad<'a> {
    /// Checks the size and the header; reads no data row yet.
    pub fn start(
        text: impl Into<Cow<'a, str>>,
        default_corpus: &str,
        features: &FeatureSet,
        limits: &Limits,
    ) -> Result<CsvLoad<'a>> {
        let text = text.into();
        if text.len() > limits.csv_bytes {
            return Err(Error::TooLarge {
                what: "the file size in bytes",
                actual: text.len(),
                limit: limits.csv_bytes,
            });
        }
        let bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
        let body = &text[bom..];
        let header_line = body.lines().find(|l| !l.trim().is_empty()).ok_or(Error::EmptyInput)?;
        not_a_csv(body, header_line)?;
        let delimiter = detect_delimiter(header_line);
        // Columns of the header, before the CSV reader builds a record of them.
        let columns = header_line.bytes().filter(|&b| b == delimiter).count() + 1;
        if columns > limits.csv_columns {
            return Err(Error::TooLarge {
                what: "the number of header columns",
                actual: columns,
                limit: limits.csv_columns,
            });
        }
        let mut reader = reader(delimiter, true, body.as_bytes());
        let header: Vec<String> = reader.headers().map_err(csv_error)?.iter().map(|h| unquote(h).to_string()).collect();
        if let Some((i, h)) = header.iter().enumerate().find(|(_, h)| h.len() > limits.csv_field_bytes) {
            return Err(Error::TooLarge {
                what: if i == 0 {
                    "the first column name's length in bytes"
                } else {
                    "a column name's length in bytes"
                },
                actual: h.len(),
                limit: limits.csv_field_bytes,
            });
        }
        let position = reader.position().clone();
        let columns = Columns::find(&header, features)?;
        let summary = LoadSummary {
            format: if columns.opensmile { "opensmile" } else { "siamese-ser" }.into(),
            delimiter: (delimiter as char).to_string(),
            unused_columns: columns.unused,
            unused_names: columns.unused_names.clone(),
            label_source: if columns.emotion.is_some() { "emotion column" } else { "file names" }.into(),
            ..LoadSummary::default()
        };
        let ds = Dataset::empty_with(columns.features.iter().map(|&c| header[c].clone()).collect());
        Ok(CsvLoad {
            other: OtherRows::none(ds.features.clone()),
            other_rows: Vec::new(),
            offset: bom + position.byte() as usize,
            line: position.line(),
            text,
            delimiter,
            header,
            columns,
            limits: *limits,
            default_corpus: default_corpus.to_string(),
            ds,
            rows: Vec::new(),
            summary,
            skipped: Vec::new(),
            any_label_from_name: false,
            done: false,
        })
    }

    /// Bytes read so far and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.offset.min(self.text.len()), self.text.len())
    }

    /// Reads up to `max_rows` more data rows; returns true when the text is read to its end.
    pub fn step(&mut self, max_rows: usize) -> Result<bool> {
        if self.done {
            return Ok(true);
        }
        // The reader borrows the text while rows are added to `self`: take it out meanwhile.
        let text = std::mem::take(&mut self.text);
        let result = self.read_rows(&text, max_rows);
        self.text = text;
        result.map(|()| self.done)
    }

    fn read_rows(&mut self, text: &str, max_rows: usize) -> Result<()> {
        let rest = &text.as_bytes()[self.offset..];
        let mut reader = reader(self.delimiter, false, rest);
        let mut record = ::csv::StringRecord::new();
        let mut n = 0;
        while n < max_rows {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    break;
                }
                Err(e) => {
                    let line = e.position().map_or(self.line, |p| self.line + p.line() - 1 + line_end_at(rest, p));
                    return Err(csv_error_at(e, line));
                }
            }
            let line = self.line + record.position().map_or(1, |p| p.line() + line_end_at(rest, p)) - 1;
            n += 1;
            self.row(&record, line)?;
        }
        let p = reader.position();
        self.offset += p.byte() as usize;
        self.line += p.line() - 1;
        Ok(())
    }

    /// One data row.
    fn row(&mut self, record: &::csv::StringRecord, line: u64) -> Result<()> {
        let (columns, header, limits) = (&self.columns, &self.header, &self.limits);
        if record.len() == 1 && record[0].is_empty() {
            return Ok(()); // a blank line inside the file
        }
        self.summary.rows_read += 1;
        if self.summary.rows_read > limits.csv_rows {
            return Err(Error::TooLarge {
                what: "the number of rows",
                actual: self.summary.rows_read,
                limit: limits.csv_rows,
            });
        }
        if let Some(cell) = record.iter().find(|c| c.len() > limits.csv_field_bytes) {
            return Err(Error::LongField { line, bytes: cell.len(), limit: limits.csv_field_bytes });
        }
        if record.len() != header.len() {
            return Err(Error::RaggedRow { line, expected: header.len(), found: record.len() });
        }

        let start = self.rows.len();
        for &col in &columns.features {
            let cell = &record[col];
            // A spreadsheet set to a decimal comma writes `0,5` and separates with semicolons.
            let parsed = match cell.parse() {
                Err(_) if self.delimiter == b';' => cell.replacen(',', ".", 1).parse(),
                other => other,
            };
            let value: f32 = parsed.map_err(|_| Error::NotANumber {
                line,
                column: col + 1,
                name: header[col].clone(),
                value: if cell.is_empty() { "(empty)".into() } else { cell.chars().take(40).collect() },
            })?;
            if !value.is_finite() {
                return Err(Error::NonFinite { line, column: col + 1, name: header[col].clone(), value: cell.into() });
            }
            self.rows.push(value);
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
                self.any_label_from_name |= from_name.is_some();
                from_name.as_ref().map(|i| i.label)
            }
        };
        let (emotion, other) = match label {
            Some(Label::Other(name)) => {
                match self.skipped.iter_mut().find(|s| s.emotion == name) {
                    Some(s) => s.rows += 1,
                    None => self.skipped.push(SkipCount { emotion: name.into(), rows: 1 }),
                }
                self.other_rows.extend(self.rows.drain(start..));
                self.other.labels.push(name);
                (None, true)
            }
            Some(Label::Target(e)) => (Some(e), false),
            None => (None, false),
        };
        // A file with a speaker column says whose each row is: a blank cell is a row of no known
        // speaker, not one named from the file name (which may name speakers otherwise, and
        // would make a speaker of one row).
        let speaker = match columns.speaker {
            Some(c) => Some(unquote(&record[c])).filter(|s| !s.is_empty()).map(String::from),
            None => from_name.as_ref().map(|i| i.speaker.clone()),
        };
        let corpus = columns
            .corpus
            .map(|c| unquote(&record[c]).to_ascii_lowercase())
            .filter(|s| !s.is_empty())
            .or_else(|| from_name.as_ref().map(|i| i.corpus.to_string()))
            .unwrap_or_else(|| self.default_corpus.clone());

        let ds = if other { &mut self.other.rows } else { &mut self.ds };
        ds.emotion.push(emotion);
        ds.speaker.push(speaker);
        ds.corpus.push(corpus);
        ds.file.push(if file == "unknown" { String::new() } else { stem(&file).to_string() });
        ds.line.push(line);
        Ok(())
    }

    /// The rows read, once [`step`](Self::step) has returned true.
    pub fn finish(self) -> Result<(Dataset, LoadSummary)> {
        self.finish_with_other().map(|(ds, summary, _)| (ds, summary))
    }

    /// [`finish`](Self::finish), and also the rows of emotions not used here (the skipped rows
    /// the summary counts), unlabelled: prediction needs no labels, so it predicts them too
    /// (see [`Dataset::with_rows_of`]).
    pub fn finish_with_other(self) -> Result<(Dataset, LoadSummary, OtherRows)> {
        if !self.done {
            return Err(Error::OutOfOrder("the CSV text has not been read to its end"));
        }
        let CsvLoad {
            mut ds, rows, mut other, other_rows, mut summary, mut skipped, columns, any_label_from_name, ..
        } = self;
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
        ds.x = Array2::from_shape_vec((n, ds.features.len()), rows).expect("one value per feature per kept row");
        other.rows.x = Array2::from_shape_vec((other.rows.len(), other.rows.features.len()), other_rows)
            .expect("one value per feature per skipped row");
        summary.count_rows(&ds);
        skipped.sort_by(|a, b| a.emotion.cmp(&b.emotion));
        summary.skipped = skipped;
        if columns.emotion.is_none() && !any_label_from_name {
            summary.label_source = "none".into();
        }
        Ok((ds, summary, other))
    }
}

/// A CSV reader over `bytes` with our settings.
fn reader(delimiter: u8, has_headers: bool, bytes: &[u8]) -> ::csv::Reader<&[u8]> {
    ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(has_headers)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(bytes)
}

/// Which header column holds what.
#[derive(Debug)]
struct Columns {
    /// Column index of each feature, in model order.
    features: Vec<usize>,
    file: Option<usize>,
    speaker: Option<usize>,
    emotion: Option<usize>,
    corpus: Option<usize>,
    /// The header is openSMILE's own output (it has openSMILE's `frameTime` column).
    opensmile: bool,
    /// Columns that nothing reads (neither a feature nor one of the four above).
    unused: usize,
    /// The first [`UNUSED_NAMED`] of them, by name.
    unused_names: Vec<String>,
}

/// How many of the columns nothing reads a load summary names.
const UNUSED_NAMED: usize = 5;

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
        let (file, speaker, emotion, corpus) =
            (meta(&FILE_COLUMNS), meta(&SPEAKER_COLUMNS), meta(&EMOTION_COLUMNS), meta(&CORPUS_COLUMNS));
        // Every column that nothing reads: features are distinct named columns, and a column
        // read about the row is one of them only if a feature list names it.
        let mut read: Vec<usize> =
            features.iter().copied().chain([file, speaker, emotion, corpus].into_iter().flatten()).collect();
        read.sort_unstable();
        read.dedup();
        let unused_names = (0..header.len())
            .filter(|i| read.binary_search(i).is_err())
            .take(UNUSED_NAMED)
            .map(|i| header[i].clone())
            .collect();
        Ok(Columns {
            file,
            speaker,
            emotion,
            corpus,
            // openSMILE's CSV output starts `name;frameTime;…`; a file in our layout with all
            // 384 functionals is still ours.
            opensmile: header.iter().any(|h| h.eq_ignore_ascii_case("frametime")),
            unused: header.len() - read.len(),
            unused_names,
            features,
        })
    }
}

/// 1 if the record at `p` of `text` starts with the "\n" of a "\r\n": the CSV reader stops
/// between the two bytes, so it gives the next record's position, and line, before the line
/// feed (its lines would be one too low in a file with Windows line ends).
fn line_end_at(text: &[u8], p: &::csv::Position) -> u64 {
    u64::from(text.get(p.byte() as usize) == Some(&b'\n'))
}

/// Refuses text that is plainly not a CSV file (a picture, a weights file, a binary), by what
/// it starts with, so the message says so instead of listing 64 missing columns.
fn not_a_csv(text: &str, header: &str) -> Result<()> {
    let head = header.trim_start();
    let what = if head.starts_with('{') || head.starts_with('[') {
        Some("it looks like JSON (a weights file?), not a CSV table")
    } else if head.starts_with('<') {
        Some("it looks like HTML or XML, not a CSV table")
    } else if text.starts_with("RIFF") {
        Some("it looks like a WAV file: load recordings as audio")
    } else if ["PNG", "GIF8", "%PDF", "JFIF", "Exif"]
        .iter()
        .any(|m| text.trim_start_matches(['\u{89}', '\u{fffd}']).starts_with(m))
        || text.get(..64).is_some_and(|t| t.contains("JFIF") || t.contains("Exif"))
    {
        Some("it looks like an image or a PDF, not a CSV table")
    } else if text.bytes().take(4096).any(|b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')))
        || text.chars().take(4096).any(|c| c == '\u{fffd}')
    {
        Some("it holds binary data, not text")
    } else if !header.contains([',', ';', '\t']) {
        Some("its first line has no commas, semicolons or tabs, so it is not a CSV table")
    } else {
        None
    };
    match what {
        Some(reason) => Err(Error::NotCsv { reason: reason.into() }),
        None => Ok(()),
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
    csv_error_at(e, line)
}

/// The CSV library's error, at absolute line `line`.
fn csv_error_at(e: ::csv::Error, line: u64) -> Error {
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
