// The page's entry point: every section wires its own controls when its module loads; this
// starts the engine and loads the default model. Bundled into www/app.js by build/page.mjs.
import { refreshControls, setState } from './controls.js';
import { initEngine, startWorker } from './engine.js';
import { $, errorText, showError, status } from './page.js';
import { loadBundledModel } from './sections/model.js';
import './sections/target.js';
import './sections/recordings.js';
import './sections/finetune.js';
import './sections/paper.js';
import './sections/predict.js';
import './microphone.js';

(async function start() {
  refreshControls();
  try {
    startWorker();
    await initEngine();
    await loadBundledModel($('model-select').value);
    setState('ready');
    status('Ready. Load a target CSV (or the bundled sample), then press Fine-tune.');
  } catch (err) {
    showError('fatal-error', `The engine could not start: ${errorText(err)}`);
    status('Not ready.');
    setState('error');
  }
})();
