//! Replays the committed fuzzing corpora (`fuzz/corpus/<target>/`) through the same harnesses
//! the coverage-guided fuzz targets run (`siamese_ser::fuzzing`), on a stable toolchain: every
//! input a fuzzing run kept, and every past finding, stays a test.

use std::path::PathBuf;

fn replay(target: &str, harness: fn(&[u8])) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let caught = std::panic::catch_unwind(|| harness(&bytes));
        assert!(caught.is_ok(), "{} fails", path.display());
        n += 1;
    }
    assert!(n > 0, "{} is empty", dir.display());
    println!("{target}: {n} inputs replayed");
}

#[test]
fn csv_corpus() {
    replay("csv", siamese_ser::fuzzing::csv);
}

#[test]
fn weights_corpus() {
    replay("weights", siamese_ser::fuzzing::weights);
}

#[test]
fn wav_corpus() {
    replay("wav", siamese_ser::fuzzing::wav);
}

#[test]
fn config_corpus() {
    replay("config", siamese_ser::fuzzing::config);
}
