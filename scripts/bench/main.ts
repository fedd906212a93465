/**
 * `npm run bench`: training speed, loss and memory of ours against PyTorch and
 * Keras on the same CPU, same data, same architectures, in the same
 * invocation; plus the live compile. Prints a table and writes
 * bench/results.json. Not part of `npm test`: it takes minutes and its
 * numbers depend on the machine.
 *
 *   npm run bench -- [--backends node,wasm,auto,cpu] [--archs vanilla,multilayer,convolutional,seedconv] [--peers pytorch,keras] [--epochs-scale 1] [--no-events] [--no-pretrain] [--no-vae] [--no-scale]
 *
 * By default node, wasm and auto (the app's own choice: it times a few steps of
 * the model on each backend that loads and trains on the fastest; the line
 * under its row says what it measured). The plain-JavaScript cpu backend is a last resort
 * 10–100× slower (its convolutional epoch alone takes many minutes); add it
 * with --backends node,wasm,cpu. --no-events leaves out the live-events
 * measurement (six extra runs of the vanilla template); --archs none
 * --no-events times the live compile alone. --no-pretrain leaves out the
 * pretraining line (six runs of the multilayer template: pretrain-bench.ts).
 * --no-vae leaves out the VAE line (the convolutional VAE against Keras's
 * VAE example: vae-bench.ts). --no-scale leaves out the scale row (the convolutional template on 10,000
 * images at 28×28×1 and 64×64×3, ours and both peers: scale-bench.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BACKENDS } from '../../src-shared/protocol/trainer-messages';
import type { BackendName } from '../../src-shared/protocol/trainer-messages';
import { backendChoiceText } from '../../src-shared/run/backend-choice-text';
import { defaultCacheDir } from '../../src-main/services/app-paths';
import { templateSpec } from '../../tests/helpers/specs';
import { writeBenchData } from './bench-data';
import { measureCompile } from './compile-bench';
import { compareScale } from './scale-bench';
import { compareVae, vaeLine } from './vae-bench';
import type { VaeComparison } from './vae-bench';
import type { ScaleFigure } from './scale-bench';
import { comparePretraining, pretrainLine } from './pretrain-bench';
import type { PretrainComparison } from './pretrain-bench';
import { kerasUnavailable, runKeras } from './run-keras';
import { runOurs } from './run-ours';
import { writeTorchStyleInit } from './torch-init';
import type { OurRun } from './run-ours';
import { peerUnavailable, runPytorch } from './run-pytorch';
import type { PeerRun } from './run-pytorch';

/** Each template and the same architecture's name in each peer script (seedconv, the seed article's, only Keras has). */
const ARCHS = {
  vanilla: { peers: { pytorch: 'vanilla', keras: 'vanilla' }, epochs: 3 },
  multilayer: { peers: { pytorch: 'dense', keras: 'dense' }, epochs: 3 },
  convolutional: { peers: { pytorch: 'conv', keras: 'conv' }, epochs: 3 },
  seedconv: { peers: { keras: 'seedconv' }, epochs: 3 },
} as const satisfies Record<string, { peers: Partial<Record<Peer, string>>; epochs: number }>;
type Arch = keyof typeof ARCHS;
type Peer = 'pytorch' | 'keras';

/**
 * Each peer: how to run it, why it cannot run here, and where our run starts.
 * Ours starts from the peer's own default weight distribution, so the loss
 * columns compare trainers, not initialisations: PyTorch's (torch-init.ts)
 * against PyTorch; against Keras the app's own Glorot-uniform kernels and
 * zero biases, which are Keras's defaults, so no starting file is needed.
 */
const PEERS: Record<Peer, { label: string; whyNot: () => string | null; run: (arch: string, train: string, val: string, epochs: number, batch: number) => PeerRun; torchInit: boolean }> = {
  pytorch: { label: 'PyTorch', whyNot: peerUnavailable, run: (a, ...rest) => runPytorch(a as 'vanilla', ...rest), torchInit: true },
  keras: { label: 'Keras', whyNot: kerasUnavailable, run: (a, ...rest) => runKeras(a as 'seedconv', ...rest), torchInit: false },
};

