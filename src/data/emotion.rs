//! The four emotions of the paper, in one fixed order used everywhere (confusion matrices,
//! per-class recall, probability columns), and the parsing of the many ways corpora spell them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One of the four target emotions. The discriminant is the index in every per-class array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Emotion {
    Angry = 0,
    Happy = 1,
    Sad = 2,
    Fearful = 3,
}

/// Number of emotion classes.
pub const N_EMOTIONS: usize = 4;

impl Emotion {
    /// All emotions in their fixed order.
    pub const ALL: [Emotion; N_EMOTIONS] = [Emotion::Angry, Emotion::Happy, Emotion::Sad, Emotion::Fearful];

    /// Index into per-class arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The emotion at `index`. Panics if `index >= 4` (a programming error).
    pub fn from_index(index: usize) -> Emotion {
        Emotion::ALL[index]
    }

    /// Lower-case name, as written in our CSV format.
    pub fn name(self) -> &'static str {
        match self {
            Emotion::Angry => "angry",
            Emotion::Happy => "happy",
            Emotion::Sad => "sad",
            Emotion::Fearful => "fearful",
        }
    }
}

impl fmt::Display for Emotion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a label cell or a file-name code says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// One of the four emotions used here.
    Target(Emotion),
    /// A real emotion the paper does not use (neutral, calm, …): the row is skipped and counted.
    Other(&'static str),
}

/// Parses an emotion label as corpora and tools write it. Case and surrounding whitespace are
/// ignored. Returns `None` for text that is no known label.
///
/// Accepted: full words (`angry`, `anger`, `happiness`, …), the three-letter codes of
/// CREMA-D and IEMOCAP (`ang`, `hap`, `sad`, `fea`, `neu`, `dis`, …), the two-letter codes of
/// eNTERFACE'05 (`an`, `ha`, `sa`, `fe`, `di`, `su`), EmoDB's German-initial codes (`W`
/// Wut/anger, `F` Freude/happiness, `T` Trauer/sadness, `A` Angst/fear, `N`, `L`, `E`) and
/// TESS's `ps` (pleasant surprise).
pub fn parse_label(text: &str) -> Option<Label> {
    use Emotion::*;
    let t = text.trim().to_ascii_lowercase();
    let label = match t.as_str() {
        "angry" | "anger" | "ang" | "an" | "mad" | "w" => Label::Target(Angry),
        "happy" | "happiness" | "hap" | "ha" | "joy" | "f" => Label::Target(Happy),
        "sad" | "sadness" | "sa" | "t" => Label::Target(Sad),
        "fearful" | "fear" | "fea" | "fe" | "afraid" | "scared" | "a" => Label::Target(Fearful),
        "neutral" | "neu" | "n" => Label::Other("neutral"),
        "calm" | "cal" => Label::Other("calm"),
        "disgust" | "disgusted" | "dis" | "di" | "e" => Label::Other("disgust"),
        "surprise" | "surprised" | "sur" | "su" | "ps" | "pleasant_surprise" | "pleasant surprise" => {
            Label::Other("surprise")
        }
        "boredom" | "bored" | "bor" | "l" => Label::Other("boredom"),
        "excited" | "exc" => Label::Other("excited"),
        "frustrated" | "fru" => Label::Other("frustrated"),
        "contempt" => Label::Other("contempt"),
        _ => return None,
    };
    Some(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_index_round_trip() {
        for (i, e) in Emotion::ALL.iter().enumerate() {
            assert_eq!(e.index(), i);
            assert_eq!(Emotion::from_index(i), *e);
        }
    }

    #[test]
    fn usual_spellings() {
        for s in ["angry", "Anger", " ANG ", "W"] {
            assert_eq!(parse_label(s), Some(Label::Target(Emotion::Angry)), "{s}");
        }
        for s in ["happy", "happiness", "hap"] {
            assert_eq!(parse_label(s), Some(Label::Target(Emotion::Happy)), "{s}");
        }
        for s in ["sad", "sadness"] {
            assert_eq!(parse_label(s), Some(Label::Target(Emotion::Sad)), "{s}");
        }
        for s in ["fearful", "fear", "fea"] {
            assert_eq!(parse_label(s), Some(Label::Target(Emotion::Fearful)), "{s}");
        }
        assert_eq!(parse_label("neutral"), Some(Label::Other("neutral")));
        assert_eq!(parse_label("ps"), Some(Label::Other("surprise")));
        assert_eq!(parse_label("boredom"), Some(Label::Other("boredom")));
        assert_eq!(parse_label("banana"), None);
    }

    #[test]
    fn serde_uses_lowercase_names() {
        assert_eq!(serde_json::to_string(&Emotion::Fearful).unwrap(), "\"fearful\"");
    }
}
