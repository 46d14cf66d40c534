// Section 5, the paper's experiment: OODT, IDT and the fine-tuning grid on a pool of engines,
// Table 1 and Figure 2 beside the baselines, and the downloads.
import { refreshControls } from '../controls.js';
import { call, cancelJob, recover, replay, runJob } from '../engine.js';
import {
  $,
  EMOTIONS,
  alone,
  chance,
  clearError,
  clip,
  count,
  download,
  errorText,
  esc,
  int,
  pct,
  provenance,
  readFile,
  showError,
  status,
  tooBig,
  ui,
} from '../page.js';
import { linePlot } from '../plots.js';
import { runPool } from '../pool.js';
import { checkPaper, didNotRun, removeRun } from './model.js';
import { numberField, onSettingsChange } from '../settings.js';

function renderReport(r) {
  $('paper-results').hidden = false;
  const t = r.table1;
  // The model the run used: the loaded one (named as the card names it), or one pretrained here.
  const src = r.settings.oodt_model.startsWith('given') ? `“${ui.modelName}”` : r.source.map((c) => c.name).join(' + ') || 'loaded model';
  const cell = (c) => `best cell k = ${c.speakers}, ${c.frozen} frozen (the highest of ${r.grid.length / 2} cells, so biased upward)`;
  const ci = (c) => `[${pct(c[0])}, ${pct(c[1])}]`;
  const pv = (p) => (p.p_value < 0.001 ? 'p < 0.001' : `p = ${p.p_value.toFixed(3)}`);
  const signed = (v) => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)}`;
  // In Table 1, whose cells wrap to fit the window, a number, an interval or a p-value is
  // never broken across lines. The difference in points, its interval and the p-value of the
  // paired test:
  const nw = (text) => `<span class="nw">${text}</span>`;
  const vsCell = (p) =>
    p ? `${nw(signed(p.mean))}${p.ci95 ? ` ${nw(`[${signed(p.ci95[0])}, ${signed(p.ci95[1])}]`)}` : ''} points, ${nw(pv(p))}` : '—';
  const base = r.table1_baseline;
  // Draws whose test rows lacked an emotion (a small corpus): UAR over fewer, an easier test.
  const short = r.grid.filter((g) => g.fewer_emotions > 0).length;
  const fewer = short
    ? `In ${count(short, 'cell')} of the grid (marked †) some draws' test rows lacked an emotion, so their UAR averages fewer than four, an easier test.`
    : '';
  const rows = [
    ['OODT', 'oodt', null, r.table1_rows.oodt],
    ['IDT', 'idt', null, r.table1_rows.idt],
    ['Siamese NN fine-tuning', 'finetune', r.table1_seen.finetune, `${r.table1_rows.finetune}; ${cell(t.finetune_cell)}`],
    [
      '… with distance loss',
      'finetune_distance',
      r.table1_seen.finetune_distance,
      `${r.table1_rows.finetune_distance}; ${cell(t.finetune_distance_cell)}`,
    ],
  ];
  $('table1').innerHTML =
    `<thead><tr><th scope="col">Figure</th><th scope="col">ours: ${esc(src)} → this target (mean ± std [95 % interval])</th>` +
    '<th scope="col">logistic regression, same rows</th><th scope="col">ours − logistic regression (paired)</th><th scope="col">seen speakers (the labelled speakers’ other rows)</th>' +
    `${r.paper.map((p) => `<th scope="col">paper: ${esc(p.source)} → RAVDESS</th>`).join('')}<th scope="col">ours computed on</th></tr></thead><tbody>` +
    rows
      .map(
        ([name, key, seen, note]) =>
          `<tr><th scope="row">${name}</th>` +
          // One model gives OODT and IDT one value each: no spread to show.
          `<td>${nw(`${pct(t[key])}${r.table1_ci[key] || r.table1_std[key] > 0 ? ` ± ${(100 * r.table1_std[key]).toFixed(1)}` : ''}`)}` +
          `${r.table1_ci[key] ? ` ${nw(ci(r.table1_ci[key]))}` : ''}</td>` +
          `<td>${base[key] === null || base[key] === undefined ? '—' : pct(base[key])}</td><td>${vsCell(r.table1_vs_baseline[key])}</td>` +
          `<td>${seen === null || seen === undefined ? '—' : `${pct(seen)} (the other rows of the k = ${t[`${key}_cell`].speakers} labelled speakers)`}</td>${r.paper.map((p) => `<td>${pct(p[key])}</td>`).join('')}<td>${esc(note)}</td></tr>`,
      )
      .join('') +
    '</tbody>';
  $('table1-caption').textContent =
    `UAR on ${r.settings.evaluation_speakers.length} evaluation speakers` +
    `${r.settings.dev_speakers_excluded.length ? ` (left out: ${r.settings.dev_speakers_excluded.join(', ')}, the development speakers the settings were chosen on)` : ''}. ` +
    `${r.settings.intervals}.${
      !r.table1_ci.finetune
        ? ' With one draw per cell the fine-tuning rows have no interval.'
        : r.config.repeats < 5
          ? ` With ${count(r.config.repeats, 'repeat')} per cell the fine-tuning intervals are very wide (they are cut at 0 and 100 %).`
          : ''
    } ` +
    `Method: ${r.settings.method === 'paper' ? "the paper's" : r.settings.method}. ` +
    'Differences with the logistic regression are paired by speaker (OODT, IDT) or by draw (fine-tuning); their intervals are cut at ±100 points. ' +
    "The paper's columns are other source corpora (eNTERFACE'05, CREMA-D), quoted for comparison. " +
    (ui.overlap.length && r.settings.oodt_model.startsWith('given')
      ? `The loaded model was trained on ${ui.overlap.join(', ')} too: OODT and the fine-tuning rows are not out of domain and are optimistic (IDT trains from scratch). `
      : '') +
    (fewer ? `${fewer} In Table 1 the best cells are picked among those whose every draw tested all four. ` : '') +
    `Chance is ${pct(chance())}.`;
  const ks = r.config.speakers;
  // Six distinct colours (without the loss: blues and green; with it: oranges and purple),
  // dashed without the loss and solid with it, so the legend tells every line apart.
  const colors = [
    ['#0b5cad', '#2e8540', '#005f73'],
    ['#c2410c', '#8a4baf', '#9d174d'],
  ];
  const series = ['speakers k'];
  const data = [ks];
  const bands = [];
  for (const d of [false, true]) {
    for (const [i, f] of r.config.frozen.entries()) {
      const color = colors[Number(d)][i % 3];
      series.push({ label: `${f} frozen${d ? ', distance loss' : ''}`, stroke: color, width: 2, dash: d ? [] : [6, 4] });
      const cells = ks.map((k) => r.grid.find((g) => g.speakers === k && g.frozen === f && g.distance_loss === d));
      data.push(cells.map((c) => (c ? 100 * c.uar_mean : null)));
      if (cells.some((c) => c && c.uar_ci)) {
        const end = (j) => cells.map((c) => (c && c.uar_ci ? 100 * c.uar_ci[j] : null));
        bands.push({ series: data.length - 1, lo: end(0), hi: end(1), color });
      }
    }
  }
  series.push({ label: 'logistic regression', stroke: '#6b7280', width: 2, dash: [2, 3] });
  data.push(
    ks.map((k) => {
      const c = r.grid.find((g) => g.speakers === k && g.baseline_uar_mean !== null);
      return c ? 100 * c.baseline_uar_mean : null;
    }),
  );
  series.push({ label: `OODT (${pct(t.oodt)})`, stroke: '#111827', width: 1, dash: [10, 3, 2, 3] });
  data.push(ks.map(() => 100 * t.oodt));
  series.push({ label: `IDT (${pct(t.idt)})`, stroke: '#4b5563', width: 1, dash: [2, 2] });
  data.push(ks.map(() => 100 * t.idt));
  series.push({ label: `chance (${pct(chance())})`, stroke: '#9ca3af', width: 1, dash: [1, 4] });
  data.push(ks.map(() => 100 * chance()));
  linePlot('figure2', $('figure2'), series, data, [{ label: 'UAR (%), unseen speakers' }], ks, bands);
  $('figure2-caption').textContent = bands.length
    ? `Shaded: the 95 % interval of each line's mean over its ${r.config.repeats} draws. Click a legend entry to hide a line and its band. ` +
      'Each point, with its spread, is a row of the table of every cell below.'
    : 'With one repeat per cell there is no interval to shade; run more repeats for one. Click a legend entry to hide a line. ' +
      'Each point is a row of the table of every cell below.';
  const e = r.distance_effect;
  $('distance-summary').textContent =
    'The distance loss over the whole grid, paired by draw of labelled speakers (the same draw at every number of ' +
    `frozen layers, its differences averaged over them; the table below counts each cell's): ${signed(e.mean)} points` +
    `${e.ci95 ? ` [${signed(e.ci95[0])}, ${signed(e.ci95[1])}]` : ''}, better in ${e.wins} and worse in ${e.losses} of ${count(e.n, 'draw')} (Wilcoxon ${pv(e)}).`;
  $('grid-table').innerHTML =
    `<caption>UAR on the unseen evaluation speakers' rows, ${r.config.repeats === 1 ? 'one draw' : `mean ± std over ${r.config.repeats} draws`} per cell; differences in points.${fewer ? ` ${fewer}` : ''}</caption>` +
    '<thead><tr><th scope="col">k</th><th scope="col">frozen</th><th scope="col">steps</th><th scope="col">without</th><th scope="col">with distance loss</th><th scope="col">difference (paired) [95 %]</th><th scope="col">draws better / worse</th><th scope="col">logistic regression</th></tr></thead><tbody>' +
    r.distance_effect_cells
      .map((c) => {
        const a = r.grid.find((g) => g.speakers === c.speakers && g.frozen === c.frozen && !g.distance_loss);
        const b = r.grid.find((g) => g.speakers === c.speakers && g.frozen === c.frozen && g.distance_loss);
        const ms = (g) =>
          `${(100 * g.uar_mean).toFixed(1)} %` +
          (g.uars.length > 1 ? ` ± ${(100 * g.uar_std).toFixed(1)}` : '') +
          (g.fewer_emotions ? ' †' : '');
        const d = c.test;
        return (
          `<tr><td>${c.speakers}</td><td>${c.frozen}</td><td>${a.steps}</td><td>${ms(a)}</td><td>${ms(b)}</td>` +
          `<td>${signed(d.mean)}${d.ci95 ? ` [${signed(d.ci95[0])}, ${signed(d.ci95[1])}]` : ''}</td><td>${d.wins} / ${d.losses}</td>` +
          `<td>${a.baseline_uar_mean === null ? '—' : pct(a.baseline_uar_mean)}</td></tr>`
        );
      })
      .join('') +
    '</tbody>';
}

