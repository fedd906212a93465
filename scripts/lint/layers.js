// The import layers of docs/ARCHITECTURE (who may import whom), as ESLint
// rules: one block per folder, each naming what that folder must never import.
// Test files are exempt: they may read fixtures from disk in any layer.

const NODE_BUILTINS = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'url', 'util', 'crypto', 'http', 'net', 'stream', 'events', 'process'];

const builtins = (why) => ({ regex: `^(node:.*|${NODE_BUILTINS.join('|')})(/.*)?$`, message: why });
// Relative paths only, so the folder `electron` is not confused with the package `electron`.
const folder = (name, why) => ({ regex: `^\\.\\.?/(.*/)?${name}(/|$)`, message: why });
const pkg = (regex, why) => ({ regex, message: why });

const TESTS = ['**/*.test.ts', '**/*.test.tsx'];

// VS Code's code-no-static-node-module-import: the processes that must stay light (the Electron main
// process, the services, browser mode and the CLI) reach the heavy modules only by `await import()`
// where they are needed, and the trainer only through its host side (the rest of it imports TF.js).
// Type imports cost nothing at run time and stay allowed. tests/electron-build.test.ts checks the bundle.
const HEAVY = '^(@tensorflow/.*|sharp|csv-parse|ml-matrix|webgpu)(/.*)?$'; // with subpaths: csv-parse/sync
const light = (where) => [
  { regex: HEAVY, allowTypeImports: true, message: `${where} must stay light: load TensorFlow.js, sharp, csv-parse and ml-matrix with \`await import()\` where they are needed, or ask the trainer.` },
  { regex: '^\\.\\.?/(.*/)?trainer/(?!host/)', allowTypeImports: true, message: `${where} reach the trainer through its host side (trainer/host) and messages: the rest of it loads TensorFlow.js.` },
];

/** @type {import('eslint').Linter.Config[]} */
export const layerConfigs = [
  {
    files: ['src-shared/**/*.{ts,tsx}'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          builtins('src-shared runs in every process: no Node built-ins (pass data in instead).'),
          pkg('^(electron|react|react-dom|@xyflow/.*|@tensorflow/.*)$', 'src-shared is the pure core: no electron, UI or TensorFlow imports.'),
          folder('src-main', 'src-shared may import only itself.'),
          folder('src-renderer', 'src-shared may import only itself.'),
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'window', message: 'src-shared has no DOM.' },
        { name: 'document', message: 'src-shared has no DOM.' },
        { name: 'navigator', message: 'src-shared has no DOM.' },
        { name: 'process', message: 'src-shared has no Node process.' },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          builtins('The renderer is a sandboxed web page: reach the machine through window.studio.'),
          pkg('^electron(/.*)?$', 'The renderer never imports electron: use window.studio (src-shared/protocol).'),
          folder('src-main', 'The renderer may import src-shared only; main-process code is reached through window.studio.'),
        ],
      }],
    },
  },
  {
    files: ['src-main/preload/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          // Anything but electron itself and src-shared: a sandboxed preload can load nothing else.
          { regex: '^(?!electron$)(?!(\\.\\./)+src-shared/)', message: 'The preload may import only electron (contextBridge, ipcRenderer) and src-shared.' },
        ],
      }],
    },
  },
  {
    files: ['src-main/common/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          pkg('^(electron(/.*)?|@tensorflow/.*|(sharp|csv-parse|ml-matrix)(/.*)?)$', 'src-main/common is shared by the Electron main process, services and the trainer: Node built-ins and src-shared only, nothing heavy.'),
          folder('services', 'src-main/common must not import the services.'),
          folder('trainer', 'src-main/common must not import the trainer.'),
          folder('electron', 'src-main/common must not import the Electron shell.'),
          folder('src-renderer', 'Main-process code never imports the renderer.'),
        ],
      }],
    },
  },
  {
    files: ['src-main/trainer/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          pkg('^electron(/.*)?$', 'The trainer runs as a utilityProcess or a plain Node child: no electron main-process API.'),
          folder('services', 'The trainer must not import the services that host it.'),
          folder('electron', 'The trainer must not import the Electron shell.'),
        ],
      }],
    },
  },
  {
    files: ['src-main/services/**/*.ts', 'src-main/serve/**/*.ts', 'src-main/cli/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          pkg('^electron(/.*)?$', 'Services, the CLI and browser mode run without Electron: bind electron in src-main/electron only.'),
          folder('electron', 'Services, the CLI and browser mode must not import the Electron shell.'),
          folder('src-renderer', 'Main-process code never imports the renderer.'),
          ...light('Services, the CLI and browser mode'),
        ],
      }],
    },
  },
  {
    files: ['src-main/electron/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          folder('src-renderer', 'Main-process code never imports the renderer.'),
          ...light('The Electron main process'),
        ],
      }],
    },
  },
];
