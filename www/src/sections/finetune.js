// Section 4, fine-tune: one k-shot fine-tuning, its before/after figures beside the baseline,
// guidance, loss curves and the embedding map, and what can be downloaded.
import { call, cancelJob, replay, request, runJob } from '../engine.js';
import {
  $,
  EMOTIONS,
  chance,
  clearError,
  download,
  errorText,
  esc,
  fmt,
  oneRowMoves,
  pct,
  provenance,
  showError,
  status,
  ui,
} from '../page.js';
import { drawEmbedding, drawLoss } from '../plots.js';
import { confusionTable, headline, recallTable } from '../render.js';
import { addModelChoice, didNotRun, modelChanged, removeRun } from './model.js';
import { currentSettings, differs, onSettingsChange, settingsOrAlert } from '../settings.js';

const speakersWord = (n) => (n === 1 ? 'one speaker' : `${n} speakers`);

// What a person should make of a result that looks wrong or says little.
function guidance(before, after, o) {
  const notes = [];
  // Lower as shown, not by a rounding the page does not show.
  if (pct(after.uar) !== pct(before.uar) && after.uar < before.uar) {
    notes.push(
      `Fine-tuning lowered UAR here: ${o.labelled.length} labelled rows are a noisier yardstick than the ` +
        "loaded model's own references, and with few speakers fine-tuning often does worse (README, Reproduction). " +
        'Try more speakers k, or keep the loaded model.',
    );
  }
  if (after.speakers < 2) {
    notes.push(
      `The test rows come from ${after.speakers === 1 ? 'one speaker' : 'no known speaker'}: this says how the model does on ` +
        'that voice, not on new voices in general. ' +
        (o.config.speakers > 1
          ? 'Choose fewer speakers k to leave more speakers for testing.'
          : 'k is already 1: only a target with more speakers can leave more for testing.'),
    );
  }
  const absent = EMOTIONS.filter((e, i) => after.recall[i] === null);
  if (absent.length) {
    notes.push(
      `The test rows have no ${absent.join(' or ')} row, so UAR here averages the other ${EMOTIONS.length - absent.length} emotions: ` +
        'an easier test than all four, not comparable with figures on all four.',
    );
  }
  if (after.rows < 100) {
    notes.push(`Only ${after.rows} test rows: ${oneRowMoves(after.rows)}, so this figure says little.`);
  }
  return notes.length ? ` ${notes.join(' ')}` : '';
}

// The settings a run used, in words.
function settingsLine(c, method) {
  const t = c.train;
  return (
    `method ${method}, k = ${c.speakers}, ${c.samples_per_emotion} per emotion, ${t.frozen_layers} frozen, ` +
    `${t.distance_loss ? 'with' : 'without'} distance loss, ${t.epochs} epochs, learning rate ${t.learning_rate}, seed ${t.seed}`
  );
}

// Shown results say so when the settings in the fields are no longer the ones they used.
function checkStale() {
  const el = $('results-stale');
  const now = currentSettings();
  el.hidden = !ui.outcome || Boolean(now && !differs(now, ui.outcome.config) && $('set-method').value === ui.outcomeMethod);
  if (!el.hidden) {
    el.textContent =
      `The settings were changed after this run: these results are from ${settingsLine(ui.outcome.config, ui.outcomeMethod)}. ` +
      'Press Fine-tune to run with the settings now shown.';
  }
}
onSettingsChange(checkStale);

