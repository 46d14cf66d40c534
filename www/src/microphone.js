// Section 7, teach it your voice: the microphone, clips (record, play, delete), fine-tuning on
// them with the held-out estimate, and live prediction.
import { setAvailable } from './controls.js';
import { call, cancelJob, newId, postToEngine, replay, request, runJob } from './engine.js';
import { $, EMOTIONS, clearError, download, errorText, esc, pct, alone, showError, status, ui } from './page.js';
import { currentSettings, differs, onSettingsChange, settingsOrAlert } from './settings.js';

// The microphone feeds an AudioWorklet that posts blocks of mono samples; while a clip is
// being recorded they are kept here, and during live prediction they go to the worker, whose
// segmenter cuts utterances and whose model predicts each one.
const TAP = `class Tap extends AudioWorkletProcessor {
  constructor() { super(); this.buf = new Float32Array(2048); this.n = 0; }
  process(inputs) {
    const chans = inputs[0];
    if (chans && chans.length) {
      const len = chans[0].length;
      for (let i = 0; i < len; i++) {
        let v = 0;
        for (const c of chans) v += c[i];
        this.buf[this.n++] = v / chans.length;
        if (this.n === this.buf.length) { this.port.postMessage(this.buf.slice()); this.n = 0; }
      }
    }
    return true;
  }
}
registerProcessor('siamese-tap', Tap);`;
const mic = {
  ctx: null,
  stream: null,
  node: null,
  rate: 0,
  recording: null,
  live: null,
  clips: [],
  counts: [0, 0, 0, 0],
  kept: [],
  player: null,
};
replay.voice = {
  restore: async () => {
    // The new engine gets the clips back, not the voice model trained on them.
    voiceModelGone('The engine was restarted: your clips were reloaded, but not your voice model; train again to use it.');
    for (const c of mic.kept) await call('addClip', { ...c, samples: c.samples.slice() });
  },
};
const MAX_CLIP_SECONDS = 10;

export function voiceControls() {
  const on = !!mic.ctx;
  const counts = Object.fromEntries(EMOTIONS.map((e, i) => [e, mic.counts[i]]));
  $('mic-start').disabled = on || !!mic.starting;
  // The clips a voice training reads are fixed while it runs.
  const training = !!ui.busy && ui.busy.kind === 'voice';
  for (const b of $('clip-list').querySelectorAll('button[data-remove]')) b.disabled = training;
  $('mic-stop').disabled = !on;
  for (const b of document.querySelectorAll('button.record')) {
    const e = b.dataset.emotion;
    const rec = mic.recording && mic.recording.emotion === e;
    b.disabled = !on || (!!mic.recording && !rec) || !!mic.live || training;
    b.classList.toggle('recording', !!rec);
    b.textContent = rec ? `Stop recording ${e}` : `Record ${e} (${counts[e]})`;
  }
  const enough = EMOTIONS.every((e) => counts[e] >= 2);
  setAvailable($('voice-train'), enough && !mic.recording && !mic.live && !ui.busy && ui.haveModel);
  setAvailable($('live-toggle'), on && ui.haveVoiceModel && !mic.recording);
  $('live-toggle').textContent = mic.live ? 'Stop live prediction' : 'Start live prediction';
  setAvailable($('voice-export'), ui.haveVoiceModel);
  $('voice-why').textContent = voiceWhy(on, counts);
}

// Why a voice button is disabled: the first thing missing ('' if none is).
function voiceWhy(on, counts) {
  if (!ui.haveModel) return 'Load a model first (section 1).';
  if (ui.busy && ui.busy.kind === 'voice') return 'Training on your voice: the buttons come back when it has finished.';
  if (ui.busy) return 'Wait for the running job to finish, or cancel it.';
  if (mic.recording) return 'Stop the recording first.';
  if (mic.live) return 'Training is off while live prediction runs: stop it to train again.';
  const short = EMOTIONS.filter((e) => counts[e] < 2);
  if (!ui.haveVoiceModel && short.length) {
    return `Training needs 2 clips of each emotion; so far ${short.map((e) => `${e} ${counts[e]}`).join(', ')}.`;
  }
  if (!ui.haveVoiceModel) return 'Live prediction and the download need a voice model: press “Train on my voice”.';
  if (!on) return 'Live prediction needs the microphone: press “Start the microphone”.';
  return '';
}

function renderClips() {
  $('clip-list').innerHTML = mic.clips
    .map(
      (c, i) =>
        `<li>${esc(c.file)}: ${c.emotion}, ${c.seconds.toFixed(1)} s, ${c.speaker ? `speaker ${esc(c.speaker)}` : 'no speaker name'}` +
        `<button type="button" data-play="${i}" aria-label="Play ${esc(c.file)}">▶</button>` +
        `<button type="button" data-remove="${i}" aria-label="Delete ${esc(c.file)}">✕</button></li>`,
    )
    .join('');
  voiceControls();
}

