// Which controls are enabled, and why not: derived from the page's state after every change.
import { voiceControls } from './microphone.js';
import { $, ui } from './page.js';

// The buttons that start work say beside them why they cannot be pressed yet (the line their
// data-why names), so they stay in the Tab order: marked aria-disabled (read out as
// unavailable, with that reason as their description), and a click or key press on them does
// nothing.
export function setAvailable(el, available) {
  el.setAttribute('aria-disabled', String(!available));
  // The reason describes the button only while it applies (the voice buttons share one line).
  if (available) el.removeAttribute('aria-describedby');
  else el.setAttribute('aria-describedby', el.dataset.why);
}
// Whether such a button can be pressed (focus must not rest on one that cannot: engine.js).
export const available = (el) => el.getAttribute('aria-disabled') !== 'true';
document.addEventListener(
  'click',
  (e) => {
    if (e.target.closest && e.target.closest('button[aria-disabled="true"]')) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  },
  true,
);

export function setState(s) {
  ui.state = s;
  document.body.dataset.state = s;
  refreshControls();
}

export function refreshControls() {
  const idle = !ui.busy && ui.state !== 'loading' && ui.state !== 'error';
  // A disabled button says why, next to it (the buttons point at these lines).
  const why = (needModel) =>
    !idle
      ? ui.busy
        ? 'Wait for the running job to finish, or cancel it.'
        : 'The engine is starting.'
      : needModel && !ui.haveModel
        ? 'Load a model first (section 1).'
        : !ui.haveTarget
          ? 'Load target data first (section 2).'
          : ui.targetProblem || '';
  const ft = why(true);
  const paper = (ui.haveSource ? why(false) : why(true)) || ui.paperProblem;
  setAvailable($('finetune-button'), !ft);
  $('finetune-why').textContent = ft;
  setAvailable($('paper-button'), !paper);
  $('paper-why').textContent = paper;
  $('cancel-button').disabled = !(ui.busy && ui.busy.kind === 'finetune');
  $('paper-cancel').disabled = !(ui.busy && ui.busy.kind === 'paper');
  $('voice-cancel').disabled = !(ui.busy && ui.busy.kind === 'voice');
  for (const id of [
    'model-select',
    'model-file',
    'model-export',
    'target-file',
    'target-folder',
    'sample-button',
    'predict-file',
    'predict-folder',
    'paper-source',
  ]) {
    $(id).disabled = !idle;
  }
  // The fine-tuned model lives in the engine: a restarted engine no longer has it.
  for (const id of ['use-tuned', 'export-model']) $(id).disabled = !idle || !ui.haveTuned;
  // A running job uses the labels it started with: they cannot change under it.
  for (const el of document.querySelectorAll('#recordings-table select, #recordings-table input')) el.disabled = !idle;
  $('drop-zone').setAttribute('aria-disabled', String(!idle));
  voiceControls();
}
