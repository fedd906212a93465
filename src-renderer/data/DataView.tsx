/**
 * The Data view: the project's dataset page by page (filtered by class), its
 * class histogram, value range and normalisation, and the train/validation
 * split training will use. Each page is a bounded preview request to the
 * trainer; vectors are drawn as plots or a heatmap, never as 1-pixel strips.
 */
import { DatasetPicker } from '../training/DatasetPicker';
import { useEffect, useMemo, useState } from 'react';
import { isVectorShape, labelName } from '../../src-shared/datasets/dataset-preview';
import type { DatasetPreview } from '../../src-shared/datasets/dataset-preview';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import { useDocument } from '../state/document-store';
import { useTraining } from '../state/training-store';
import { studio } from '../studio/studio';
import { documentDatasetRef } from '../training/dataset-ref';
import { noteDatasetFacts } from './data-facts';
import { ClassHistogram, DataFacts, SampleGrid } from './DataParts';
import { VECTOR_STYLES, defaultVectorStyle } from './vector-plot';
import './data-view.css';
import type { VectorStyle } from './vector-plot';

/** Samples per page. */
export const DATA_PAGE_SIZE = 24;

const STYLE_TEXT: Record<VectorStyle, string> = { line: 'Lines', bars: 'Bars', heatmap: 'Heatmap' };

/** "1–24 of 1,000" for a page. */
export function pageText(offset: number, shown: number, matching: number): string {
  if (matching === 0) return 'no samples';
  return `${(offset + 1).toLocaleString('en')}–${(offset + shown).toLocaleString('en')} of ${matching.toLocaleString('en')}`;
}

/** The browsable contents of the project's dataset: facts, classes, pages of samples. */
function DataBrowser() {
  // Strings as selectors: a fresh object per call would make zustand re-render forever.
  const refKey = useDocument((s) => JSON.stringify(documentDatasetRef(s)));
  const ref = useMemo(() => JSON.parse(refKey) as DatasetRef | null, [refKey]);
  const validationSplit = useDocument((s) => s.training.validationSplit);
  const seed = useDocument((s) => s.training.seed);
  const [offset, setOffset] = useState(0);
  const [label, setLabel] = useState<number | null>(null);
  const [preview, setPreview] = useState<DatasetPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [style, setStyle] = useState<VectorStyle | null>(null);
  // While a run trains, the trainer previews only the run's own data; a page it refused is asked again once the run ends.
  const trainerBusy = useTraining((s) => s.status === 'running' || s.status === 'starting' || s.status === 'paused');
  const [retry, setRetry] = useState(0);
  useEffect(() => {
    if (!trainerBusy && error) setRetry((n) => n + 1);
  }, [trainerBusy]); // only when a run ends, not on every error

  // Another dataset starts at its first page, unfiltered.
  useEffect(() => {
    setOffset(0);
    setLabel(null);
    setStyle(null);
  }, [refKey]);

  useEffect(() => {
    if (!ref) return;
    let current = true;
    setBusy(true);
    setError(null);
    studio()
      .datasets.preview(ref, { offset, limit: DATA_PAGE_SIZE, label, validationSplit, seed })
      .then(
        (p) => {
          if (!current) return;
          setPreview(p);
          noteDatasetFacts(ref, p);
        },
        (e: Error) => {
          if (!current) return;
          setPreview(null);
          setError(e.message);
        },
      )
      .finally(() => current && setBusy(false));
    return () => {
      current = false; // a later page or dataset answers instead
    };
  }, [refKey, offset, label, validationSplit, seed, retry]); // refKey stands for ref

  if (!ref) {
    return (
      <section className="data-view" aria-label="Data">
        <h2>Data</h2>
        <p className="muted">No data yet: choose a built-in dataset, or load an import and use it for this project.</p>
      </section>
    );
  }
  const page = preview?.page;
  const vector = preview ? isVectorShape(preview.summary.shape) : false;
  const shownStyle = style ?? (preview ? defaultVectorStyle(preview.imageShape[1]) : 'line');
  const pick = (l: number | null) => {
    setLabel(l);
    setOffset(0);
  };
  return (
    <section className="data-view" aria-label="Data" data-testid="data-view" aria-busy={busy}>
      <h2>
        Data <span className="muted">{preview?.summary.name ?? ''}</span>
      </h2>
      {error ? (
        <div className="field__error" role="alert">
          {error}
        </div>
      ) : null}
      {preview && page ? (
        <>
          <DataFacts preview={preview} page={page} />
          <h3>Classes</h3>
          <ClassHistogram page={page} names={preview.labelNames} onPick={pick} />
          <div className="data-view__bar">
            {page.classes ? (
              <label className="field compact">
                <span className="field__label">Class</span>
                <select aria-label="Show class" value={label === null ? '' : String(label)} onChange={(e) => pick(e.target.value === '' ? null : Number(e.target.value))}>
                  <option value="">All classes</option>
                  {page.classes.map((c) => (
                    <option key={c.label} value={c.label}>
                      {labelName(preview.labelNames, c.label)} ({c.count})
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            {vector ? (
              <div className="segmented" role="group" aria-label="Plot vectors as">
                {VECTOR_STYLES.map((s) => (
                  <button key={s} type="button" aria-pressed={shownStyle === s} onClick={() => setStyle(s)}>
                    {STYLE_TEXT[s]}
                  </button>
                ))}
              </div>
            ) : null}
            <span className="data-view__pager">
              <button type="button" aria-label="Previous page" disabled={busy || offset === 0} onClick={() => setOffset(Math.max(0, offset - DATA_PAGE_SIZE))}>
                ‹ Previous
              </button>
              <span data-testid="data-page">{pageText(page.offset, page.indices.length, page.matching)}</span>
              <button type="button" aria-label="Next page" disabled={busy || page.offset + page.indices.length >= page.matching} onClick={() => setOffset(page.offset + page.indices.length)}>
                Next ›
              </button>
            </span>
          </div>
          <SampleGrid preview={preview} style={shownStyle} />
          {vector && preview.scale ? (
            <p className="muted">
              Plots span {+preview.scale[0].toPrecision(3)} (bottom) to {+preview.scale[1].toPrecision(3)} (top).
            </p>
          ) : null}
        </>
      ) : busy ? (
        <p className="muted">Loading…</p>
      ) : null}
    </section>
  );
}

/** The Data view: the dataset picker (which data the project trains on) beside the browsable dataset. */
export function DataView() {
  return (
    <div className="data-page">
      <div className="data-page__picker">
        <DatasetPicker />
      </div>
      <DataBrowser />
    </div>
  );
}
