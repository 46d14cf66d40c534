// Audio in the page: WAV files become a target table; the microphone teaches the model a voice
// (Chromium's fake capture device plays a WAV file made of RAVDESS sentences).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { ARTIFACTS, ROOT, cancelSlowExperiment, launch, loadSample, manyCopies, startServer, waitState, watchedPage } from './harness.mjs';

const AUDIO = `${ROOT}tests/fixtures/audio/`;
const WAVS = readdirSync(AUDIO)
  .filter((f) => f.endsWith('.wav'))
  .sort();

/** Reads the 16-bit mono PCM samples of a fixture WAV (the fixtures are plain 44-byte-header files). */
function pcm16(path) {
  const b = readFileSync(path);
  const data = b.indexOf('data');
  const n = b.readUInt32LE(data + 4) / 2;
  return Array.from({ length: n }, (_, i) => b.readInt16LE(data + 8 + 2 * i));
}

/** Writes a 16 kHz mono 16-bit WAV of `samples`. */
function writeWav(path, samples) {
  const b = Buffer.alloc(44 + 2 * samples.length);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + 2 * samples.length, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(16000, 24);
  b.writeUInt32LE(32000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(2 * samples.length, 40);
  samples.forEach((s, i) => b.writeInt16LE(s, 44 + 2 * i));
  writeFileSync(path, b);
}

let server;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

test('WAV files become the target: features, labels from names, fine-tuning, UAR', async () => {
  const browser = await launch();
  try {
    const { page, problems, context } = await openIn(browser);
    await page.setInputFiles(
      '#target-file',
      WAVS.map((f) => AUDIO + f),
    );
    await page.waitForFunction(() => /16 used of 16/.test(document.querySelector('#target-summary').textContent), null, { timeout: 60000 });
    const summary = await page.textContent('#target-summary');
    assert.match(summary, /angry 4, happy 4, sad 4, fearful 4/);
    assert.match(summary, /Speakers\s*4/);
    // Recordings have no columns: the summary says what was computed from each.
    assert.match(summary, /16 recordings \(64 IS09 features computed from each WAV recording\)/);
    assert.doesNotMatch(summary, /column/);
    assert.equal(await page.locator('#recordings-table tbody tr').count(), 16);
    assert.match(await page.textContent('#wav-status'), /Features computed for 16 of 16 files/);

    // The features CSV download parses back to the same rows (checked natively against openSMILE).
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#recordings-csv')]);
    await dl.saveAs(`${ARTIFACTS}/recordings.csv`);
    const csv = readFileSync(`${ARTIFACTS}/recordings.csv`, 'utf8').trim().split('\n');
    assert.equal(csv.length, 17);
    assert.match(csv[0], /^file,corpus,speaker,emotion,pcm_RMSenergy_sma_amean,/);

    // Relabel one file by hand: the summary follows.
    assert.equal(await page.$eval('#recordings-details', (d) => d.open), false, 'every name was recognised: the list starts closed');
    await page.click('#recordings-details summary');
    // The fields to fill in come first, so that at phone width they are on screen.
    await page.setViewportSize({ width: 390, height: 800 });
    const right = await page.$eval('input.rec-speaker', (el) => el.getBoundingClientRect().right);
    assert.ok(right <= 390, `the speaker field ends at ${right} px`);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.locator('select.rec-emotion').first().selectOption('');
    await page.waitForFunction(() =>
      /angry 4, happy 3, sad 4, fearful 4; 1 unlabelled/.test(document.querySelector('#target-summary').textContent),
    );
    await page.locator('select.rec-emotion').first().selectOption('happy');
    await page.waitForFunction(() => /angry 4, happy 4, sad 4, fearful 4/.test(document.querySelector('#target-summary').textContent));

    await page.fill('#set-speakers', '2');
    // While the run uses the labels, they cannot be changed: seen when the page turns busy (the
    // run itself may take less time than a round trip from the test).
    await page.evaluate(() => {
      new MutationObserver(() => {
        if (document.body.dataset.state === 'busy') window.lockedDuringRun = document.querySelector('select.rec-emotion').disabled;
      }).observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
    });
    await page.getByRole('button', { name: /Fine-tune/ }).click();
    await waitState(page, 'done');
    assert.equal(await page.evaluate(() => window.lockedDuringRun), true, 'labels locked during the run');
    assert.equal(await page.locator('select.rec-emotion').first().isDisabled(), false);
    assert.match(
      await page.textContent('#results-basis'),
      /same 8 rows of the 2 speakers who gave no labelled row/,
      'the other two speakers',
    );
    assert.match(
      await page.textContent('#results-basis'),
      /Only 8 test rows: one row more or less recognised moves UAR by about 13 points/,
    );
    assert.match(await page.textContent('[data-metric="uar"]'), /\d+\.\d %/);
    // Relabelling after a run removes its results: they were computed with the earlier labels.
    await page.locator('select.rec-emotion').first().selectOption('sad');
    await page.waitForFunction(() => /label or speaker of .* changed/.test(document.querySelector('#train-status').textContent));
    assert.equal(await page.isHidden('#results'), true);
    await page.locator('select.rec-emotion').first().selectOption('happy');

    // A file that is not a WAV: a clear alert, and the recordings stay loaded.
    const bad = `${ARTIFACTS}/not-audio.wav`;
    writeFileSync(bad, 'this is text, not audio');
    await page.setInputFiles('#target-file', bad);
    await page.locator('#target-error').waitFor({ state: 'visible' });
    assert.match(
      await page.textContent('#target-error'),
      /not-audio\.wav: the audio file could not be read: it does not start with a RIFF\/WAVE header/,
    );
    assert.match(await page.textContent('#target-summary'), /16 used of 16/);
    // A CSV target replaces the recordings, and nothing about them stays.
    await loadSample(page);
    assert.equal(await page.textContent('#wav-status'), '');
    assert.equal(await page.isHidden('#recordings'), true);
    assert.deepEqual(problems(), []);
    await context.close();
  } finally {
    await browser.close();
  }
});

test('a folder of WAV files becomes the target too', async () => {
  const browser = await launch();
  try {
    const { page, problems, context } = await openIn(browser);
    await page.setInputFiles('#target-folder', AUDIO);
    await page.waitForFunction(() => /16 used of 16/.test(document.querySelector('#target-summary').textContent), null, { timeout: 60000 });
    assert.match(await page.textContent('#target-summary'), /angry 4, happy 4, sad 4, fearful 4/);
    assert.deepEqual(problems(), []);
    await context.close();
  } finally {
    await browser.close();
  }
});

// The app on a watched page of `browser`, its engine ready.
async function openIn(browser, path = 'www/') {
  const w = await watchedPage(browser);
  await w.page.goto(`${server.base}${path}`);
  await waitState(w.page, 'ready');
  return w;
}

// Waits until the voice model is trained on the 8 clips recorded.
async function trainedOnVoice(page) {
  await page.waitForFunction(() => /Fine-tuned on 8 clips/.test(document.querySelector('#voice-status').textContent), null, {
    timeout: 60000,
  });
}

// Trains the voice model on the 8 clips recorded.
async function trainOnVoice(page) {
  await page.click('#voice-train');
  await trainedOnVoice(page);
}

// A browser whose microphone plays four RAVDESS sentences (one per emotion), each followed by
// a second of silence, in a loop.
function fakeMicrophone() {
  const speech = [];
  for (const f of ['03-01-05-02-01-01-03.wav', '03-01-03-02-01-01-03.wav', '03-01-04-02-01-01-03.wav', '03-01-06-02-01-01-03.wav']) {
    speech.push(...pcm16(AUDIO + f), ...new Array(16000).fill(0));
  }
  const fake = `${ARTIFACTS}/speech.wav`;
  writeWav(fake, speech);
  return launch([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${fake}`,
    '--autoplay-policy=no-user-gesture-required',
  ]);
}

// Records two clips of each emotion (1.2 s each) from the started microphone.
async function recordTwoOfEach(page) {
  for (const emotion of ['angry', 'happy', 'sad', 'fearful']) {
    for (let k = 0; k < 2; k++) {
      await page.click(`button.record[data-emotion="${emotion}"]`);
      await page.waitForTimeout(1200); // the length of the clip being recorded, not a wait for a result
      await page.click(`button.record[data-emotion="${emotion}"]`);
      await page.waitForFunction(
        (n) => document.querySelectorAll('#clip-list li').length === n,
        1 + k + 2 * ['angry', 'happy', 'sad', 'fearful'].indexOf(emotion),
      );
    }
  }
}

test('teach it your voice: record clips from the microphone, fine-tune, live prediction', async () => {
  const browser = await fakeMicrophone();
  try {
    const { page, problems, context } = await openIn(browser);
    await page.selectOption('#model-select', 'all');
    await page.waitForFunction(() => document.querySelector('#model-card').textContent.includes('ravdess'));
    // The disabled buttons say what they wait for.
    assert.match(
      await page.textContent('#voice-why'),
      /^Training needs 2 clips of each emotion; so far angry 0, happy 0, sad 0, fearful 0\.$/,
    );
    // A double click starts one microphone (two would interleave their blocks in a clip, and
    // Stop would end only one: checked at the end, where the level must stay at 0).
    await page.dblclick('#mic-start');
    await page.waitForFunction(() => /Microphone on \(\d+ Hz/.test(document.querySelector('#voice-status').textContent));
    assert.equal(await page.evaluate(() => document.activeElement.dataset.emotion), 'angry', 'focus goes on to the first Record');
    await page.waitForFunction(() => Number(document.querySelector('#mic-level').value) > 0, null, { timeout: 10000 });
    await recordTwoOfEach(page);
    assert.match(await page.textContent('#clip-list'), /fearful-2: fearful, 1\.\d s/);
    assert.match(await page.textContent('#voice-why'), /need a voice model: press “Train on my voice”/);
    // Training reads the clips as they are: recording and deleting wait until it has finished.
    // Speakers k and samples per emotion are not its settings: an empty k does not stop it.
    await page.fill('#set-speakers', '');
    const locked = await page.evaluate(() => {
      document.querySelector('#voice-train').click();
      return [...document.querySelectorAll('button.record, #clip-list button[data-remove]')].map((b) => b.disabled);
    });
    assert.ok(locked.length === 12 && locked.every(Boolean), `${locked}`);
    await trainedOnVoice(page);
    await page.fill('#set-speakers', '8');
    await page.click('#live-toggle');
    await page.waitForFunction(() => document.querySelectorAll('#live-history li').length > 0, null, { timeout: 30000 });
    const label = await page.textContent('#live-label');
    assert.match(label, /^(angry|happy|sad|fearful) \(\d+ %\)$/);
    const widths = await page.$$eval('.bar-fill', (els) => els.map((e) => parseFloat(e.style.width)));
    assert.equal(widths.length, 4);
    assert.ok(Math.abs(widths.reduce((a, b) => a + b, 0) - 100) < 1, `bars sum to 100 %: ${widths}`);
    // The estimate: every clip held out once, beside the model before and the baseline.
    const estimate = await page.textContent('#voice-estimate');
    assert.match(estimate, /\(10 folds\)|\(8 folds\)/);
    assert.match(estimate, /Chance is 25\.0 %/);
    assert.equal((estimate.match(/\d of 8/g) || []).length, 3, estimate);
    await page.screenshot({ path: `${ARTIFACTS}/voice.png`, fullPage: true });
    // The download is named after the speaker the clips were recorded under.
    const [saved] = await Promise.all([page.waitForEvent('download'), page.click('#voice-export')]);
    assert.equal(saved.suggestedFilename(), 'siamese-ser-voice-me.json');
    // It keeps the estimate shown (the UAR of the models fine-tuned without each clip).
    await saved.saveAs(`${ARTIFACTS}/voice-model.json`);
    const voiceModel = JSON.parse(readFileSync(`${ARTIFACTS}/voice-model.json`, 'utf8'));
    const heldOut = voiceModel.history.at(-1).metrics.find((m) => m.name === 'heldout_uar');
    assert.match(heldOut.on, /^8 clips of 1 speaker, each held out of the fine-tuning in one of (8|10) folds$/);
    assert.ok(estimate.includes(`${(100 * heldOut.value).toFixed(1)} %`), estimate);
    await page.click('#live-toggle');
    // A clip plays back; deleting one drops the voice model, its estimate and live prediction.
    await page.click('#clip-list button[data-play="0"]');
    await page.waitForFunction(() => /Playing angry-1 \(1\.\d s\)/.test(document.querySelector('#voice-status').textContent));
    // A double click deletes one clip (its second click lands on the next clip's ✕).
    await page.dblclick('#clip-list button[data-remove="1"]');
    await page.waitForFunction(() => document.querySelectorAll('#clip-list li').length === 7);
    await page.waitForTimeout(300); // a second deletion would show by now
    assert.equal(await page.locator('#clip-list li').count(), 7);
    assert.match(await page.textContent('#voice-status'), /^Deleted angry-2; train again to use the remaining clips\.$/);
    assert.ok(await page.isHidden('#voice-estimate'));
    assert.ok(await page.isHidden('#live'), "the deleted model's live predictions go too");
    assert.equal(await page.evaluate(() => document.activeElement.dataset.remove), '1', "focus moves to the next clip's ✕");
    assert.ok(await page.isDisabled('#live-toggle'));
    assert.ok(await page.isDisabled('#voice-train'), 'angry has one clip left');
    assert.match(await page.textContent('#voice-why'), /so far angry 1\./);
    await page.click('button.record[data-emotion="angry"]');
    await page.waitForTimeout(1200);
    await page.click('button.record[data-emotion="angry"]');
    await page.waitForFunction(() => document.querySelectorAll('#clip-list li').length === 8);
    const names = await page.$$eval('#clip-list li', (els) => els.map((e) => e.textContent.split(':')[0]));
    assert.equal(new Set(names).size, 8, `clip names stay unique: ${names}`);
    assert.ok(await page.isEnabled('#voice-train'));
    // A voice model belongs to the model it was fine-tuned from: changing that removes it.
    await trainOnVoice(page);
    // Focus was on Cancel while it ran, and comes back to Train, not to the page's top.
    assert.equal(await page.evaluate(() => document.activeElement.id), 'voice-train');
    // A clip recorded after training is not in the voice model: the model goes, and says so.
    await page.click('button.record[data-emotion="sad"]');
    await page.waitForTimeout(1200);
    await page.click('button.record[data-emotion="sad"]');
    await page.waitForFunction(() => /was trained without it and was removed/.test(document.querySelector('#voice-status').textContent));
    assert.ok(await page.isHidden('#voice-estimate'));
    assert.ok(await page.isDisabled('#live-toggle'));
    await page.click('#voice-train');
    await page.waitForFunction(() => /Fine-tuned on 9 clips/.test(document.querySelector('#voice-status').textContent), null, {
      timeout: 60000,
    });
    // Other training settings in the fields: the voice model says it is from the earlier ones.
    assert.ok(await page.isHidden('#voice-stale'));
    const epochs = await page.inputValue('#set-epochs');
    await page.fill('#set-epochs', String(Number(epochs) + 1));
    assert.match(await page.textContent('#voice-stale'), new RegExp(`it and its estimate are from ${epochs} epochs`));
    await page.selectOption('#model-select', 'tess');
    await page.waitForFunction(() =>
      /voice model was fine-tuned from the earlier model/.test(document.querySelector('#voice-status').textContent),
    );
    assert.ok(await page.isHidden('#voice-estimate'));
    assert.ok(await page.isHidden('#voice-stale'));
    assert.ok(await page.isDisabled('#live-toggle'));
    // A long training can be cancelled; the clips stay.
    await page.fill('#set-epochs', '50000');
    await page.click('#voice-train');
    await page.click('#voice-cancel');
    await page.waitForFunction(() =>
      /Training was cancelled; your clips are kept\./.test(document.querySelector('#voice-status').textContent),
    );
    await waitState(page, 'ready');
    assert.ok(await page.isEnabled('#voice-train'));
    assert.equal(await page.locator('#clip-list li').count(), 9);
    await page.click('#mic-stop');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'mic-start', 'focus does not fall to the page');
    await page.waitForTimeout(500); // blocks of a microphone left running would move the level
    assert.equal(await page.$eval('#mic-level', (m) => m.value), 0, 'Stop stopped every microphone');
    assert.deepEqual(problems(), []);
    await context.close();
  } finally {
    await browser.close();
  }
});

// An engine replaced at once (Cancel while a unit of the experiment runs for seconds) comes
// back with the clips but not the voice model: live prediction stops and the page says so.
test('an engine restart stops live prediction, keeps the clips and asks to train again', async () => {
  const browser = await fakeMicrophone();
  try {
    const { page, problems, context } = await openIn(browser, 'www/?workers=1');
    await page.click('#mic-start');
    await page.waitForFunction(() => Number(document.querySelector('#mic-level').value) > 0, null, { timeout: 10000 });
    await recordTwoOfEach(page);
    await trainOnVoice(page);
    await page.click('#live-toggle');
    await page.waitForSelector('#live:not([hidden])');
    const seconds = await cancelSlowExperiment(page, manyCopies(24), '18,432');
    const why = `after ${seconds.toFixed(1)} s: ${await page.textContent('#status')}`;
    assert.match(await page.textContent('#status'), /engine was stopped at once and restarted/, why);
    assert.equal(
      await page.textContent('#voice-status'),
      'The engine was restarted: your clips were reloaded, but not your voice model; train again to use it.',
    );
    assert.ok(await page.isHidden('#live'), 'no predictions of the model that is gone');
    assert.equal(await page.textContent('#live-toggle'), 'Start live prediction');
    assert.ok(await page.isDisabled('#live-toggle'));
    assert.ok(await page.isDisabled('#voice-export'));
    assert.ok(await page.isHidden('#voice-estimate'));
    // The new engine has the clips: training on them works.
    assert.equal(await page.locator('#clip-list li').count(), 8);
    await trainOnVoice(page);
    await page.click('#mic-stop');
    assert.deepEqual(problems(), []);
    await context.close();
  } finally {
    await browser.close();
  }
});

test('a microphone that cannot be used is explained, not reported in browser words', async () => {
  const browser = await launch();
  try {
    const { page, problems, context } = await watchedPage(browser);
    // The device refuses as a busy or system-blocked microphone does, then as a denied one.
    await page.addInitScript(() => {
      const refusals = ['NotReadableError', 'NotAllowedError'];
      navigator.mediaDevices.getUserMedia = async () => {
        throw new DOMException('Could not start audio source', refusals.shift() || 'NotAllowedError');
      };
    });
    await page.goto(`${server.base}www/`);
    await waitState(page, 'ready');
    await page.click('#mic-start');
    await page.waitForSelector('#voice-error:not([hidden])');
    const busy = await page.textContent('#voice-error');
    assert.match(busy, /another application may be using it/);
    assert.doesNotMatch(busy, /Could not start audio source/);
    assert.ok(await page.isEnabled('#mic-start'), 'Start can be pressed again');
    await page.click('#mic-start');
    await page.waitForFunction(() => /did not allow the microphone/.test(document.querySelector('#voice-error').textContent));
    assert.deepEqual(problems(), []);
    await context.close();
  } finally {
    await browser.close();
  }
});
