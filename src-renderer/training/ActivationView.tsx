/**
 * One layer's activations on one sample: feature maps as a grid of small
 * images (each map scaled to its own range, so a quiet channel still shows its
 * pattern), a vector as bars (binned past a few hundred values), or the
 * trainer's reason for sending nothing.
 */
import { useEffect, useRef } from 'react';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';

type Answer = Extract<TrainerEvent, { type: 'activations' }>;

const MAP_PIXELS = 56; // each map drawn about this size, whatever its resolution
const MAX_BARS = 256;

/** Smallest and largest of `values` (0, 0 when empty). */
export function valueRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  return values.length ? [lo, hi] : [0, 0];
}

/** At most `max` bars: long vectors are averaged in equal stretches. */
export function barsOf(values: ArrayLike<number>, max = MAX_BARS): number[] {
  const n = values.length;
  const bars = Math.min(n, max);
  return Array.from({ length: bars }, (_, j) => {
    const from = Math.floor((j * n) / bars);
    const to = Math.max(from + 1, Math.floor(((j + 1) * n) / bars));
    let sum = 0;
    for (let i = from; i < to; i++) sum += values[i];
    return sum / (to - from);
  });
}

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toPrecision(3));

function FeatureMap({ values, height, width, channel }: { values: Float32Array; height: number; width: number; channel: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    canvas.width = width;
    canvas.height = height;
    const [lo, hi] = valueRange(values);
    const image = ctx.createImageData(width, height);
    for (let i = 0; i < values.length; i++) {
      const v = hi > lo ? Math.round(((values[i] - lo) / (hi - lo)) * 255) : 0;
      image.data.set([v, v, v, 255], i * 4);
    }
    ctx.putImageData(image, 0, 0);
  }, [values, height, width]);
  const zoom = Math.max(1, Math.round(MAP_PIXELS / Math.max(height, width)));
  return <canvas ref={ref} className="act-map" style={{ width: width * zoom, height: height * zoom }} title={`channel ${channel + 1}`} data-channel={channel} />;
}

/** "value 3", or "values 9–16" for a bar that averages several. */
function barName(i: number, bars: number, n: number): string {
  if (bars === n) return `value ${i + 1}`;
  const from = Math.floor((i * n) / bars);
  return `values ${from + 1}–${Math.max(from + 1, Math.floor(((i + 1) * n) / bars))}`;
}

function Bars({ values }: { values: Float32Array }) {
  const bars = barsOf(values);
  const [lo, hi] = valueRange(bars);
  const top = Math.max(hi, 0);
  const bottom = Math.min(lo, 0);
  const span = top - bottom || 1;
  const W = 600;
  const H = 120;
  const zero = H - ((0 - bottom) / span) * H;
  const bw = W / bars.length;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" height={H} preserveAspectRatio="none" className="act-bars" data-testid="activation-bars" data-bars={bars.length}>
      <line x1={0} x2={W} y1={zero} y2={zero} stroke="#4b5060" />
      {bars.map((v, i) => {
        const y = H - ((v - bottom) / span) * H;
        return (
          <rect key={i} x={i * bw + bw * 0.1} width={Math.max(0.5, bw * 0.8)} y={Math.min(y, zero)} height={Math.max(0.5, Math.abs(zero - y))} fill={v >= 0 ? '#6cb4ff' : '#ff8a4c'}>
            <title>{`${barName(i, bars.length, values.length)}: ${fmt(v)}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}

/** The weights an answer was computed with: batch 0 of an epoch is the end of the one before (or the initial weights). */
export function whenText(epoch: number, batch: number): string {
  if (batch > 0) return `epoch ${epoch}, batch ${batch}`;
  return epoch <= 1 ? 'initial weights' : `after epoch ${epoch - 1}`;
}

export function ActivationView({ answer }: { answer: Answer }) {
  const a = answer.activations;
  const when = whenText(answer.epoch, answer.batch);
  if (a.kind === 'refused') {
    return (
      <div className="warning" data-testid="activations-refused">
        {a.message}
      </div>
    );
  }
  const [lo, hi] = valueRange(a.values);
  if (a.kind === 'vector') {
    return (
      <figure className="activations" data-testid="activations" data-kind="vector" data-values={a.values.length} data-layer={answer.layer} data-sample={answer.sample}>
        <Bars values={a.values} />
        <figcaption className="muted">
          {a.values.length} values{a.shape.length > 1 ? ` (${a.shape.join('×')})` : ''} · from {fmt(lo)} to {fmt(hi)} · {when}
        </figcaption>
      </figure>
    );
  }
  const size = a.height * a.width;
  return (
    <figure className="activations" data-testid="activations" data-kind="maps" data-maps={a.shown} data-layer={answer.layer} data-sample={answer.sample}>
      <div className="act-maps">
        {Array.from({ length: a.shown }, (_, c) => (
          <FeatureMap key={c} values={a.values.subarray(c * size, (c + 1) * size)} height={a.height} width={a.width} channel={c} />
        ))}
      </div>
      <figcaption className="muted">
        {a.shown} feature map{a.shown === 1 ? '' : 's'} of {a.height}×{a.width}
        {a.shown < a.channels ? ` (the first ${a.shown} of ${a.channels} channels)` : ''} · each scaled to its own range; all from {fmt(lo)} to {fmt(hi)} · {when}
      </figcaption>
    </figure>
  );
}
