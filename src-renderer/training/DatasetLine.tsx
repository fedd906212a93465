/** Which dataset a run will use, with the way to the Data view where it is chosen. */
import { useDocument } from '../state/document-store';
import { useView, viewShortcut } from '../state/view-store';
import { datasetTitle } from './dataset-ref';

export function DatasetLine() {
  const title = useDocument((s) => datasetTitle(s));
  return (
    <p className="dataset-line">
      <span className="muted">Data:</span> <strong data-testid="train-dataset">{title}</strong>{' '}
      <button type="button" className="link" onClick={() => useView.getState().show('data')} title={`Choose or import data in the Data view (${viewShortcut('data')})`}>
        change…
      </button>
    </p>
  );
}
