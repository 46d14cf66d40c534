// Section 1, the model: the bundled models or a weights file, its card, and removing results
// that an earlier model computed.
import { refreshControls, setState } from '../controls.js';
import { call, replay, supersede } from '../engine.js';
import {
  $,
  BUNDLE,
  MODELS,
  chance,
  clearError,
  count,
  download,
  errorText,
  esc,
  fetchText,
  pct,
  readFile,
  sentence,
  showError,
  status,
  tooBig,
  ui,
} from '../page.js';
import { voiceModelGone } from '../microphone.js';

// What each measurement a fine-tuning stores in the weights file is (names from src/fewshot.rs
// and src/recordings.rs); the rows it was measured on come with it.
const MEASURED = {
  uar_after_finetuning: 'fine-tuned',
  uar_before_finetuning: 'before fine-tuning',
  baseline_uar: 'logistic regression adapted to the same labelled rows',
  heldout_uar: 'fine-tuned without the clip it predicts',
  heldout_uar_before: 'before fine-tuning',
  heldout_baseline_uar: 'logistic regression adapted the same way',
};

// One fine-tuning of the model's history: what it was, and the UARs measured right after it on
// its first set of rows (the unseen speakers' when there were any), as stored in the weights
// file, so that an imported model still says how well it did.
function fineTuning(f, i, all) {
  const what =
    `${count(f.rows, 'row')} of ${esc(f.corpora.join(', '))}, ${f.frozen_layers} frozen, ` +
    `${f.distance_loss ? 'with' : 'without'} distance loss, ${f.epochs} epochs, seed ${f.seed}`;
  const on = f.metrics.length ? f.metrics[0].on : null;
  const uars = f.metrics
    .filter((m) => m.on === on)
    .map((m, k) => {
      const v = k === 0 ? `<strong>${pct(m.value)}</strong>` : pct(m.value);
      return `${v} ${esc(MEASURED[m.name] || m.name)}`;
    });
  const measured = uars.length ? `<br>UAR then, on ${esc(on)}: ${uars.join(', ')}` : '';
  const which = all.length > 1 ? `${i + 1}. ` : '';
  const mine = all.length > 1 && i === all.length - 1 ? ' (the last: this model)' : '';
  return `${which}${what}${mine}${measured}`;
}

function renderCard(card, name) {
  const trained =
    card.trained_on
      .map((c) => `${esc(c.name)}: ${count(c.rows, 'row')}, ${c.speakers ? count(c.speakers, 'speaker') : 'speakers not known'}`)
      .join('; ') || '—';
  const oodt = card.metrics.filter((m) => m.name === 'oodt_uar');
  const tuned = card.fine_tuned.map(fineTuning);
  const measuredAny = card.fine_tuned.some((f) => f.metrics.length);
  $('model-card').innerHTML = `<dl>
    <dt>Model</dt><dd>${esc(name)}</dd>
    <dt>Trained on</dt><dd>${trained}</dd>
    ${tuned.length ? `<dt>Fine-tuned on</dt><dd>${tuned.join('<br>')}${measuredAny ? `<br>Chance is ${pct(chance())}.` : ''}</dd>` : ''}
    <dt>${tuned.length ? 'OODT UAR of the model it was fine-tuned from' : 'OODT UAR'}</dt><dd>${oodt.length ? oodt.map((m) => `<strong>${pct(m.value)}</strong> on ${esc(m.on)}; chance ${pct(chance())}`).join('<br>') : 'not measured (no held-out corpus)'}</dd>
    <dt>Network</dt><dd>${card.architecture.inputs} → ${card.architecture.extractor.join(' → ')} (extractor), |g(x) − g(x′)| → ${card.architecture.head} → 1; ${count(card.parameters, 'parameter')}</dd>
    <dt>Standardisation</dt><dd>${esc(card.normalization.replace('_', ' '))}</dd>
    <dt>References</dt><dd>${card.references}: ${esc(card.reference_description)}</dd>
  </dl>`;
  $('predict-model').textContent = `Predictions use the loaded model, “${name}”.`;
}

// Where each kind of run shows its results, and what it keeps of them.
const RUNS = {
  finetune: {
    name: 'Fine-tuning',
    results: 'results',
    status: 'train-status',
    progress: 'train-progress',
    kept: { outcome: null, outcomeMethod: null, outcomeCsv: null, haveTuned: false },
  },
  paper: {
    name: 'The experiment',
    results: 'paper-results',
    status: 'paper-status',
    progress: 'paper-progress',
    kept: { report: null, gridCsv: null, paperConfig: null },
  },
};

// The section's line when a run of `kind` did not run (refused, or failed before it started).
export function didNotRun(kind) {
  const r = RUNS[kind];
  $(r.status).textContent = $(r.results).hidden
    ? `${r.name} did not run.`
    : `${r.name} did not run; the results below are those of the earlier run.`;
}

// Removes the results of a run of `kind` (when a new one starts, or they stop describing what
// is loaded) and says `line`, or `otherwise` if there were none. Returns whether there were.
export function removeRun(kind, line, otherwise = '') {
  const r = RUNS[kind];
  const had = !$(r.results).hidden;
  $(r.results).hidden = true;
  $(r.progress).value = 0;
  Object.assign(ui, r.kept);
  $(r.status).textContent = had ? line : otherwise;
  return had;
}

