/**
 * `npm run bench`: training speed, loss and memory of ours against PyTorch on
 * the same CPU, same data, same architectures, in the same invocation; plus
 * the live compile. Prints a table and writes bench/results.json. Not part of
 * `npm test`: it takes minutes and its numbers depend on the machine.
 *
 *   npm run bench -- [--backends node,wasm,cpu] [--archs vanilla,multilayer,convolutional] [--epochs-scale 1]
 *
 * By default node and wasm: the plain-JavaScript cpu backend is a last resort
 * 10–100× slower (its convolutional epoch alone takes many minutes); add it
 * with --backends node,wasm,cpu.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BACKENDS } from '../../src-shared/protocol/trainer-messages';
import type { BackendName } from '../../src-shared/protocol/trainer-messages';
import { defaultCacheDir } from '../../src-main/services/app-paths';
import { templateSpec } from '../../tests/helpers/specs';
import { writeBenchData } from './bench-data';
import { measureCompile } from './compile-bench';
import { runOurs } from './run-ours';
import { writeTorchStyleInit } from './torch-init';
import type { OurRun } from './run-ours';
import { peerUnavailable, runPytorch } from './run-pytorch';
import type { PeerRun } from './run-pytorch';

const ARCHS = {
  vanilla: { peer: 'vanilla', epochs: 3 },
  multilayer: { peer: 'dense', epochs: 3 },
  convolutional: { peer: 'conv', epochs: 3 },
} as const;
type Arch = keyof typeof ARCHS;

const { values } = parseArgs({ options: { backends: { type: 'string' }, archs: { type: 'string' }, 'epochs-scale': { type: 'string', default: '1' } } });
const backends = (values.backends?.split(',') ?? ['node', 'wasm']) as BackendName[];
for (const b of backends) if (!(BACKENDS as readonly string[]).includes(b)) throw new Error(`Unknown backend "${b}"; choose from ${BACKENDS.join(', ')}`);
const archs = (values.archs?.split(',') ?? Object.keys(ARCHS)) as Arch[];
const scale = Number(values['epochs-scale']);
const ROOT = join(import.meta.dirname, '../..');
const cacheDir = defaultCacheDir();

const fmt = (n: number | null | undefined, d = 0) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));

async function main() {
  const rows: Record<string, unknown>[] = [];
  const peerWhyNot = peerUnavailable();
  const { project } = templateSpec('vanilla');
  const data = await writeBenchData(join(ROOT, 'bench/data'), cacheDir, project.training.seed, project.training.validationSplit);
  console.log(`Data: MNIST, ${data.trainCount} train / ${data.valCount} validation samples (${data.train}), batch 128, Adam 1e-3; both start from PyTorch's default weight distribution.`);
  if (peerWhyNot) console.log(`PyTorch peer not run: ${peerWhyNot}.`);

  console.log('\narch           backend  epochs  samples/s   train loss  val loss   peak RSS  RSS growth  | PyTorch samples/s  val loss*  ours/PyTorch  val Δ   (* mean of 3 seeds; their range)');
  for (const arch of archs) {
    const { spec, project: p } = templateSpec(arch);
    const epochs = Math.max(1, Math.round(ARCHS[arch].epochs * scale));
    const settings = { ...p.training, epochs, batchSize: 128, learningRate: 0.001, optimizer: 'adam' as const };
    // Both start from PyTorch's default weight distribution, so the loss columns compare trainers, not initialisations.
    const init = join(ROOT, 'bench/data', `init-${arch}`);
    await writeTorchStyleInit(spec, settings.seed, init);
    let peer: PeerRun | null = null;
    if (!peerWhyNot) peer = runPytorch(ARCHS[arch].peer, data.train, data.val, epochs, 128);
    for (const backend of backends) {
      let ours: OurRun;
      try {
        ours = await runOurs(spec, settings, backend, cacheDir, false, init);
      } catch (e) {
        console.log(`${arch.padEnd(14)} ${backend.padEnd(8)} not run: ${(e as Error).message.split('(')[0]}`);
        continue;
      }
      const growth = ours.rssPerEpochMb.length > 2 ? ((ours.rssPerEpochMb.at(-1)! - ours.rssPerEpochMb[1]) / ours.rssPerEpochMb[1]) * 100 : null;
      const ratio = peer ? ours.samplesPerSec / peer.samplesPerSec : null;
      const valDelta = peer && ours.valLoss !== null ? ((ours.valLoss - peer.valLoss) / peer.valLoss) * 100 : null;
      console.log(
        `${arch.padEnd(14)} ${(ours.threads > 1 ? `${backend}×${ours.threads}` : backend).padEnd(8)} ${String(epochs).padStart(6)}  ${fmt(ours.samplesPerSec).padStart(9)}   ${fmt(ours.trainLoss, 5).padStart(10)}  ${fmt(ours.valLoss, 5).padStart(8)}  ${fmt(ours.peakRssMb).padStart(6)} MB  ${growth === null ? '     —' : `${fmt(growth, 1).padStart(5)}%`}     | ${fmt(peer?.samplesPerSec).padStart(17)}  ${fmt(peer?.valLoss, 5).padStart(8)}  ${ratio === null ? '—' : `${fmt(ratio, 2)}×`.padStart(12)}  ${valDelta === null ? '—' : `${fmt(valDelta, 1)}%`.padEnd(6)}  ${peer ? `(${fmt(peer.valLossRange[0], 5)}–${fmt(peer.valLossRange[1], 5)})` : ''}`,
      );
      rows.push({ arch, backend, epochs, ours, pytorch: peer, ratio, valDeltaPercent: valDelta, rssGrowthPercent: growth });
    }
  }

  // The cost of live events: the same run with progress, reconstructions and latent events, and quiet.
  // Alternated three times and the best of each kept: one pair differs by ±5 % from run to run on a 2-core machine.
  const eventsBackend = backends.includes('wasm') ? 'wasm' : backends[0];
  const { spec: vSpec, project: vp } = templateSpec('vanilla');
  const vSettings = { ...vp.training, epochs: 2 };
  let loud = 0;
  let quiet = 0;
  for (let i = 0; i < 3; i++) {
    loud = Math.max(loud, (await runOurs(vSpec, vSettings, eventsBackend, cacheDir, false)).samplesPerSec);
    quiet = Math.max(quiet, (await runOurs(vSpec, vSettings, eventsBackend, cacheDir, true)).samplesPerSec);
  }
  const eventCost = (1 - loud / quiet) * 100;
  console.log(`\nLive events (vanilla, ${eventsBackend}, best of 3 each): ${fmt(loud)} samples/s with them, ${fmt(quiet)} without: ${fmt(eventCost, 1)}% of throughput (target < 5%).`);

  const compileTimes = measureCompile([200, 300]);
  for (const c of compileTimes) console.log(`Live compile, ${c.nodes} nodes: median ${c.median.toFixed(2)} ms, p95 ${c.p95.toFixed(2)} ms (budget 5 ms).`);

  await mkdir(join(ROOT, 'bench'), { recursive: true });
  const out = { date: new Date().toISOString(), machine: { cpus: (await import('node:os')).cpus().map((c) => c.model)[0], cores: (await import('node:os')).cpus().length }, rows, events: { backend: eventsBackend, loud, quiet, costPercent: eventCost }, compile: compileTimes };
  await writeFile(join(ROOT, 'bench/results.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log('\nWrote bench/results.json');
}

await main();
