//! Feature tables: parsing, labels, speakers, standardisation and pair sampling.
//!
//! A [`Dataset`] is what a CSV file becomes: the raw features per row (the paper's 64 IS09
//! functionals by default, or any named columns: see [`FeatureSet`]), and for each row its
//! emotion (if labelled), speaker (if known), corpus and file name. Nothing here reads files;
//! callers hand over text.

pub mod csv;
pub mod emotion;
pub mod features;
pub mod filename;
pub mod normalize;
pub mod pairs;
pub mod split;

pub use self::csv::{
    OtherRows, SPEAKER_COLUMNS, parse_csv, parse_csv_with, parse_csv_with_limits, parse_csv_with_other,
};
pub use crate::limits::{LIMITS, Limits};
pub use emotion::{Emotion, Label, N_EMOTIONS};
pub use features::{FeatureSet, N_FEATURES, feature_names};
pub use normalize::{Normalization, NormalizationConfig, Stats};

use ndarray::{Array2, Axis};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Rows of one or more feature files.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Names of the feature columns, in the order of `x`'s columns ([`feature_names`] by
    /// default).
    pub features: Vec<String>,
    /// Raw features, `(rows, features)`.
    pub x: Array2<f32>,
    /// Emotion of each row; `None` for unlabelled rows (allowed for prediction).
    pub emotion: Vec<Option<Emotion>>,
    /// Speaker of each row as written in the file (`"01"`, `"OAF"`), if known.
    pub speaker: Vec<Option<String>>,
    /// Corpus of each row (`ravdess`, `tess`, …).
    pub corpus: Vec<String>,
    /// File name of each row, or an empty string.
    pub file: Vec<String>,
    /// Line of each row in its CSV text (1-based, header = line 1), for messages.
    pub line: Vec<u64>,
}

/// Whether speaker keys `a` and `b` (`corpus/speaker`) name the same speaker: the same corpus
/// and the same speaker, a numeric speaker ID compared by value, since a CSV tool may write
/// RAVDESS's actor `02` as `2`. Every comparison of speaker keys across tables or with named
/// keys (development speakers, excluded speakers) goes through this.
pub fn same_speaker(a: &str, b: &str) -> bool {
    canonical_speaker_key(a) == canonical_speaker_key(b)
}

/// The key `corpus/speaker` with a speaker ID of digits written without leading zeros
/// (`ravdess/02` → `ravdess/2`); any other key as it is.
fn canonical_speaker_key(key: &str) -> Cow<'_, str> {
    match key.rsplit_once('/') {
        Some((corpus, id)) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && id.starts_with('0') => {
            let id = id.trim_start_matches('0');
            Cow::Owned(format!("{corpus}/{}", if id.is_empty() { "0" } else { id }))
        }
        _ => Cow::Borrowed(key),
    }
}

/// How a load went: what was kept, what was skipped and why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadSummary {
    /// `"siamese-ser"` (our columns) or `"opensmile"` (openSMILE's IS09 functionals).
    pub format: String,
    /// Field delimiter found in the header line.
    pub delimiter: String,
    /// Feature columns read.
    pub features: usize,
    /// Columns that nothing reads: neither a feature the model takes nor the file, speaker,
    /// emotion or corpus column (a file with all 384 IS09 functionals has 320; an unnamed
    /// column, a second label column such as `label` beside `emotion`, and openSMILE's
    /// `frameTime` count too).
    #[serde(default)]
    pub unused_columns: usize,
    /// The first five of those columns by name (`""` for an unnamed one): a speaker column
    /// named otherwise than the reader expects shows here.
    #[serde(default)]
    pub unused_names: Vec<String>,
    /// Data rows in the file.
    pub rows_read: usize,
    /// Rows kept (labelled with one of the four emotions, or unlabelled).
    pub rows_kept: usize,
    /// Kept rows without an emotion label.
    pub unlabelled: usize,
    /// Kept rows per emotion, in [`Emotion::ALL`] order.
    pub per_emotion: [usize; N_EMOTIONS],
    /// Rows skipped because they are of an emotion not used here, by that emotion.
    pub skipped: Vec<SkipCount>,
    /// Distinct speakers among kept rows (rows with no known speaker are not counted).
    pub speakers: usize,
    /// Kept rows with no known speaker.
    pub unknown_speaker: usize,
    /// Kept rows whose features repeat an earlier kept row's exactly (a file joined twice, a
    /// recording loaded under two names): across speakers, a copy can be trained on and
    /// tested on.
    #[serde(default)]
    pub duplicate_rows: usize,
    /// Distinct corpora among kept rows.
    pub corpora: Vec<String>,
    /// Where labels came from: `"emotion column"`, `"file names"` or `"none"`.
    pub label_source: String,
}

