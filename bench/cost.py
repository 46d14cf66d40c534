#!/usr/bin/env python3
"""Cost growth: time and peak memory of the release CLI against rows, columns and minutes of
audio, on inputs built from the committed RAVDESS features and fixture recordings.

Run `make cost` (it builds the CLI first); writes target/cost/cost.md and prints it. Each
figure is one run of `/usr/bin/time -f "%e %M"` on this machine: wall seconds and peak
resident memory. The machine is shared and noisy, so read growth, not absolute values.
"""
import csv, io, os, struct, subprocess, sys, wave

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "target", "cost")
BIN = os.path.join(ROOT, "target", "release", "siamese-ser")
os.makedirs(OUT, exist_ok=True)


def run(args):
    r = subprocess.run(["/usr/bin/time", "-f", "%e %M", BIN, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{r.stderr[-2000:]}")
    seconds, kb = r.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kb) / 1024


def ravdess():
    with open(os.path.join(ROOT, "data", "ravdess_16k.csv")) as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def rows_file(n):
    """n rows: RAVDESS repeated, each copy as new speakers (so per-speaker groups stay 32 rows)."""
    header, body = ravdess()
    path = os.path.join(OUT, f"rows-{n}.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for i in range(n):
            r = list(body[i % len(body)])
            copy = i // len(body)
            r[0], r[2] = f"{copy}-{r[0]}", f"{r[2]}x{copy}"
            w.writerow(r)
    return path


def columns_file(c):
    """All 768 RAVDESS rows with c feature columns (the 64, then shifted copies)."""
    header, body = ravdess()
    meta, feats = header[:4], header[4:]
    path = os.path.join(OUT, f"columns-{c}.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(meta + [f"{feats[j % 64]}#{j // 64}" if j >= 64 else feats[j] for j in range(c)])
        for r in body:
            w.writerow(r[:4] + [str(float(r[4 + j % 64]) * (1 + 0.01 * (j // 64))) for j in range(c)])
    return path


def audio_file(minutes, rate):
    """The 16 fixture recordings looped to `minutes`, at `rate` Hz (sample-and-hold upsampling)."""
    pcm = []
    fixtures = os.path.join(ROOT, "tests", "fixtures", "audio")
    for name in sorted(os.listdir(fixtures)):
        if name.endswith(".wav"):
            with wave.open(os.path.join(fixtures, name)) as w:
                pcm += list(struct.unpack(f"<{w.getnframes()}h", w.readframes(w.getnframes())))
    n = int(minutes * 60 * 16000)
    step = rate // 16000
    path = os.path.join(OUT, f"audio-{minutes}min-{rate}.wav")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        chunk = struct.pack(f"<{len(pcm)}h", *pcm)
        frames = bytearray()
        while len(frames) < 2 * n:
            frames += chunk
        frames = bytes(frames[: 2 * n])
        if step > 1:
            samples = struct.unpack(f"<{n}h", frames)
            frames = struct.pack(f"<{n * step}h", *(s for s in samples for _ in range(step)))
        w.writeframes(frames)
    return path


model = os.path.join(ROOT, "www", "models", "tess.json")
lines = ["| input | command | wall time | peak memory |", "|---|---|---|---|"]
for n in [1000, 10000, 100000]:
    p = rows_file(n)
    mb = os.path.getsize(p) / 1e6
    s, m = run(["predict", "--weights", model, "--input", p, "--out", os.devnull])
    lines.append(f"| {n:,} rows × 64 columns ({mb:.1f} MB) | predict | {s:.2f} s | {m:.0f} MB |")
    s, m = run(["pretrain", "--source", p, "--epochs", "4", "--out", os.devnull])
    lines.append(f"| {n:,} rows × 64 columns | pretrain, 4 epochs | {s:.2f} s | {m:.0f} MB |")
for c in [64, 384, 1536, 6144]:
    p = columns_file(c)
    mb = os.path.getsize(p) / 1e6
    s, m = run(["pretrain", "--features", "all", "--source", p, "--epochs", "4", "--out", os.path.join(OUT, "m.json")])
    lines.append(f"| 768 rows × {c:,} columns ({mb:.1f} MB) | pretrain --features all, 4 epochs | {s:.2f} s | {m:.0f} MB |")
    s, m = run(["predict", "--weights", os.path.join(OUT, "m.json"), "--input", p, "--out", os.devnull])
    lines.append(f"| 768 rows × {c:,} columns | predict | {s:.2f} s | {m:.0f} MB |")
for minutes, rate in [(1, 16000), (5, 16000), (10, 16000), (1, 48000), (10, 48000)]:
    p = audio_file(minutes, rate)
    mb = os.path.getsize(p) / 1e6
    s, m = run(["features", p, "--out", os.devnull])
    lines.append(f"| {minutes} min of audio at {rate // 1000} kHz ({mb:.0f} MB WAV) | features | {s:.2f} s | {m:.0f} MB |")
table = "\n".join(lines) + "\n"
open(os.path.join(OUT, "cost.md"), "w").write(table)
print(table)
