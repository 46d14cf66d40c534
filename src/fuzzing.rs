//! Fuzzing harnesses (feature `fuzzing`): what each coverage-guided fuzz target in `fuzz/` runs,
//! and what `tests/fuzz_corpus.rs` replays on the committed corpora with a stable toolchain.
//!
//! Each harness feeds one untrusted input to the engine the way the CLI and the page do, and
//! checks what must hold whatever the input: no panic, and for accepted input, values that are
//! finite and within [`LIMITS`]. Time and memory limits are the fuzzer's (`-timeout=1
//! -rss_limit_mb=1024`).

use crate::audio::{decode_wav, features};
use crate::config::TrainConfig;
use crate::data::{Dataset, FeatureSet, parse_csv_with};
use crate::fewshot::FewShotConfig;
use crate::limits::LIMITS;
use crate::protocol::ProtocolConfig;
use crate::recognizer::Recognizer;
use arbitrary::{Arbitrary, Unstructured};
use ndarray::Array2;

/// CSV text, both feature sets.
pub fn csv(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for set in [FeatureSet::Is09, FeatureSet::All] {
        if let Ok((ds, summary)) = parse_csv_with(&text, "fuzz", &set, &LIMITS) {
            assert_eq!(ds.x.nrows(), ds.len());
            assert_eq!(ds.x.ncols(), ds.features.len());
            assert!(ds.x.iter().all(|v| v.is_finite()), "a parsed feature is not finite");
            assert_eq!(summary.rows_kept, ds.len());
            assert!(ds.len() <= LIMITS.csv_rows);
        }
    }
}

/// A weights file; an accepted one must survive save → load with identical predictions.
pub fn weights(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(r) = Recognizer::from_json(&text) else { return };
    let again = Recognizer::from_json(&r.to_json()).expect("a file this build wrote reads back");
    assert_eq!(again, r, "save → load changed the model");
    let ds = probe(&r.features);
    match (r.classify(&ds), again.classify(&ds)) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b, "save → load changed a prediction");
            assert!(a.iter().all(|p| p.probabilities.iter().all(|v| v.is_finite())));
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        (a, b) => panic!("save → load changed the outcome: {a:?} vs {b:?}"),
    }
}

/// Three rows of two speakers with the given feature columns.
fn probe(features: &[String]) -> Dataset {
    let d = features.len();
    let mut ds = Dataset::empty_with(features.to_vec());
    ds.x = Array2::from_shape_fn((3, d), |(i, j)| ((i * 7 + j * 3) % 11) as f32 - 5.0);
    ds.emotion = vec![None; 3];
    ds.speaker = vec![Some("a".into()), Some("a".into()), None];
    ds.corpus = vec!["probe".into(); 3];
    ds.file = vec![String::new(); 3];
    ds.line = vec![2, 3, 4];
    ds
}

/// Settings objects as the page and `--config` hand them over.
pub fn config(data: &[u8]) {
    if crate::limits::check_settings(&String::from_utf8_lossy(data)).is_err() {
        return;
    }
    if let Ok(c) = serde_json::from_slice::<ProtocolConfig>(data) {
        let _ = c.validate();
    }
    if let Ok(c) = serde_json::from_slice::<FewShotConfig>(data) {
        let _ = c.validate(3);
    }
    if let Ok(c) = serde_json::from_slice::<TrainConfig>(data) {
        let _ = c.validate(3);
    }
}

/// A WAV file built from arbitrary header fields (see [`WavInput`]), decoded, converted to
/// 16 kHz and described by IS09.
pub fn wav(data: &[u8]) {
    let Ok(input) = WavInput::arbitrary(&mut Unstructured::new(data)) else { return };
    let bytes = input.build();
    let Ok(audio) = decode_wav(&bytes) else { return };
    assert!(audio.samples.len() <= LIMITS.max_frames);
    assert!((LIMITS.min_sample_rate..=LIMITS.max_sample_rate).contains(&audio.sample_rate));
    assert!(audio.samples.iter().all(|v| v.is_finite() && v.abs() <= 1.0));
    if let Ok(f) = features(&audio.samples, audio.sample_rate) {
        assert_eq!(f.len(), crate::data::N_FEATURES);
        assert!(f.iter().all(|v| v.is_finite()), "a feature of decodable audio is not finite");
    }
}

/// A sample rate: usually a common one, sometimes any 32-bit value.
#[derive(Debug, Arbitrary)]
enum Rate {
    Common(u8),
    Any(u32),
}

/// The fields of a WAV file, each free to lie: the fuzzer reaches headers with any values
/// while keeping the RIFF structure most decoders need to get past the first bytes.
#[derive(Debug, Arbitrary)]
pub struct WavInput {
    /// 1 = PCM, 3 = IEEE float, 0xFFFE = extensible; anything else is passed as is.
    format: u16,
    channels: u8,
    rate: Rate,
    /// `None`: consistent with rate × block align.
    byte_rate: Option<u32>,
    block_align: Option<u16>,
    bits: u8,
    /// Extensible-format fields (used when `format` is 0xFFFE).
    valid_bits: u16,
    channel_mask: u32,
    float_subformat: bool,
    /// Chunks before `data` (id, payload).
    extra: Vec<([u8; 4], Vec<u8>)>,
    /// `None`: the true length.
    data_len: Option<u32>,
    riff_len: Option<u32>,
    data: Vec<u8>,
    /// Bytes cut from the end.
    cut: u8,
}

impl WavInput {
    /// The file's bytes.
    pub fn build(&self) -> Vec<u8> {
        const COMMON: [u32; 9] = [8000, 11025, 16000, 22050, 24414, 44100, 48000, 96000, 384_000];
        let rate = match self.rate {
            Rate::Common(i) => COMMON[i as usize % COMMON.len()],
            Rate::Any(r) => r,
        };
        let channels = self.channels as u16;
        let bits = self.bits as u16;
        let block = self.block_align.unwrap_or(channels.saturating_mul(bits.div_ceil(8)));
        let mut fmt = Vec::new();
        fmt.extend(self.format.to_le_bytes());
        fmt.extend(channels.to_le_bytes());
        fmt.extend(rate.to_le_bytes());
        fmt.extend(self.byte_rate.unwrap_or(rate.wrapping_mul(block as u32)).to_le_bytes());
        fmt.extend(block.to_le_bytes());
        fmt.extend(bits.to_le_bytes());
        if self.format == 0xFFFE {
            fmt.extend(22u16.to_le_bytes());
            fmt.extend(self.valid_bits.to_le_bytes());
            fmt.extend(self.channel_mask.to_le_bytes());
            let tag: u16 = if self.float_subformat { 3 } else { 1 };
            fmt.extend(tag.to_le_bytes());
            fmt.extend([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]);
        }
        let mut body = b"WAVE".to_vec();
        chunk(&mut body, b"fmt ", &fmt, None);
        for (id, payload) in self.extra.iter().take(4) {
            chunk(&mut body, id, payload, None);
        }
        chunk(&mut body, b"data", &self.data, self.data_len);
        let mut out = b"RIFF".to_vec();
        out.extend(self.riff_len.unwrap_or(body.len() as u32).to_le_bytes());
        out.extend(body);
        out.truncate(out.len().saturating_sub(self.cut as usize));
        out
    }
}

fn chunk(out: &mut Vec<u8>, id: &[u8; 4], payload: &[u8], claimed: Option<u32>) {
    out.extend(id);
    out.extend(claimed.unwrap_or(payload.len() as u32).to_le_bytes());
    out.extend(payload);
    if payload.len() % 2 == 1 {
        out.push(0);
    }
}