async function startMic() {
  if (mic.starting || mic.ctx) return; // a second press while the first is starting
  mic.starting = true;
  voiceControls();
  clearError('voice-error');
  try {
    mic.stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    });
    mic.ctx = new AudioContext();
    // A data: URL works from file:// too, where blob: worklet modules are refused.
    await mic.ctx.audioWorklet.addModule(`data:text/javascript;base64,${btoa(TAP)}`);
    const src = mic.ctx.createMediaStreamSource(mic.stream);
    mic.node = new AudioWorkletNode(mic.ctx, 'siamese-tap');
    const mute = mic.ctx.createGain();
    mute.gain.value = 0;
    src.connect(mic.node).connect(mute).connect(mic.ctx.destination);
    mic.rate = mic.ctx.sampleRate;
    // A block already on its way when the microphone is stopped is dropped: it would move the
    // level meter (or a clip) of a microphone that is off.
    const node = mic.node;
    node.port.onmessage = (e) => {
      if (mic.node === node) onMicBlock(e.data);
    };
    $('voice-status').textContent = `Microphone on (${mic.rate} Hz; recordings are converted to 16 kHz).`;
  } catch (err) {
    stopMic();
    showError('voice-error', micProblem(err));
  }
  mic.starting = false;
  voiceControls();
  // Start disabled itself: focus goes on to the first Record button.
  if (mic.ctx && (document.activeElement === document.body || document.activeElement === $('mic-start'))) {
    document.querySelector('button.record').focus();
  }
}

// What went wrong with the microphone, in words a person can act on (the browser's own
// messages, such as "Could not start audio source", say neither why nor what to do).
function micProblem(err) {
  const name = err && err.name;
  if (!navigator.mediaDevices)
    return 'This browser gives no microphone to this page: it needs a secure address (https://, or http://localhost). Recording your voice is not available here; WAV files in section 2 still work.';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return 'The browser did not allow the microphone. Allow it for this page (the icon in the address bar, or the site settings) and press Start again.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No microphone was found. Connect one and press Start again.';
  if (name === 'NotReadableError' || name === 'AbortError')
    return 'The microphone is there but could not be read: another application may be using it, or the system blocks it (check its privacy settings). Close the other application and press Start again.';
  return `The microphone could not be started: ${errorText(err)} Press Start to try again.`;
}

function stopMic() {
  if (mic.live) toggleLive();
  if (mic.recording) finishClip();
  if (mic.stream) mic.stream.getTracks().forEach((t) => t.stop());
  if (mic.node) mic.node.port.onmessage = null;
  if (mic.ctx) mic.ctx.close();
  mic.ctx = mic.stream = mic.node = null;
  $('mic-level').value = 0;
  voiceControls();
  // The Stop button disabled itself: focus goes to Start, not to the page.
  if (document.activeElement === $('mic-stop') || document.activeElement === document.body) $('mic-start').focus();
}

function onMicBlock(block) {
  let sum = 0;
  for (const v of block) sum += v * v;
  $('mic-level').value = Math.min(1, 4 * Math.sqrt(sum / block.length));
  if (mic.recording) {
    mic.recording.blocks.push(block);
    mic.recording.samples += block.length;
    if (mic.recording.samples >= MAX_CLIP_SECONDS * mic.rate) finishClip(true);
  }
  if (mic.live) postToEngine({ type: 'listen', samples: block }, [block.buffer]);
}

// `atLimit`: stopped by the clip length limit, not by the person.
async function finishClip(atLimit = false) {
  const r = mic.recording;
  mic.recording = null;
  voiceControls();
  if (!r || r.samples < 0.3 * mic.rate) {
    $('voice-status').textContent = 'That clip was shorter than 0.3 s and was not kept.';
    return;
  }
  const samples = new Float32Array(r.samples);
  let off = 0;
  for (const b of r.blocks) {
    samples.set(b, off);
    off += b.length;
  }
  const clip = { samples, rate: mic.rate, emotion: r.emotion, speaker: $('voice-speaker').value.trim() };
  try {
    // The engine names the clip; the page keeps a copy of every clip (to play it, and so
    // that a replaced engine gets them back under the same names).
    const hadModel = ui.haveVoiceModel;
    const res = await call('addClip', { ...clip, samples: samples.slice() }, null, []);
    clip.name = res.clips[res.clips.length - 1].file;
    mic.kept.push(clip);
    mic.clips = res.clips;
    mic.counts = res.counts;
    voiceModelGone('');
    $('voice-status').textContent =
      `Kept ${clip.name} (${(r.samples / mic.rate).toFixed(1)} s${atLimit ? `: recording stops at the ${MAX_CLIP_SECONDS} s limit` : ''}).` +
      (hadModel ? ' Your voice model was trained without it and was removed: train again to use it.' : '');
  } catch (err) {
    showError('voice-error', alone(errorText(err)));
  }
  renderClips();
}