const { values } = parseArgs({
  options: { backends: { type: 'string' }, archs: { type: 'string' }, peers: { type: 'string' }, 'epochs-scale': { type: 'string', default: '1' }, 'no-events': { type: 'boolean', default: false }, 'no-pretrain': { type: 'boolean', default: false }, 'no-scale': { type: 'boolean', default: false }, 'no-vae': { type: 'boolean', default: false } },
});
const backends = (values.backends?.split(',') ?? ['node', 'wasm', 'auto']) as (BackendName | 'auto')[];
for (const b of backends) if (b !== 'auto' && !(BACKENDS as readonly string[]).includes(b)) throw new Error(`Unknown backend "${b}"; choose from ${BACKENDS.join(', ')}, auto`);
const archs = (values.archs === 'none' ? [] : (values.archs?.split(',') ?? Object.keys(ARCHS))) as Arch[];
for (const a of archs) if (!(a in ARCHS)) throw new Error(`Unknown arch "${a}"; choose from ${Object.keys(ARCHS).join(', ')}`);
const peers = (values.peers?.split(',') ?? Object.keys(PEERS)) as Peer[];
for (const p of peers) if (!(p in PEERS)) throw new Error(`Unknown peer "${p}"; choose from ${Object.keys(PEERS).join(', ')}`);
const scale = Number(values['epochs-scale']);
const ROOT = join(import.meta.dirname, '../..');
const cacheDir = defaultCacheDir();

const fmt = (n: number | null | undefined, d = 0) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));

/** Trains each chosen template with ours and with each of its peers; one table row (and results.json row) per backend and peer. */
async function compareTrainers(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  // Only the peers of the chosen templates (seedconv alone needs no PyTorch).
  const used = peers.filter((peer) => archs.some((a) => peer in ARCHS[a].peers));
  const whyNot = Object.fromEntries(used.map((peer) => [peer, PEERS[peer].whyNot()])) as Partial<Record<Peer, string | null>>;
  const { project } = templateSpec('vanilla');
  const data = await writeBenchData(join(ROOT, 'bench/data'), cacheDir, project.training.seed, project.training.validationSplit);
  console.log(`Data: MNIST, ${data.trainCount} train / ${data.valCount} validation samples (${data.train}), batch 128, Adam 1e-3; ours starts from each peer's default weight distribution.`);
  for (const peer of used) if (whyNot[peer]) console.log(`${PEERS[peer].label} peer not run: ${whyNot[peer]}.`);

  console.log('\narch           backend  epochs  samples/s   train loss  val loss   peak RSS  RSS growth  | peer     samples/s  val loss*  ours/peer  val ours/peer  (* mean of 3 seeds; their range)');
  for (const arch of archs) {
    const { spec, project: p } = templateSpec(arch);
    const epochs = Math.max(1, Math.round(ARCHS[arch].epochs * scale));
    const settings = { ...p.training, epochs, batchSize: 128, learningRate: 0.001, optimizer: 'adam' as const };
    const archPeers = peers.filter((peer) => peer in ARCHS[arch].peers);
    // Without any peer here, ours still runs once (from the first peer's starting weights) for its own columns.
    const runnable = archPeers.filter((peer) => !whyNot[peer]);
    for (const peerName of runnable.length > 0 ? runnable : archPeers.slice(0, 1)) {
      const { label, run, torchInit } = PEERS[peerName];
      const peerArch = (ARCHS[arch].peers as Partial<Record<Peer, string>>)[peerName]!;
      const init = torchInit ? join(ROOT, 'bench/data', `init-${arch}`) : undefined;
      if (init) await writeTorchStyleInit(spec, settings.seed, init);
      const peer = whyNot[peerName] ? null : run(peerArch, data.train, data.val, epochs, 128);
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
        const valRatio = peer && ours.valLoss !== null ? ours.valLoss / peer.valLoss : null;
        console.log(
          `${arch.padEnd(14)} ${`${backend === 'auto' ? 'auto→' : ''}${ours.threads > 1 ? `${ours.backend}×${ours.threads}` : ours.backend}`.padEnd(8)} ${String(epochs).padStart(6)}  ${fmt(ours.samplesPerSec).padStart(9)}   ${fmt(ours.trainLoss, 5).padStart(10)}  ${fmt(ours.valLoss, 5).padStart(8)}  ${fmt(ours.peakRssMb).padStart(6)} MB  ${growth === null ? '     —' : `${fmt(growth, 1).padStart(5)}%`}     | ${label.padEnd(7)} ${fmt(peer?.samplesPerSec).padStart(10)}  ${fmt(peer?.valLoss, 5).padStart(8)}  ${(ratio === null ? '—' : `${fmt(ratio, 2)}×`).padStart(9)}  ${(valRatio === null ? '—' : `${fmt(valRatio, 3)}×`).padStart(13)}  ${peer ? `(${fmt(peer.valLossRange[0], 5)}–${fmt(peer.valLossRange[1], 5)})` : ''}`,
        );
        if (ours.measurement) console.log(`${''.padEnd(15)}(the app's choice: ${backendChoiceText(ours.measurement, [])})`);
        rows.push({ arch, backend, epochs, ours, peer: peerName, [peerName]: peer, init: torchInit ? 'pytorch-default' : 'glorot-uniform', ratio, valRatio, valDeltaPercent: valRatio === null ? null : (valRatio - 1) * 100, rssGrowthPercent: growth });
      }
    }
  }
  return rows;
}