impl LoadSummary {
    /// Fills the counts that describe the kept rows `ds`.
    pub fn count_rows(&mut self, ds: &Dataset) {
        self.features = ds.features.len();
        self.rows_kept = ds.len();
        self.per_emotion = ds.per_emotion();
        self.unlabelled = ds.emotion.iter().filter(|e| e.is_none()).count();
        self.speakers = ds.speakers().len();
        self.unknown_speaker = ds.speaker.iter().filter(|s| s.is_none()).count();
        self.corpora = ds.corpora();
        self.duplicate_rows = ds.duplicate_rows();
    }

    /// The summary of a dataset built from recordings rather than read from a CSV file.
    pub fn of_recordings(ds: &Dataset) -> LoadSummary {
        let mut s = LoadSummary {
            format: "recordings".into(),
            delimiter: String::new(),
            rows_read: ds.len(),
            label_source: "file names or labels given per recording".into(),
            ..LoadSummary::default()
        };
        s.count_rows(ds);
        s
    }
}

/// Rows of one skipped emotion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkipCount {
    pub emotion: String,
    pub rows: usize,
}

/// One row of features with what is known about it (what a WAV file becomes).
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureRow {
    pub file: String,
    pub corpus: String,
    pub speaker: Option<String>,
    pub emotion: Option<Emotion>,
    /// The 64 features in [`feature_names`] order.
    pub features: Vec<f32>,
}

impl Dataset {
    /// A dataset of `rows`. Errors if a row does not have 64 finite features.
    pub fn from_rows(rows: &[FeatureRow]) -> crate::Result<Dataset> {
        let mut x = Array2::zeros((rows.len(), N_FEATURES));
        for (i, r) in rows.iter().enumerate() {
            if r.features.len() != N_FEATURES {
                return Err(crate::Error::Shape {
                    what: "features of a row",
                    expected: N_FEATURES,
                    found: r.features.len(),
                });
            }
            if let Some(j) = r.features.iter().position(|v| !v.is_finite()) {
                return Err(crate::Error::NonFinite {
                    line: i as u64 + 2,
                    column: j + 5,
                    name: feature_names()[j].clone(),
                    value: r.features[j].to_string(),
                });
            }
            x.row_mut(i).assign(&ndarray::ArrayView1::from(r.features.as_slice()));
        }
        Ok(Dataset {
            features: feature_names(),
            x,
            emotion: rows.iter().map(|r| r.emotion).collect(),
            speaker: rows.iter().map(|r| r.speaker.clone()).collect(),
            corpus: rows.iter().map(|r| r.corpus.clone()).collect(),
            file: rows.iter().map(|r| r.file.clone()).collect(),
            line: (2..rows.len() as u64 + 2).collect(),
        })
    }

    /// The dataset as CSV text in our format (`file,corpus,speaker,emotion` and the feature
    /// columns), which [`parse_csv_with`] reads back exactly.
    pub fn to_csv(&self) -> String {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        let mut header = vec!["file".to_string(), "corpus".into(), "speaker".into(), "emotion".into()];
        header.extend(self.features.iter().cloned());
        w.write_record(&header).expect("writing to memory");
        for i in 0..self.len() {
            let mut rec = vec![
                self.file[i].clone(),
                self.corpus[i].clone(),
                self.speaker[i].clone().unwrap_or_default(),
                self.emotion[i].map(|e| e.name().to_string()).unwrap_or_default(),
            ];
            rec.extend(self.x.row(i).iter().map(|v| v.to_string()));
            w.write_record(&rec).expect("writing to memory");
        }
        String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 strings")
    }

