import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layerConfigs } from './scripts/lint/layers.js';

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', 'playwright-report/', '.venv-py/'] }, // .venv-py: scripts/python/setup-venv.sh's venv (its wheels ship .js files)
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'scripts/*.js', 'scripts/lint/*.js', 'scripts/security/*.js', 'scripts/wasm/*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // A switch over a union names every member: adding a layer op, an event or a format makes each switch that
      // lacks it an error, and a `default:` does not count as handling the members it would swallow.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // Tool configuration files must default-export their config.
    files: ['*.config.ts', '*.config.js', 'e2e/playwright.config.ts', 'e2e/global-setup.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Playwright fixtures declare "no dependencies" with an empty pattern: ({}, use) => …
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  ...layerConfigs,
);
