/** The CLI is a command, not a script of the checkout: it runs from any folder, says its version, and corrects typos. */
import { readFileSync } from 'node:fs';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runAestudio } from '../../tests/helpers/cli';
import type { CliRun } from '../../tests/helpers/cli';
import { TEMPLATES_DIR } from '../../tests/helpers/templates';
import type { CliIo } from './io';
import { runCli } from './main';
import { editDistance, nearest } from './suggest';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function aestudioIn(cwd: string, ...args: string[]): Promise<CliRun> {
  // From the sources (tsx): the bundled CLI is checked by tests/cli-pack.test.ts, installed as a user gets it.
  return runAestudio(cwd, args, { AESTUDIO_CLI: 'source' });
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = await runCli(args, io);
  return { code, out, err };
}

describe('aestudio from another folder', () => {
  it('trains a template with cwd a temp folder: the trainer finds tsx from the package, not from the current folder', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'aes-elsewhere-'));
    expect(await aestudioIn(cwd, '--version')).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    const r = await aestudioIn(cwd, 'train', join(TEMPLATES_DIR, 'vanilla.aestudio'), '--epochs', '1', '--max-samples', '200', '--out', 'run');
    expect(r.stderr).not.toMatch(/Cannot find package/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${join(cwd, 'run')}\n`);
    expect((await stat(join(cwd, 'run/weights.bin'))).size).toBeGreaterThan(0);
  });
});

describe('options', () => {
  it('--version prints package.json\'s version and nothing else', async () => {
    expect(await cli('--version')).toEqual({ code: 0, out: `${VERSION}\n`, err: '' });
  });

  it('an unknown option is named, with the nearest known option suggested', async () => {
    expect(await cli('train', 'x.aestudio', '--epoch', '3')).toEqual({ code: 2, out: '', err: 'Unknown option "--epoch". Did you mean --epochs? aestudio --help lists the options.\n' });
    expect((await cli('export', 'run', '--foramt', 'onnx')).err).toContain('Did you mean --format?');
    expect((await cli('train', 'x', '--colour')).err).toBe('Unknown option "--colour". aestudio --help lists the options.\n');
  });

  it('an unknown command is named, with the nearest command and the list', async () => {
    expect((await cli('trian', 'x')).err).toBe('Unknown command "trian". Did you mean train? The commands are compile, train, export, analyze, evaluate; aestudio --help describes them.\n');
  });

  it('--dataset that is neither a built-in nor an existing path is refused, naming the built-in datasets', async () => {
    const r = await cli('evaluate', ROOT, '--dataset', 'mnsit');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^--dataset: "mnsit" is neither a built-in dataset \(mnist, fashion-mnist\) nor an existing file or folder/);
    expect((await cli('analyze', ROOT, '--task', 'features', '--dataset', 'no/such.csv')).err).toMatch(/neither a built-in dataset \(mnist, fashion-mnist\)/);
  });

  it('the help lists every export format from the format table', async () => {
    const { out } = await cli('--help');
    for (const f of ['tfjs', 'onnx', 'keras', 'latent-csv', 'metrics-csv', 'reconstructions-png']) expect(out).toMatch(new RegExp(`^ +${f} +\\S`, 'm'));
  });
});

describe('suggestions', () => {
  it('counts a swap of neighbours as one edit and keeps far names unsuggested', () => {
    expect(editDistance('trian', 'train')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(nearest('--thread', ['--threads', '--task'])).toBe('--threads');
    expect(nearest('--xyz', ['--threads', '--task'])).toBeUndefined();
  });
});