    /// An empty dataset with the 64 IS09 features.
    pub fn empty() -> Dataset {
        Dataset::empty_with(feature_names())
    }

    /// An empty dataset with the feature columns `features`.
    pub fn empty_with(features: Vec<String>) -> Dataset {
        Dataset {
            x: Array2::zeros((0, features.len())),
            features,
            emotion: vec![],
            speaker: vec![],
            corpus: vec![],
            file: vec![],
            line: vec![],
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.emotion.len()
    }

    /// True if there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Dataset {
        Dataset {
            features: self.features.clone(),
            x: self.x.select(Axis(0), indices),
            emotion: indices.iter().map(|&i| self.emotion[i]).collect(),
            speaker: indices.iter().map(|&i| self.speaker[i].clone()).collect(),
            corpus: indices.iter().map(|&i| self.corpus[i].clone()).collect(),
            file: indices.iter().map(|&i| self.file[i].clone()).collect(),
            line: indices.iter().map(|&i| self.line[i]).collect(),
        }
    }

    /// All rows of `parts`, one after the other. Every part must have the same feature columns.
    pub fn concat(parts: &[Dataset]) -> crate::Result<Dataset> {
        let Some(first) = parts.first() else { return Ok(Dataset::empty()) };
        for p in &parts[1..] {
            p.check_features(&first.features)?;
        }
        let mut out = Dataset::empty_with(first.features.clone());
        let views: Vec<_> = parts.iter().map(|d| d.x.view()).collect();
        out.x = ndarray::concatenate(Axis(0), &views).expect("feature columns checked above");
        for d in parts {
            out.emotion.extend_from_slice(&d.emotion);
            out.speaker.extend_from_slice(&d.speaker);
            out.corpus.extend_from_slice(&d.corpus);
            out.file.extend_from_slice(&d.file);
            out.line.extend_from_slice(&d.line);
        }
        Ok(out)
    }

