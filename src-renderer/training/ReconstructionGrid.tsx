/** Input | noised | output rows of the fixed validation samples, redrawn on a canvas as they arrive; vectors as overlaid plots. */
import { useEffect, useRef } from 'react';
import { drawFrame, drawLine } from '../data/vector-plot';
import { useTraining } from '../state/training-store';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { drawImages } from './pixels';

/** A reconstruction event. */
type Recon = Extract<TrainerEvent, { type: 'reconstructions' }>;

/** Vectors (a row of values, shape [1, n, 1]) are plotted: a 1-pixel-high image of them tells nothing. */
export const isVectorRecon = (shape: readonly number[]) => shape[0] === 1 && shape[2] === 1 && shape[1] > 1;

const PLOT = { w: 200, h: 90, gap: 8, columns: 4 };
/** Input, noised input and output of each sample, one over the other in one box. */
export const VECTOR_SERIES = [
  { row: 'input', color: '#9aa0ab', width: 2.5 },
  { row: 'noised', color: '#ff8a4c', width: 1 },
  { row: 'output', color: '#6cb4ff', width: 1.5 },
] as const;

function drawVectorRecon(canvas: HTMLCanvasElement, recon: Recon) {
  const n = recon.shape[1];
  const columns = Math.min(PLOT.columns, recon.count);
  canvas.width = columns * (PLOT.w + PLOT.gap);
  canvas.height = Math.ceil(recon.count / columns) * (PLOT.h + PLOT.gap);
  const ctx = canvas.getContext('2d')!;
  for (let k = 0; k < recon.count; k++) {
    const box = { x: (k % columns) * (PLOT.w + PLOT.gap), y: Math.floor(k / columns) * (PLOT.h + PLOT.gap), w: PLOT.w, h: PLOT.h };
    drawFrame(ctx, box);
    for (const s of VECTOR_SERIES) {
      const row = recon[s.row];
      if (row) drawLine(ctx, row.subarray(k * n, (k + 1) * n), box, s.color, s.width);
    }
  }
}

const ZOOM = 2;
const GAP = 2;

export function ReconstructionGrid() {
  const recon = useTraining((s) => s.reconstructions);
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !recon) return;
    if (isVectorRecon(recon.shape)) return drawVectorRecon(canvas, recon);
    const [h, w] = recon.shape;
    const rows = [recon.input, ...(recon.noised ? [recon.noised] : []), recon.output];
    const count = Math.min(recon.count, Math.max(1, Math.floor(440 / (w * ZOOM + GAP))));
    canvas.width = count * (w * ZOOM + GAP);
    canvas.height = rows.length * (h * ZOOM + GAP);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#111318';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    rows.forEach((px, r) => drawImages(ctx, px, recon.shape, count, 0, r * (h * ZOOM + GAP), ZOOM, GAP));
  }, [recon]);
  if (!recon) return <div className="placeholder">Reconstructions appear after the first epoch.</div>;
  if (isVectorRecon(recon.shape)) {
    return (
      <figure className="recon" data-testid="reconstructions" data-epoch={recon.epoch} data-batch={recon.batch} data-plot="vector">
        <canvas ref={ref} style={{ maxWidth: '100%', height: 'auto' }} />
        <figcaption className="muted">
          {VECTOR_SERIES.filter((v) => recon[v.row]).map((v) => (
            <span key={v.row} style={{ color: v.color }}>
              ━ {v.row}{' '}
            </span>
          ))}
          · epoch {recon.epoch}, batch {recon.batch}
        </figcaption>
      </figure>
    );
  }
  return (
    <figure className="recon" data-testid="reconstructions" data-epoch={recon.epoch} data-batch={recon.batch}>
      <div className="recon__body">
        <div className="recon__rows" style={{ gridAutoRows: `${recon.shape[0] * ZOOM + GAP}px` }}>
          <span>input</span>
          {recon.noised ? <span>noised</span> : null}
          <span>output</span>
        </div>
        <canvas ref={ref} />
      </div>
      <figcaption className="muted">
        epoch {recon.epoch}, batch {recon.batch}
      </figcaption>
    </figure>
  );
}
