// The page as a person uses it, in headless Chromium.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { ARTIFACTS, ROOT, loadSample, ravdessLoaded, useApp, waitState } from './harness.mjs';

const { openReady, base } = useApp();

const pctOf = (text) => Number(/([\d.]+)\s*%/.exec(text)[1]) / 100;

test('loads the bundled model and shows its card', async () => {
  const { page, problems, context, requests } = await openReady();
  assert.ok(!requests.some((u) => u.includes('uPlot')), 'the plotting library is not part of the first visit');
  const card = await page.textContent('#model-card');
  assert.match(card, /Trained on\s*tess: 1,600 rows, 2 speakers/);
  assert.match(card, /OODT UAR\s*[\d.]+ %/);
  assert.match(card, /7,057 parameters/);
  assert.equal(await page.isDisabled('#finetune-button'), true, 'nothing to fine-tune on yet');
  // An unavailable button stays in the Tab order and is read out with its reason; Enter on it
  // does nothing.
  let guard = 0;
  while ((await page.evaluate(() => document.activeElement.id)) !== 'finetune-button' && guard++ < 60) await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'finetune-button', 'Tab reaches Fine-tune');
  const snapshot = await page.locator('#finetune-button').ariaSnapshot();
  assert.match(snapshot, /button "Fine-tune" \[disabled\]/);
  assert.equal(
    await page.$eval('#finetune-button', (b) => document.getElementById(b.getAttribute('aria-describedby')).textContent),
    'Load target data first (section 2).',
  );
  await page.keyboard.press('Enter');
  await page.keyboard.press('Space');
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready', 'nothing started');
  assert.equal(await page.textContent('#train-status'), '');
  assert.deepEqual(problems(), []);
  await context.close();
});

test('warns when the target comes from a corpus the model was trained on', async () => {
  const { page, problems, context } = await openReady();
  await loadSample(page);
  assert.equal(await page.isHidden('#overlap-warning'), true, 'the TESS model has not seen RAVDESS');
  await page.selectOption('#model-select', 'all');
  await page.locator('#overlap-warning').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#overlap-warning'), /trained on ravdess.*optimistic/);
  assert.match(await page.textContent('#model-card'), /ravdess: 768 rows, 24 speakers/);
  // The results say so too, not only section 2.
  await page.fill('#set-epochs', '30');
  await page.click('#finetune-button');
  await waitState(page, 'done');
  assert.match(
    await page.textContent('#results-basis'),
    /trained on ravdess too, so both figures may be optimistic: the corpus .* is not new to it/,
  );
  assert.deepEqual(problems(), []);
  await context.close();
});

test('uploads a RAVDESS CSV, fine-tunes, shows UAR above chance and the confusion matrix', async () => {
  const { page, problems, context, requests } = await openReady();
  await page.setInputFiles('#target-file', `${ROOT}data/ravdess_16k.csv`);
  await ravdessLoaded(page);
  const summary = await page.textContent('#target-summary');
  assert.match(summary, /angry 192, happy 192, sad 192, fearful 192/);
  assert.match(summary, /Speakers\s*24/);

  await page.getByRole('button', { name: /Fine-tune/ }).click();
  await waitState(page, 'done');
  const uar = pctOf(await page.textContent('[data-metric="uar"]'));
  const before = pctOf(await page.textContent('[data-metric="uar-before"]'));
  assert.ok(uar > 0.25, `UAR ${uar} is above chance`);
  assert.ok(before > 0.25, `UAR before ${before} is above chance`);
  // Speaker-independent: 24 speakers, 4 development speakers left out, 2 drawn: 18 × 32 rows.
  const basis = await page.textContent('#results-basis');
  assert.match(basis, /576 rows of the 18 speakers who gave no labelled row/);
  assert.match(basis, /Left out: ravdess\/02, ravdess\/06, ravdess\/21, ravdess\/24/);
  assert.match(basis, /Logistic regression .* on the same rows: [\d.]+ %/);
  const cells = await page.$$eval('#confusion tbody td', (tds) => tds.map((td) => Number(td.textContent)));
  assert.equal(cells.length, 16);
  assert.equal(
    cells.reduce((a, b) => a + b, 0),
    576,
    'the confusion matrix counts every unseen-speaker test row',
  );
  assert.equal(await page.locator('#loss-plot canvas').count(), 1, 'the loss curve is drawn');
  assert.ok(
    requests.some((u) => u.endsWith('vendor/uPlot.iife.min.js')),
    'the plotting library came with the run',
  );
  assert.equal(await page.isVisible('[data-plot="embedding"]'), true, 'the embedding map is drawn');
  assert.match(
    await page.getAttribute('#embedding-after', 'aria-label'),
    /Embeddings of 288 of the 576 rows of the 18 speakers who gave no labelled row after fine-tuning/,
  );
  assert.equal(await page.textContent('#embedding-rows'), 'Shown: 288 of the 576 rows of the 18 speakers who gave no labelled row.');
  await page.screenshot({ path: `${ARTIFACTS}/finetuned.png`, fullPage: true });
  assert.deepEqual(problems(), []);
  await context.close();
});

test("openSMILE's full output as the target: the summary says which columns the model takes", async () => {
  const { page, problems, context } = await openReady();
  await page.setInputFiles('#target-file', `${ROOT}tests/fixtures/opensmile_is09.csv`);
  await page.waitForFunction(() => /opensmile_is09\.csv/.test(document.querySelector('#target-summary').textContent));
  // 320 other functionals and openSMILE's frameTime: every column nothing reads.
  assert.match(
    await page.textContent('#target-summary'),
    /openSMILE's output, semicolon-separated; 64 feature columns used, 321 other columns not used \(“frameTime”, “pcm_RMSenergy_sma_max”, “pcm_RMSenergy_sma_min”, “pcm_RMSenergy_sma_range”, “pcm_RMSenergy_sma_maxPos”, …\): the model reads its 64 features and the file, speaker, emotion and corpus columns\)/,
  );
  assert.deepEqual(problems(), []);
  await context.close();
});

