/** The CLI as a person runs it: `node bin/aestudio.js …` as a real process, with the tests' shared dataset cache. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_CACHE_DIR } from './specs';

/** The checkout's root. */
export const ROOT = join(import.meta.dirname, '../..');
/** The test project files (tests/fixtures/projects). */
export const PROJECT_FIXTURES = join(ROOT, 'tests/fixtures/projects');

/** What a CLI run printed and how it exited. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `aestudio ...args` in `cwd` (environment: this process's, the test cache, and `env`); a failing exit resolves too. */
export async function runAestudio(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'bin/aestudio.js'), ...args], { cwd, env: { ...process.env, AESTUDIO_CACHE_DIR: TEST_CACHE_DIR, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as CliRun;
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Runs `aestudio ...args` in the checkout. */
export function aestudio(...args: string[]): Promise<CliRun> {
  return runAestudio(ROOT, args);
}