function sourceChanged(why) {
  removeRun('paper', `Earlier results were removed: ${why}.`);
  clearError('paper-error');
  checkPaper(); // a source sharing speakers with the target, say, is refused before Run
}

// The experiment's settings from the fields, or an Error naming the field that is wrong.
function readPaperConfig() {
  // The seed of section 3 seeds the experiment too.
  const config = {
    repeats: numberField('paper-repeats', true, 1),
    seed: numberField('set-seed', true, 0),
    method: $('paper-method').value,
  };
  const ks = $('paper-speakers').value.trim();
  if (ks) {
    // Numbers written out in digits, apart by spaces, commas or semicolons.
    const words = ks.split(/[\s,;]+/).filter(Boolean);
    const values = words.map(Number);
    const bad = words.find((w, i) => !/^\d+$/.test(w) || !Number.isSafeInteger(values[i]) || values[i] < 1);
    if (bad !== undefined || !values.length) {
      throw new Error(`Numbers of speakers: “${clip(ks)}” is not a list of whole numbers of 1 or more.`);
    }
    const twice = values.find((k, i) => values.indexOf(k) !== i);
    if (twice !== undefined) throw new Error(`Numbers of speakers: ${twice} is given twice; give each number once.`);
    config.speakers = values; // the engine runs them in order of k
  }
  return config;
}