// Files as strangers' spreadsheets write them: a speaker column of another name, decimal
// commas with semicolons, a blank speaker cell.
test("a stranger's CSV: unread columns are named, decimal commas read, a blank speaker is unknown", async () => {
  const { page, problems, context } = await openReady();
  const lines = readFileSync(`${ROOT}data/ravdess_16k.csv`, 'utf8').trim().split('\n');
  const summary = async (file, text) => {
    writeFileSync(`${ARTIFACTS}/${file}`, text);
    await page.setInputFiles('#target-file', `${ARTIFACTS}/${file}`);
    await page.waitForFunction((f) => document.querySelector('#target-summary').textContent.includes(f), file);
    return page.textContent('#target-summary');
  };
  let s = await summary('spk.csv', [lines[0].replace('file,corpus,speaker,', 'clip,corpus,spk,'), ...lines.slice(1)].join('\n'));
  assert.match(
    s,
    /2 other columns not used \(“clip”, “spk”\): the model reads its 64 features and the file, speaker, emotion and corpus columns/,
  );
  assert.match(s, /Speakers0 \(\+ 768 rows with no known speaker\)/);
  assert.equal(await page.isDisabled('#finetune-button'), true);
  assert.match(await page.textContent('#finetune-why'), /a column named speaker, speaker_id, actor or subject, or file names/);
  const european = lines.map((l) => l.replace(/,/g, ';').replace(/(\d)\.(\d)/g, '$1,$2'));
  european[5] = european[5].replace(/^([^;]*;[^;]*;)[^;]*;/, '$1;'); // a blank speaker cell
  s = await summary('european.csv', european.join('\n'));
  // RAVDESS has one pair of rows with the same features (actor 07, happy, statement 2): said.
  assert.match(
    s,
    /semicolon-separated; 64 feature columns\)\s*Rows768 used of 768; 1 row repeats an earlier row's features exactly \(the same recording twice\?\)\s*Speakers24 \(\+ 1 row with no known speaker\)/,
  );
  assert.equal(await page.isDisabled('#finetune-button'), false);
  // Fearful rows from 4 speakers only (02, a development speaker, is left out): they are the
  // ones who can give labelled rows, and the test rows have no fearful row, so UAR averages
  // three emotions, and the page says so.
  const fearless = lines.filter((l, i) => i === 0 || !/,fearful,/.test(l) || /^[^,]*,[^,]*,0[1345],/.test(l));
  await summary('fearless.csv', fearless.join('\n'));
  await page.fill('#set-speakers', '4');
  await page.fill('#set-epochs', '20');
  await page.click('#finetune-button');
  await waitState(page, 'done');
  assert.match(await page.textContent('#results-basis'), /The test rows have no fearful row, so UAR here averages the other 3 emotions/);
  // In the experiment, the k = 4 cells test three emotions: marked, and not picked for Table 1.
  await page.fill('#paper-speakers', '2, 4');
  await page.fill('#paper-repeats', '2');
  await page.click('#paper-button');
  await waitState(page, 'done', 180000);
  const marked = await page.$$eval('#grid-table tbody tr', (trs) => trs.map((tr) => [tr.cells[0].textContent, /†/.test(tr.textContent)]));
  assert.deepEqual(new Set(marked.map(([k, m]) => `${k} ${m}`)), new Set(['2 false', '4 true']));
  assert.match(
    await page.textContent('#grid-table caption'),
    /In 6 cells of the grid \(marked †\) some draws' test rows lacked an emotion/,
  );
  assert.match(await page.textContent('#table1-caption'), /the best cells are picked among those whose every draw tested all four/);
  assert.equal((await page.textContent('#table1')).match(/best cell k = 2,/g).length, 2);
  assert.deepEqual(problems(), []);
  await context.close();
});

