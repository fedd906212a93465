/**
 * The learning rate of each epoch, as a small step line under the loss chart,
 * drawn only when a schedule changed it (a flat line would say nothing). SVG:
 * few points, and each names its epoch and rate when hovered.
 */
import type { EpochMetrics } from '../../src-shared/protocol/trainer-messages';

/** [epoch, learning rate] of the epochs that report one, or null when there are fewer than two rates to show. */
export function learningRatePoints(epochs: readonly EpochMetrics[]): [number, number][] | null {
  const points = epochs.filter((e) => e.learningRate !== undefined && Number.isFinite(e.learningRate) && e.learningRate > 0).map((e): [number, number] => [e.epoch, e.learningRate!]);
  return new Set(points.map(([, lr]) => lr)).size > 1 ? points : null;
}

const W = 600;
const H = 70;
const PAD = { left: 6, right: 6, top: 6, bottom: 6 };
const fmt = (lr: number) => lr.toExponential(2).replace('e-', 'e−');

export function LearningRateStrip({ epochs }: { epochs: readonly EpochMetrics[] }) {
  const points = learningRatePoints(epochs);
  if (!points) return null;
  const xs = points.map(([e]) => e);
  const logs = points.map(([, lr]) => Math.log10(lr));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...logs), Math.max(...logs)];
  const x = (e: number) => PAD.left + ((e - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const y = (lr: number) => H - PAD.bottom - ((Math.log10(lr) - y0) / (y1 - y0 || 1)) * (H - PAD.top - PAD.bottom);
  // A step line: an epoch trains at one rate throughout.
  const path = points.map(([e, lr], i) => (i === 0 ? `M${x(e).toFixed(1)},${y(lr).toFixed(1)}` : `H${x(e).toFixed(1)} V${y(lr).toFixed(1)}`)).join(' ');
  const last = points.at(-1)!;
  return (
    <figure className="lr-strip" data-testid="lr-strip" data-points={points.length}>
      <div className="lr-strip__body">
        {/* The rate's range as text beside the plot: SVG text would stretch with the plot's width. */}
        <div className="lr-strip__range muted" style={{ height: H }}>
          <span>{fmt(Math.max(...points.map(([, lr]) => lr)))}</span>
          <span>{fmt(Math.min(...points.map(([, lr]) => lr)))}</span>
        </div>
        <svg viewBox={`0 0 ${W} ${H}`} width="100%" height={H} preserveAspectRatio="none" role="img" aria-label={`Learning rate per epoch, from ${fmt(points[0][1])} at epoch ${points[0][0]} to ${fmt(last[1])} at epoch ${last[0]}`}>
          <path d={path} fill="none" stroke="#59a14f" strokeWidth={2} vectorEffect="non-scaling-stroke" />
          {points.map(([e, lr]) => (
            <circle key={e} cx={x(e)} cy={y(lr)} r={3} fill="#59a14f">
              <title>{`epoch ${e}: learning rate ${fmt(lr)}`}</title>
            </circle>
          ))}
        </svg>
      </div>
      <figcaption className="muted">learning rate (log scale) · now {fmt(last[1])}</figcaption>
    </figure>
  );
}
