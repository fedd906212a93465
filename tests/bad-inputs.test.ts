/**
 * The bad-input corpus (tests/fixtures/bad/): every file someone might send
 * or pick by mistake, through the path the app takes with it — projects are
 * read by the main process and parsed and compiled as the renderer does,
 * datasets are previewed and trained on by the trainer process (its preview
 * function here; tests/hostile/preview-in-trainer.test.ts goes through the service).
 * Each yields its own specific message (what, where, what to try), nothing
 * crashes, and no file of the corpus is modified.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../src-shared/compiler/compile';
import { datasetRefFromPath } from '../src-shared/datasets/dataset-ref';
import { MAX_NODES, parseProject, projectGraph, serializeProject } from '../src-shared/project/project-file';
import type { TrainerEvent } from '../src-shared/protocol/trainer-messages';
import { readProjectText } from '../src-main/services/project-files';
import { TrainingService } from '../src-main/services/training-service';
import { previewDataset } from '../src-main/trainer/data/preview';
import { forkLauncher } from '../src-main/trainer/host/trainer-child';
import { TEST_CACHE_DIR, templateSpec } from './helpers/specs';
import { loadTemplate } from './helpers/templates';

const BAD = join(import.meta.dirname, 'fixtures/bad');

/** Every file under the corpus with the hash of its bytes and its modification time. */
function fingerprint(dir = BAD): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) Object.assign(out, fingerprint(p));
    else out[p] = `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${s.mtimeMs}`;
  }
  return out;
}

let before: Record<string, string>;
beforeAll(() => {
  before = fingerprint();
});
afterAll(() => {
  expect(fingerprint(), 'a corpus file was modified').toEqual(before);
});

/** What the app says about a project file: the loader's refusal, or the compiler's diagnostics. */
async function projectVerdict(file: string): Promise<string> {
  const loaded = parseProject(await readProjectText(join(BAD, file)), file);
  if (!loaded.ok) return `refused: ${loaded.error}`;
  const compiled = compile(projectGraph(loaded.project));
  return compiled.ok ? 'compiles' : compiled.diagnostics.map((d) => `${d.message} → ${d.hint}`).join('\n');
}

const PROJECTS: [string, RegExp][] = [
  ['truncated.aestudio', /^refused: truncated\.aestudio is not valid JSON \(.*\)\. It may be truncated or not a project file\.$/],
  ['not-json.aestudio', /^refused: not-json\.aestudio is not valid JSON/],
  ['zero-bytes.aestudio', /^refused: zero-bytes\.aestudio is empty\. It may have been truncated while saving; look for a recovery or backup copy\.$/],
  ['newer-version.aestudio', /written by a newer Autoencoder Studio \(file version 99; this one reads up to 1\)\. Update the app/],
  ['wrong-format.aestudio', /field "format" is "some-other-app", expected "autoencoder-studio-project"/],
  ['unknown-kind.aestudio', /field "graph\.nodes\[1\]\.kind" is "transformer", which this version does not know \(known kinds: input, /],
  ['edge-to-missing-node.aestudio', /^Connection "e1" points to a missing node "ghost" → Delete the connection\./],
  ['units-zero.aestudio', /^Decoder "Decoder 784": Units 0 is out of range \(1 to 65536\)/],
  ['units-1e9.aestudio', /^Decoder "Decoder 784": Units 1000000000 is out of range \(1 to 65536\)/],
  ['negative-kernel.aestudio', /^Encoder "Conv 16 \+ pool": Kernel -3 is out of range \(1 to 15\)/],
  ['latent-nan.aestudio', /field "graph\.nodes\[1\]\.params\.size" is "NaN": expected a number/],
  ['settings-nan.aestudio', /^refused: settings-nan\.aestudio is not valid JSON \(Unexpected token 'N'/],
];

describe('bad project files', () => {
  it.each(PROJECTS)('%s gets its own message', async (file, expected) => {
    expect(await projectVerdict(file)).toMatch(expected);
  });

  it('a 10,000-node graph is refused by the loader, naming the limit', () => {
    const project = loadTemplate('vanilla.aestudio');
    const nodes = Array.from({ length: 10_000 }, (_, i) => ({ id: `n${i}`, kind: i === 0 ? 'input' : i === 9999 ? 'output' : 'encoder', position: { x: i * 10, y: 0 }, params: {} }));
    const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i].id, target: n.id }));
    const text = serializeProject({ ...project, graph: { nodes, edges } as typeof project.graph });
    const loaded = parseProject(text, 'huge.aestudio');
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.error).toMatch(new RegExp(`field "graph\\.nodes".*${MAX_NODES}`));
  });
});