// Shown results say so when the experiment's settings in the fields are no longer theirs.
function checkStale() {
  const el = $('paper-stale');
  let now = null;
  try {
    now = readPaperConfig();
  } catch {
    /* a field being typed: the results are not from it */
  }
  const then = ui.paperConfig;
  el.hidden = !ui.report || !then || JSON.stringify(now) === JSON.stringify(then);
  if (!el.hidden) {
    el.textContent =
      `The settings were changed after this run: these results are from ${count(then.repeats, 'repeat')}, seed ${then.seed}, ` +
      `method ${then.method}, k = ${ui.report.config.speakers.join(', ')}${then.speakers ? '' : ' (the default for the target)'}. ` +
      "Press “Run the paper's experiment” to run with the settings now shown.";
  }
}
onSettingsChange(checkStale);

$('paper-source').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  if (!file) return;
  clearError('paper-source-error');
  const big = tooBig(file, ui.limits.csv_bytes, 'a CSV file');
  if (big) {
    showError('paper-source-error', big);
    e.target.value = '';
    return;
  }
  const args = { role: 'source', text: await readFile(file), name: file.name };
  try {
    const r = await call('loadTable', args, (m) => status(`Reading ${file.name}: ${Math.round((100 * m.done) / m.total)} %…`));
    replay.source = { type: 'loadTable', args };
    ui.haveSource = true;
    ui.sourceName = file.name;
    // Pretraining uses the labelled rows of the emotions the engine recognises, not every row read.
    const per = r.summary.per_emotion;
    const labelled = per.reduce((a, b) => a + b, 0);
    const few = EMOTIONS.filter((e, i) => per[i] < 2);
    $('paper-source-name').textContent =
      `Source: ${file.name}, ${count(labelled, 'labelled row')} ` +
      `(${EMOTIONS.map((e, i) => `${e} ${int(per[i])}`).join(', ')}; ${int(r.summary.rows_read)} read) of ` +
      `${r.summary.speakers ? count(r.summary.speakers, 'speaker') : 'no known speaker (no speaker column or recognised file names)'}; ` +
      (few.length
        ? `the experiment cannot pretrain on it: it needs at least 2 rows of each emotion, and this file has ${few.map((e) => `${per[EMOTIONS.indexOf(e)]} ${e}`).join(', ')}.`
        : 'the experiment pretrains on it instead of using the loaded model.');
    $('paper-source-status').hidden = false;
    // Only the experiment uses the source: its results go, fine-tuning's stay.
    sourceChanged(`the experiment's source is now ${file.name}`);
    status(`Source loaded: ${file.name}.`);
  } catch (err) {
    if (!err.cancelled) showError('paper-source-error', `${file.name}: ${err.crashed ? await recover(errorText(err)) : errorText(err)}`);
  }
  e.target.value = '';
  refreshControls();
});

