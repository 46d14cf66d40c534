// Module worker entry: the wasm-bindgen glue from ../pkg, then the shared worker logic.
import init, * as engine from '../pkg/siamese_ser.js';
import './worker-core.js';

self.startWorker(async () => {
  await init();
  return engine;
});
