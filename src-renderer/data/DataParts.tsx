/** The Data view's pieces, each a function of one preview page: the facts, the class histogram, the split, the samples. */
import { useEffect, useRef } from 'react';
import { isVectorShape, labelName } from '../../src-shared/datasets/dataset-preview';
import type { DatasetPreview, PreviewPage } from '../../src-shared/datasets/dataset-preview';
import { countNoun } from '../../src-shared/text/count-noun';
import { drawImages } from '../training/pixels';
import { HEATMAP_BAND, drawHeatRow, drawVector } from './vector-plot';
import type { VectorStyle } from './vector-plot';

const num = (v: number) => String(Math.abs(v) < 1e-6 ? 0 : +v.toPrecision(3)); // a standardised mean is 0 up to rounding

/** Words for how values were brought to the training scale. */
export const NORMALIZATION_TEXT: Record<DatasetPreview['summary']['normalization'], string> = {
  none: 'used as they are',
  'scaled-0-1': 'scaled to 0…1',
  standardized: 'standardised (mean 0, standard deviation 1 per feature)',
};

/** Count, shape, value ranges before and after normalisation, and the train/validation split. */
export function DataFacts({ preview, page }: { preview: DatasetPreview; page: PreviewPage }) {
  const { summary } = preview;
  const total = page.split.train + page.split.validation;
  const valShare = total ? page.split.validation / total : 0;
  return (
    <dl className="data-facts" data-testid="data-facts">
      <dt>Samples</dt>
      <dd>
        {countNoun(summary.count, 'sample')} of shape {summary.shape.join('×')} ({isVectorShape(summary.shape) ? 'vectors' : 'images'})
      </dd>
      <dt>Values in the source</dt>
      <dd>
        {num(summary.sourceRange[0])} … {num(summary.sourceRange[1])}, {NORMALIZATION_TEXT[summary.normalization]}
      </dd>
      <dt>Values as trained</dt>
      <dd data-testid="data-stats">
        {num(page.stats.min)} … {num(page.stats.max)}, mean {num(page.stats.mean)}, sd {num(page.stats.std)}
      </dd>
      <dt>Split</dt>
      <dd data-testid="data-split">
        {countNoun(page.split.train, 'training sample')} · {countNoun(page.split.validation, 'validation sample')}
        <span className="data-split__bar" role="img" aria-label={`${Math.round(valShare * 100)}% held out for validation`}>
          <span style={{ width: `${(1 - valShare) * 100}%` }} />
        </span>
      </dd>
    </dl>
  );
}

/** Samples per class as bars; clicking a class filters the samples to it (again: all). */
export function ClassHistogram({ page, names, onPick }: { page: PreviewPage; names: readonly string[] | null; onPick: (label: number | null) => void }) {
  if (!page.classes) return <p className="muted">This dataset has no labels.</p>;
  const most = Math.max(1, ...page.classes.map((c) => c.count));
  return (
    <ul className="class-histogram" aria-label="Samples per class" data-testid="class-histogram">
      {page.classes.map((c) => {
        const name = labelName(names, c.label);
        const active = page.label === c.label;
        return (
          <li key={c.label}>
            <button type="button" className={active ? 'active' : ''} aria-pressed={active} title={`${name}: ${c.count} samples${active ? ' (click again for all)' : ' (click to show only these)'}`} onClick={() => onPick(active ? null : c.label)}>
              <span className="class-histogram__bar" style={{ height: `${Math.max(2, Math.round((c.count / most) * 70))}px` }} />
              <span className="class-histogram__name">{name}</span>
              <span className="class-histogram__count">{c.count}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

const TILE = 96;

/** One sample on its own canvas: an image scaled up, or a vector plotted. */
function SampleCanvas({ preview, k, style }: { preview: DatasetPreview; k: number; style: VectorStyle }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const [h, w, ch] = preview.imageShape;
    const size = h * w * ch;
    const ctx = c.getContext('2d')!;
    if (isVectorShape(preview.summary.shape)) {
      c.width = TILE * 2;
      c.height = TILE;
      drawVector(ctx, preview.samples.subarray(k * size, (k + 1) * size), { x: 0, y: 0, w: c.width, h: c.height }, style);
    } else {
      const zoom = Math.max(1, Math.floor(TILE / Math.max(h, w)));
      c.width = w * zoom;
      c.height = h * zoom;
      drawImages(ctx, preview.samples.subarray(k * size, (k + 1) * size), preview.imageShape, 1, 0, 0, zoom, 0);
    }
  }, [preview, k, style]);
  return <canvas ref={ref} />;
}

/** Every sample of a page as one heatmap, a band of {@link HEATMAP_BAND} pixels each, labels beside. */
function Heatmap({ preview }: { preview: DatasetPreview }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const page = preview.page!;
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const w = preview.imageShape[1];
    c.width = Math.max(240, Math.min(960, w * 4));
    c.height = page.indices.length * (HEATMAP_BAND + 1);
    const ctx = c.getContext('2d')!;
    page.indices.forEach((_, k) => drawHeatRow(ctx, preview.samples.subarray(k * w, (k + 1) * w), { x: 0, y: k * (HEATMAP_BAND + 1), w: c.width, h: HEATMAP_BAND }));
  }, [preview, page]);
  return (
    <div className="data-heatmap" data-testid="data-heatmap">
      <div className="data-heatmap__labels" style={{ gridAutoRows: `${HEATMAP_BAND + 1}px` }}>
        {page.indices.map((i, k) => (
          <span key={i}>
            #{i} {page.labels ? labelName(preview.labelNames, page.labels[k]) : ''}
          </span>
        ))}
      </div>
      <canvas ref={ref} />
    </div>
  );
}

/** A page's samples, each with its index, label and split; vectors as plots or one heatmap. */
export function SampleGrid({ preview, style }: { preview: DatasetPreview; style: VectorStyle }) {
  const page = preview.page!;
  if (page.indices.length === 0) return <p className="muted">No samples on this page.</p>;
  if (style === 'heatmap' && isVectorShape(preview.summary.shape)) return <Heatmap preview={preview} />;
  return (
    <ul className="data-samples" data-testid="data-samples" data-count={page.indices.length}>
      {page.indices.map((index, k) => (
        <li key={index} data-testid="data-sample" data-label={page.labels?.[k] ?? ''}>
          <SampleCanvas preview={preview} k={k} style={style} />
          <span className="data-samples__caption">
            <span className="data-samples__label">{page.labels ? labelName(preview.labelNames, page.labels[k]) : `#${index}`}</span>
            {page.validation[k] ? <span className="badge" title="Held out for validation">val</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