test('export then import of the fine-tuned model round-trips', async () => {
  const { page, problems, context } = await openReady();
  await loadSample(page);
  // The default method is the one that measured best; the paper's is one click away.
  assert.equal(await page.$eval('#set-method', (s) => s.selectedOptions[0].textContent), 'regularised — measured best');
  await page.selectOption('#set-method', 'paper');
  assert.equal(await page.inputValue('#set-epochs'), '240', "the paper's fine-tuning budget");
  assert.match(await page.textContent('#set-method-hint'), /The paper's settings/);
  await page.selectOption('#set-method', 'regularised');
  assert.equal(await page.inputValue('#set-epochs'), '60');
  await page.check('#set-distance');
  await page.getByRole('button', { name: /Fine-tune/ }).click();
  await waitState(page, 'done');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-model')]);
  assert.match(download.suggestedFilename(), /^siamese-ser-finetuned-k2-seed\d+\.json$/);
  const path = `${ARTIFACTS}/exported-model.json`;
  await download.saveAs(path);
  const exported = JSON.parse(readFileSync(path, 'utf8'));
  assert.equal(exported.format, 'siamese-ser-weights');
  assert.equal(exported.history.length, 2);
  assert.equal(exported.history[1].config.distance_loss, true);
  assert.equal(exported.history[1].config.keep_references, true, 'the regularised method keeps the references');

  // The results downloads are the computed numbers.
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  await json.saveAs(`${ARTIFACTS}/results.json`);
  const saved = JSON.parse(readFileSync(`${ARTIFACTS}/results.json`, 'utf8'));
  assert.match(saved.engine, /^siamese-ser \d/);
  assert.match(saved.model, /pretrained on TESS/);
  assert.equal(saved.target, 'ravdess_16k.csv');
  const results = saved.outcome;
  assert.equal(results.after.unseen.rows, 576);
  assert.equal(results.after.seen.rows, 56);
  assert.equal((await page.textContent('[data-metric="uar"]')).trim(), `${(100 * results.after.unseen.uar).toFixed(1)} %`);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  await csv.saveAs(`${ARTIFACTS}/results.csv`);
  const text = readFileSync(`${ARTIFACTS}/results.csv`, 'utf8');
  assert.match(text, /^measure,part,emotion,predicted,before,after,baseline\nsetting,,engine,,siamese-ser /);
  assert.match(text, /\nsetting,,model,,/);
  assert.match(text, /\nsetting,,keep_references,,true,/);
  assert.match(text, /\nrecall,unseen_speakers,angry,,/);
  // One table, 7 columns on every line; the confusion counts add up to the test rows.
  const table = text
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  assert.deepEqual([...new Set(table.map((r) => r.length))], [7]);
  const after = table.filter((r) => r[0] === 'confusion' && r[1] === 'unseen_speakers').reduce((a, r) => a + Number(r[5]), 0);
  assert.equal(after, 576);
  await page.setInputFiles('#model-file', path);
  await page.waitForFunction(() => document.querySelector('#model-card').textContent.includes('Fine-tuned on'));
  const card = await page.textContent('#model-card');
  assert.match(card, /exported-model\.json/);
  assert.match(card, /8 rows of ravdess, 0 frozen, with distance loss, 60 epochs, seed \d+/);
  assert.match(card, /References\s*16: the 8 labelled rows fine-tuned on and the 8 references kept from before/);
  assert.match(card, /OODT UAR of the model it was fine-tuned from/);
  // The weights file keeps what the page measured, and the imported model's card shows it.
  const kept = exported.history[1].metrics.find((m) => m.name === 'uar_after_finetuning' && /no labelled row/.test(m.on));
  assert.equal(kept.value, results.after.unseen.uar);
  const pc = (x) => `${(100 * x).toFixed(1)} %`;
  const figures =
    `UAR then, on 576 rows of 18 speakers who gave no labelled row, in ravdess: ${pc(results.after.unseen.uar)} fine-tuned, ` +
    `${pc(results.before.unseen.uar)} before fine-tuning, ${pc(results.baseline.unseen.uar)} logistic regression adapted to the same labelled rows`;
  assert.ok(card.includes(figures), card);
  assert.match(card, /Chance is 25\.0 %\./);
  assert.equal(await page.$eval('#model-select', (s) => s.selectedOptions[0].textContent), 'imported: exported-model.json');
  assert.equal(await page.isHidden('#results'), true, 'results of the earlier model are removed');

  assert.deepEqual(problems(), []);
  await context.close();
});

test('Cancel stops a run and the page stays usable', async () => {
  const { page, problems, context } = await openReady();
  await loadSample(page);
  await page.fill('#set-speakers', '20');
  await page.fill('#set-epochs', '100000');
  await page.getByRole('button', { name: /Fine-tune/ }).click();
  await waitState(page, 'busy');
  await page.waitForFunction(() => Number(document.querySelector('#train-progress').value) > 0);
  // The main thread stays responsive while the worker trains.
  const t0 = Date.now();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  assert.ok(Date.now() - t0 < 1000, 'a frame is drawn while training runs');
  await page.click('#cancel-button');
  await waitState(page, 'ready', 10000);
  assert.match(await page.textContent('#train-status'), /Cancelled/);
  const focused = () => page.evaluate(() => document.activeElement.id || document.activeElement.tagName);
  assert.equal(await focused(), 'finetune-button', 'focus goes back to the button that started the run, not to the page');
  const progress = await page.$eval('#train-progress', (p) => Number(p.value));
  assert.ok(progress < 100000, `stopped at epoch ${progress}`);

  // The experiment on the pool of engines stops too, all of them.
  await page.click('#paper-button');
  await waitState(page, 'busy');
  await page.waitForFunction(() => Number(document.querySelector('#paper-progress').value) > 10, null, { timeout: 60000 });
  await page.click('#paper-cancel');
  await waitState(page, 'ready', 10000);
  assert.match(await page.textContent('#paper-status'), /Cancelled/);
  assert.equal(await focused(), 'paper-button');
  // Cancel at once, while the pool's helper engines are still starting, stops it too.
  await page.click('#paper-button');
  await page.click('#paper-cancel');
  await waitState(page, 'ready', 20000);
  assert.match(await page.textContent('#paper-status'), /Cancelled/);
  assert.equal(await page.isHidden('#paper-results'), true);

  // A new target while a run goes (the page disables loading then; a script can still set the
  // file): the run stops, and its results, which describe the earlier target, are not shown.
  await page.fill('#set-speakers', '6');
  await page.getByRole('button', { name: /Fine-tune/ }).click();
  await page.waitForFunction(() => Number(document.querySelector('#train-progress').value) > 0);
  await page.setInputFiles('#target-file', `${ROOT}tests/fixtures/opensmile_is09.csv`);
  await waitState(page, 'ready', 10000);
  await page.waitForFunction(() => /opensmile_is09\.csv/.test(document.querySelector('#target-summary').textContent));
  assert.match(
    await page.textContent('#train-status'),
    /^Stopped: the target is now opensmile_is09\.csv, and its results would have described the earlier one\.$/,
  );
  assert.equal(await page.isHidden('#results'), true);
  await loadSample(page);

  // Still usable: a normal run completes.
  await page.fill('#set-speakers', '2');
  await page.fill('#set-epochs', '240');
  await page.getByRole('button', { name: /Fine-tune/ }).click();
  await waitState(page, 'done');
  assert.deepEqual(problems(), []);
  await context.close();
});

test('refused settings leave the earlier results, and changed settings mark them as earlier', async () => {
  const { page, problems, context } = await openReady();
  await loadSample(page);
  await page.fill('#set-epochs', '60');
  await page.click('#finetune-button');
  await waitState(page, 'done');
  const after = await page.textContent('#uar-after');
  assert.equal(await page.isHidden('#results-stale'), true);
  // A changed setting: the results say which settings they came from, until it is back.
  await page.fill('#set-speakers', '4');
  assert.match(await page.textContent('#results-stale'), /these results are from method \S+, k = 2, .*60 epochs, .*seed 42/);
  await page.fill('#set-speakers', '2');
  assert.equal(await page.isHidden('#results-stale'), true);
  // Refused by the page (over the engine's limit, shown as the field's max): nothing ran.
  assert.equal(await page.getAttribute('#set-epochs', 'max'), '100000');
  await page.fill('#set-epochs', '200000');
  await page.click('#finetune-button');
  assert.match(await page.textContent('#settings-error'), /Epochs: “200000” is not a whole number from 1 to 100000\./);
  // What a number field keeps of "0,01" typed with a decimal comma: not taken for 1.
  await page.fill('#set-epochs', '60');
  await page.fill('#set-lr', '001');
  await page.click('#finetune-button');
  assert.match(await page.textContent('#settings-error'), /Learning rate: “001” is not a number above 0\./);
  await page.fill('#set-lr', '0.01');
  await page.fill('#set-epochs', '200000');
  assert.match(await page.textContent('#status'), /Fine-tuning did not run/);
  assert.equal(await page.textContent('#uar-after'), after);
  assert.equal(await page.isVisible('#results-stale'), true);
  // Refused by the engine: the setting named by its label, the results kept and said to be
  // the earlier run's.
  await page.fill('#set-epochs', '60');
  await page.fill('#set-lr', '5');
  await page.click('#finetune-button');
  await page.waitForFunction(() => /did not run/.test(document.querySelector('#train-status').textContent));
  assert.match(await page.textContent('#settings-error'), /^Learning rate: 5 is not allowed: /);
  assert.match(await page.textContent('#train-status'), /the results below are those of the earlier run/);
  assert.equal(await page.textContent('#uar-after'), after);
  assert.match(await page.textContent('#status'), /Fine-tuning did not run/);
  assert.deepEqual(problems(), []);
  await context.close();
});

test('a malformed CSV raises an alert naming line and column, and the page recovers', async () => {
  const { page, problems, context } = await openReady();
  const lines = readFileSync(`${ROOT}data/ravdess_16k.csv`, 'utf8').split('\n').slice(0, 40);
  const cells = lines[3].split(',');
  cells[10] = 'not-a-number';
  lines[3] = cells.join(',');
  const bad = `${ARTIFACTS}/bad.csv`;
  writeFileSync(bad, lines.join('\n'));
  await page.setInputFiles('#target-file', bad);
  const alert = page.locator('#target-error[role="alert"]');
  await alert.waitFor({ state: 'visible' });
  assert.match(
    await alert.textContent(),
    /bad\.csv: line 4, column 11 \("pcm_fftMag_mfcc_sma\[3\]_amean"\): "not-a-number" is not a number/,
  );
  assert.equal(await page.isDisabled('#finetune-button'), true, 'nothing usable was loaded');

  // A wrong weights file: an alert, and the loaded model stays.
  const junk = `${ARTIFACTS}/junk.json`;
  writeFileSync(junk, JSON.stringify({ format: 'siamese-ser-weights', version: 7 }));
  await page.setInputFiles('#model-file', junk);
  await page.locator('#model-error').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#model-error'), /format version 7.*previous model is still loaded/);
  assert.match(await page.textContent('#model-card'), /tess: 1,600 rows/);

  // An impossible setting: an alert next to the settings.
  await page.setInputFiles('#target-file', `${ROOT}data/ravdess_16k.csv`);
  await ravdessLoaded(page);
  assert.equal(await page.isHidden('#target-error'), true, 'the old alert is cleared');
  await page.fill('#set-speakers', '30');
  await page.getByRole('button', { name: /Fine-tune/ }).click();
  await page.locator('#settings-error').waitFor({ state: 'visible' });
  // The engine's message alone in the alert: a sentence, capitalised and with its full stop.
  assert.match(await page.textContent('#settings-error'), /^Drawing 30 speakers needs .*the target has 20 such speakers\.$/);
  await page.fill('#set-speakers', '2');
  await page.fill('#set-lr', '-1');
  await page.getByRole('button', { name: /Fine-tune/ }).click();
  await page.waitForFunction(() => /Learning rate/.test(document.querySelector('#settings-error').textContent));
  await page.fill('#set-lr', '5');
  await page.getByRole('button', { name: /Fine-tune/ }).click();
  await page.waitForFunction(() => /^Learning rate: 5 is not allowed: /.test(document.querySelector('#settings-error').textContent));

  // And then it works.
  await page.fill('#set-lr', '0.001');
  await page.getByRole('button', { name: /Fine-tune/ }).click();
  await waitState(page, 'done');
  assert.ok(Number(/([\d.]+)/.exec(await page.textContent('[data-metric="uar"]'))[1]) > 25);
  assert.deepEqual(problems(), []);
  await context.close();
});

test("the paper's experiment runs in the browser and renders Table 1 and Figure 2", async () => {
  const { page, problems, context } = await openReady();
  await loadSample(page);
  await page.fill('#paper-repeats', '1');
  await page.click('#paper-button');
  await waitState(page, 'done', 180000);
  const rows = await page.$$eval('#table1 tbody tr', (trs) => trs.map((tr) => tr.textContent));
  assert.equal(rows.length, 4);
  // Ours, the logistic regression on the same rows, the paired difference (points, interval,
  // p), the paper's. One model: OODT and IDT are one value each, with no spread shown.
  assert.match(rows[0], /^OODT\s*[\d.]+ %\s*[\d.]+ %\s*[+-][\d.]+ \[[+-][\d.]+, [+-][\d.]+\] points, p [=<] [\d.]+.*32\.8 %\s*29\.3 %/);
  assert.match(rows[1], /^IDT\s*[\d.]+ %\s*[\d.]+ %.*50\.0 %.*one model per speaker/);
  assert.match(rows[2], /^Siamese NN fine-tuning\s*[\d.]+ %\s*[\d.]+ %/, 'one repeat: no spread either');
  assert.match(rows[2], /rows of the \d+ evaluation speakers who gave no labelled row/);
  assert.match(await page.textContent('#table1-caption'), /UAR on 20 evaluation speakers \(left out: ravdess\/02/);
  assert.equal(await page.locator('#figure2 canvas').count(), 1);
  // One repeat per cell: no interval, and the caption says so.
  assert.equal(await page.getAttribute('#figure2', 'data-bands'), '0');
  assert.match(await page.textContent('#figure2-caption'), /one repeat per cell there is no interval/);
  // The grid fits the 20 evaluation speakers: k = 2 … 18, 3 frozen settings.
  assert.equal(await page.locator('#grid-table tbody tr').count(), 27);
  assert.match(await page.textContent('#distance-summary'), /paired by draw of labelled speakers \(.*\): [+-][\d.]+ points/);
  assert.match(await page.textContent('#paper-status'), /Done: 54 fine-tuning runs, 20 IDT folds.* on 2 engines\./);
  const [pooled] = await Promise.all([page.waitForEvent('download'), page.click('#paper-json')]);
  await pooled.saveAs(`${ARTIFACTS}/report-pool.json`);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#paper-csv')]);
  await csv.saveAs(`${ARTIFACTS}/grid.csv`);
  const grid = readFileSync(`${ARTIFACTS}/grid.csv`, 'utf8').trim().split('\n');
  // What it was computed on (the model, the target), then the settings, then the cells.
  assert.match(grid[0], /^# siamese-ser \S+; model pretrained on TESS \(models\/tess\.json\); target ravdess_16k\.csv$/);
  assert.match(
    grid[1],
    /^# siamese-ser .*seed \d+; pretraining seeds 1; OODT model given.*method paper; test rows unseen_speakers;.*normalisation per_speaker;/,
  );
  assert.equal(grid.length, 3 + 54);
  await page.screenshot({ path: `${ARTIFACTS}/paper.png`, fullPage: true });
  // At a laptop's width Table 1's eight columns fit without scrolling sideways.
  await page.setViewportSize({ width: 1280, height: 800 });
  const table1 = await page.$eval('#table1', (t) => [t.parentElement.scrollWidth, t.parentElement.clientWidth]);
  assert.ok(table1[0] <= table1[1], `Table 1 is ${table1[0]} px wide in ${table1[1]} px`);
  // Narrowed to phone width after the run, the plots follow: nothing scrolls sideways.
  const wide = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 800 });
  await page.waitForFunction(() => document.documentElement.scrollWidth <= 390, null, { timeout: 5000 });
  await page.setViewportSize(wide);
  // One engine gives the same report as the pool of two.
  await page.goto(`${base()}www/?workers=1`);
  await waitState(page, 'ready');
  await loadSample(page);
  await page.fill('#paper-repeats', '1');
  await page.click('#paper-button');
  await waitState(page, 'done', 180000);
  assert.match(await page.textContent('#paper-status'), /on 1 engine\./);
  const [single] = await Promise.all([page.waitForEvent('download'), page.click('#paper-json')]);
  await single.saveAs(`${ARTIFACTS}/report-single.json`);
  const a = JSON.parse(readFileSync(`${ARTIFACTS}/report-pool.json`, 'utf8')).report;
  const b = JSON.parse(readFileSync(`${ARTIFACTS}/report-single.json`, 'utf8')).report;
  assert.deepEqual(a, b, 'the same report from one engine and from two');
  assert.deepEqual(problems(), []);
  await context.close();
});

test('predicts unlabelled rows with per-class probabilities and offers the CSV', async () => {
  const { page, problems, context } = await openReady();
  await page.setInputFiles('#predict-file', `${ROOT}tests/fixtures/opensmile_is09.csv`);
  await page.locator('#predict-results').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#predict-table tbody tr').count(), 10);
  assert.match(
    await page.textContent('#predict-summary'),
    /10 rows predicted.*of 8 labelled rows predicted correctly \([\d.]+ %\), UAR [\d.]+ % on them \(chance 25\.0 %\); with 8 labelled rows one row more or less recognised moves UAR by about 13 points, so it says little; the model's logistic regression on the same rows: UAR [\d.]+ %/,
  );
  const probs = await page.$$eval('#predict-table tbody tr:first-child td', (tds) => tds.slice(4).map((td) => Number(td.textContent)));
  assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 0.01);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#predict-csv')]);
  await dl.saveAs(`${ARTIFACTS}/predictions.csv`);
  const csv = readFileSync(`${ARTIFACTS}/predictions.csv`, 'utf8').trim().split('\n');
  assert.match(csv[0], /^# siamese-ser [\d.]+; model pretrained on TESS \(models\/tess\.json\); input opensmile_is09\.csv$/);
  assert.equal(csv[1], 'file,corpus,speaker,emotion,predicted,p_angry,p_happy,p_sad,p_fearful,standardised_by');
  assert.equal(csv.length, 12);
  // Rows of other emotions are predicted with their own labels beside, in no figure.
  const lines = readFileSync(`${ROOT}data/ravdess_16k.csv`, 'utf8').split('\n').slice(0, 9);
  lines[3] = lines[3].replace(/,(angry|happy|sad|fearful),/, ',neutral,');
  lines[6] = lines[6].replace(/,(angry|happy|sad|fearful),/, ',Calm,');
  writeFileSync(`${ARTIFACTS}/mixed.csv`, lines.join('\n') + '\n');
  await page.setInputFiles('#predict-file', `${ARTIFACTS}/mixed.csv`);
  await page.waitForFunction(() => /mixed\.csv/.test(document.querySelector('#predict-summary').textContent));
  const labels = await page.$$eval('#predict-table tbody tr', (trs) => trs.map((tr) => tr.cells[2].textContent));
  assert.deepEqual([labels.length, labels[2], labels[5]], [8, 'neutral', 'calm']);
  assert.match(
    await page.textContent('#predict-summary'),
    /of 6 labelled rows.*; 2 rows of other emotions, predicted as one of the four, count in no figure/,
  );
  assert.deepEqual(problems(), []);
  await context.close();
});

test('works by keyboard alone and at phone width', async () => {
  const { page, problems, context } = await openReady();
  await page.setViewportSize({ width: 375, height: 800 });
  // Every control has a visible label.
  const unlabelled = await page.$$eval('input, select', (els) =>
    els
      .filter((el) => {
        const label = el.labels && el.labels[0];
        return !label || !label.textContent.trim() || label.offsetParent === null;
      })
      .map((el) => el.id),
  );
  assert.deepEqual(unlabelled, []);
  assert.match(await page.textContent('label[for="target-file"]'), /target/i);
  // No horizontal scrolling of the page at 375 px.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
  // Keyboard: focus the sample button by tabbing, press Enter; then tab to Fine-tune.
  let guard = 0;
  while ((await page.evaluate(() => document.activeElement.id)) !== 'sample-button' && guard++ < 40) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await ravdessLoaded(page);
  guard = 0;
  while ((await page.evaluate(() => document.activeElement.id)) !== 'finetune-button' && guard++ < 60) await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'finetune-button');
  await page.keyboard.press('Enter');
  await waitState(page, 'done');
  await page.screenshot({ path: `${ARTIFACTS}/phone.png`, fullPage: true });
  // A file name of 80 characters without a space wraps instead of widening the page.
  const long = `${ARTIFACTS}/${'ravdess_is09_features_speakers_01_to_10_relabelled_'.padEnd(76, 'x')}.csv`;
  writeFileSync(long, `${readFileSync(`${ROOT}data/ravdess_16k.csv`, 'utf8').split('\n').slice(0, 129).join('\n')}\n`);
  await page.setInputFiles('#target-file', long);
  await page.waitForFunction(() => document.querySelector('#target-summary').textContent.includes('128 used'));
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no sideways scrolling');
  assert.deepEqual(problems(), []);
  await context.close();
});

