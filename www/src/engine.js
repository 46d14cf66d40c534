// The engine client: the main Web Worker that owns the WebAssembly engine, requests and their
// answers, starting it and restarting it after a trap, and the busy/done/failed life of a job.
import { available, setState } from './controls.js';
import { $, BUNDLE, EMOTIONS, errorText, esc, alone, showError, status, ui } from './page.js';
import { loadPlots } from './plots.js';
import { cancelPool, stopHelpers } from './pool.js';
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
  ui.speakerColumns = r.defaults.speaker_columns;
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

// A fresh worker in place of the engine, with what the person had loaded reloaded into it (a
// fine-tuned model not yet made the loaded one, and a voice model, are not).
async function restartEngine() {
  worker.terminate();
  startWorker();
  await initEngine();
  for (const kind of ['model', 'target', 'source', 'predict', 'voice']) {
    const r = replay[kind];
    if (r && r.restore) await r.restore();
    else if (r) await call(r.type, r.args);
  }
  if (ui.haveTuned) {
    $('train-status').textContent += ' The fine-tuned model was lost when the engine restarted: fine-tune again to use or download it.';
  }
  ui.haveTuned = false;
  ui.haveVoiceModel = false;
}

// When the engine traps, start a fresh worker and reload what the person had loaded.
export async function recover(message) {
  await restartEngine();
  return `${message} The engine was restarted and your model, files and recordings were reloaded; please try again.`;
}

// A long job in the worker: the busy state, then one of its endings (done, cancelled,
// superseded by a new model or target, failed). `explain` turns the engine's message into the
// alert's text; `failedLine` updates the section's own status line after a failure; a job that
// only loads data ends 'ready'.
// Resolves to true if the job finished.
// plots: the run ends in plots, so the plotting library is fetched meanwhile.
export async function runJob({
  kind,
  job,
  busy,
  done,
  cancelled = () => {},
  superseded = () => {},
  failed,
  failedLine = () => {},
  errorId,
  explain = alone,
  doneState = 'done',
  plots = false,
}) {
  ui.busy = { kind, id: job.id };
  // Results describe the model and target a job started with: if either changes while it
  // runs, they are not shown (and the job is cancelled: see `supersede`).
  const loads = ui.loads;
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
    if (ui.loads !== loads) throw { superseded: true };
    done(r);
    setState(doneState);
    keepFocus(from);
    return true;
  } catch (err) {
    const stopped = ui.busy;
    ui.busy = null;
    let shown = null;
    if (err.superseded || (err.cancelled && ui.loads !== loads)) {
      const line = `Stopped: ${ui.lastLoad}, and its results would have described the earlier one.`;
      superseded(line);
      status(line);
    } else if (err.cancelled) {
      cancelled();
      if (stopped && stopped.restarted) {
        status('Cancelled. The engine was stopped at once and restarted, and your model, files and recordings were reloaded.');
      }
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

// After a job, keyboard focus must not fall to the page or stay on a button that cannot be
// pressed (a Cancel button that became disabled, a button that went with its results): it goes to `target` (an error, or the
// control that started the job) if focus was lost, and stays where it is otherwise.
function keepFocus(target) {
  const lost = (el) => !el || el === document.body || el.disabled || !available(el) || !el.isConnected || el.offsetParent === null;
  if (!lost(document.activeElement)) return;
  if (target && !lost(target)) target.focus();
  else $('status').focus();
}
// The Cancel button of each kind of run that has one (Escape presses it too).
const CANCEL = { finetune: 'cancel-button', paper: 'paper-cancel', voice: 'voice-cancel' };
// A new model or target while a job runs: its results would describe the earlier ones, so it
// is cancelled and `runJob` does not show them. (The page disables loading during a job; this
// is for any way round that.)
export function supersede(why) {
  ui.loads += 1;
  ui.lastLoad = why;
  if (ui.busy && CANCEL[ui.busy.kind]) cancelJob(ui.busy.kind);
}
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && ui.busy && CANCEL[ui.busy.kind]) cancelJob(ui.busy.kind);
});
// An engine stops between two units of work; one unit of the experiment on a large target can
// take minutes, so engines still busy CANCEL_MS after Cancel are replaced instead.
const CANCEL_MS = 1500;
export function cancelJob(kind) {
  const job = ui.busy;
  if (!job || job.kind !== kind || job.cancelling) return;
  job.cancelling = true;
  status('Cancelling…');
  if (job.id === 'pool') cancelPool();
  else worker.postMessage({ type: 'cancel', target: job.id });
  setTimeout(() => {
    if (ui.busy === job) stopAtOnce(job);
  }, CANCEL_MS);
}

// Ends a job whose engines did not stop when asked: helper engines are dropped, and the main
// one, if the job still waits on it, is replaced by a fresh one holding what was loaded.
async function stopAtOnce(job) {
  status('Cancelling: stopping the engine at once…');
  // The job ends when what it waits on is rejected: the main engine's requests only once its
  // replacement holds what was loaded, so that the page is not ready before the engine is.
  const waiting = [...pending.values()];
  pending.clear();
  if (waiting.length) {
    await restartEngine();
    job.restarted = true;
  }
  stopHelpers();
  for (const p of waiting) p.reject({ cancelled: true, error: 'the engine was stopped' });
}
