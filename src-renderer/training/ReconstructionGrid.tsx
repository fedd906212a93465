/**
 * Input | noised | output rows of the fixed validation samples, at a scale that
 * fills the pane, with a slider over the epochs seen (the latest follows the run
 * until the person moves the slider back); vectors as overlaid plots.
 */
import { useEffect, useRef, useState } from 'react';
import type { TrainerEvent } from '../../src-shared/protocol/trainer-messages';
import { drawFrame, drawLine } from '../data/vector-plot';
import { useTraining } from '../state/training-store';
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


const GAP = 4;
const LABELS = 64;
const MAX_ZOOM = 6;
/** A 28-pixel digit is read comfortably from 3× (84 px); fewer samples are shown rather than smaller ones. */
const MIN_ZOOM = 3;
const MAX_SAMPLES = 10;

/** How many samples fit `width` pixels at the readable zoom, and the biggest whole zoom they then fit at. */
function fitRow(width: number, available: number, w: number): { count: number; zoom: number } {
  const room = width - LABELS;
  const count = Math.max(1, Math.min(available, MAX_SAMPLES, Math.floor(room / (w * MIN_ZOOM + GAP))));
  return { count, zoom: Math.max(1, Math.min(MAX_ZOOM, Math.floor((room - count * GAP) / (count * w)))) };
}

export function ReconstructionGrid() {
  const history = useTraining((s) => s.reconstructionHistory);
  const latest = useTraining((s) => s.reconstructions);
  // null: follow the newest epoch; a number: the epoch the person chose.
  const [chosen, setChosen] = useState<number | null>(null);
  const [width, setWidth] = useState(600);
  const box = useRef<HTMLDivElement>(null);
  const ref = useRef<HTMLCanvasElement>(null);
  const index = chosen === null ? history.length - 1 : Math.max(0, history.findIndex((h) => h.epoch === chosen));
  const recon = chosen === null ? latest : (history[index] ?? latest);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, [recon === null]);

  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !recon) return;
    if (isVectorRecon(recon.shape)) return drawVectorRecon(canvas, recon);
    const [h, w] = recon.shape;
    const rows = [recon.input, ...(recon.noised ? [recon.noised] : []), recon.output];
    const { count, zoom } = fitRow(width, recon.count, w);
    canvas.width = count * (w * zoom + GAP);
    canvas.height = rows.length * (h * zoom + GAP);
    canvas.dataset.zoom = String(zoom);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#111318';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    rows.forEach((px, r) => drawImages(ctx, px, recon.shape, count, 0, r * (h * zoom + GAP), zoom, GAP));
  }, [recon, width]);

  if (!recon) return <div className="placeholder">Reconstructions appear after the first epoch.</div>;
  if (isVectorRecon(recon.shape)) {
    return (
      <figure className="recon" data-testid="reconstructions" data-epoch={recon.epoch} data-batch={recon.batch} data-plot="vector" ref={box}>
        <canvas ref={ref} style={{ maxWidth: '100%', height: 'auto' }} role="img" aria-label={`Reconstructions at epoch ${recon.epoch}`} />
        <figcaption className="muted">
          {VECTOR_SERIES.filter((s) => recon[s.row]).map((s) => (
            <span key={s.row} style={{ color: s.color }}>
              ━ {s.row}{' '}
            </span>
          ))}
          · epoch {recon.epoch}, batch {recon.batch}
        </figcaption>
      </figure>
    );
  }
  const rowHeight = recon.shape[0] * fitRow(width, recon.count, recon.shape[1]).zoom + GAP;
  return (
    <figure className="recon" data-testid="reconstructions" data-epoch={recon.epoch} data-batch={recon.batch} ref={box}>
      <div className="recon__body">
        <div className="recon__rows" style={{ gridAutoRows: `${rowHeight}px`, width: LABELS }}>
          <span>input</span>
          {recon.noised ? <span>noised</span> : null}
          <span>output</span>
        </div>
        <canvas ref={ref} aria-label={`Reconstructions at epoch ${recon.epoch}`} role="img" />
      </div>
      <figcaption className="recon__caption">
        {history.length > 1 ? (
          <label className="recon__slider">
            <span>epoch</span>
            <input
              type="range"
              min={0}
              max={history.length - 1}
              value={index}
              aria-label="Epoch of the reconstructions"
              aria-valuetext={`epoch ${recon.epoch}`}
              data-testid="recon-epoch"
              onChange={(e) => {
                const i = Number(e.target.value);
                setChosen(i >= history.length - 1 ? null : history[i].epoch);
              }}
            />
          </label>
        ) : null}
        <span className="muted">
          epoch {recon.epoch}, batch {recon.batch}
          {chosen === null ? ' (latest)' : ''}
        </span>
      </figcaption>
    </figure>
  );
}
