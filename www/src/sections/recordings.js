// Section 2 with WAV recordings: features computed in the engine, labels from file names or
// set by hand, and the drop zone.
import { refreshControls } from '../controls.js';
import { call, replay, request, runJob } from '../engine.js';
import {
  $,
  byName,
  pathOf,
  BUNDLE,
  EMOTIONS,
  SAMPLE,
  clearError,
  count,
  download,
  errorText,
  esc,
  fetchText,
  showError,
  status,
  sentence,
  tooBig,
  ui,
} from '../page.js';
import { clearResults, showOverlap } from './model.js';
import { filesOfEntry, isWav, loadTarget, loadTargetFiles, readiness, renderSummary } from './target.js';

export async function loadRecordings(files) {
  clearError('target-error');
  if (files.length > 5000) {
    showError('target-error', `${files.length} files is more than the 5,000 this page handles at once.`);
    return;
  }
  // In the order of their names (a folder comes in the browser's order), numbers by value.
  const named = files.map((f) => ({ file: f.file || f, name: pathOf(f) })).sort((a, b) => byName(a.name, b.name));
  const big = named.map((f) => tooBig(f.file, ui.limits.wav_bytes, 'a WAV file')).filter(Boolean);
  if (big.length) {
    showError('target-error', big.join('\n'));
    return;
  }
  const seq = ++ui.targetSeq;
  const payload = [];
  for (const f of named) payload.push({ name: f.name, bytes: await f.file.arrayBuffer() });
  if (seq !== ui.targetSeq) return; // a newer choice was made while these were read
  $('wav-progress').hidden = false;
  $('wav-progress').max = files.length;
  $('wav-progress').value = 0;
  const job = request(
    'loadRecordings',
    { files: payload },
    (m) => {
      $('wav-progress').value = m.done;
      $('wav-status').textContent = `Computing features: ${m.done} of ${m.total} files (${m.name})`;
    },
    payload.map((p) => p.bytes),
  );
  const finished = await runJob({
    kind: 'recordings',
    job,
    busy: 'Computing features of the recordings…',
    done: (r) => {
      ui.haveTarget = true;
      ui.targetName = `${r.list.length} WAV recordings`;
      ui.targetProblem = readiness(r.summary);
      clearResults(`the target is now ${r.list.length} recordings`);
      // A replaced engine reads the same files again and applies the same labels.
      const labels = {};
      replay.target = {
        labels,
        restore: async () => {
          const again = [];
          for (const f of named) again.push({ name: f.name, bytes: await f.file.arrayBuffer() });
          await call(
            'loadRecordings',
            { files: again },
            null,
            again.map((p) => p.bytes),
          );
          for (const [index, l] of Object.entries(labels)) await call('labelRecording', { index: Number(index), ...l });
        },
      };
      showRecordings(r);
      $('wav-status').textContent = `Features computed for ${r.list.length} of ${files.length} files.`;
      if (r.problems.length) {
        showError('target-error', `${count(r.problems.length, 'file')} could not be used:\n${r.problems.map(sentence).join('\n')}`);
      }
      status(`Target: ${r.list.length} recordings.`);
    },
    failed: 'The recordings could not be used.',
    errorId: () => 'target-error',
    explain: (msg) => `The recordings could not be used: ${msg}${ui.haveTarget ? ' The previously loaded target is still in use.' : ''}`,
    doneState: 'ready',
  });
  if (!finished) $('wav-status').textContent = '';
  $('wav-progress').hidden = true;
}

function showRecordings(r) {
  $('target-summary').innerHTML = renderSummary(r.summary, `${r.list.length} recordings`);
  showOverlap(r.overlap);
  $('recordings').hidden = false;
  // Open the list when some files still need a label.
  $('recordings-details').open = r.list.some((f) => !f.emotion);
  const options = (sel) =>
    ['', ...EMOTIONS].map((e) => `<option value="${e}"${e === (sel || '') ? ' selected' : ''}>${e || '— unlabelled'}</option>`).join('');
  $('recordings-table').innerHTML =
    '<thead><tr><th scope="col">file</th><th scope="col">emotion</th><th scope="col">speaker</th><th scope="col">seconds</th><th scope="col">rate</th></tr></thead><tbody>' +
    r.list
      .map(
        (f, i) =>
          `<tr><th scope="row">${esc(f.file)}${f.other_emotion ? ` <small>(${esc(f.other_emotion)})</small>` : ''}</th>` +
          // The fields a person fills in first: at phone width they are on screen.
          `<td><label><span class="sr-only">Emotion of ${esc(f.file)}</span><select data-index="${i}" class="rec-emotion">${options(f.emotion)}</select></label></td>` +
          `<td><label><span class="sr-only">Speaker of ${esc(f.file)}</span><input type="text" data-index="${i}" class="rec-speaker" value="${esc(f.speaker || '')}" size="8"></label></td>` +
          `<td>${f.seconds.toFixed(2)}</td><td>${f.sample_rate} Hz${f.channels > 1 ? `, ${f.channels} ch` : ''}</td></tr>`,
      )
      .join('') +
    '</tbody>';
}

$('recordings-table').addEventListener('change', async (e) => {
  const i = e.target.dataset.index;
  if (i === undefined) return;
  const row = e.target.closest('tr');
  try {
    const label = { emotion: row.querySelector('.rec-emotion').value, speaker: row.querySelector('.rec-speaker').value };
    const r = await call('labelRecording', { index: Number(i), ...label });
    if (replay.target && replay.target.labels) replay.target.labels[i] = label;
    // Results were computed with the earlier labels: they go.
    clearResults(`the label or speaker of ${r.list[Number(i)].file} changed`);
    ui.targetProblem = readiness(r.summary);
    $('target-summary').innerHTML = renderSummary(r.summary, `${r.list.length} recordings`);
    clearError('target-error');
    refreshControls();
  } catch (err) {
    showError('target-error', errorText(err));
  }
});
$('recordings-csv').addEventListener('click', async () => {
  try {
    download('siamese-ser-recordings.csv', (await call('recordingsCsv')).csv, 'text/csv');
  } catch (err) {
    showError('target-error', errorText(err));
  }
});
const drop = $('drop-zone');
drop.addEventListener('click', () => {
  if (!$('target-file').disabled) $('target-file').click();
});
drop.addEventListener('keydown', (e) => {
  if ((e.key === 'Enter' || e.key === ' ') && !$('target-file').disabled) {
    e.preventDefault();
    $('target-file').click();
  }
});
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', async (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if ($('target-file').disabled) return;
  const entries = [...e.dataTransfer.items].map((it) => it.webkitGetAsEntry && it.webkitGetAsEntry()).filter(Boolean);
  if (entries.some((en) => en.isDirectory)) {
    const found = [];
    for (const en of entries) found.push(...(await filesOfEntry(en)));
    const wavs = found.filter((f) => isWav(f.file));
    if (!wavs.length) showError('target-error', 'The dropped folder holds no .wav files.');
    else await loadRecordings(wavs);
    return;
  }
  const files = [...e.dataTransfer.files];
  if (files.length) await loadTargetFiles(files);
});
$('sample-button').addEventListener('click', async () => {
  const seq = ++ui.targetSeq;
  try {
    const text = BUNDLE ? await BUNDLE.sample() : await fetchText(SAMPLE.file);
    await loadTarget(text, SAMPLE.name, seq);
  } catch (err) {
    showError('target-error', `The sample could not be loaded: ${errorText(err)}`);
  }
});
