/**
 * Measurement, not a test (issue 14): peak RSS of the services' process (what the Electron main
 * process runs) and of the trainer while the services answer datasets.preview for a folder of images.
 *   npx tsx scripts/measure/preview-rss.ts make DIR      30 solid-colour 7000×7000 PNGs (sharp, here only)
 *   npx tsx scripts/measure/preview-rss.ts measure DIR   the preview through the services; prints both peaks
 * Linux only (reads /proc). A watchdog kills the trainer past 11 GiB: machines here are shared.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetRefFromPath } from '../../src-shared/datasets/dataset-ref';
import { createStudioHandlers } from '../../src-main/services/studio-handlers';
import { TrainingService } from '../../src-main/services/training-service';
import { forkLauncher } from '../../src-main/trainer/host/trainer-child';

const status = (pid: number | 'self', key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
const gb = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB (${Math.round(b / 2 ** 20)} MiB)`;

const [mode, dir] = process.argv.slice(2);
if (mode === 'make') {
  const sharp = (await import('sharp')).default;
  for (let i = 0; i < 30; i++) {
    const background = { r: 40 + i * 5, g: 120, b: 200 };
    await sharp({ create: { width: 7000, height: 7000, channels: 3, background } }).png().toFile(join(dir, `img-${String(i).padStart(2, '0')}.png`));
  }
  process.exit(0);
}
const LIMIT = 11 * 2 ** 30; // watchdog: this machine is shared
let pid = 0;
const fork = forkLauncher();
const training = new TrainingService(() => {
  const child = fork();
  pid = child.pid ?? 0;
  return child;
});
const tmp = mkdtempSync(join(tmpdir(), 'aestudio-measure-'));
const handlers = createStudioHandlers({ version: 'measure', shell: 'browser', cacheDir: join(tmp, 'cache'), runsDir: join(tmp, 'runs'), stateDir: tmp, projectsDir: tmp, training, pickPath: async () => ({ kind: 'unsupported' }) });
let trainerPeak = 0;
const watch = setInterval(() => {
  if (!pid) return;
  try {
    const rss = status(pid, 'VmRSS');
    trainerPeak = Math.max(trainerPeak, status(pid, 'VmHWM'));
    if (rss > LIMIT) {
      console.log(`watchdog: trainer RSS ${gb(rss)} over ${gb(LIMIT)}, killing it`);
      process.kill(pid, 'SIGKILL');
    }
  } catch {
    /* the trainer has exited */
  }
}, 50);
const t0 = Date.now();
let outcome: string;
try {
  const p = await handlers['datasets.preview'](datasetRefFromPath(dir, true));
  outcome = `previewed: ${p.summary.count} samples of ${p.summary.shape.join('×')}`;
} catch (e) {
  outcome = `refused: ${(e as Error).message}`;
}
const seconds = (Date.now() - t0) / 1000;
try {
  trainerPeak = Math.max(trainerPeak, status(pid, 'VmHWM'));
} catch {
  /* exited */
}
clearInterval(watch);
training.dispose();
console.log(outcome);
console.log(`seconds: ${seconds.toFixed(1)}`);
console.log(`main (services) peak RSS: ${gb(status('self', 'VmHWM'))}`);
console.log(`trainer peak RSS: ${gb(trainerPeak)}`);