function renderOutcome(r) {
  const o = r.outcome;
  const [before, after, base] = [headline(o.before), headline(o.after), headline(o.baseline)];
  const unseen = Boolean(o.after.unseen);
  $('results').hidden = false;
  $('uar-before').textContent = pct(before.uar);
  $('uar-after').textContent = pct(after.uar);
  const seen =
    o.after.seen && unseen
      ? ` On the other ${o.after.seen.rows} rows of the ${speakersWord(o.after.seen.speakers)} who gave labelled rows (seen speakers, ` +
        `not speaker-independent) the fine-tuned model reaches ${pct(o.after.seen.uar)}.`
      : '';
  const excluded = o.excluded_speakers.length
    ? ` Left out: ${o.excluded_speakers.join(', ')} (the development speakers the default settings were chosen on).`
    : '';
  $('results-basis').textContent =
    (unseen
      ? `Both figures on the same ${after.rows} rows of the ${speakersWord(after.speakers)} who gave no labelled row (unseen speakers).`
      : `Every speaker gave labelled rows, so these figures are on the other rows of those speakers (seen speakers): ` +
        `they say how well the model knows these voices, not how it does on new ones.`) +
    ` Before: the loaded model against its own references; after: the fine-tuned model against the ` +
    `${o.labelled.length} labelled rows.${
      base ? ` Logistic regression (the model's baseline adapted to the same ` + `labelled rows) on the same rows: ${pct(base.uar)}.` : ''
    } Chance is ${pct(chance())}.${seen}${excluded} ` +
    `Fine-tuning took ${(r.elapsed / 1000).toFixed(2)} s (${o.steps} steps).` +
    (ui.overlap.length
      ? ` The loaded model was trained on ${ui.overlap.join(', ')} too, so both figures may be optimistic: the corpus (its sentences and recording conditions, perhaps these speakers) is not new to it.`
      : '') +
    (o.labelled_known
      ? ` ${
          o.labelled_known === o.labelled.length
            ? `All ${o.labelled.length} labelled rows were`
            : `${o.labelled_known} of the ${o.labelled.length} labelled rows ${o.labelled_known === 1 ? 'was' : 'were'}`
        } already among the loaded model's references: it was fine-tuned on ${o.labelled_known === 1 ? 'that row' : 'them'} before ` +
        `(the same seed draws the same rows). Change the seed in section 3 to fine-tune on other rows.`
      : '') +
    guidance(before, after, o);
  $('recall-table').innerHTML = recallTable([
    ['before', before],
    ['after', after],
    ['logistic regression', base],
  ]);
  $('confusion').innerHTML = confusionTable(after);
  checkStale();
  $('labelled-list').innerHTML = o.labelled
    .map((l) => `<li>${esc(l.file || '(no file name)')} — speaker ${esc(l.speaker || '?')}, ${l.emotion}</li>`)
    .join('');
  drawLoss(o.epochs, o.config.train.distance_loss);
  // The map shows (a sample of) the unseen speakers' rows, or the seen ones' when there are none.
  drawEmbedding(
    o.embedding,
    `of the ${after.rows} rows of the ${speakersWord(after.speakers)} who gave ${unseen ? 'no labelled row' : 'the labelled rows'}`,
  );
  const clamped = o.epochs.reduce((a, s) => a + s.distance_clamped, 0);
  const batches = o.epochs.reduce((a, s) => a + s.batches, 0);
  if (o.config.train.distance_loss) {
    $('results-basis').textContent +=
      ' The distance loss is undefined for a batch in which pairs of different emotions lie no farther apart, on' +
      ` average, than pairs of the same emotion (Dd ≤ Ds); its fallback rule was used in ${clamped} of ${batches} batches.`;
  }
}