$('paper-source-remove').addEventListener('click', async () => {
  try {
    await call('dropTable', { role: 'source' });
    delete replay.source;
    ui.haveSource = false;
    ui.sourceName = null;
    $('paper-source-status').hidden = true;
    sourceChanged("the experiment's source was removed");
    status('Source removed: the experiment uses the loaded model again.');
    $('paper-source').focus();
  } catch (err) {
    showError('paper-source-error', errorText(err));
  }
  refreshControls();
});

$('paper-button').addEventListener('click', async () => {
  clearError('paper-error');
  let config;
  try {
    config = readPaperConfig();
  } catch (err) {
    showError('paper-error', alone(errorText(err)));
    didNotRun('paper');
    status('The experiment did not run.');
    $('paper-error').focus();
    return;
  }
  $('paper-status').textContent = 'Starting…';
  const job = {
    id: 'pool',
    promise: runPool(
      config,
      ui.haveSource,
      (m) => {
        $('paper-progress').max = m.total;
        $('paper-progress').value = m.done;
        const left = m.left === null ? '' : `, about ${Math.ceil(m.left / 1000)} s left`;
        $('paper-status').textContent =
          `${m.done} of ${m.total} runs on ${count(m.workers, 'engine')} — ${m.what} — ` + `${(m.elapsed / 1000).toFixed(1)} s${left}`;
      },
      // Every engine took the settings: the earlier results go now, so that a cancelled or
      // failed run never leaves them looking like its own (refused settings leave them).
      () => removeRun('paper', 'Started; the earlier results were removed.', 'Started…'),
    ),
  };
  await runJob({
    kind: 'paper',
    plots: true,
    job,
    busy: "Running the paper's experiment…",
    done: (r) => {
      // Progress is drawn at most 4 times a second: the last units may not have been.
      $('paper-progress').value = $('paper-progress').max;
      ui.report = r.report;
      ui.gridCsv = r.gridCsv;
      ui.paperConfig = config;
      renderReport(r.report);
      checkStale();
      $('paper-results-heading').focus();
      $('paper-status').textContent =
        `Done: ${r.report.grid.reduce((a, c) => a + c.uars.length, 0)} fine-tuning runs, ` +
        `${r.report.idt.folds.length} IDT folds and OODT (${count(r.report.settings.pretrain_seeds, 'pretraining seed')}) with ` +
        `their logistic-regression baselines in ${(r.elapsed / 1000).toFixed(1)} s on ${count(r.workers, 'engine')}.`;
      status("The paper's experiment finished.");
    },
    cancelled: () => {
      $('paper-status').textContent = 'Cancelled.';
      status('Experiment cancelled.');
    },
    superseded: (line) => ($('paper-status').textContent = line),
    failed: 'The experiment did not run.',
    failedLine: () => didNotRun('paper'),
    errorId: () => 'paper-error',
  });
});
$('paper-cancel').addEventListener('click', () => cancelJob('paper'));
// What the shown report was computed from: the model (the loaded one, or with a source CSV one
// pretrained here on it) and the target. (Loading or removing a source removes the report, so
// the source now is the report's.)
function reportOrigin() {
  const source = ui.haveSource ? ui.sourceName : null;
  const model = ui.report.settings.oodt_model.startsWith('given') ? ui.modelName : `pretrained here on ${source}`;
  return { ...provenance({ report: ui.report }), model, source };
}
$('paper-json').addEventListener('click', () => {
  if (!ui.report) return;
  download('siamese-ser-paper-report.json', JSON.stringify(reportOrigin(), null, 2), 'application/json');
});
$('paper-csv').addEventListener('click', () => {
  if (!ui.gridCsv) return;
  const o = reportOrigin();
  download('siamese-ser-paper-grid.csv', `# ${o.engine}; model ${o.model}; target ${o.target}\n${ui.gridCsv}`, 'text/csv');
});
