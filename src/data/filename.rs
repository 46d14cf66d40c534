//! Labels and speakers from the file-naming conventions of the usual emotional-speech corpora,
//! for CSVs (or WAV files) that carry no `emotion`/`speaker` columns.
//!
//! | corpus | example | speaker | emotion |
//! |---|---|---|---|
//! | RAVDESS | `03-01-05-01-02-01-12.wav` | 7th field (`12`) | 3rd field: 01 neutral, 02 calm, 03 happy, 04 sad, 05 angry, 06 fearful, 07 disgust, 08 surprised |
//! | CREMA-D | `1001_DFA_ANG_XX.wav` | 1st field | 3rd field: ANG, DIS, FEA, HAP, NEU, SAD |
//! | TESS | `OAF_back_angry.wav` | `OAF` / `YAF` | last field: angry, disgust, fear, happy, neutral, ps, sad |
//! | eNTERFACE'05 | `s12_an_3.avi` | `s12` | 2nd field: an, di, fe, ha, sa, su |
//! | EmoDB | `03a01Fa.wav` | first two digits | 6th character: W, L, E, A, F, T, N |

use super::emotion::{Label, parse_label};
use crate::data::Emotion;

/// What a recognised file name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    /// Corpus whose convention matched (`ravdess`, `crema-d`, `tess`, `enterface05`, `emodb`).
    pub corpus: &'static str,
    pub speaker: String,
    pub label: Label,
}

/// The file's stem: no directories, no extension, no surrounding quotes.
pub fn stem(path: &str) -> &str {
    let p = path.trim().trim_matches(|c| c == '\'' || c == '"');
    let base = p.rsplit(['/', '\\']).next().unwrap_or(p);
    match base.rfind('.') {
        Some(i) if i > 0 => &base[..i],
        _ => base,
    }
}

