/**
 * Input | noised | output rows of the fixed validation samples, at a scale that
 * fills the pane, with a slider over the epochs seen (the latest follows the run
 * until the person moves the slider back).
 */
import { useEffect, useRef, useState } from 'react';
import { useTraining } from '../state/training-store';
import { drawImages } from './pixels';

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