$('finetune-button').addEventListener('click', async () => {
  clearError('finetune-error');
  const config = settingsOrAlert('settings-error');
  if (!config) {
    didNotRun('finetune');
    status('Fine-tuning did not run.');
    $('settings-error').focus();
    return;
  }
  const epochs = [];
  const method = $('set-method').value;
  const job = request('finetune', { config }, (m) => {
    if (m.type === 'started') {
      // The engine took the settings and drew the rows: the earlier results go now, so that a
      // cancelled or failed run never sits beside them (refused settings leave them).
      removeRun('finetune', '');
      $('train-status').textContent = `Fine-tuning on ${m.labelled.length} labelled rows…`;
      $('train-progress').max = m.total;
      return;
    }
    epochs.push(...m.stats);
    const last = m.stats[m.stats.length - 1];
    $('train-progress').value = m.done;
    $('train-status').textContent =
      `Epoch ${m.done} of ${m.total} — pair loss ${fmt(last.bce)}, pair accuracy ${pct(last.pair_accuracy)}` +
      `${last.distance === null ? '' : `, distance loss ${fmt(last.distance, 3)}`} — ${(m.elapsed / 1000).toFixed(2)} s`;
  });
  $('train-status').textContent = 'Starting…';
  await runJob({
    kind: 'finetune',
    plots: true,
    job,
    busy: 'Fine-tuning…',
    done: (r) => {
      ui.outcome = r.outcome;
      ui.outcomeMethod = method;
      ui.outcomeCsv = r.csv;
      ui.haveTuned = true;
      renderOutcome(r);
      $('results-heading').focus();
      $('train-status').textContent = `Done: ${r.outcome.epochs.length} epochs in ${(r.elapsed / 1000).toFixed(2)} s.`;
      $('predict-model').textContent =
        `Predictions use the loaded model, “${ui.modelName}”; press “Use the fine-tuned model” to predict with the fine-tuned one.`;
      status(`Fine-tuned: UAR ${pct(headline(r.outcome.before).uar)} → ${pct(headline(r.outcome.after).uar)}.`);
    },
    cancelled: () => {
      $('train-status').textContent = 'Cancelled. The loaded model is unchanged.';
      status('Fine-tuning cancelled.');
    },
    superseded: (line) => ($('train-status').textContent = line),
    failed: 'Fine-tuning did not run.',
    failedLine: () => didNotRun('finetune'),
    // Errors about the draw or a setting belong next to the settings.
    errorId: (msg, err) => (['setting', 'data'].includes(err.kind) && !err.crashed ? 'settings-error' : 'finetune-error'),
  });
});
$('cancel-button').addEventListener('click', () => cancelJob('finetune'));

$('export-model').addEventListener('click', async () => {
  try {
    const r = await call('exportTuned');
    // Named by its draw, so that two downloads of one session do not overwrite each other.
    const c = ui.outcome && ui.outcome.config;
    download(
      c ? `siamese-ser-finetuned-k${c.speakers}-seed${c.train.seed}.json` : 'siamese-ser-finetuned.json',
      r.json,
      'application/json',
    );
  } catch (err) {
    showError('finetune-error', errorText(err));
  }
});
$('use-tuned').addEventListener('click', async () => {
  try {
    const r = await call('useTuned');
    // Named by what it came from, so that two models fine-tuned in one session are told apart
    // in the card, the model list and the downloads.
    ui.tunedCount += 1;
    const c = ui.outcome.config;
    const name =
      `fine-tuned model ${ui.tunedCount} of this session (from ${ui.modelName.split(' (')[0]}, on ${ui.targetName}, ` +
      `k = ${c.speakers}, ${c.train.epochs} epochs, seed ${c.train.seed})`;
    replay.model = { type: 'loadModel', args: { json: r.json, name } };
    modelChanged(r, name, 'the fine-tuned model is now the loaded model');
    addModelChoice(`Fine-tuned model ${ui.tunedCount} of this session`, r.json, name);
    status('The fine-tuned model is now the loaded model.');
    // The button went with the results: focus moves to the card of the model now loaded.
    $('model-card').focus();
  } catch (err) {
    showError('finetune-error', errorText(err));
  }
});
$('export-json').addEventListener('click', () => {
  if (ui.outcome) download('siamese-ser-results.json', JSON.stringify(provenance({ outcome: ui.outcome }), null, 2), 'application/json');
});
$('export-csv').addEventListener('click', () => {
  if (ui.outcomeCsv) download('siamese-ser-results.csv', ui.outcomeCsv, 'text/csv');
});
