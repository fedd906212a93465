/** A run folder's dataset ref: used as written in the app's own runs, confined to the folder anywhere else. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDataset } from './run-dataset';

function folder(): string {
  const base = mkdtempSync(join(tmpdir(), 'aes-runref-'));
  mkdirSync(join(base, 'run'));
  writeFileSync(join(base, 'secret.csv'), 'SECRET,1\n');
  writeFileSync(join(base, 'run', 'data.csv'), '1,2\n');
  symlinkSync(join(base, 'secret.csv'), join(base, 'run', 'link.csv'));
  return join(base, 'run');
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const csv = (path: string) => ({ kind: 'csv' as const, path, options: { header: false } });

describe('dataset refs read from a run folder', () => {
  it('refuses a ref that leaves a foreign run folder ("..", absolute, or a symlink that leads out), naming the file and suggesting --dataset', async () => {
    const dir = folder();
    for (const path of ['../secret.csv', join(dir, '..', 'secret.csv'), 'link.csv', '/etc/passwd']) {
      const r = await runDataset(dir, csv(path), {});
      expect(r.dataset).toBeNull();
      expect(r.datasetProblem?.message).toMatch(new RegExp(`^${escape(join(dir, 'metrics.json'))} \\(dataset\\.ref\\.path\\) names ${escape(JSON.stringify(path))}, .*; a run folder from outside the app's runs folder may only name data inside itself$`));
      expect(r.datasetProblem?.message).not.toContain('root:'); // never the named file's content
      expect(r.datasetProblem?.hint).toMatch(/--dataset .*analysis panel/);
    }
  });

  it('refuses a labels file that leaves the folder, as it refuses the data file', async () => {
    const dir = folder();
    expect((await runDataset(dir, { kind: 'npy', path: 'x.npy', options: { labelsPath: '../../labels.npy' } }, {})).dataset).toBeNull();
  });

  it('resolves a ref inside a foreign run folder against the folder; uses the app\'s own runs\' refs as written; --dataset stands in for a refused one', async () => {
    const dir = folder();
    expect((await runDataset(dir, csv('data.csv'), {})).dataset).toEqual(csv(join(dir, 'data.csv')));
    expect((await runDataset(dir, csv('/data/elsewhere.csv'), { trusted: true })).dataset).toEqual(csv('/data/elsewhere.csv'));
    expect((await runDataset(dir, { kind: 'builtin', id: 'mnist' }, {})).dataset).toEqual({ kind: 'builtin', id: 'mnist' });
    expect(await runDataset(dir, csv('../secret.csv'), { fallback: { kind: 'builtin', id: 'mnist' } })).toEqual({ dataset: { kind: 'builtin', id: 'mnist' }, datasetProblem: null });
  });
});
