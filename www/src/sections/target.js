// Section 2, target data: a feature CSV (or the sample), a folder, its summary and whether it
// can be fine-tuned on.
import { refreshControls } from '../controls.js';
import { call, recover, replay } from '../engine.js';
import { $, EMOTIONS, clearError, count, errorText, esc, int, readFile, showError, status, tooBig, ui } from '../page.js';
import { clearResults, showOverlap } from './model.js';
import { loadRecordings } from './recordings.js';

export function renderSummary(s, name) {
  const per = EMOTIONS.map((e, i) => `${e} ${int(s.per_emotion[i])}`).join(', ');
  const skipped = s.skipped.length
    ? s.skipped.map((k) => `${k.rows} ${esc(k.emotion)}`).join(', ') + ' (emotions the model does not recognise)'
    : 'none';
  const names = s.unused_names.map((c) => (c ? `“${esc(c)}”` : 'an unnamed one')).join(', ');
  const unused = s.unused_columns
    ? ` used, ${count(s.unused_columns, 'other column')} not used (${names}${s.unused_columns > s.unused_names.length ? ', …' : ''}): ` +
      `the model reads its ${s.features} features and the file, speaker, emotion and corpus columns`
    : '';
  const what =
    s.format === 'recordings'
      ? `${s.features} IS09 features computed from each WAV recording`
      : `${s.format === 'opensmile' ? "openSMILE's output" : 'siamese-ser format'}, ${{ ',': 'comma', ';': 'semicolon', '\t': 'tab' }[s.delimiter] || esc(s.delimiter)}-separated; ${s.features} feature columns${unused}`;
  return `<dl>
    <dt>File</dt><dd>${esc(name)} (${what})</dd>
    <dt>Rows</dt><dd>${int(s.rows_kept)} used of ${int(s.rows_read)}${s.duplicate_rows ? `; ${count(s.duplicate_rows, 'row')} ${s.duplicate_rows === 1 ? 'repeats' : 'repeat'} an earlier row's features exactly (the same recording twice?)` : ''}</dd>
    <dt>Speakers</dt><dd>${int(s.speakers)}${s.unknown_speaker ? ` (+ ${count(s.unknown_speaker, 'row')} with no known speaker)` : ''}</dd>
    <dt>Per emotion</dt><dd>${per}${s.unlabelled ? `; ${int(s.unlabelled)} unlabelled` : ''}</dd>
    <dt>Skipped</dt><dd>${skipped}</dd>
    <dt>Labels from</dt><dd>${esc(s.label_source)}; corpora: ${esc(s.corpora.join(', '))}</dd>
  </dl>`;
}

// Why a target can never be fine-tuned on (no row counts can make it work), or ''.
export function readiness(s) {
  const few = EMOTIONS.filter((e, i) => s.per_emotion[i] < 2);
  if (few.length) {
    return `Fine-tuning needs at least 2 labelled rows of each emotion; this target has ${few.map((e) => `${s.per_emotion[EMOTIONS.indexOf(e)]} ${e}`).join(', ')}.`;
  }
  if (s.speakers < 1) {
    return (
      `Fine-tuning needs rows whose speaker is known: a column named ${ui.speakerColumns.join(', ').replace(/, (?=[^,]*$)/, ' or ')}, ` +
      "or file names in a corpus's own pattern (RAVDESS, CREMA-D, TESS, eNTERFACE'05, EmoDB)."
    );
  }
  return '';
}

// `seq`: the target choice this load answers; if a newer one was made meanwhile (a smaller
// file can be read first), this load is dropped.
export async function loadTarget(text, name, seq = ++ui.targetSeq) {
  if (seq !== ui.targetSeq) return;
  clearError('target-error');
  status(`Reading ${name}…`);
  const args = { role: 'target', text, name };
  try {
    const r = await call('loadTable', args, (m) => status(`Reading ${name}: ${Math.round((100 * m.done) / m.total)} %…`));
    replay.target = { type: 'loadTable', args };
    ui.haveTarget = true;
    ui.targetName = name;
    ui.targetProblem = readiness(r.summary);
    clearResults(`the target is now ${name}`);
    $('recordings').hidden = true;
    $('wav-status').textContent = '';
    $('target-summary').innerHTML = renderSummary(r.summary, name);
    showOverlap(r.overlap);
    status(`Target loaded: ${name}, ${count(r.summary.rows_kept, 'row')}.`);
  } catch (err) {
    if (err.cancelled) return; // a newer file replaced this one while it was read
    let msg = errorText(err);
    if (err.crashed) msg = await recover(msg);
    showError('target-error', `${name}: ${msg}${ui.haveTarget ? ' The previously loaded target file is still in use.' : ''}`);
    status('The file could not be used.');
  }
  refreshControls();
}

async function loadTargetFile(file) {
  if (!file) return;
  const big = tooBig(file, ui.limits.csv_bytes, 'a CSV file');
  if (big) {
    showError('target-error', big);
    return;
  }
  const seq = ++ui.targetSeq;
  try {
    await loadTarget(await readFile(file), file.name, seq);
  } catch (err) {
    showError('target-error', `${file.name}: ${errorText(err)}`);
  }
}

export const isWav = (f) => /\.wav$/i.test(f.name) || /^audio\/(x-)?wav/.test(f.type);

// CSV text, or WAV recordings: each file goes where it belongs.
export async function loadTargetFiles(files) {
  const wavs = files.filter(isWav);
  if (!wavs.length && files.length > 1) {
    showError('target-error', `Choose one feature CSV at a time (${files.length} files were given), or WAV recordings (any number).`);
    return undefined;
  }
  if (!wavs.length) return loadTargetFile(files[0]);
  if (wavs.length !== files.length) {
    showError(
      'target-error',
      `Choose either one feature CSV or WAV recordings, not both (${count(files.length - wavs.length, 'other file')} ${files.length - wavs.length === 1 ? 'was' : 'were'} given).`,
    );
    return undefined;
  }
  return loadRecordings(wavs);
}

$('target-file').addEventListener('change', async (e) => {
  const files = [...e.target.files];
  e.target.value = '';
  if (files.length) await loadTargetFiles(files);
});
$('target-folder').addEventListener('change', async (e) => {
  const files = [...e.target.files].filter(isWav);
  e.target.value = '';
  if (!files.length) {
    showError('target-error', 'That folder holds no .wav files.');
    return;
  }
  await loadRecordings(files);
});

// Every file below a dropped folder (the File and Directory Entries API).
export async function filesOfEntry(entry, path = '') {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    return [{ file, path: path + file.name }];
  }
  const reader = entry.createReader();
  const out = [];
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    for (const child of batch) out.push(...(await filesOfEntry(child, `${path}${entry.name}/`)));
  }
  return out;
}