/// Recognises `path` by the conventions above; `None` if none matches.
pub fn parse_file_name(path: &str) -> Option<FileInfo> {
    let s = stem(path);
    ravdess(s).or_else(|| crema_d(s)).or_else(|| emodb(s)).or_else(|| enterface(s)).or_else(|| tess(s))
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn ravdess(s: &str) -> Option<FileInfo> {
    let f: Vec<&str> = s.split('-').collect();
    if f.len() != 7 || !f.iter().all(|x| x.len() == 2 && all_digits(x)) {
        return None;
    }
    use Emotion::*;
    let label = match f[2] {
        "01" => Label::Other("neutral"),
        "02" => Label::Other("calm"),
        "03" => Label::Target(Happy),
        "04" => Label::Target(Sad),
        "05" => Label::Target(Angry),
        "06" => Label::Target(Fearful),
        "07" => Label::Other("disgust"),
        "08" => Label::Other("surprise"),
        _ => return None,
    };
    Some(FileInfo { corpus: "ravdess", speaker: f[6].to_string(), label })
}

fn crema_d(s: &str) -> Option<FileInfo> {
    let f: Vec<&str> = s.split('_').collect();
    if f.len() != 4 || f[0].len() != 4 || !all_digits(f[0]) || f[1].len() != 3 || f[2].len() != 3 {
        return None;
    }
    let label = match f[2] {
        "ANG" | "DIS" | "FEA" | "HAP" | "NEU" | "SAD" => parse_label(f[2])?,
        _ => return None,
    };
    Some(FileInfo { corpus: "crema-d", speaker: f[0].to_string(), label })
}

fn emodb(s: &str) -> Option<FileInfo> {
    let b = s.as_bytes();
    if b.len() != 7
        || !b[0].is_ascii_digit()
        || !b[1].is_ascii_digit()
        || !b[2].is_ascii_lowercase()
        || !b[3].is_ascii_digit()
        || !b[4].is_ascii_digit()
        || !b[6].is_ascii_lowercase()
    {
        return None;
    }
    let label = match b[5] {
        b'W' | b'L' | b'E' | b'A' | b'F' | b'T' | b'N' => parse_label(&s[5..6])?,
        _ => return None,
    };
    Some(FileInfo { corpus: "emodb", speaker: s[..2].to_string(), label })
}

fn enterface(s: &str) -> Option<FileInfo> {
    // s12_an_3, and the irregular s_12_an_3 / s12_an_3_b seen in some copies.
    let f: Vec<&str> = s.split('_').filter(|x| !x.is_empty()).collect();
    let (subject, code) = match f.as_slice() {
        [subj, code, n, ..] if subj.len() > 1 && subj.starts_with('s') && all_digits(&subj[1..]) && all_digits(n) => {
            (subj[1..].to_string(), *code)
        }
        ["s", num, code, n, ..] if all_digits(num) && all_digits(n) => (num.to_string(), *code),
        _ => return None,
    };
    let label = match code {
        "an" | "di" | "fe" | "ha" | "sa" | "su" => parse_label(code)?,
        _ => return None,
    };
    Some(FileInfo { corpus: "enterface05", speaker: format!("s{subject}"), label })
}

fn tess(s: &str) -> Option<FileInfo> {
    let f: Vec<&str> = s.split('_').collect();
    if f.len() < 3 || !matches!(f[0], "OAF" | "YAF" | "OA" | "YA") {
        return None;
    }
    let emotion = f[2..].join("_");
    let label = match emotion.to_ascii_lowercase().as_str() {
        "angry" | "disgust" | "fear" | "happy" | "neutral" | "ps" | "sad" | "pleasant_surprise" => {
            parse_label(&emotion)?
        }
        _ => return None,
    };
    let speaker = if f[0].len() == 2 { format!("{}F", f[0]) } else { f[0].to_string() };
    Some(FileInfo { corpus: "tess", speaker, label })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Emotion::*;

    fn target(path: &str) -> (&'static str, String, Emotion) {
        let i = parse_file_name(path).unwrap_or_else(|| panic!("{path} not recognised"));
        match i.label {
            Label::Target(e) => (i.corpus, i.speaker, e),
            Label::Other(o) => panic!("{path}: {o}"),
        }
    }

    #[test]
    fn each_convention() {
        assert_eq!(target("Actor_12/03-01-05-01-02-01-12.wav"), ("ravdess", "12".into(), Angry));
        assert_eq!(target("03-01-06-02-01-01-03.wav"), ("ravdess", "03".into(), Fearful));
        assert_eq!(target("1001_DFA_ANG_XX.wav"), ("crema-d", "1001".into(), Angry));
        assert_eq!(target("1091_WSI_HAP_HI.wav"), ("crema-d", "1091".into(), Happy));
        assert_eq!(target("OAF_back_angry.wav"), ("tess", "OAF".into(), Angry));
        assert_eq!(target("YAF_dog_fear.wav"), ("tess", "YAF".into(), Fearful));
        assert_eq!(target("subject 1/anger/sentence 1/s1_an_1.avi"), ("enterface05", "s1".into(), Angry));
        assert_eq!(target("s_22_sa_5.wav"), ("enterface05", "s22".into(), Sad));
        assert_eq!(target("03a01Fa.wav"), ("emodb", "03".into(), Happy));
        assert_eq!(target("16b10Wb.wav"), ("emodb", "16".into(), Angry));
        assert_eq!(target("'C:\\data\\08a02Ac.wav'"), ("emodb", "08".into(), Fearful));
    }

    #[test]
    fn other_emotions_are_recognised_not_targets() {
        assert_eq!(parse_file_name("03-01-02-01-01-01-01.wav").unwrap().label, Label::Other("calm"));
        assert_eq!(parse_file_name("OA_bite_neutral.wav").unwrap().label, Label::Other("neutral"));
        assert_eq!(parse_file_name("OAF_bite_ps.wav").unwrap().label, Label::Other("surprise"));
        assert_eq!(parse_file_name("03a01La.wav").unwrap().label, Label::Other("boredom"));
    }

    #[test]
    fn unknown_names() {
        for p in ["unknown", "'unknown'", "recording.wav", "03-01-09-01-01-01-01.wav", "1001_DFA_XYZ_XX.wav", ""] {
            assert_eq!(parse_file_name(p), None, "{p}");
        }
    }
}
