//! The 64 IS09 functionals the paper uses, under openSMILE's own names, in one fixed order:
//! mean and standard deviation of 16 low-level descriptors (RMS energy, MFCC 1–12, zero-crossing
//! rate, voicing probability, F0), then of their first-order deltas. CSV columns are matched to
//! these names, so column order in a file does not matter.
//!
//! Other feature sets ([`FeatureSet`]): every numeric column of a file (all 384 IS09
//! functionals, eGeMAPS, …) or a named list. A model stores the names it was trained on, and a
//! file read for that model must have every one of them.

use serde::{Deserialize, Serialize};

/// Number of features in the paper's set (the IS09 subset).
pub const N_FEATURES: usize = 64;

/// Which columns of a feature file become the network's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureSet {
    /// The paper's 64 IS09 functionals ([`feature_names`]), wherever they are in the file.
    #[default]
    #[serde(rename = "is09_64")]
    Is09,
    /// Every column other than the label columns (file, speaker, emotion, corpus and
    /// openSMILE's `name` and `frameTime`), in file order. Each must hold numbers.
    All,
    /// Exactly these columns, in this order.
    Names(Vec<String>),
}

impl FeatureSet {
    /// `is09-64` (or `is09_64`, `is09`) or `all`; anything else is not a feature-set name.
    pub fn parse(name: &str) -> Option<FeatureSet> {
        match name.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "is09_64" | "is09" => Some(FeatureSet::Is09),
            "all" => Some(FeatureSet::All),
            _ => None,
        }
    }

    /// A list of column names, one a line (blank lines and lines starting with `#` ignored).
    pub fn from_list(text: &str) -> crate::Result<FeatureSet> {
        let names: Vec<String> =
            text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect();
        if names.is_empty() {
            return Err(crate::Error::setting("features", "(an empty list)", "at least one column name, one a line"));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = names.iter().find(|n| !seen.insert(n.as_str())) {
            return Err(crate::Error::setting("features", dup, "each column name once"));
        }
        Ok(FeatureSet::Names(names))
    }

    /// A short description for reports: `is09_64`, `all (384 columns)`, `12 named columns`.
    pub fn describe(&self, columns: usize) -> String {
        match self {
            FeatureSet::Is09 => "is09_64 (the paper's 64 IS09 functionals)".into(),
            FeatureSet::All => format!("all ({columns} numeric columns)"),
            FeatureSet::Names(n) => format!("{} named columns", n.len()),
        }
    }
}

const LLDS: [&str; 16] = [
    "pcm_RMSenergy_sma",
    "pcm_fftMag_mfcc_sma[1]",
    "pcm_fftMag_mfcc_sma[2]",
    "pcm_fftMag_mfcc_sma[3]",
    "pcm_fftMag_mfcc_sma[4]",
    "pcm_fftMag_mfcc_sma[5]",
    "pcm_fftMag_mfcc_sma[6]",
    "pcm_fftMag_mfcc_sma[7]",
    "pcm_fftMag_mfcc_sma[8]",
    "pcm_fftMag_mfcc_sma[9]",
    "pcm_fftMag_mfcc_sma[10]",
    "pcm_fftMag_mfcc_sma[11]",
    "pcm_fftMag_mfcc_sma[12]",
    "pcm_zcr_sma",
    "voiceProb_sma",
    "F0_sma",
];

/// The 64 feature names in model-input order.
pub fn feature_names() -> Vec<String> {
    let mut names = Vec::with_capacity(N_FEATURES);
    for delta in [false, true] {
        for lld in LLDS {
            let base = if delta {
                // openSMILE puts `_de` before an MFCC's index: pcm_fftMag_mfcc_sma_de[3].
                match lld.find('[') {
                    Some(i) => format!("{}_de{}", &lld[..i], &lld[i..]),
                    None => format!("{lld}_de"),
                }
            } else {
                lld.to_string()
            };
            names.push(format!("{base}_amean"));
            names.push(format!("{base}_stddev"));
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_data_readme() {
        let n = feature_names();
        assert_eq!(n.len(), N_FEATURES);
        assert_eq!(n[0], "pcm_RMSenergy_sma_amean");
        assert_eq!(n[3], "pcm_fftMag_mfcc_sma[1]_stddev");
        assert_eq!(n[31], "F0_sma_stddev");
        assert_eq!(n[32], "pcm_RMSenergy_sma_de_amean");
        assert_eq!(n[39], "pcm_fftMag_mfcc_sma_de[3]_stddev");
        assert_eq!(n[63], "F0_sma_de_stddev");
        let mut sorted = n.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), N_FEATURES);
    }
}