async function main() {
  const rows = archs.length > 0 ? await compareTrainers() : [];

  // The cost of live events: the same run with progress, reconstructions and latent events, and quiet.
  // Alternated three times and the best of each kept: one pair differs by ±5 % from run to run on a 2-core machine.
  let events: { backend: BackendName; loud: number; quiet: number; costPercent: number } | null = null;
  if (!values['no-events']) {
    const eventsBackend: BackendName = backends.includes('wasm') ? 'wasm' : (backends.find((b): b is BackendName => b !== 'auto') ?? 'wasm');
    const { spec: vSpec, project: vp } = templateSpec('vanilla');
    const vSettings = { ...vp.training, epochs: 2 };
    let loud = 0;
    let quiet = 0;
    for (let i = 0; i < 3; i++) {
      loud = Math.max(loud, (await runOurs(vSpec, vSettings, eventsBackend, cacheDir, false)).samplesPerSec);
      quiet = Math.max(quiet, (await runOurs(vSpec, vSettings, eventsBackend, cacheDir, true)).samplesPerSec);
    }
    events = { backend: eventsBackend, loud, quiet, costPercent: (1 - loud / quiet) * 100 };
    console.log(`\nLive events (vanilla, ${eventsBackend}, best of 3 each): ${fmt(loud)} samples/s with them, ${fmt(quiet)} without: ${fmt(events.costPercent, 1)}% of throughput (target < 5%).`);
  }

  // Whether layer-wise pretraining changes the multilayer template's validation loss at equal total epochs (several seeds each way).
  let pretrain: PretrainComparison | null = null;
  if (!values['no-pretrain']) {
    pretrain = await comparePretraining(backends.includes('auto') ? 'auto' : backends[0], cacheDir, Math.max(4, Math.round(6 * scale)));
    console.log(`\n${pretrainLine(pretrain)}`);
  }

  // The VAE line: the convolutional VAE template against Keras's VAE example, same rows and epochs (--no-vae skips it).
  let vae: VaeComparison | null = null;
  if (!values['no-vae'] && archs.length > 0) {
    const { project } = templateSpec('vanilla');
    const data = await writeBenchData(join(ROOT, 'bench/data'), cacheDir, project.training.seed, project.training.validationSplit);
    vae = await compareVae(data, backends.includes('auto') ? 'auto' : backends[0], cacheDir, Math.max(1, Math.round(3 * scale)));
    console.log(`\n${vaeLine(vae)}`);
  }

  // The scale row: 28×28×1 against 64×64×3 images, ours and both peers (several minutes; --no-scale skips it).
  let scaleRow: ScaleFigure[] | null = null;
  if (!values['no-scale'] && archs.length > 0) scaleRow = await compareScale(ROOT, cacheDir, backends, templateSpec('convolutional').project.training, Math.max(1, Math.round(scale)));

  const compileTimes = measureCompile();
  for (const c of compileTimes) console.log(`Live compile, ${c.graph} of ${c.nodes} nodes: median ${c.median.toFixed(2)} ms, p95 ${c.p95.toFixed(2)} ms (budget 5 ms).`);

  await mkdir(join(ROOT, 'bench'), { recursive: true });
  const out = { date: new Date().toISOString(), machine: { cpus: (await import('node:os')).cpus().map((c) => c.model)[0], cores: (await import('node:os')).cpus().length }, rows, events, pretrain, vae, scale: scaleRow, compile: compileTimes };
  await writeFile(join(ROOT, 'bench/results.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log('\nWrote bench/results.json');
}

await main();
