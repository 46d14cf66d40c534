//! Audio in: WAV decoding, sample-rate conversion (and, next, openSMILE-compatible IS09
//! features).

pub mod resample;
pub mod wav;

pub use resample::resample;
pub use wav::{Audio, decode_wav};
