/**
 * The Python side of the export tests: where the venv is (scripts/python/setup-venv.sh
 * makes it), writing a case folder for scripts/python/check_exports.py, and running it.
 */
import type * as tf from '@tensorflow/tfjs';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { npyBytes } from './array-files';

const REPO = join(import.meta.dirname, '../..');

/** The venv setup-venv.sh makes (AESTUDIO_PY_VENV moves it, as it moves the script's). */
export const PY_VENV = process.env.AESTUDIO_PY_VENV ?? join(REPO, '.venv-py');
/** Its interpreter. */
export const PY_PYTHON = join(PY_VENV, 'bin', 'python');
/** Whether the venv is there and complete (setup-venv.sh writes this file last); the Python tests skip without it. */
export const HAS_PY_VENV = existsSync(join(PY_VENV, 'aestudio-requirements.txt'));
/** Set by .ci/run after it made the venv: there a missing venv is a failure, not a reason to skip. */
export const PY_VENV_REQUIRED = process.env.AESTUDIO_REQUIRE_PY_VENV === '1';
/** The name a skipped suite carries, so the reason shows in the report. */
export const NO_VENV_TITLE = 'skipped: no Python venv with TensorFlow — run scripts/python/setup-venv.sh';

/** One check of one folder, as check_exports.py reports it. */
export interface PyCheck {
  name: string;
  ok: boolean;
  maxAbsDiff?: number;
  tolerance?: number;
  error?: string;
}

/** check_exports.py's whole report, and its exit status (0 when every check passed, 1 when one failed). */
export interface PyReport {
  ok: boolean;
  exitCode: number | null;
  versions: Record<string, string>;
  cases: { folder: string; ok: boolean; checks: PyCheck[] }[];
}

/** A tensor as an NPY '<f4' file. */
async function writeNpy(path: string, t: tf.Tensor): Promise<void> {
  const values = t.dataSync() as Float32Array;
  await writeFile(path, npyBytes('<f4', t.shape, new Uint8Array(values.buffer, values.byteOffset, values.byteLength)));
}

/** The inputs and the TF.js predictions check_exports.py compares the Keras model with (parts left out are not compared). */
export async function writeExpected(dir: string, inputs: tf.Tensor, expected: { autoencoder: tf.Tensor; encoder?: tf.Tensor; decoder?: tf.Tensor }): Promise<void> {
  await writeNpy(join(dir, 'inputs.npy'), inputs);
  for (const [part, t] of Object.entries(expected)) if (t) await writeNpy(join(dir, `expected-${part}.npy`), t);
}

/** Runs check_exports.py on the folders in one Python process (TensorFlow's import is the slow part); resolves with its report, failing or not. */
export function runPythonChecks(folders: string[], tolerance = 1e-5): Promise<PyReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(PY_PYTHON, [join(REPO, 'scripts/python/check_exports.py'), '--tolerance', String(tolerance), ...folders], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ ...(JSON.parse(out) as Omit<PyReport, 'exitCode'>), exitCode: code });
      } catch {
        reject(new Error(`check_exports.py exited ${code} without a JSON report; its stderr ends:\n${err.slice(-3000)}`));
      }
    });
  });
}
