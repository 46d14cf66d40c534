// ESLint for the page, the worker, the build scripts and the browser tests (`make lint`).
import js from '@eslint/js';
import globals from 'globals';

export default [
  // www/app.js is built from www/src/ (make page-js), so it is checked there.
  { ignores: ['pkg/**', 'dist/**', 'target/**', 'www/vendor/**', 'node_modules/**', 'fuzz/**', 'www/app.js'] },
  js.configs.recommended,
  {
    files: ['www/**/*.js', 'bench/**/*.js'],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'script',
      globals: { ...globals.browser, ...globals.worker, uPlot: 'readonly', BUNDLE: 'readonly' },
    },
  },
  { files: ['www/worker.js', 'www/src/**/*.js', 'bench/**/*.js'], languageOptions: { sourceType: 'module' } },
  {
    files: ['e2e/**/*.mjs', 'build/**/*.mjs', 'bench/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node, ...globals.browser } },
  },
  { rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }] } },
];
