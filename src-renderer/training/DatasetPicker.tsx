/**
 * Chooses the data: a built-in dataset or an import (image folder, CSV, NPY,
 * IDX), shows what loading found (count, shape, range, normalisation) and a
 * few samples, and points the Input node at it.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { BUILTIN_DATASETS, CUSTOM_DATASET_ID } from '../../src-shared/datasets/builtin';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';
import type { DatasetPreview } from '../../src-shared/datasets/dataset-preview';
import { IMPORT_FORMAT_IDS, IMPORT_FORMATS } from '../../src-shared/datasets/import-formats';
import type { ImportFormat } from '../../src-shared/datasets/import-formats';
import { useDocument } from '../state/document-store';
import { studio } from '../studio/studio';
import { countNoun } from '../../src-shared/text/count-noun';
import { documentDatasetRef } from './dataset-ref';
import { canAdoptImport, sameRequest } from './import-choice';
import { drawImages } from './pixels';
import { plainHelp } from '../panels/HelpText';
import { noteDatasetFacts } from '../data/data-facts';
import { defaultVectorStyle, drawVector } from '../data/vector-plot';
import { isVectorShape } from '../../src-shared/datasets/dataset-preview';

function Samples({ preview }: { preview: DatasetPreview }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const [h, w] = preview.imageShape;
    const count = preview.samples.length / (h * w * preview.imageShape[2]);
    if (isVectorShape(preview.summary.shape)) {
      // A row of values as a plot of readable height: as an image it would be one pixel high.
      const box = { w: 96, h: 48, gap: 4, columns: 4 };
      c.width = Math.min(count, box.columns) * (box.w + box.gap);
      c.height = Math.ceil(count / box.columns) * (box.h + box.gap);
      const ctx = c.getContext('2d')!;
      for (let k = 0; k < count; k++) {
        const at = { x: (k % box.columns) * (box.w + box.gap), y: Math.floor(k / box.columns) * (box.h + box.gap), w: box.w, h: box.h };
        drawVector(ctx, preview.samples.subarray(k * w, (k + 1) * w), at, defaultVectorStyle(w));
      }
      return;
    }
    const zoom = Math.max(1, Math.floor(48 / Math.max(h, w)));
    c.width = count * (w * zoom + 2);
    c.height = h * zoom;
    drawImages(c.getContext('2d')!, preview.samples, preview.imageShape, count, 0, 0, zoom, 2);
  }, [preview]);
  return <canvas ref={ref} className="samples" data-testid="dataset-samples" style={{ maxWidth: '100%' }} />;
}

export function DatasetPicker() {
  // A string selector: a fresh object per call would make zustand re-render forever.
  const refKey = useDocument((s) => JSON.stringify(documentDatasetRef(s)));
  const ref = useMemo(() => JSON.parse(refKey) as DatasetRef | null, [refKey]);
  const [preview, setPreview] = useState<DatasetPreview | null>(null);
  /** The request the preview on screen belongs to. */
  const [previewOf, setPreviewOf] = useState<DatasetRef | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [format, setFormat] = useState<ImportFormat>('csv');
  const [path, setPath] = useState('');
  const [labelColumn, setLabelColumn] = useState('');
  const importOptions = (): Record<string, unknown> => {
    if (format !== 'csv' || !labelColumn.trim()) return {};
    const n = Number(labelColumn);
    return { labelColumn: Number.isInteger(n) && labelColumn.trim() !== '' ? n : labelColumn.trim() };
  };

  const load = async (r: DatasetRef | null) => {
    if (!r) return;
    setBusy(true);
    setError(null);
    try {
      const p = await studio().datasets.preview(r);
      setPreview(p);
      noteDatasetFacts(r, p); // the output node's data checks and the latent legend read it
      setPreviewOf(r);
    } catch (e) {
      setPreview(null);
      setPreviewOf(null);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  // Built-ins preview on their own; imports when asked (they may be large).
  useEffect(() => {
    if (ref?.kind === 'builtin') void load(ref);
  }, [refKey]); // refKey stands for ref: a new object each render, the same dataset

  const doc = useDocument.getState();
  const input = doc.nodes.find((n) => n.data.kind === 'input');
  const chooseBuiltin = (id: string) => {
    if (!input) return;
    const def = BUILTIN_DATASETS.find((d) => d.id === id);
    doc.setParams(input.id, def ? { dataset: id, height: def.shape[0], width: def.shape[1], channels: def.shape[2], flat: false } : { dataset: id });
  };
  const formRef = { kind: format, path, options: importOptions() } as DatasetRef;
  const adoptable = canAdoptImport(previewOf, formRef);
  const loadImport = () => load(formRef);
  const adopt = () => {
    if (!input || !preview || !adoptable) return;
    const s = preview.summary.shape;
    doc.setDatasetImport({ format, path, options: importOptions() });
    doc.setParams(input.id, s.length === 3 ? { dataset: CUSTOM_DATASET_ID, height: s[0], width: s[1], channels: s[2], flat: false } : { dataset: CUSTOM_DATASET_ID, height: 1, width: s[0], channels: 1, flat: true });
  };

  const current = String(input?.data.params.dataset ?? 'mnist');
  // The preview shown is of what the picker names now: the chosen built-in, or the import last loaded (not the built-in chosen before "Imported…").
  const shown = preview && previewOf && (current === CUSTOM_DATASET_ID ? previewOf.kind !== 'builtin' : sameRequest(previewOf, ref)) ? preview : null;
  return (
    <section className="dataset" aria-label="Dataset">
      <label className="field">
        <span className="field__label">Dataset</span>
        <select aria-label="Dataset" value={current} onChange={(e) => chooseBuiltin(e.target.value)} disabled={!input}>
          {BUILTIN_DATASETS.map((d) => (
            <option key={d.id} value={d.id}>
              {d.title}
            </option>
          ))}
          <option value={CUSTOM_DATASET_ID}>Imported…</option>
        </select>
      </label>
      {current === CUSTOM_DATASET_ID ? (
        <div className="import">
          <select aria-label="Import format" title={plainHelp(IMPORT_FORMATS[format].help)} value={format} onChange={(e) => setFormat(e.target.value as ImportFormat)}>
            {IMPORT_FORMAT_IDS.map((id) => (
              <option key={id} value={id} title={plainHelp(IMPORT_FORMATS[id].help)}>
                {IMPORT_FORMATS[id].label}
              </option>
            ))}
          </select>
          <input type="text" aria-label="Import path" placeholder={IMPORT_FORMATS[format].target === 'folder' ? '/path/to/folder' : `/path/to/file${IMPORT_FORMATS[format].extensions[0]}`} value={path} onChange={(e) => setPath(e.target.value)} />
          {format === 'csv' ? <input type="text" aria-label="Label column" placeholder="label column (optional)" value={labelColumn} onChange={(e) => setLabelColumn(e.target.value)} /> : null}
          <button type="button" onClick={() => void loadImport()} disabled={!path || busy}>
            Load
          </button>
          <button type="button" className="primary" onClick={adopt} disabled={!adoptable || busy} title={adoptable ? 'Train this project on the loaded data' : 'Load the data first: its shape sets the Input node'}>
            Use for this project
          </button>
        </div>
      ) : null}
      {busy ? <div className="muted">Loading…</div> : null}
      {error ? <div className="field__error" role="alert">{error}</div> : null}
      {shown ? (
        <div className="dataset__summary" data-testid="dataset-summary">
          <span>{shown.summary.name}</span>
          <span>{countNoun(shown.summary.count, 'sample')}</span>
          <span>{shown.summary.shape.join('×')}</span>
          <span>
            values {shown.summary.sourceRange.map((v) => +v.toPrecision(3)).join('…')}
            {shown.summary.normalization !== 'none' ? ` (${shown.summary.normalization === 'standardized' ? 'standardised' : 'scaled to 0…1'})` : ''}
          </span>
          {shown.summary.labelCount ? <span>{countNoun(shown.summary.labelCount, 'label')}</span> : null}
          <Samples preview={shown} />
        </div>
      ) : null}
    </section>
  );
}
