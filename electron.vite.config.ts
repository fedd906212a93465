/**
 * One build for the three Electron targets: the main process, the sandboxed
 * preload (CommonJS, as sandboxed preloads must be) and the React renderer.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The trainer is a second entry: Electron forks out/main/trainer.js as a utilityProcess;
      // the trainer starts out/main/gradient-helper.js as worker threads when it splits batches,
      // out/main/dense-chain-worker.js for the threads of a dense chain's one-call step, and
      // out/main/measure-worker.js to time the wasm backend when it chooses a backend.
      lib: {
        entry: {
          main: resolve(import.meta.dirname, 'src-main/electron/main.ts'),
          trainer: resolve(import.meta.dirname, 'src-main/trainer/entry.ts'),
          'gradient-helper': resolve(import.meta.dirname, 'src-main/trainer/parallel/gradient-helper.ts'),
          'dense-chain-worker': resolve(import.meta.dirname, 'src-main/trainer/backend/dense-chain-worker.ts'),
          'measure-worker': resolve(import.meta.dirname, 'src-main/trainer/backend/measure-worker.ts'),
          cli: resolve(import.meta.dirname, 'src-main/cli/entry.ts'),
        },
        formats: ['es'],
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require packages: bundle whatever it imports.
      externalizeDeps: false,
      outDir: 'out/preload',
      lib: { entry: resolve(import.meta.dirname, 'src-main/preload/index.ts'), formats: ['cjs'], fileName: () => 'index.cjs' },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: { input: resolve(import.meta.dirname, 'src-renderer/index.html') },
    },
  },
});