// What was computed from an earlier model or target no longer describes what is loaded:
// it is removed, with a line saying why.
export function clearResults(why) {
  supersede(why);
  const had = !$('results').hidden || !$('paper-results').hidden;
  const line = had ? `Earlier results were removed: ${why}.` : '';
  for (const kind of Object.keys(RUNS)) removeRun(kind, line, line);
  for (const id of ['finetune-error', 'settings-error', 'paper-error']) clearError(id);
  // The page's status line must not go on announcing what was just removed.
  if (had) status(line);
  if (ui.modelName) $('predict-model').textContent = `Predictions use the loaded model, “${ui.modelName}”.`;
  // 'done' described the results just removed.
  if (ui.state === 'done') setState('ready');
  checkPaper();
}

// Whether the paper's experiment can run on this model and target at all: the engine's refusal
// (too few speakers, say), asked for before anyone presses Run, as Fine-tune's is.
export async function checkPaper() {
  ui.paperProblem = '';
  if ((ui.haveModel || ui.haveSource) && ui.haveTarget) {
    try {
      const { problem } = await call('paperCheck');
      ui.paperProblem = problem ? `The experiment cannot run on this target: ${sentence(problem)}` : '';
    } catch {
      /* Run says what is wrong */
    }
  }
  refreshControls();
}

// Predictions belong to the model that made them: a model change removes them.
function clearPredictions() {
  if (!$('predict-results').hidden) {
    $('predict-results').hidden = true;
    ui.predictCsv = null;
    $('predict-summary').textContent = '';
  }
}

export function showOverlap(overlap) {
  ui.overlap = overlap || [];
  const el = $('overlap-warning');
  if (overlap && overlap.length) {
    el.textContent =
      `Warning: the loaded model was trained on ${overlap.join(', ')}, and the target file has rows from it too. ` +
      'Its UAR on this file will be optimistic; for a fair test choose a model that has not seen this corpus.';
    el.hidden = false;
  } else {
    el.hidden = true;
  }
}

// A new model is loaded (`r`: its card and its overlap with the target): whatever the earlier
// one computed goes — results, predictions, and a voice model fine-tuned from it.
export function modelChanged(r, name, why) {
  ui.modelName = name;
  ui.haveModel = true;
  clearResults(why);
  clearPredictions();
  voiceModelGone('Your voice model was fine-tuned from the earlier model and was removed; train again to start from the one now loaded.');
  renderCard(r.card, name);
  showOverlap(r.overlap);
}

async function loadModel(json, name) {
  clearError('model-error');
  const args = { json, name };
  const r = await call('loadModel', args);
  replay.model = { type: 'loadModel', args };
  modelChanged(r, name, `the model is now ${name}`);
  status(`Model loaded: ${name}.`);
  refreshControls();
}

// The dropdown lists the bundled models and those of this session (imported, fine-tuned), so
// that a person can go back to an earlier one; the newest OTHER_MODELS of the session stay.
const OTHER_MODELS = 8;
const others = new Map(); // option value → the weights and the name the model was loaded with
let otherCount = 0;
export function addModelChoice(label, json, name) {
  const sel = $('model-select');
  const opt = document.createElement('option');
  opt.value = `other-${++otherCount}`;
  opt.textContent = label;
  sel.append(opt);
  others.set(opt.value, { json, name });
  if (others.size > OTHER_MODELS) {
    const [oldest] = others.keys();
    others.delete(oldest);
    sel.querySelector(`option[value="${oldest}"]`).remove();
  }
  sel.value = opt.value;
  ui.modelChoice = opt.value;
}

export async function loadBundledModel(key) {
  const m = MODELS[key];
  const json = BUNDLE ? await BUNDLE.models[key]() : await fetchText(m.file);
  await loadModel(json, `${m.label} (${m.file})`);
  $('model-select').value = key;
  ui.modelChoice = key;
}

$('model-select').addEventListener('change', async (e) => {
  const key = e.target.value;
  try {
    if (others.has(key)) {
      const m = others.get(key);
      await loadModel(m.json, m.name);
      ui.modelChoice = key;
    } else await loadBundledModel(key);
  } catch (err) {
    showError('model-error', `Could not load that model: ${errorText(err)}`);
    status(`The model could not be loaded; ${ui.modelName ? `${ui.modelName} is still loaded` : 'no model is loaded'}.`);
    // The list names the model that is loaded, not the one that failed.
    if (ui.modelChoice) e.target.value = ui.modelChoice;
  }
});
$('model-file').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  if (!file) return;
  try {
    const big = tooBig(file, ui.limits.weights_bytes, 'a weights file');
    if (big) throw new Error(big);
    const json = await readFile(file);
    await loadModel(json, file.name);
    addModelChoice(`imported: ${file.name}`, json, file.name);
  } catch (err) {
    showError('model-error', `${file.name}: ${errorText(err)}${ui.haveModel ? ' The previous model is still loaded.' : ''}`);
    status(`${file.name} could not be loaded as a model.`);
  } finally {
    e.target.value = '';
  }
});

// The loaded model as a weights file (after "Use the fine-tuned model" the only copy of it).
$('model-export').addEventListener('click', async () => {
  clearError('model-error');
  try {
    const r = await call('exportModel');
    // Named by the model's name before its details in brackets.
    const slug = ui.modelName
      .split('(')[0]
      .replace(/[^a-z0-9]+/gi, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase()
      .slice(0, 60);
    download(`siamese-ser-${slug || 'model'}.json`, r.json, 'application/json');
    status(`Downloaded ${ui.modelName}.`);
  } catch (err) {
    showError('model-error', errorText(err));
  }
});
