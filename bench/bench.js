// Browser timing harness: the units of work of benches/training.rs (finetune_k2_session: draw,
// "before", the baseline, training, "after") and
// of `siamese-ser reproduce --weights www/models/tess.json` with one thread, in wasm.
import init, { FineTune, Model, PaperRun, Recordings, Table } from '../pkg/siamese_ser.js';

const out = document.getElementById('result');
const params = new URLSearchParams(location.search);
const runs = Number(params.get('runs') || 20);
const paper = params.get('paper') !== '0';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main() {
  await init();
  const [modelJson, csv] = await Promise.all([
    fetch('../www/models/tess.json').then((r) => r.text()),
    fetch('../data/ravdess_16k.csv').then((r) => r.text()),
  ]);
  const model = Model.fromJson(modelJson);
  const table = Table.parse(csv, 'ravdess_16k.csv');
  const session = (distance) => {
    const t0 = performance.now();
    const ft = new FineTune(model, table, { speakers: 2, train: { seed: 42, distance_loss: distance } });
    while (!ft.done()) ft.step(1000);
    const outcome = ft.finish();
    ft.free();
    return [performance.now() - t0, outcome.after.unseen.uar];
  };
  const result = { userAgent: navigator.userAgent, runs };
  for (const distance of [false, true]) {
    for (let i = 0; i < 3; i++) session(distance); // warm-up
    const times = [];
    let uar;
    for (let i = 0; i < runs; i++) {
      const [ms, u] = session(distance);
      times.push(ms);
      uar = u;
    }
    result[distance ? 'finetune_k2_session_distance_ms' : 'finetune_k2_session_ms'] = {
      median: median(times),
      min: Math.min(...times),
      max: Math.max(...times),
      uar,
    };
  }
  // Feature extraction, as benches/training.rs measures it natively: the 16 fixture WAV files
  // (decode + IS09 at 16 kHz), and the same audio at 48 kHz (conversion to 16 kHz + IS09).
  const names = [];
  for (const emotion of ['03', '04', '05', '06']) {
    for (const actor of ['03', '04', '07', '08']) names.push(`03-01-${emotion}-02-01-01-${actor}.wav`);
  }
  const wavs = await Promise.all(names.map((n) => fetch(`../tests/fixtures/audio/${n}`).then((r) => r.arrayBuffer())));
  const pcm = wavs.flatMap((b) => Array.from(new Int16Array(b, 44), (v) => v / 32768));
  const seconds = pcm.length / 16000;
  const at48 = new Float32Array(pcm.length * 3);
  for (let i = 0; i < at48.length; i++) {
    const x = i / 3;
    const k = Math.floor(x);
    at48[i] = pcm[k] + (x - k) * ((pcm[k + 1] ?? pcm[k]) - pcm[k]);
  }
  const timeIt = (fn) => {
    fn(); // warm-up
    const times = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      fn();
      times.push(performance.now() - t0);
    }
    return median(times);
  };
  const filesMs = timeIt(() => {
    const rec = new Recordings();
    wavs.forEach((b, i) => rec.addWav(names[i], new Uint8Array(b)));
    rec.free();
  });
  const micMs = timeIt(() => {
    const rec = new Recordings();
    rec.addClip('mic', at48, 48000, '', 'me');
    rec.free();
  });
  result.features = {
    audio_seconds: seconds,
    wav_16k_files_ms: filesMs,
    wav_16k_realtime: seconds / (filesMs / 1000),
    microphone_48k_ms: micMs,
    microphone_48k_realtime: seconds / (micMs / 1000),
  };

  if (paper) {
    const t0 = performance.now();
    const run = PaperRun.fromModel(model, table, undefined);
    while (!run.done()) run.step();
    const report = run.report();
    run.free();
    result.paper_experiment_s = (performance.now() - t0) / 1000;
    result.paper_table1 = report.table1;
    result.paper_baselines = report.baselines.logistic_regression;
    result.paper_table1_ci = report.table1_ci;
  }
  out.textContent = JSON.stringify(result, null, 2);
  document.body.dataset.done = 'true';
}

main().catch((e) => {
  out.textContent = `error: ${e.message || e}`;
  document.body.dataset.done = 'error';
});
