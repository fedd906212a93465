/**
 * Runs survive what happens to their processes: a trainer killed mid-run
 * leaves a run folder that reads as interrupted with the epochs it finished
 * and a checkpoint that resumes; a killed CLI takes its trainer with it; a
 * read-only output folder is refused before any training.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { serializeProject } from '../../src-shared/project/project-file';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { settledRecord } from '../../src-shared/run/run-record';
import { checkpointDir, readCheckpoint, readRunRecord } from '../../src-main/common/run-folder';
import { listRuns } from '../../src-main/services/runs';
import { TrainingService } from '../../src-main/services/training-service';
import { readLayersModel } from '../../src-main/trainer/model/load-weights';
import { forkLauncher } from '../../src-main/trainer/host/trainer-child';
import { TEST_CACHE_DIR, templateSpec } from '../helpers/specs';
import { TEMPLATES_DIR } from '../helpers/templates';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin/aestudio.js');
const ENV = { ...process.env, AESTUDIO_CACHE_DIR: TEST_CACHE_DIR };

/** Alive and not a zombie (a reparented trainer may wait a moment to be reaped). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const tick = () => new Promise((r) => setTimeout(r, 10));

let service: TrainingService | undefined;
afterEach(() => service?.dispose());

describe('runs survive their processes', () => {
  it('kill -9 of the trainer at epoch 3 of 5 leaves an interrupted record with the epochs it finished and a loadable checkpoint; --resume finishes the rest', async () => {
    const runsDir = mkdtempSync(join(tmpdir(), 'aes-survive-'));
    const runId = 'killed';
    const out = join(runsDir, runId);
    service = new TrainingService(forkLauncher());
    const { project, spec } = templateSpec('vanilla');
    const reported: number[] = [];
    const third = new Promise<void>((resolve) => service!.onEvent((e) => e.type === 'epoch' && reported.push(e.metrics.epoch) === 3 && resolve()));
    const ended = new Promise<TrainerEvent>((resolve) => service!.onEvent((e) => (e.type === 'error' || e.type === 'done') && resolve(e)));
    // Small batches: many steps per epoch, so the kill lands well inside epoch 4.
    await service.start({ runId, spec, dataset: { kind: 'builtin', id: 'mnist' }, settings: { ...project.training, epochs: 5, batchSize: 16 }, options: { cacheDir: TEST_CACHE_DIR, outDir: out, maxSamples: 2000, projectText: serializeProject(project), quiet: true } });
    await third;
    // The record names its trainer's pid; the epoch event comes after the epoch's record and checkpoint are written.
    const before = await readRunRecord(out);
    if (!before.ok) throw new Error(before.error);
    const pid = before.record.pid!;
    process.kill(pid, 'SIGKILL');
    expect(await ended).toMatchObject({ type: 'error', message: expect.stringMatching(/trainer process stopped unexpectedly \(killed by SIGKILL\)/) });
    const epochsSeen = reported.length;

    const after = await readRunRecord(out);
    if (!after.ok) throw new Error(after.error);
    const settled = settledRecord(after.record, running(pid));
    const kept = settled.epochs.length;
    console.log(`[measure] epochs kept after kill -9 of the trainer at epoch 3 of 5: ${kept} (events reported ${epochsSeen})`);
    expect(settled.status).toBe('failed');
    expect(settled.error?.message).toMatch(/^Interrupted: /);
    expect(kept).toBeGreaterThanOrEqual(epochsSeen);
    expect(kept).toBeLessThan(5);
    expect(settled.checkpointEpoch).toBe(kept);
    const checkpoint = await readCheckpoint(checkpointDir(out));
    expect(checkpoint.epoch).toBe(kept);
    const model = await readLayersModel(checkpointDir(out));
    expect(model.countParams()).toBe(101200);
    model.dispose();
    // The run list says the same, and offers to resume it.
    const [listed] = await listRuns(runsDir, null);
    expect(listed).toMatchObject({ runId, status: 'failed', resumable: true, error: expect.stringMatching(/^Interrupted: .*Resume it/) });

    const resumed = await promisify(execFile)(process.execPath, [CLI, 'train', '--resume', out], { cwd: ROOT, env: ENV });
    expect(resumed.stderr).toContain(`Resuming from epoch ${kept} of 5 in ${out}.`);
    expect(resumed.stderr).toMatch(/epoch 5: train loss/);
    expect(resumed.stderr).not.toMatch(new RegExp(`epoch ${kept}: train loss`));
    const done = await readRunRecord(out);
    if (!done.ok) throw new Error(done.error);
    expect(done.record).toMatchObject({ status: 'finished', checkpointEpoch: 5, stopReason: 'completed', resumes: [{ fromEpoch: kept }] }); // the checkpoint stays for continuing it
    expect(done.record.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(done.record.epochs.slice(0, kept)).toEqual(after.record.epochs.slice(0, kept)); // the kept epochs are appended to, not redone
    expect(existsSync(join(out, 'weights.bin'))).toBe(true);
  }, 60_000);

  it('kill -9 of aestudio train ends its trainer (the trainer watches its parent)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'aes-orphan-')), 'run');
    const cli = spawn(process.execPath, [CLI, 'train', join(TEMPLATES_DIR, 'vanilla.aestudio'), '--epochs', '500', '--max-samples', '2000', '--out', out], { cwd: ROOT, env: ENV, stdio: 'ignore' });
    const cliExit = new Promise((r) => cli.once('exit', r));
    let pid: number | null;
    // Wait (on the file, without a time budget) until an epoch has finished: the trainer is busy training.
    for (;;) {
      const read = existsSync(join(out, 'metrics.json')) ? await readRunRecord(out) : null;
      if (read?.ok && read.record.epochs.length > 0) {
        pid = read.record.pid;
        break;
      }
      await tick();
    }
    expect(pid).not.toBeNull();
    expect(running(pid!)).toBe(true);
    cli.kill('SIGKILL');
    const killedAt = performance.now();
    await cliExit;
    while (running(pid!)) await tick();
    console.log(`[measure] trainer exit after kill -9 of its CLI: ${Math.round(performance.now() - killedAt)} ms`);
    expect(running(pid!)).toBe(false);
    const read = await readRunRecord(out);
    expect(read.ok && settledRecord(read.record, false).status).toBe('failed');
  }, 60_000);

  it('refuses a read-only --out before the first epoch, saying which folder and why', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'aes-readonly-out-'));
    chmodSync(parent, 0o555);
    // Root ignores permission bits, so the CLI runs as an unprivileged user there (as a person's session would).
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    for (const out of [parent, join(parent, 'new-run')]) {
      const r = await promisify(execFile)(process.execPath, [CLI, 'train', join(TEMPLATES_DIR, 'vanilla.aestudio'), '--epochs', '1', '--max-samples', '200', '--out', out], { cwd: ROOT, env: { ...ENV, HOME: tmpdir() }, ...asUser }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: Cannot write the run to ${out}: permission denied. Nothing was trained.`);
      expect(r.stderr).not.toMatch(/epoch 1|Training "|\n\s+at /); // nothing trained, and no stack trace before the message
    }
    chmodSync(parent, 0o755);
  }, 60_000);

  it('a trainer without an IPC channel (as an Electron utilityProcess) ends when its parent is killed, by watching its parent pid', async () => {
    // parent: starts a grandchild that only runs exitWithParent (no IPC) and says when it watches, prints its pid, then idles until killed.
    const ready = join(mkdtempSync(join(tmpdir(), 'aes-ppid-')), 'watching');
    const child = `import { exitWithParent } from ${JSON.stringify(join(ROOT, 'src-main/trainer/port.ts'))}; import { writeFileSync } from 'node:fs'; exitWithParent(); writeFileSync(${JSON.stringify(ready)}, ''); setInterval(() => {}, 1000);`;
    const parentScript = `const c = require('node:child_process').spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', ${JSON.stringify(child)}], { stdio: 'ignore' }); console.log(c.pid); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-e', parentScript], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
    while (!existsSync(ready)) await tick();
    expect(running(pid)).toBe(true);
    parent.kill('SIGKILL');
    const killedAt = performance.now();
    while (running(pid)) await tick();
    console.log(`[measure] trainer exit after kill -9 of its parent, without IPC (ppid watch): ${Math.round(performance.now() - killedAt)} ms`);
    expect(running(pid)).toBe(false);
  }, 60_000);

  it('a run folder from elsewhere whose record names a dataset outside it is refused by name, without the file content', async () => {
    const base = mkdtempSync(join(tmpdir(), 'aes-foreign-'));
    const out = join(base, 'run');
    await promisify(execFile)(process.execPath, [CLI, 'train', join(TEMPLATES_DIR, 'vanilla.aestudio'), '--epochs', '1', '--max-samples', '300', '--out', out], { cwd: ROOT, env: ENV });
    writeFileSync(join(base, 'secret.csv'), 'TOP-SECRET-CONTENT,1\n');
    const record = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
    record.dataset.ref = { kind: 'csv', path: '../secret.csv', options: { header: false } };
    writeFileSync(join(out, 'metrics.json'), JSON.stringify(record));
    const refused = await promisify(execFile)(process.execPath, [CLI, 'analyze', out, '--task', 'pca', '--out', join(base, 'a')], { cwd: ROOT, env: ENV }).then(
      (r) => ({ code: 0, stderr: r.stderr }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${join(out, 'metrics.json')} (dataset.ref.path) names "../secret.csv", which leads out of ${out}; a run folder from outside the app's runs folder may only name data inside itself`);
    expect(refused.stderr).toContain('Pass the data it trained on with --dataset (CLI), or choose the dataset in the analysis panel.');
    expect(refused.stderr).not.toContain('TOP-SECRET');
  }, 60_000);
});
