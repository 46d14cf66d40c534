#!/usr/bin/env python3
"""A catalogue of hostile and odd input files, and what the CLI does with each.

`python3 bench/hostile.py` writes the files to target/hostile/ with an index (index.json:
file, role, kind = hostile | benign, what it is), then runs the release CLI on each under
`/usr/bin/time` and prints a table: wall time, peak memory, exit code and the first line of
the message. Hostile files must be refused (exit 1) within 5 s and 300 MB; benign ones must
work. `e2e/hostile.test.mjs` loads the same files into the page. `--write-only` skips the CLI.
"""
import json, os, struct, subprocess, sys, wave

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "target", "hostile")
BIN = os.path.join(ROOT, "target", "release", "siamese-ser")
os.makedirs(OUT, exist_ok=True)
CSV = open(os.path.join(ROOT, "data", "ravdess_16k.csv")).read().splitlines()
HEADER, ROWS = CSV[0], CSV[1:]
MODEL = os.path.join(ROOT, "www", "models", "tess.json")
index = []


def put(name, data, role, kind, what):
    mode = "wb" if isinstance(data, (bytes, bytearray)) else "w"
    with open(os.path.join(OUT, name), mode) as f:
        f.write(data)
    index.append({"file": name, "role": role, "kind": kind, "what": what})


