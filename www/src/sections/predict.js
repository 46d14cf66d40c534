// Section 6, predict: a CSV, WAV files or a folder, predicted by the model the card shows.
import { call, recover, replay } from '../engine.js';
import {
  $,
  byName,
  EMOTIONS,
  chance,
  clearError,
  count,
  download,
  errorText,
  esc,
  int,
  oneRowMoves,
  pathOf,
  pct,
  provenance,
  readFile,
  showError,
  status,
  sentence,
  tooBig,
  ui,
} from '../page.js';
import { isWav } from './target.js';

// `read`: what was read, in words ("40 rows read", "16 of 17 files used").
function renderPredictions(r, from, read) {
  // The download says what made it: engine, model and input, on a first comment line.
  const p = provenance({ input: from });
  ui.predictCsv = `# ${p.engine}; model ${p.model}; input ${p.input}\n${r.csv}`;
  const shown = r.rows.slice(0, 500);
  $('predict-results').hidden = false;
  const t = r.totals;
  const other = r.rows.filter((p) => p.other_label).length;
  $('predict-summary').textContent =
    `${count(t.rows, 'row')} predicted from ${from} (${read}) with the model “${ui.modelName}”` +
    `${t.labelled ? `; ${int(t.correct)} of ${count(t.labelled, 'labelled row')} predicted correctly (${pct(t.correct / t.labelled)})` : ''}` +
    `${r.labelled ? `, UAR ${pct(r.labelled.uar)} on them (chance ${pct(chance())})` : ''}` +
    `${t.labelled && t.labelled < 100 ? `; with ${count(t.labelled, 'labelled row')} ${oneRowMoves(t.labelled)}, so it says little` : ''}` +
    `${other ? `; ${count(other, 'row')} of other emotions, predicted as one of the four, ${other === 1 ? 'counts' : 'count'} in no figure` : ''}` +
    `${r.baseline ? `; the model's logistic regression on the same rows: UAR ${pct(r.baseline.uar)}` : ''}` +
    `${r.overlap.length ? `; the model was trained on ${r.overlap.join(', ')} too, so these figures are optimistic` : ''}` +
    `${t.standardised_by_model ? `; ${count(t.standardised_by_model, 'row')} of an unknown speaker, or of a speaker with fewer than ${t.min_group_rows} rows, ${t.standardised_by_model === 1 ? 'was' : 'were'} standardised with the model's statistics` : ''}` +
    `${r.rows.length > shown.length ? `; the first ${shown.length} are shown, the download has all` : ''}.`;
  $('predict-table').innerHTML =
    `<thead><tr><th scope="col">file</th><th scope="col">speaker</th><th scope="col">label</th><th scope="col">predicted</th>${EMOTIONS.map((e2) => `<th scope="col">P(${e2})</th>`).join('')}</tr></thead><tbody>` +
    shown
      .map(
        (p) =>
          `<tr data-predicted="${p.predicted}"><td>${esc(p.file)}</td><td>${esc(p.speaker || '')}</td><td>${p.emotion || p.other_label || ''}</td><td><strong>${p.predicted}</strong></td>${p.probabilities.map((v) => `<td>${v.toFixed(3)}</td>`).join('')}</tr>`,
      )
      .join('') +
    '</tbody>';
}

async function predictFiles(files) {
  clearError('predict-error');
  // The earlier predictions were of other files: they go, whether or not these can be used.
  $('predict-results').hidden = true;
  ui.predictCsv = null;
  const wavs = files.filter(isWav).sort((a, b) => byName(pathOf(a), pathOf(b)));
  const label = files.length === 1 ? files[0].name : `${files.length} files`;
  try {
    if (wavs.length && wavs.length !== files.length) throw new Error('choose either one feature CSV or WAV recordings, not both.');
    if (!wavs.length && files.length > 1) throw new Error('choose one feature CSV at a time (or WAV recordings, any number).');
    if (wavs.length) {
      const big = wavs.map((f) => tooBig(f, ui.limits.wav_bytes, 'a WAV file')).filter(Boolean);
      if (big.length) throw new Error(big.join(' '));
      const payload = [];
      for (const f of wavs) payload.push({ name: pathOf(f), bytes: await f.arrayBuffer() });
      status(`Computing the features of ${label}…`);
      const r = await call(
        'predictRecordings',
        { files: payload },
        null,
        payload.map((p) => p.bytes),
      );
      const used = wavs.length - r.problems.length;
      renderPredictions(
        r,
        label,
        used === wavs.length ? `${count(used, 'file')} used` : `${int(used)} of ${count(wavs.length, 'file')} used`,
      );
      if (r.problems.length)
        showError('predict-error', `${count(r.problems.length, 'file')} could not be used:\n${r.problems.map(sentence).join('\n')}`);
    } else {
      const file = files[0];
      const big = tooBig(file, ui.limits.csv_bytes, 'a CSV file');
      if (big) throw new Error(big);
      const args = { role: 'predict', text: await readFile(file), name: file.name };
      const loaded = await call('loadTable', args);
      replay.predict = { type: 'loadTable', args };
      renderPredictions(await call('predict'), file.name, `${count(loaded.summary.rows_read, 'row')} read`);
    }
    status(`Predicted ${label}.`);
  } catch (err) {
    if (err.cancelled) return; // a newer file replaced this one while it was read
    let msg = errorText(err);
    if (err.crashed) msg = await recover(msg);
    showError('predict-error', `${label}: ${msg}`);
    status(`${label} could not be predicted.`);
  }
}
$('predict-folder').addEventListener('change', async (e) => {
  const wavs = [...e.target.files].filter(isWav);
  if (wavs.length) await predictFiles(wavs);
  else showError('predict-error', 'The chosen folder holds no .wav files.');
  e.target.value = '';
});
$('predict-file').addEventListener('change', async (e) => {
  const files = [...e.target.files];
  if (files.length) await predictFiles(files);
  e.target.value = '';
});
$('predict-csv').addEventListener('click', () => {
  if (ui.predictCsv) download('siamese-ser-predictions.csv', ui.predictCsv, 'text/csv');
});