test('after fine-tuning, switching the model makes Predict use the new one and removes the old results', async () => {
  const { page, problems, context } = await openReady();
  await loadSample(page);
  await page.getByRole('button', { name: /Fine-tune/ }).click();
  await waitState(page, 'done');
  assert.equal(await page.isVisible('#results'), true);
  // Predictions with the loaded (TESS) model, then with the other bundled model.
  // (Waits for the summary naming `model`: the earlier prediction's table is still on screen.)
  const predicted = async (model) => {
    await page.setInputFiles('#predict-file', `${ROOT}tests/fixtures/opensmile_is09.csv`);
    await page.locator('#predict-results').waitFor({ state: 'visible' });
    await page.waitForFunction((m) => document.querySelector('#predict-summary').textContent.includes(m), model);
    const summary = await page.textContent('#predict-summary');
    const rows = await page.$$eval('#predict-table tbody tr', (trs) => trs.map((tr) => tr.dataset.predicted));
    return { summary, rows };
  };
  const tess = await predicted('pretrained on TESS');
  assert.match(tess.summary, /with the model “pretrained on TESS \(models\/tess\.json\)”/);
  await page.selectOption('#model-select', 'all');
  await page.waitForFunction(() => /every available corpus/.test(document.querySelector('#model-card').textContent));
  assert.equal(await page.isHidden('#results'), true, 'results of the earlier model are removed');
  assert.match(await page.textContent('#train-status'), /Earlier results were removed: the model is now/);
  assert.equal(await page.isHidden('#predict-results'), true, "the earlier model's predictions are removed");
  const all = await predicted('trained on every available corpus');
  assert.match(all.summary, /with the model “trained on every available corpus \(models\/all\.json\)”/);
  assert.equal(all.rows.length, 10);
  assert.ok(all.rows.every((e) => ['angry', 'happy', 'sad', 'fearful'].includes(e)));
  await page.getByRole('button', { name: /Fine-tune/ }).click();
  await waitState(page, 'done');
  // "Use the fine-tuned model" is a model change too: the predictions go, the focus moves to
  // the card of the model now loaded.
  await page.click('#use-tuned');
  await page.waitForFunction(() =>
    /fine-tuned model 1 of this session \(from trained on every available corpus.*k = 2, .*seed 42\)/.test(
      document.querySelector('#model-card').textContent,
    ),
  );
  assert.equal(await page.isHidden('#predict-results'), true, "the earlier model's predictions are removed");
  assert.equal(await page.evaluate(() => document.activeElement.id), 'model-card');
  const tuned = await predicted('fine-tuned model 1 of this session');
  assert.equal(tuned.rows.length, 10);
  // The model in use can be downloaded from section 1, and imported again it predicts the same.
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#model-export')]);
  assert.match(file.suggestedFilename(), /^siamese-ser-fine-tuned-model-1-of-this-session\.json$/);
  await file.saveAs(`${ARTIFACTS}/loaded-model.json`);
  await page.setInputFiles('#model-file', `${ARTIFACTS}/loaded-model.json`);
  await page.waitForFunction(() => /loaded-model\.json/.test(document.querySelector('#model-card').textContent));
  assert.deepEqual((await predicted('loaded-model.json')).rows, tuned.rows);
  // Every model of the session stays in the list: choosing the fine-tuned one loads it again.
  const options = await page.$$eval('#model-select option', (os) => os.map((o) => o.textContent));
  assert.deepEqual(options.slice(2), ['Fine-tuned model 1 of this session', 'imported: loaded-model.json']);
  await page.selectOption('#model-select', { label: 'Fine-tuned model 1 of this session' });
  await page.waitForFunction(() =>
    /^\s*Model\s*fine-tuned model 1 of this session/.test(document.querySelector('#model-card').textContent),
  );
  assert.deepEqual((await predicted('fine-tuned model 1 of this session')).rows, tuned.rows);
  // A new target removes results too; a failed run leaves no success message.
  await page.getByRole('button', { name: /Fine-tune/ }).click();
  await waitState(page, 'done');
  assert.equal(await page.isVisible('#results'), true);
  // Fine-tuned again with its own seed, the model meets its own labelled rows, and is told so.
  assert.match(
    await page.textContent('#results-basis'),
    /All 8 labelled rows were already among the loaded model's references: it was fine-tuned on them before \(the same seed draws the same rows\)\./,
  );
  await page.setInputFiles('#target-file', `${ROOT}tests/fixtures/audio/features.csv`);
  await page.waitForFunction(() => /features\.csv/.test(document.querySelector('#target-summary').textContent));
  assert.equal(await page.isHidden('#results'), true);
  await page.fill('#set-speakers', '4');
  await page.getByRole('button', { name: /Fine-tune/ }).click();
  await page.locator('#settings-error').waitFor({ state: 'visible' });
  assert.doesNotMatch(await page.textContent('#train-status'), /Done/);
  assert.equal(await page.isHidden('#results'), true);
  assert.deepEqual(problems(), []);
  await context.close();
});

