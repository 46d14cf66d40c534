//! Audio in: WAV decoding, sample-rate conversion, utterance segmentation (and, next,
//! openSMILE-compatible IS09 features).

pub mod resample;
pub mod segment;
pub mod wav;

pub use resample::resample;
pub use segment::{Segmenter, SegmenterConfig};
pub use wav::{Audio, decode_wav};
