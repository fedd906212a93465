/** Exports the finished (or stopped) run: TF.js and ONNX parts, Keras script, latent codes and metrics, into the run's export folder. */
import { useState } from 'react';
import { EXPORT_FORMATS } from '../../src-shared/protocol/trainer-messages';
import { useTraining } from '../state/training-store';
import { useUi } from '../state/ui-store';
import { studio } from '../studio/studio';

export function ExportButton() {
  const runId = useTraining((s) => s.runId);
  const status = useTraining((s) => s.status);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ folder: string; files: string[] } | null>(null);
  if (!runId || (status !== 'finished' && status !== 'stopped')) return null;
  const run = async () => {
    setBusy(true);
    try {
      const r = await studio().runs.export(runId, [...EXPORT_FORMATS]);
      setResult(r);
      useUi.getState().notify('info', `Exported ${r.files.length} files to ${r.folder}`);
    } catch (e) {
      useUi.getState().notify('error', (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="export">
      <button type="button" onClick={() => void run()} disabled={busy} data-testid="export" title="TF.js and ONNX (autoencoder, encoder, decoder), Keras script, latent codes CSV, metrics CSV">
        {busy ? 'Exporting…' : 'Export run'}
      </button>
      {result ? (
        <span className="muted" data-testid="export-result">
          {result.files.length} files in {result.folder}
        </span>
      ) : null}
    </div>
  );
}