for (const b of document.querySelectorAll('button.record')) {
  b.addEventListener('click', () => {
    if (mic.recording) {
      finishClip();
      return;
    }
    clearError('voice-error');
    mic.recording = { emotion: b.dataset.emotion, blocks: [], samples: 0 };
    $('voice-status').textContent = `Recording ${b.dataset.emotion}… speak one sentence, then press Stop.`;
    voiceControls();
  });
}
// The voice model no longer matches the clips (one was added or deleted): live prediction
// stops and the estimate goes, as the engine has dropped the model.
export function voiceModelGone(why) {
  if (mic.live) toggleLive();
  $('voice-stale').hidden = true;
  $('voice-estimate').hidden = true;
  $('voice-estimate').innerHTML = '';
  // Live predictions came from the model that is gone.
  $('live').hidden = true;
  $('live-history').innerHTML = '';
  if (ui.haveVoiceModel) {
    ui.haveVoiceModel = false;
    if (why) $('voice-status').textContent = why;
  }
}

// The voice model and its estimate say so when the training settings are no longer theirs.
function checkVoiceStale() {
  const now = currentSettings();
  const t = mic.trainedWith;
  const el = $('voice-stale');
  el.hidden = !ui.haveVoiceModel || !t || !now || !differs(now.train, t);
  if (!el.hidden) {
    el.textContent =
      `The training settings were changed after your voice model was trained: it and its estimate are from ${t.epochs} epochs, ` +
      `learning rate ${t.learning_rate}, ${t.frozen_layers} frozen, ${t.distance_loss ? 'with' : 'without'} distance loss, seed ${t.seed}. ` +
      'Press “Train on my voice” to train with the settings now shown.';
  }
}
onSettingsChange(checkVoiceStale);

// Plays a kept clip as it was recorded.
function playClip(i) {
  const c = mic.kept[i];
  if (!c) return;
  if (mic.player) mic.player.close();
  mic.player = new AudioContext({ sampleRate: c.rate });
  const buffer = mic.player.createBuffer(1, c.samples.length, c.rate);
  buffer.copyToChannel(c.samples, 0);
  const src = mic.player.createBufferSource();
  src.buffer = buffer;
  src.connect(mic.player.destination);
  src.start();
  $('voice-status').textContent = `Playing ${c.name} (${(c.samples.length / c.rate).toFixed(1)} s).`;
}

$('clip-list').addEventListener('click', async (e) => {
  if (e.target.dataset.play !== undefined) {
    playClip(Number(e.target.dataset.play));
    return;
  }
  const i = e.target.dataset.remove;
  // The second click of a double click lands on the next clip's ✕: one press, one deletion.
  if (i === undefined || e.detail > 1 || e.target.disabled) return;
  const name = mic.clips[Number(i)] && mic.clips[Number(i)].file;
  try {
    const res = await call('removeClip', { index: Number(i) });
    mic.clips = res.clips;
    mic.counts = res.counts;
    mic.kept.splice(Number(i), 1);
    // The voice model was trained on the deleted clip too: the engine dropped it.
    $('voice-status').textContent = `Deleted ${name}.`;
    voiceModelGone(`Deleted ${name}; train again to use the remaining clips.`);
  } catch (err) {
    showError('voice-error', alone(errorText(err)));
  }
  renderClips();
  // The clip's ✕ is gone: focus goes to the next clip's, or the last one's, or the status.
  const left = $('clip-list').querySelectorAll('button[data-remove]');
  (left[Math.min(Number(i), left.length - 1)] || $('voice-status')).focus();
});
$('voice-cancel').addEventListener('click', () => cancelJob('voice'));
$('mic-start').addEventListener('click', startMic);
$('mic-stop').addEventListener('click', stopMic);

