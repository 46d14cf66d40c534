//! The 64 IS09 functionals the paper uses, under openSMILE's own names, in one fixed order:
//! mean and standard deviation of 16 low-level descriptors (RMS energy, MFCC 1–12, zero-crossing
//! rate, voicing probability, F0), then of their first-order deltas. CSV columns are matched to
//! these names, so column order in a file does not matter.

/// Number of input features.
pub const N_FEATURES: usize = 64;

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