/** What the dataset picker says about a dataset path. */
async function datasetVerdict(name: string): Promise<string> {
  const path = join(BAD, name);
  try {
    await previewDataset(datasetRefFromPath(path, statSync(path).isDirectory()), TEST_CACHE_DIR);
    return 'loaded';
  } catch (e) {
    return `${(e as Error).message} → ${(e as { hint?: string }).hint}`;
  }
}

const DATASETS: [string, RegExp][] = [
  ['ragged.csv', /^ragged\.csv, row 3: 2 columns, but the header has 3 → Every row needs the same number of columns/],
  ['nan.csv', /^nan\.csv, row 3, column "b": "NaN" is not a number/],
  ['words.csv', /^words\.csv, row 3, column "b": "five" is not a number/],
  ['zero-bytes.csv', /zero-bytes\.csv is empty \(0 bytes\) → It may not have finished/],
  ['complex-dtype.npy', /^complex-dtype\.npy holds values of type <c8, which cannot be trained on → Convert it to numbers first/],
  ['strings-dtype.npy', /^strings-dtype\.npy holds values of type <U5/],
  ['truncated.npy', /^truncated\.npy is truncated: its header promises 78400 values of 4 bytes but the file is shorter/],
  ['not-npy.npy', /^not-npy\.npy is not an NPY file \(it does not start with \\x93NUMPY\)/],
  ['zero-bytes.npy', /zero-bytes\.npy is empty \(0 bytes\)/],
  ['truncated.idx', /^truncated\.idx is truncated: its header promises 47040000 values/],
  ['images-huge', /^huge-20000x20000\.png is larger than 50 megapixels → Shrink it/],
  ['images-not-image', /^digit\.png is not a readable PNG or JPEG image/],
  ['images-zero-byte', /^empty\.png is empty \(0 bytes\)/],
];

describe('bad datasets', () => {
  it.each(DATASETS)('%s gets its own message', async (name, expected) => {
    expect(await datasetVerdict(name)).toMatch(expected);
  });

  it('the trainer process refuses them as failed runs with the same messages and keeps serving: a good run follows in the same process', async () => {
    let launched = 0;
    const fork = forkLauncher();
    const service = new TrainingService(() => {
      launched++;
      return fork();
    });
    const { spec, project } = templateSpec('vanilla');
    const settings = { ...project.training, epochs: 1 };
    const runTo = (dataset: Parameters<typeof datasetRefFromPath>[0] | null) =>
      new Promise<TrainerEvent>((resolve, reject) => {
        const off = service.onEvent((e) => {
          if (e.type === 'done' || e.type === 'error') {
            off();
            resolve(e);
          }
        });
        service
          .start({ spec, settings, dataset: dataset ? datasetRefFromPath(join(BAD, dataset), statSync(join(BAD, dataset)).isDirectory()) : { kind: 'builtin', id: 'mnist' }, options: { cacheDir: TEST_CACHE_DIR, maxSamples: 200 } })
          .catch(reject);
      });
    try {
      for (const [name, expected] of [['ragged.csv', /row 3: 2 columns/], ['complex-dtype.npy', /type <c8/], ['images-huge', /larger than 50 megapixels/]] as const) {
        const e = await runTo(name);
        expect(e.type).toBe('error');
        if (e.type === 'error') expect(e.message).toMatch(expected);
      }
      expect(await runTo(null)).toMatchObject({ type: 'done', status: 'finished' });
      expect(launched).toBe(1);
    } finally {
      service.dispose();
    }
  }, 60_000);
});
