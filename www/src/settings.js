// Section 3, the settings: the method's defaults, and reading the fields into the engine's
// fine-tuning settings (the engine validates them and names a bad one).
import { $, clearError, clip, errorText, labelText, showError, ui } from './page.js';

// The chosen method's fine-tuning settings (epochs and learning rate shown, the rest kept).
const currentMethod = () => ui.methods.find((m) => m.name === $('set-method').value) || ui.methods[0];
export function applyMethod() {
  const m = currentMethod();
  $('set-epochs').value = m.finetune.epochs;
  $('set-lr').value = m.finetune.learning_rate;
  $('set-method-hint').textContent = `${m.describe[0].toUpperCase()}${m.describe.slice(1)}.`;
}
$('set-method').addEventListener('change', applyMethod);

// The engine's upper limits (src/limits.rs) on the fields, shown as their `max` and checked
// before a run.
const MAX = { 'set-speakers': 'draw_speakers', 'set-samples': 'samples_per_emotion', 'set-epochs': 'epochs', 'paper-repeats': 'repeats' };
export function applyLimits() {
  for (const [id, key] of Object.entries(MAX)) $(id).max = ui.limits[key];
}

// The number in field `id`, or an Error naming the field by its label. min: the smallest value
// allowed (0 for the seed, 1 for counts, above 0 for a rate); the largest is the engine's limit.
export function numberField(id, integer, min) {
  const el = $(id);
  const v = Number(el.value);
  const max = MAX[id] ? ui.limits[MAX[id]] : Number.MAX_SAFE_INTEGER;
  const ok =
    el.value.trim() !== '' &&
    // "001": what a number field keeps of "0,01" typed with a decimal comma.
    !/^-?0\d/.test(el.value.trim()) &&
    Number.isFinite(v) &&
    (!integer || (Number.isSafeInteger(v) && v <= max)) &&
    (min === 0 && !integer ? v > 0 : v >= min);
  if (!ok) {
    const what = integer ? `a whole number from ${min} to ${max}` : 'a number above 0';
    throw new Error(`${labelText(id)}: “${clip(el.value)}” is not ${what}.`);
  }
  return v;
}

// `trainOnly`: the training settings alone (fine-tuning on your voice draws no speakers).
function readSettings(trainOnly = false) {
  return {
    ...(trainOnly ? {} : { speakers: numberField('set-speakers', true, 1), samples_per_emotion: numberField('set-samples', true, 1) }),
    train: {
      ...currentMethod().finetune,
      epochs: numberField('set-epochs', true, 1),
      learning_rate: numberField('set-lr', false, 0),
      seed: numberField('set-seed', true, 0),
      frozen_layers: Number($('set-frozen').value),
      distance_loss: $('set-distance').checked,
    },
  };
}
// The settings in the fields, or null if one of them is not valid.
export function currentSettings() {
  try {
    return readSettings();
  } catch {
    return null;
  }
}
// Whether settings `now` differ from `then` (a run's settings) in any field `now` has.
export const differs = (now, then) =>
  Object.keys(now).some((k) => (now[k] !== null && typeof now[k] === 'object' ? differs(now[k], then?.[k] ?? {}) : now[k] !== then?.[k]));

// A section whose results were computed with settings registers a check here; it runs after
// every change of a setting, so the results can say they came from the earlier settings.
const checks = [];
export const onSettingsChange = (check) => checks.push(check);
export const settingsChanged = () => checks.forEach((c) => c());
for (const id of ['settings-section', 'paper-section']) {
  $(id).addEventListener('input', settingsChanged);
  $(id).addEventListener('change', settingsChanged);
}

// The settings, or null after an alert in `errorId` naming the field that is wrong (after
// `where`, for a section that uses the settings of another).
export function settingsOrAlert(errorId, where = '', trainOnly = false) {
  clearError(errorId);
  try {
    return readSettings(trainOnly);
  } catch (err) {
    showError(errorId, `${where}${errorText(err)}`);
    return null;
  }
}
$('seed-random').addEventListener('click', () => {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  $('set-seed').value = String(a[0]);
  settingsChanged();
});
