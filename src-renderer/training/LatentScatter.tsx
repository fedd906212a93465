/**
 * The code space in 2-D (the code itself, or its first two principal
 * components), coloured by label, as large as its pane; hovering a point names
 * the validation sample, its image (the thumbnails the run sent once) and its
 * label, with the dataset's label names; clicking one shows the selected
 * node's activations on it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MouseEvent } from 'react';
import { LABEL_PALETTE } from '../../src-shared/analysis/palette';
import { bounds2d } from '../../src-shared/analysis/separation';
import { factsOf, useDataFacts } from '../data/data-facts';
import { useDocument } from '../state/document-store';
import { useTraining } from '../state/training-store';
import { documentDatasetRef } from './dataset-ref';
import { SampleThumb } from './SampleThumb';

/** The distinct labels among the points, ascending (at most `max`, so a legend of a regression target stays short). */
export function presentLabels(labels: Int32Array, max = 40): number[] {
  return [...new Set(labels)].sort((a, b) => a - b).slice(0, max);
}

const PAD = 12;
const HIT_RADIUS = 8;

/** The labels present, as colour swatches beside readable text (coloured digits on the dark panel failed contrast), named as the dataset names them. */
function Legend({ labels, names }: { labels: readonly number[]; names: readonly string[] | null }) {
  return (
    <span className="latent__legend" data-testid="label-legend">
      {labels.map((l) => (
        <span key={l}>
          <span className="swatch" style={{ background: LABEL_PALETTE[l % LABEL_PALETTE.length] }} aria-hidden="true" />
          {names?.[l] ?? l}
        </span>
      ))}
    </span>
  );
}

/** About how wide the hover tip is, with and without the sample's image (its text kept to short lines). */
const TIP_WIDTH = { thumb: 250, text: 170 };

/** The tip's left edge: right of the point where it fits, else left of it, never past the plot's left edge. */
export function tipLeft(x: number, size: number, width: number): number {
  return x + 10 + width <= size ? x + 10 : Math.max(0, x - 10 - width);
}

interface Hover {
  index: number;
  x: number;
  y: number;
}

export function LatentScatter() {
  const latent = useTraining((s) => s.latent);
  const thumbs = useTraining((s) => s.started?.latentSamples ?? null);
  const chosen = useTraining((s) => s.watchSample);
  const refKey = useDocument((s) => JSON.stringify(documentDatasetRef(s)));
  const facts = useDataFacts();
  const names = useMemo(() => factsOf(JSON.parse(refKey) as Parameters<typeof factsOf>[0], facts)?.labelNames ?? null, [refKey, facts]);
  const present = useMemo(() => (latent?.labels ? presentLabels(latent.labels) : []), [latent]);
  const box = useRef<HTMLDivElement>(null);
  const ref = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState(320);
  const [hover, setHover] = useState<Hover | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // Square, as wide as the pane allows, and never taller than most of the window.
    const ro = new ResizeObserver(() => setSize(Math.max(200, Math.min(el.clientWidth, Math.round(window.innerHeight * 0.45)))));
    ro.observe(el);
    return () => ro.disconnect();
  }, [latent === null]);

  // Where each point lands on the canvas, for drawing and for finding the one under the cursor.
  const project = (i: number, b: ReturnType<typeof bounds2d>, points: Float32Array): [number, number] => [
    PAD + ((points[2 * i] - b.minX) * (size - 2 * PAD)) / (b.maxX - b.minX || 1),
    size - PAD - ((points[2 * i + 1] - b.minY) * (size - 2 * PAD)) / (b.maxY - b.minY || 1),
  ];

  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !latent) return;
    canvas.width = size;
    canvas.height = size;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#111318';
    ctx.fillRect(0, 0, size, size);
    const b = bounds2d(latent.points);
    for (let i = 0; i < latent.points.length / 2; i++) {
      const [x, y] = project(i, b, latent.points);
      ctx.fillStyle = latent.labels ? LABEL_PALETTE[latent.labels[i] % LABEL_PALETTE.length] : '#9aa0ab';
      ctx.fillRect(x - 2, y - 2, 4, 4);
    }
    if (chosen < latent.points.length / 2) {
      // The sample the activations are shown on: a ring, so it can be found again.
      const [x, y] = project(chosen, b, latent.points);
      ctx.strokeStyle = '#edc948';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(x, y, 7, 0, 2 * Math.PI);
      ctx.stroke();
    }
    if (hover) {
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 1.5;
      ctx.strokeRect(hover.x - 5, hover.y - 5, 10, 10);
    }
    // project depends only on size, which is listed.
  }, [latent, size, hover, chosen]);

  const onMove = (e: MouseEvent<HTMLCanvasElement>) => {
    if (!latent) return;
    const r = e.currentTarget.getBoundingClientRect();
    const mx = ((e.clientX - r.left) * size) / r.width;
    const my = ((e.clientY - r.top) * size) / r.height;
    const b = bounds2d(latent.points);
    let best: Hover | null = null;
    let bestD = HIT_RADIUS * HIT_RADIUS;
    for (let i = 0; i < latent.points.length / 2; i++) {
      const [x, y] = project(i, b, latent.points);
      const d = (x - mx) ** 2 + (y - my) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = { index: i, x, y };
      }
    }
    setHover(best);
  };

  if (!latent) return <div className="placeholder">The latent space appears after the first epoch.</div>;
  const count = latent.points.length / 2;
  return (
    <figure className="latent" data-testid="latent" ref={box}>
      <div className="latent__plot" style={{ width: size, height: size }}>
        <canvas ref={ref} role="img" aria-label={`Codes of ${count} validation samples, coloured by label`} onMouseMove={onMove} onMouseLeave={() => setHover(null)} onClick={() => hover && useTraining.getState().chooseSample(hover.index)} data-testid="latent-canvas" />
        {hover ? (
          <div className="latent__tip" data-testid="latent-hover" style={{ left: tipLeft(hover.x, size, thumbs ? TIP_WIDTH.thumb : TIP_WIDTH.text), top: Math.max(0, Math.min(hover.y - 34, size - (thumbs ? 100 : 70))) }}>
            {thumbs ? <SampleThumb samples={thumbs} index={hover.index} label={`Sample ${hover.index + 1}`} /> : null}
            <div>
              sample {hover.index + 1}
              {latent.labels ? (
                <>
                  {' '}· label <span className="swatch" style={{ background: LABEL_PALETTE[latent.labels[hover.index] % LABEL_PALETTE.length] }} aria-hidden="true" /> <strong>{names?.[latent.labels[hover.index]] ?? latent.labels[hover.index]}</strong>
                </>
              ) : null}
              <br />
              <span className="muted">
                ({latent.points[2 * hover.index].toPrecision(3)}, {latent.points[2 * hover.index + 1].toPrecision(3)})
              </span>
              <br />
              <span className="muted">click: its activations</span>
            </div>
          </div>
        ) : null}
      </div>
      <figcaption className="muted">
        {latent.method === 'pca' ? 'code, first two principal components' : 'code'} · {count} validation samples · epoch {latent.epoch}
        {latent.labels ? <Legend labels={present} names={names} /> : null}
      </figcaption>
    </figure>
  );
}
