// The engine client: the main Web Worker that owns the WebAssembly engine, requests and their
// answers, starting it and restarting it after a trap, and the busy/done/failed life of a job.
import { setState } from './controls.js';
import { $, BUNDLE, EMOTIONS, errorText, esc, alone, showError, status, ui } from './page.js';
import { loadPlots } from './plots.js';
import { cancelPool } from './pool.js';
import { applyLimits, applyMethod } from './settings.js';

let worker = null;
let nextId = 1;
export const newId = () => nextId++;
// A message to the main engine that expects no answer (cancel, microphone audio).
export const postToEngine = (m, transfer = []) => worker.postMessage(m, transfer);
const pending = new Map();
export const replay = {}; // last successful load per kind, to restore a replaced worker

// An engine's message m for the request it answers in `requests` (id → resolve, reject,
// onEvent): progress goes to onEvent, the final answer settles the request.
export function settle(requests, m) {
  const p = requests.get(m.id);
  if (!p) return;
  if (m.type === 'progress' || m.type === 'started') {
    if (p.onEvent) p.onEvent(m);
    return;
  }
  requests.delete(m.id);
  if (m.ok) p.resolve(m);
  else p.reject(m);
}

export function startWorker() {
  worker = BUNDLE ? new Worker(BUNDLE.workerUrl) : new Worker('worker.js', { type: 'module' });
  worker.onmessage = (e) => settle(pending, e.data);
  worker.onerror = (e) => {
    e.preventDefault();
    for (const [, p] of pending) p.reject({ error: `The engine stopped: ${e.message || 'unknown error'}`, crashed: true });
    pending.clear();
  };
}

export function request(type, args = {}, onEvent = null, transfer = []) {
  const id = nextId++;
  const promise = new Promise((resolve, reject) => pending.set(id, { resolve, reject, onEvent }));
  worker.postMessage({ id, type, ...args }, transfer);
  return { id, promise };
}
export const call = (type, args, onEvent, transfer) => request(type, args, onEvent, transfer).promise;

export async function initEngine() {
  const args = BUNDLE ? { wasm: await BUNDLE.wasm() } : {};
  const r = await call('init', args, null, args.wasm ? [args.wasm.buffer] : []);
  $('engine-version').textContent = r.version;
  ui.limits = r.limits;
  applyLimits();
  EMOTIONS.splice(0, EMOTIONS.length, ...r.emotions);
  // The settings start at the engine's defaults (src/fewshot.rs, src/protocol/mod.rs).
  ui.methods = r.defaults.methods;
  if (!ui.defaultsShown) {
    const label = (m) =>
      m.name === r.defaults.best ? `${m.name} — measured best` : m.name === 'paper' ? "paper — the paper's method" : m.name;
    for (const id of ['set-method', 'paper-method']) {
      $(id).innerHTML = r.defaults.methods.map((m) => `<option value="${esc(m.name)}">${esc(label(m))}</option>`).join('');
    }
    $('paper-method').value = 'paper';
    const f = r.defaults.fewshot;
    $('set-speakers').value = f.speakers;
    $('set-samples').value = f.samples_per_emotion;
    $('set-frozen').value = String(f.train.frozen_layers);
    $('set-distance').checked = f.train.distance_loss;
    $('set-epochs').value = f.train.epochs;
    $('set-lr').value = f.train.learning_rate;
    $('set-seed').value = f.train.seed;
    $('paper-repeats').value = r.defaults.protocol.repeats;
    $('set-method').value = r.defaults.best;
    applyMethod();
    ui.defaultsShown = true;
  }
}

// When the engine traps, start a fresh worker and reload what the person had loaded.
export async function recover(message) {
  worker.terminate();
  startWorker();
  await initEngine();
  for (const kind of ['model', 'target', 'source', 'predict', 'voice']) {
    const r = replay[kind];
    if (r && r.restore) await r.restore();
    else if (r) await call(r.type, r.args);
  }
  ui.haveTuned = false;
  ui.haveVoiceModel = false;
  return `${message} The engine was restarted and your model, files and recordings were reloaded; please try again.`;
}

// A long job in the worker: the busy state, then one of its three endings. `explain` turns
// the engine's message into the alert's text; `failedLine` updates the section's own status
// line after a failure; a job that only loads data ends 'ready'.
// Resolves to true if the job finished.
// plots: the run ends in plots, so the plotting library is fetched meanwhile.
export async function runJob({
  kind,
  job,
  busy,
  done,
  cancelled = () => {},
  failed,
  failedLine = () => {},
  errorId,
  explain = alone,
  doneState = 'done',
  plots = false,
}) {
  ui.busy = { kind, id: job.id };
  const from = document.activeElement; // the control that started the job
  setState('busy');
  // The button that started it is disabled now: the focus goes to the run's Cancel button.
  keepFocus(CANCEL[kind] && $(CANCEL[kind]));
  status(busy);
  const plotting = plots ? loadPlots().catch(() => {}) : null; // a failure shows in the plot
  try {
    const r = await job.promise;
    await plotting;
    ui.busy = null;
    done(r);
    setState(doneState);
    keepFocus(from);
    return true;
  } catch (err) {
    ui.busy = null;
    let shown = null;
    if (err.cancelled) {
      cancelled();
    } else {
      let msg = errorText(err, kind);
      if (err.crashed) msg = await recover(msg);
      shown = errorId(msg, err);
      showError(shown, explain(msg));
      status(failed);
      failedLine();
    }
    setState('ready');
    keepFocus(shown ? $(shown) : from);
    return false;
  }
}

// After a job, keyboard focus must not fall to the page (a Cancel button that became
// disabled, a button that went with its results): it goes to `target` (an error, or the
// control that started the job) if focus was lost, and stays where it is otherwise.
function keepFocus(target) {
  const lost = (el) => !el || el === document.body || el.disabled || !el.isConnected || el.offsetParent === null;
  if (!lost(document.activeElement)) return;
  if (target && !lost(target)) target.focus();
  else $('status').focus();
}
// The Cancel button of each kind of run that has one (Escape presses it too).
const CANCEL = { finetune: 'cancel-button', paper: 'paper-cancel' };
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && ui.busy && CANCEL[ui.busy.kind]) cancelJob(ui.busy.kind);
});
export function cancelJob(kind) {
  if (!ui.busy || ui.busy.kind !== kind) return;
  if (ui.busy.id === 'pool') cancelPool();
  else worker.postMessage({ type: 'cancel', target: ui.busy.id });
}
