// What every part of the page shares: the element lookup, the page's state (`ui`), the
// emotions and bundled files, and small helpers for text, errors, files and downloads.
export const $ = (id) => document.getElementById(id);
export const EMOTIONS = []; // filled from the engine at start, in the order every report uses
// UAR of guessing among the emotions the engine recognises.
export const chance = () => 1 / EMOTIONS.length;
export const BUNDLE = window.SIAMESE_BUNDLE || null; // set by the single-file build
export const MODELS = {
  tess: { file: 'models/tess.json', label: 'pretrained on TESS' },
  all: { file: 'models/all.json', label: 'trained on every available corpus' },
};
export const SAMPLE = { file: '../data/ravdess_16k.csv', name: 'ravdess_16k.csv' };

export const ui = {
  state: 'loading',
  modelName: null,
  modelChoice: null, // the dropdown's option of the loaded model
  loads: 0, // counts model and target changes: a job's results belong to those it started with
  lastLoad: '', // the latest of those changes, in words ("the target is now x.csv")
  // Models fine-tuned and then used in this session, for their names.
  tunedCount: 0,
  // Corpora the loaded model was trained on that the target has rows of.
  overlap: [],
  // Why the paper's experiment cannot run on the loaded model and target ('' if it can).
  paperProblem: '',
  haveModel: false,
  haveTarget: false,
  haveSource: false,
  haveTuned: false,
  haveVoiceModel: false,
  busy: null, // id of the running job
  limits: null, // the engine's limits (src/limits.rs), read at start
  targetSeq: 0, // counts the person's target choices: only the newest one is loaded
  outcome: null,
  outcomeCsv: null,
  report: null,
  gridCsv: null,
  predictCsv: null,
  plots: {},
};

// A file larger than the engine accepts is refused before it is read.
const mb = (bytes) => `${(bytes / 1048576).toFixed(bytes < 10485760 ? 1 : 0)} MB`;
export function tooBig(file, limit, what) {
  return file.size > limit ? `${file.name} is ${mb(file.size)}; the limit for ${what} is ${mb(limit)}.` : null;
}

export function status(text) {
  $('status').textContent = text;
}
export function showError(id, message) {
  const el = $(id);
  el.textContent = message;
  el.hidden = !message;
}
export const clearError = (id) => showError(id, '');
export const pct = (x) => (x === null || x === undefined || Number.isNaN(x) ? '—' : `${(100 * x).toFixed(1)} %`);
export const fmt = (x, d = 4) => (x === null || x === undefined ? '—' : Number(x).toFixed(d));
export const esc = (s) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

export function readFile(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(new Error(`could not read ${file.name}`));
    r.readAsText(file);
  });
}
export async function fetchText(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}
// What a download was computed with: engine, model and target.
export function provenance(body) {
  return { engine: `siamese-ser ${$('engine-version').textContent}`, model: ui.modelName, target: ui.targetName, ...body };
}

export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
// The engine names a refused setting by its field in the settings (`learning_rate`); the page
// names it by the label of the input that holds it, which for `speakers` depends on the run.
const FIELDS = {
  speakers: 'set-speakers',
  samples_per_emotion: 'set-samples',
  epochs: 'set-epochs',
  learning_rate: 'set-lr',
  seed: 'set-seed',
  frozen_layers: 'set-frozen',
  repeats: 'paper-repeats',
};
// “1 row”, “2 rows”.
export const count = (n, one, many = `${one}s`) => `${int(n)} ${n === 1 ? one : many}`;
// A whole number with thousands separators: “61,440”.
export const int = (n) => Number(n).toLocaleString('en');
// File names in a person's order: "clip-2" before "clip-10".
export const byName = (a, b) => a.localeCompare(b, 'en', { numeric: true });
// The name a chosen file goes by: its path in a dropped folder or a chosen one, else its name.
export const pathOf = (f) => f.path || (f.file || f).webkitRelativePath || (f.file || f).name;
// How far one test row more or less recognised moves UAR on `rows` rows (about as many of
// each of the four emotions), in words: what a small test set's figure is worth.
export const oneRowMoves = (rows) =>
  `one row more or less recognised moves UAR by about ${count(Math.round(100 / (4 * Math.max(1, Math.floor(rows / 4)))), 'point')}`;
// The engine's messages are clauses ("the CSV file is empty"), written to follow a prefix
// ("data.csv: …"). `sentence` ends one with a full stop, so that another can follow it;
// `alone` also capitalises its first word, for an alert that shows it without a prefix (a
// symbol such as “k = 8 …” stays as it is).
export const sentence = (s) => (/[.!?…]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);
export const alone = (s) => sentence(s.replace(/^[a-z](?=[a-z])/, (c) => c.toUpperCase()));
// The label of field `id` (a refused setting is named by it), or null.
export const labelText = (id) => document.querySelector(`label[for="${id}"]`)?.textContent.trim() ?? null;
// What a person typed, shortened for a message: “12345678901234567890…”.
export const clip = (text) => (text.length > 24 ? `${text.slice(0, 20)}…` : text);
// An error as the page shows it: the engine's message, or a setting's named by its label.
export function errorText(e, kind = null) {
  if (e && e.setting && e.expected !== undefined) {
    const id = kind === 'paper' && e.setting === 'speakers' ? 'paper-speakers' : FIELDS[e.setting];
    const label = id && labelText(id);
    if (label) return `${label}: ${e.value} is not allowed: ${e.expected}.`;
  }
  return sentence((e && (e.error || e.message)) || String(e));
}