    /// Rows whose features repeat an earlier row's exactly (value for value).
    pub fn duplicate_rows(&self) -> usize {
        let n = self.features.len();
        if n == 0 {
            return 0;
        }
        let x = self.x.as_standard_layout();
        let rows: Vec<&[f32]> = x.as_slice().expect("a standard-layout array is one slice").chunks_exact(n).collect();
        // Each row by a 64-bit hash of its bits (as text: the map type the CSV reader already
        // uses, which keeps the wasm small); a row whose hash was seen is compared in full.
        let keys: Vec<String> = rows
            .iter()
            .map(|r| {
                let h = r.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, v| {
                    (h ^ u64::from(v.to_bits())).wrapping_mul(0x0100_0000_01b3)
                });
                format!("{h:x}")
            })
            .collect();
        let mut first: std::collections::HashMap<&str, usize> = std::collections::HashMap::with_capacity(rows.len());
        let mut repeats = 0;
        for (i, key) in keys.iter().enumerate() {
            match first.get(key.as_str()) {
                Some(&j) => repeats += usize::from(rows[j] == rows[i]),
                None => {
                    first.insert(key, i);
                }
            }
        }
        repeats
    }

    /// The rows of this table and of `other` (with the same feature columns) in the order of
    /// their lines: how the rows a CSV load kept and the rows of other emotions it set aside
    /// ([`CsvLoad::finish_with_other`](csv::CsvLoad::finish_with_other)) become the whole file
    /// again. Without other rows that is this table itself, not a copy of it.
    pub fn with_rows_of(&self, other: &Dataset) -> crate::Result<Cow<'_, Dataset>> {
        if other.is_empty() {
            return Ok(Cow::Borrowed(self));
        }
        let all = Dataset::concat(&[self.clone(), other.clone()])?;
        let mut order: Vec<usize> = (0..all.len()).collect();
        order.sort_by_key(|&i| all.line[i]);
        Ok(Cow::Owned(all.select(&order)))
    }

    /// Refuses a table whose feature columns are not `expected` (same names, same order).
    pub fn check_features(&self, expected: &[String]) -> crate::Result<()> {
        if self.features == expected {
            return Ok(());
        }
        let missing: Vec<String> = expected.iter().filter(|n| !self.features.contains(n)).cloned().collect();
        Err(crate::Error::FeatureMismatch { expected: expected.len(), found: self.features.len(), missing })
    }

    /// Indices of the labelled rows.
    pub fn labelled(&self) -> Vec<usize> {
        (0..self.len()).filter(|&i| self.emotion[i].is_some()).collect()
    }

    /// Labelled rows per emotion, in [`Emotion::ALL`] order.
    pub fn per_emotion(&self) -> [usize; N_EMOTIONS] {
        let mut c = [0; N_EMOTIONS];
        for e in self.emotion.iter().flatten() {
            c[e.index()] += 1;
        }
        c
    }

    /// A key that identifies a row's speaker across corpora (`"ravdess/01"`), or the corpus
    /// alone (`"ravdess/?"`) when the speaker is unknown.
    pub fn speaker_key(&self, i: usize) -> String {
        format!("{}/{}", self.corpus[i], self.speaker[i].as_deref().unwrap_or("?"))
    }

    /// The speakers of this table that `names` (`corpus/speaker` keys) name, as this table
    /// spells them, sorted. Keys match as [`same_speaker`] says, so `ravdess/2` names the
    /// speaker a file writes `02`.
    pub fn speakers_named(&self, names: &[String]) -> Vec<String> {
        let wanted: std::collections::HashSet<Cow<str>> = names.iter().map(|n| canonical_speaker_key(n)).collect();
        self.speakers().into_iter().filter(|k| wanted.contains(&canonical_speaker_key(k))).collect()
    }

    /// Distinct known speakers, as `(corpus, speaker)` keys, sorted.
    pub fn speakers(&self) -> Vec<String> {
        let mut s: Vec<String> =
            (0..self.len()).filter(|&i| self.speaker[i].is_some()).map(|i| self.speaker_key(i)).collect();
        s.sort();
        s.dedup();
        s
    }

    /// Rows grouped by [`speaker_key`](Self::speaker_key) (rows of unknown speakers form one
    /// group per corpus), sorted by key.
    pub fn speaker_groups(&self) -> Vec<(String, Vec<usize>)> {
        let mut groups: std::collections::BTreeMap<String, Vec<usize>> = std::collections::BTreeMap::new();
        for i in 0..self.len() {
            groups.entry(self.speaker_key(i)).or_default().push(i);
        }
        groups.into_iter().collect()
    }

    /// Distinct corpora, sorted.
    pub fn corpora(&self) -> Vec<String> {
        let mut c = self.corpus.clone();
        c.sort();
        c.dedup();
        c
    }
}

#[cfg(test)]
mod tests {
    use super::same_speaker;

    #[test]
    fn numeric_speaker_ids_match_by_value() {
        assert!(same_speaker("ravdess/02", "ravdess/2"));
        assert!(same_speaker("ravdess/2", "ravdess/002"));
        assert!(same_speaker("x/0", "x/00"));
        assert!(same_speaker("tess/OAF", "tess/OAF"));
        assert!(!same_speaker("tess/OAF", "tess/oaf"), "names are compared as written");
        assert!(!same_speaker("crema-d/1001", "crema-d/101"));
        assert!(!same_speaker("ravdess/02", "tess/2"), "the corpus must agree");
        assert!(!same_speaker("ravdess/2a", "ravdess/02a"), "only IDs of digits are numbers");
    }
}