test('Predict takes WAV recordings and marks each row with its prediction', async () => {
  const { page, problems, context } = await openReady();
  const wavs = ['03-01-03-02-01-01-03.wav', '03-01-05-02-01-01-04.wav'].map((f) => `${ROOT}tests/fixtures/audio/${f}`);
  await page.setInputFiles('#predict-file', wavs);
  await page.locator('#predict-results').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#predict-summary'), /2 rows predicted from 2 files/);
  const marks = await page.$$eval('#predict-table tbody tr', (trs) => trs.map((tr) => tr.dataset.predicted));
  assert.equal(marks.length, 2);
  assert.ok(marks.every((e) => ['angry', 'happy', 'sad', 'fearful'].includes(e)));
  assert.deepEqual(problems(), []);
  await context.close();
});

test('accessibility (axe-core): no serious or critical violations on the full page after a run, and at phone width', async () => {
  const { page, problems, context } = await openReady();
  await page.setViewportSize({ width: 390, height: 844 });
  await loadSample(page);
  await page.getByRole('button', { name: /Fine-tune/ }).click();
  await waitState(page, 'done');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'results-heading', 'focus moves to the results');
  await page.fill('#paper-repeats', '1');
  await page.click('#paper-button');
  await waitState(page, 'done', 240000);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'paper-results-heading');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide in a 390 px viewport`);
  await page.addScriptTag({ path: `${ROOT}node_modules/axe-core/axe.min.js` });
  const result = await page.evaluate(async () => {
    for (const d of document.querySelectorAll('details')) d.open = true;
    return window.axe.run(document, { resultTypes: ['violations'] });
  });
  const serious = result.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
  assert.deepEqual(
    serious.map((v) => `${v.id}: ${v.nodes.length} × ${v.nodes[0].target}`),
    [],
  );
  // Disabled buttons say why.
  await page.goto(`${base()}www/`);
  await waitState(page, 'ready');
  assert.match(await page.textContent('#finetune-why'), /Load target data first/);
  assert.deepEqual(problems(), []);
  await context.close();
});

test('the experiment runs on a corpus of 10 speakers, with the grid that fits it, and k can be chosen', async () => {
  const { page, problems, context } = await openReady();
  // RAVDESS speakers 01–10: the development speakers 02 and 06 are left out, 8 remain.
  const lines = readFileSync(`${ROOT}data/ravdess_16k.csv`, 'utf8').trim().split('\n');
  const ten = [lines[0], ...lines.slice(1).filter((l) => Number(l.split(',')[2]) <= 10)];
  writeFileSync(`${ARTIFACTS}/ten-speakers.csv`, `${ten.join('\n')}\n`);
  // Two speakers can be fine-tuned on but are too few for the experiment: Run says so before
  // it is pressed, with the engine's reason.
  const two = [lines[0], ...lines.slice(1).filter((l) => ['01', '03'].includes(l.split(',')[2]))];
  writeFileSync(`${ARTIFACTS}/two-speakers.csv`, `${two.join('\n')}\n`);
  await page.setInputFiles('#target-file', `${ARTIFACTS}/two-speakers.csv`);
  await page.waitForFunction(() => /cannot run on this target/.test(document.querySelector('#paper-why').textContent));
  assert.match(await page.textContent('#paper-why'), /needs at least 4 speakers.*the target has 2 speakers/);
  assert.equal(await page.isDisabled('#paper-button'), true);
  assert.equal(await page.isDisabled('#finetune-button'), false);
  // Fine-tuned with k = 1, one speaker is left to test on, and the advice fits k = 1.
  await page.fill('#set-speakers', '1');
  await page.fill('#set-samples', '2');
  await page.fill('#set-epochs', '30');
  await page.click('#finetune-button');
  await waitState(page, 'done');
  assert.match(await page.textContent('#results-basis'), /come from one speaker.*k is already 1: only a target with more speakers/);
  await page.setInputFiles('#target-file', `${ARTIFACTS}/ten-speakers.csv`);
  await page.waitForFunction(() => /Speakers\s*10/.test(document.querySelector('#target-summary').textContent));
  await page.waitForFunction(() => document.querySelector('#paper-button').getAttribute('aria-disabled') === 'false');
  await page.fill('#paper-repeats', '2');
  await page.click('#paper-button');
  await waitState(page, 'done', 180000);
  assert.match(await page.textContent('#table1-caption'), /UAR on 8 evaluation speakers/);
  // 8 speakers: k = 2, 4, 6 (two left to test on); 3 frozen settings.
  assert.equal(await page.locator('#grid-table tbody tr').count(), 9);
  // Two repeats: each of the 6 fine-tuning lines has its 95 % band.
  assert.equal(await page.getAttribute('#figure2', 'data-bands'), '6');
  assert.match(await page.textContent('#figure2-caption'), /95 % interval of each line's mean over its 2 draws/);
  assert.match(await page.textContent('#table1-caption'), /Method: the paper's\./);
  // The baseline beside each fine-tuning figure is on its rows: its best cell's k and draws.
  const beside = await page.evaluate(() =>
    [...document.querySelectorAll('#table1 tbody tr')].slice(2).map((tr) => {
      const [, k, f] = /best cell k = (\d+), (\d+) frozen/.exec(tr.textContent);
      const cell = [...document.querySelectorAll('#grid-table tbody tr')].find(
        (g) => g.cells[0].textContent === k && g.cells[1].textContent === f,
      );
      return [tr.cells[2].textContent, cell.cells[7].textContent, tr.cells[3].textContent];
    }),
  );
  assert.equal(beside.length, 2);
  for (const [table1, grid, paired] of beside) {
    assert.equal(table1, grid);
    assert.match(paired, /^[+-]\d+\.\d( \[[+-]\d+\.\d, [+-]\d+\.\d\])? points, p [=<] /);
  }
  await page.fill('#paper-speakers', '4 2');
  await page.selectOption('#paper-method', 'regularised');
  await page.click('#paper-button');
  await waitState(page, 'done', 180000);
  // In order of k, whatever the order typed.
  const ks = await page.$$eval('#grid-table tbody tr', (trs) => trs.map((tr) => tr.cells[0].textContent));
  assert.deepEqual(ks, ['2', '2', '2', '4', '4', '4']);
  assert.match(await page.textContent('#table1-caption'), /Method: regularised\./);
  await page.fill('#paper-speakers', '2, x');
  await page.click('#paper-button');
  await page.locator('#paper-error').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#paper-error'), /not a list of whole numbers/);
  // Refused by the page as by the engine: the line says nothing ran, the alert has the focus.
  assert.match(await page.textContent('#paper-status'), /did not run; the results below are those of the earlier run/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'paper-error');
  await page.fill('#paper-speakers', '2, 4, 2');
  await page.click('#paper-button');
  await page.waitForFunction(() => /2 is given twice/.test(document.querySelector('#paper-error').textContent));
  await page.fill('#paper-speakers', '8');
  await page.click('#paper-button');
  await page.waitForFunction(() => /k = 8 speakers needs/.test(document.querySelector('#paper-error').textContent), null, {
    timeout: 60000,
  });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'paper-error', "the engine's refusal takes the focus");
  // Refused before it started: nothing ran, so the earlier results stay, said to be earlier.
  assert.equal(await page.isVisible('#paper-results'), true);
  assert.match(await page.textContent('#paper-status'), /did not run; the results below are those of the earlier run/);
  assert.match(await page.textContent('#paper-stale'), /these results are from .*k = 2, 4/);
  assert.deepEqual(problems(), []);
  await context.close();
});

test("the experiment's source CSV is shown while loaded and can be removed", async () => {
  const { page, problems, context } = await openReady();
  await loadSample(page);
  await page.fill('#set-epochs', '60');
  await page.click('#finetune-button');
  await waitState(page, 'done');
  await page.setInputFiles('#paper-source', `${ROOT}tests/fixtures/audio/features.csv`);
  await page.locator('#paper-source-status').waitFor({ state: 'visible' });
  assert.match(
    await page.textContent('#paper-source-name'),
    /Source: features\.csv, 16 labelled rows \(angry 4, happy 4, sad 4, fearful 4; 16 read\) of 4 speakers; the experiment pretrains on it/,
  );
  // Only the experiment uses the source: fine-tuning's results stay.
  assert.equal(await page.isVisible('#results'), true);
  await page.click('#paper-source-remove');
  await page.locator('#paper-source-status').waitFor({ state: 'hidden' });
  assert.match(await page.textContent('#status'), /Source removed/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'paper-source');
  // A source that shares speakers with the target is refused before Run, with the reason.
  await page.setInputFiles('#paper-source', `${ROOT}data/ravdess_16k.csv`);
  await page.waitForFunction(() => /source corpus without the target's speakers/.test(document.querySelector('#paper-why').textContent));
  assert.ok(await page.isDisabled('#paper-button'));
  assert.deepEqual(problems(), []);
  await context.close();
});
