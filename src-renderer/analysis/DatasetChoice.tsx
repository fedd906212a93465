/** Which data an analysis scores or encodes: the run's own, a built-in dataset, or a file or folder typed by path. */
import { useState } from 'react';
import { BUILTIN_DATASETS } from '../../src-shared/datasets/builtin';
import { datasetRefFromPath } from '../../src-shared/datasets/dataset-ref';
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';

/** undefined = the run's own dataset. */
export function DatasetChoice({ onChange }: { onChange: (ref: DatasetRef | undefined) => void }) {
  const [choice, setChoice] = useState('run');
  const [path, setPath] = useState('');
  const update = (c: string, p: string) => {
    setChoice(c);
    setPath(p);
    onChange(c === 'run' ? undefined : c === 'file' ? (p.trim() ? datasetRefFromPath(p.trim(), /[\\/]$/.test(p.trim())) : undefined) : { kind: 'builtin', id: c });
  };
  return (
    <>
      <label className="field compact">
        <span className="field__label">Data</span>
        <select aria-label="Data to analyse" value={choice} onChange={(e) => update(e.target.value, path)}>
          <option value="run">the run's dataset</option>
          {BUILTIN_DATASETS.map((d) => (
            <option key={d.id} value={d.id}>
              {d.title}
            </option>
          ))}
          <option value="file">a file or folder…</option>
        </select>
      </label>
      {choice === 'file' ? (
        <label className="field compact">
          <span className="field__label">Path</span>
          <input type="text" aria-label="Data path" placeholder="/path/to/new-samples.csv, .npy, .idx or an image folder/" value={path} onChange={(e) => update('file', e.target.value)} />
        </label>
      ) : null}
    </>
  );
}