def wav_bytes(rate=16000, channels=1, bits=16, frames=16000, fmt=1, data_claim=None, riff_claim=None, extra=b""):
    block = channels * ((bits + 7) // 8)
    body = bytearray()
    for i in range(frames * channels):
        v = int(8000 * ((i * 37) % 101 - 50) / 50)
        if bits == 8:
            body += struct.pack("<B", 128 + v // 256)
        elif bits == 16:
            body += struct.pack("<h", v)
        elif bits == 24:
            body += struct.pack("<i", v * 256)[:3]
        elif bits == 32:
            body += struct.pack("<i", v * 65536)
    fmt_chunk = struct.pack("<HHIIHH", fmt, channels, rate, (rate * block) & 0xFFFFFFFF, block & 0xFFFF, bits)
    data = b"fmt " + struct.pack("<I", len(fmt_chunk)) + fmt_chunk + extra
    data += b"data" + struct.pack("<I", len(body) if data_claim is None else data_claim) + bytes(body)
    riff = len(data) + 4 if riff_claim is None else riff_claim
    return b"RIFF" + struct.pack("<I", riff) + b"WAVE" + data


def real_wav(rate, channels, bits):
    """A RAVDESS fixture recording converted by sample-and-hold / averaging (benign)."""
    src = os.path.join(ROOT, "tests", "fixtures", "audio", "03-01-05-02-01-01-03.wav")
    with wave.open(src) as w:
        pcm = struct.unpack(f"<{w.getnframes()}h", w.readframes(w.getnframes()))
    n = int(len(pcm) * rate / 16000)
    out = bytearray()
    for i in range(n):
        v = pcm[min(len(pcm) - 1, i * 16000 // rate)]
        for _ in range(channels):
            if bits == 8:
                out += struct.pack("<B", 128 + v // 256)
            elif bits == 24:
                out += struct.pack("<i", v * 256)[:3]
            else:
                out += struct.pack("<h", v)
    block = channels * bits // 8
    fmt_chunk = struct.pack("<HHIIHH", 1, channels, rate, rate * block, block, bits)
    return b"RIFF" + struct.pack("<I", 36 + len(out)) + b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt_chunk + b"data" + struct.pack("<I", len(out)) + bytes(out)


# --- WAV headers that lie, absurd rates and channel counts
put("rate-10MHz.wav", wav_bytes(rate=10_000_019, frames=128), "target", "hostile", "a 300-byte WAV claiming 10,000,019 Hz")
put("rate-1MHz.wav", wav_bytes(rate=1_000_003, frames=128), "target", "hostile", "a WAV claiming 1,000,003 Hz")
put("rate-1Hz.wav", wav_bytes(rate=1, frames=128), "target", "hostile", "a WAV claiming 1 Hz")
put("channels-65535.wav", wav_bytes(channels=65535, frames=0, data_claim=0xFFFFFFF0), "target", "hostile", "65,535 channels and a 4 GB data claim")
put("data-claims-4GB.wav", wav_bytes(frames=100, data_claim=0xFFFFFFF0), "target", "hostile", "a data chunk claiming 4 GB in a 300-byte file")
put("riff-claims-0.wav", wav_bytes(frames=100, riff_claim=0), "target", "hostile", "a RIFF size of 0")
put("fmt-truncated.wav", wav_bytes(frames=100)[:30], "target", "hostile", "a header cut inside the fmt chunk")
put("bits-0.wav", wav_bytes(bits=0, frames=10), "target", "hostile", "0 bits per sample")
put("bits-7.wav", wav_bytes(bits=7, frames=10), "target", "hostile", "7 bits per sample")
put("mp3-in-wav.wav", wav_bytes(fmt=0x55, frames=100), "target", "hostile", "an MP3 format tag")
put("huge-chunk.wav", wav_bytes(frames=100, extra=b"LIST" + struct.pack("<I", 0xFFFFFFF0)), "target", "hostile", "a LIST chunk claiming 4 GB before the data")
put("too-long.wav", wav_bytes(rate=8000, bits=8, frames=601 * 8000), "target", "hostile", "a real 601-second recording (8 kHz, 8-bit)")
put("empty.wav", b"", "target", "hostile", "an empty file named .wav")
put("text.wav", "this is text, not audio", "target", "hostile", "text named .wav")
# --- not CSV, huge headers and fields
put("png-as.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "target", "hostile", "a PNG named .csv")
put("weights-as.csv", open(MODEL).read(), "target", "hostile", "a weights file named .csv")
put("binary.csv", bytes((i * 7919) % 256 for i in range(20000)), "target", "hostile", "random bytes")
put("million-columns.csv", ",".join(f"c{i}" for i in range(1_000_000)) + "\n", "target", "hostile", "a header of a million columns")
put("duplicate-columns.csv", HEADER + ",emotion\n" + ROWS[0] + ",x\n", "target", "hostile", "a column named twice")
put("huge-field.csv", HEADER + "\n" + ROWS[0].replace(ROWS[0].split(",")[0], "x" * 5_000_000, 1) + "\n", "target", "hostile", "a 5 MB cell")
put("unterminated-quote.csv", HEADER + '\n"' + ROWS[0] + "\n" + "\n".join(ROWS[1:200]) + "\n", "target", "hostile", "a quote that never closes")
put("nan.csv", HEADER + "\n" + ROWS[0].replace(ROWS[0].split(",")[4], "NaN", 1) + "\n", "target", "hostile", "a NaN feature")
put("ragged.csv", HEADER + "\n" + ROWS[0] + "\n" + ROWS[1] + ",extra\n", "target", "hostile", "a row with an extra cell")
put("header-only.csv", HEADER + "\n", "target", "hostile", "a header and no rows")
# --- weights: inflated, deeply nested, damaged
w = json.load(open(MODEL))
deep = '{"format":"siamese-ser-weights","version":2,"model":' + "[" * 100000 + "]" * 100000 + "}"
put("deeply-nested.json", deep, "model", "hostile", "JSON nested 100,000 deep")
inflated = dict(w)
inflated["references"] = dict(w["references"], x=w["references"]["x"] * 2500, labels=w["references"]["labels"] * 2500)
put("inflated-refs.json", json.dumps(inflated), "model", "benign", "20,000 references (58 MB): large, within the limits")
put("padded-weights.json", json.dumps(w) + " " * (65 * 1024 * 1024), "model", "hostile", "a weights file padded to 65 MB")
wide = json.loads(json.dumps(w))
wide["model"]["extractor"] = [100000, 32, 16]
put("absurd-architecture.json", json.dumps(wide), "model", "hostile", "an extractor layer 100,000 wide")
nanw = json.loads(json.dumps(w))
nanw["layers"][0]["weights"][5] = 1e39
put("overflowing-weight.json", json.dumps(nanw), "model", "hostile", "a weight of 1e39 (infinite in f32)")
# --- an absurd experiment config
put("absurd-config.json", json.dumps({"speakers": list(range(2, 64)), "frozen": [0, 1, 2, 0, 1, 2, 0, 1], "repeats": 1000, "pretrain_seeds": 50}), "config", "hostile", "62 values of k × 8 frozen × 1,000 repeats")
put("huge-epochs.json", json.dumps({"finetune": {"epochs": 10**12}}), "config", "hostile", "10^12 epochs")
put("seed-1e20.json", '{"seed": 1e20}', "config", "hostile", "a seed of 1e20")
# --- benign oddities
put("bom-crlf.csv", "\ufeff" + "\r\n".join(CSV[:129]) + "\r\n", "target", "benign", "a byte-order mark and CRLF line ends")
put("tabs.csv", "\n".join(l.replace(",", "\t") for l in CSV[:129]) + "\n", "target", "benign", "tab-separated")
put("semicolons.csv", "\n".join(l.replace(",", ";") for l in CSV[:129]) + "\n", "target", "benign", "semicolon-separated")
put("03-01-05-02-01-01-03_8bit.wav", real_wav(16000, 1, 8), "target", "benign", "8-bit PCM")
put("03-01-05-02-01-01-03_24bit.wav", real_wav(16000, 1, 24), "target", "benign", "24-bit PCM")
put("03-01-05-02-01-01-03_44k_stereo.wav", real_wav(44100, 2, 16), "target", "benign", "44.1 kHz stereo")
json.dump(index, open(os.path.join(OUT, "index.json"), "w"), indent=1)

if "--write-only" in sys.argv:
    sys.exit(0)

ravdess = os.path.join(ROOT, "data", "ravdess_16k.csv")
rows = ["| file | what it is | CLI: outcome, time, memory | message |", "|---|---|---|---|"]
failures = []
for e in index:
    path = os.path.join(OUT, e["file"])
    if e["role"] == "target" and e["file"].endswith(".wav"):
        cmd = ["features", path, "--out", os.devnull]
    elif e["role"] == "target":
        cmd = ["predict", "--weights", MODEL, "--input", path, "--out", os.devnull]
    elif e["role"] == "model":
        cmd = ["evaluate", "--weights", path, "--target", ravdess]
    else:
        cmd = ["reproduce", "--weights", MODEL, "--target", ravdess, "--config", path]
    r = subprocess.run(["/usr/bin/time", "-f", "%e %M", BIN, *cmd], capture_output=True, text=True, timeout=120)
    err = r.stderr.strip().splitlines()
    seconds, kb = err[-1].split()
    message = next((l for l in err if l.startswith("error:")), "").replace("error: ", "").replace(path, e["file"])
    ok = r.returncode == 0
    secs, mb = float(seconds), int(kb) / 1024
    expected = ok if e["kind"] == "benign" else (r.returncode == 1 and secs <= 5 and mb <= 300)
    if not expected:
        failures.append(e["file"])
    outcome = "works" if ok else f"refused (exit {r.returncode})"
    rows.append(f"| `{e['file']}` | {e['what']} | {outcome}, {secs:.2f} s, {mb:.0f} MB | {message[:160] or '—'} |")
table = "\n".join(rows) + "\n"
open(os.path.join(OUT, "hostile.md"), "w").write(table)
print(table)
if failures:
    sys.exit(f"not as expected: {failures}")
