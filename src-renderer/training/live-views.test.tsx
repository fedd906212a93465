/** The Train view's new parts render the data they are given: learning rates, how a run ended, activations, thumbnails. */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src-shared/compiler/compile';
import { DEFAULT_TRAINING_SETTINGS } from '../../src-shared/project/training-settings';
import type { Activations } from '../../src-shared/protocol/live-views';
import type { EpochMetrics } from '../../src-shared/protocol/trainer-messages';
import { VANILLA, chainGraph } from '../../tests/helpers/graphs';
import { ActivationView, barsOf, whenText } from './ActivationView';
import { LearningRateStrip, learningRatePoints } from './LearningRateStrip';
import { layerOfNode } from './NodeActivations';
import { RunOutcome } from './RunOutcome';
import { SampleThumb } from './SampleThumb';
import { tipLeft } from './LatentScatter';

const epoch = (n: number, learningRate?: number): EpochMetrics => ({ epoch: n, trainLoss: 1 / n, valLoss: 1 / n, penalties: {}, seconds: 1, samplesPerSec: 100, ...(learningRate === undefined ? {} : { learningRate }) });
const answer = (activations: Activations) => ({ type: 'activations' as const, runId: 'r', epoch: 2, batch: 0, layer: 'e1', sample: 0, activations });

describe('learning rate strip', () => {
  it('is drawn only when a schedule changed the rate, one hoverable point per epoch', () => {
    expect(learningRatePoints([epoch(1, 0.001), epoch(2, 0.001)])).toBeNull();
    expect(learningRatePoints([epoch(1), epoch(2)])).toBeNull();
    expect(renderToStaticMarkup(<LearningRateStrip epochs={[epoch(1, 0.001), epoch(2, 0.001)]} />)).toBe('');
    const html = renderToStaticMarkup(<LearningRateStrip epochs={[epoch(1, 0.001), epoch(2, 0.0005), epoch(3, 0.00025)]} />);
    expect(html).toContain('data-points="3"');
    expect(html).toContain('epoch 2: learning rate 5.00e−4');
    expect(html).toContain('from 1.00e−3 at epoch 1 to 2.50e−4 at epoch 3');
    expect(html.match(/<circle/g)).toHaveLength(3);
  });
});

describe('run outcome', () => {
  it('says why the run stopped and which epoch it kept, only once it has ended', () => {
    expect(renderToStaticMarkup(<RunOutcome done={null} settings={null} />)).toBe('');
    const done = { type: 'done' as const, runId: 'r', status: 'finished' as const, epochs: [1, 2, 3, 4, 5].map((n) => epoch(n)), files: [], stopReason: 'earlyStopping' as const, bestEpoch: 2, keptEpoch: 2 };
    const html = renderToStaticMarkup(<RunOutcome done={done} settings={{ ...DEFAULT_TRAINING_SETTINGS, earlyStopping: true, earlyStopPatience: 3, keepBest: true }} />);
    expect(html).toContain('data-stop-reason="earlyStopping"');
    expect(html).toContain('Stopped early after epoch 5: the validation loss had not improved');
    expect(html).toContain('for 3 epochs (best: epoch 2)');
    expect(html).toContain('Exports and analyses use epoch 2&#x27;s weights');
  });
});

describe('activations', () => {
  it('draws one small image per feature map and says when channels were left out', () => {
    const html = renderToStaticMarkup(<ActivationView answer={answer({ kind: 'maps', height: 4, width: 4, channels: 100, shown: 3, values: new Float32Array(48).map((_, i) => i - 10) })} />);
    expect(html.match(/data-channel=/g)).toHaveLength(3);
    expect(html).toContain('3 feature maps of 4×4 (the first 3 of 100 channels)');
    expect(html).toContain('all from -10.0 to 37.0');
    expect(html).toContain('after epoch 1');
    expect([whenText(1, 0), whenText(3, 0), whenText(3, 11)]).toEqual(['initial weights', 'after epoch 2', 'epoch 3, batch 11']);
  });

  it('draws a vector as bars, binned past 256, with each bar named when hovered', () => {
    const html = renderToStaticMarkup(<ActivationView answer={answer({ kind: 'vector', shape: [3], values: Float32Array.from([0.5, -1, 2]) })} />);
    expect(html).toContain('data-bars="3"');
    expect(html).toContain('value 2: -1.00');
    expect(html).toContain('3 values · from -1.00 to 2.00');
    expect(barsOf(new Float32Array(1000).fill(1), 256)).toHaveLength(256);
    expect(barsOf(Float32Array.from([1, 3, 5, 7]), 2)).toEqual([2, 6]);
  });

  it("shows the trainer's reason when it sent nothing", () => {
    const html = renderToStaticMarkup(<ActivationView answer={answer({ kind: 'refused', message: 'The feature maps of "up" are 112×112' })} />);
    expect(html).toContain('data-testid="activations-refused"');
    expect(html).toContain('112×112');
  });

  it("watches a node's own last layer, the input node as the input, and nothing for a node without a layer", () => {
    const r = compile(chainGraph(VANILLA));
    if (!r.ok) throw new Error('vanilla does not compile');
    expect(layerOfNode(r.spec, 'code', false)).toBe(r.spec.layers.filter((l) => l.nodeId === 'code' && !l.auto).at(-1)!.name);
    expect(layerOfNode(r.spec, 'in', true)).toBe('input');
    expect(layerOfNode(r.spec, 'nowhere', false)).toBeNull();
  });
});

describe('sample thumbnail', () => {
  it('is a canvas for a sample that exists, nothing for one that does not', () => {
    const samples = { kind: 'image' as const, shape: [2, 2, 1] as [number, number, number], count: 3, pixels: new Uint8Array(12) };
    expect(renderToStaticMarkup(<SampleThumb samples={samples} index={2} label="Sample 3" />)).toContain('data-sample="2"');
    expect(renderToStaticMarkup(<SampleThumb samples={samples} index={3} label="Sample 4" />)).toBe('');
  });
});

describe('latent hover tip', () => {
  it('sits right of the point where it fits, else left of it, never past the left edge', () => {
    expect(tipLeft(50, 400, 250)).toBe(60);
    expect(tipLeft(200, 400, 250)).toBe(0);
    expect(tipLeft(380, 400, 250)).toBe(120);
  });
});