$('voice-train').addEventListener('click', async () => {
  const config = settingsOrAlert('voice-error', 'Fine-tuning on your voice uses the training settings of section 3. ', true);
  if (!config) return;
  voiceModelGone('');
  // Whose voice the model learns: the speaker names the clips were recorded under.
  mic.trainedOn = [...new Set(mic.clips.map((c) => c.speaker).filter(Boolean))];
  const job = request('voiceFinetune', { config }, (m) => {
    $('voice-progress').max = m.total;
    $('voice-progress').value = m.done;
    $('voice-status').textContent = m.estimating
      ? `Estimating accuracy on clips held out: fold ${m.done} of ${m.total}`
      : `Fine-tuning on your voice: epoch ${m.done} of ${m.total}`;
  });
  await runJob({
    kind: 'voice',
    job,
    busy: 'Fine-tuning on your voice…',
    done: (r) => {
      ui.haveVoiceModel = true;
      mic.trainedWith = config.train;
      checkVoiceStale();
      $('voice-status').textContent =
        `Fine-tuned on ${mic.clips.length} clips in ${(r.elapsed / 1000).toFixed(2)} s (with the estimate). Start live prediction and speak.`;
      renderVoiceEstimate(r.estimate, r.estimateError);
      status('Your voice model is ready.');
    },
    cancelled: () => {
      $('voice-status').textContent = 'Training was cancelled; your clips are kept.';
      status('Training on your voice was cancelled.');
    },
    failed: 'Fine-tuning on your voice did not run.',
    errorId: () => 'voice-error',
  });
  voiceControls();
});

// How well the voice model recognises clips it was not fine-tuned on, beside the model
// before fine-tuning and the logistic regression on the same folds, with chance.
function renderVoiceEstimate(e, error) {
  const box = $('voice-estimate');
  box.hidden = false;
  if (!e) {
    box.innerHTML = `<p>No accuracy estimate: ${esc(error || 'it could not be computed')}.</p>`;
    return;
  }
  const line = (name, r) => `<tr><th scope="row">${name}</th><td>${r.correct} of ${r.rows}</td><td>${pct(r.uar)}</td></tr>`;
  const step = 100 / e.tuned.rows;
  let advice = '';
  if (e.tuned.uar <= e.before.uar) {
    advice =
      ' Fine-tuning did not beat the model as it was on clips it had not heard: record more clips (3 to 5 of each emotion), or try another method (section 3, Method).';
  }
  box.innerHTML =
    `<h3>How well it knows your voice (estimate)</h3>` +
    `<p>Each clip was held out once: the model was fine-tuned on the others (${e.folds} folds) and guessed it. ` +
    `Chance is ${pct(e.chance)} UAR (unweighted average recall over the emotions). With ${e.tuned.rows} clips one ` +
    `clip more or less right moves the share by ${step.toFixed(0)} points, so read it as rough; it says how well ` +
    `the model knows this voice, not how it would do on other people.${advice}</p>` +
    `<table class="estimate"><thead><tr><th scope="col">model</th><th scope="col">clips right</th><th scope="col">UAR</th></tr></thead><tbody>` +
    line('fine-tuned on your other clips', e.tuned) +
    line('before fine-tuning', e.before) +
    (e.baseline ? line('logistic regression, same clips', e.baseline) : '') +
    '</tbody></table>';
}

function showPrediction(m) {
  if (m.error) {
    showError('voice-error', m.error);
    return;
  }
  const p = m.prediction;
  $('live').hidden = false;
  $('live-label').textContent = `${p.predicted} (${(100 * p.probabilities[EMOTIONS.indexOf(p.predicted)]).toFixed(0)} %)`;
  EMOTIONS.forEach((e, i) => {
    document.querySelector(`.bar-fill[data-emotion="${e}"]`).style.width = `${(100 * p.probabilities[i]).toFixed(1)}%`;
    document.querySelector(`.bar-value[data-value="${e}"]`).textContent = `${(100 * p.probabilities[i]).toFixed(1)} %`;
  });
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()}: ${p.predicted} — ${m.seconds.toFixed(1)} s utterance`;
  $('live-history').prepend(li);
  while ($('live-history').children.length > 20) $('live-history').lastChild.remove();
}

function toggleLive() {
  if (mic.live) {
    postToEngine({ type: 'listenStop', id: newId() });
    mic.live = null;
    $('voice-status').textContent = 'Live prediction stopped.';
  } else {
    clearError('voice-error');
    const job = request('listenStart', { rate: mic.rate, speaker: $('voice-speaker').value.trim() }, showPrediction);
    mic.live = job;
    $('live').hidden = false;
    $('voice-status').textContent = 'Listening: speak a sentence, then pause.';
    // Unless live prediction was stopped meanwhile (by the page, or with the engine).
    job.promise.catch((err) => mic.live === job && showError('voice-error', alone(errorText(err))));
  }
  voiceControls();
}
$('live-toggle').addEventListener('click', toggleLive);
$('voice-export').addEventListener('click', async () => {
  try {
    const who = (mic.trainedOn || []).join('+').replace(/[^\p{L}\p{N}+_-]+/gu, '-') || 'unnamed';
    download(`siamese-ser-voice-${who}.json`, (await call('exportVoiceModel')).json, 'application/json');
  } catch (err) {
    showError('voice-error', alone(errorText(err)));
  }
});
