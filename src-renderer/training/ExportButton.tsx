/**
 * Exports the finished (or stopped) run in the chosen formats, into the
 * run's export folder or a chosen one. In browser mode the files of the
 * run's own export folder download through the server.
 */
import { useState } from 'react';
import { EXPORT_FORMATS, EXPORT_FORMAT_TABLE } from '../../src-shared/export/export-formats';
import type { ExportFormat } from '../../src-shared/export/export-formats';
import { useTraining } from '../state/training-store';
import { useUi } from '../state/ui-store';
import { countNoun } from '../../src-shared/text/count-noun';
import { OutputFiles } from '../analysis/OutputFiles';
import { downloadToken, studio } from '../studio/studio';
import { plainHelp } from '../panels/HelpText';

/** Without `runId`: the dashboard's run, once it has ended. With one: that run (the Runs view's Export…, open at once). */
export function ExportButton({ runId: given }: { runId?: string } = {}) {
  const current = useTraining((s) => s.runId);
  const trainingStatus = useTraining((s) => s.status);
  const runId = given ?? current;
  const status = given ? 'finished' : trainingStatus; // the Runs view offers it for ended runs only
  const [open, setOpen] = useState(given !== undefined);
  const [formats, setFormats] = useState<ExportFormat[]>([...EXPORT_FORMATS]);
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ folder: string; files: string[]; inRun: boolean } | null>(null);
  const token = downloadToken();
  if (!runId || (status !== 'finished' && status !== 'stopped')) return null;
  const run = async () => {
    setBusy(true);
    try {
      const r = await studio().runs.export(runId, formats, folder.trim() || undefined);
      setResult({ ...r, inRun: !folder.trim() }); // only the run's own folder is offered for download
      setOpen(false);
      useUi.getState().notify('info', `Exported ${countNoun(r.files.length, 'file')} to ${r.folder}`);
    } catch (e) {
      useUi.getState().notify('error', (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="export">
      <button type="button" onClick={() => setOpen(!open)} data-testid="export">
        Export run…
      </button>
      {result ? (
        <span className="muted" data-testid="export-result">
          {countNoun(result.files.length, 'file')} in {result.folder}
        </span>
      ) : null}
      {result?.inRun && token !== null ? <OutputFiles runId={runId} files={result.files.map((f) => `${result.folder}/${f}`)} token={token} testId="export-files" /> : null}
      {open ? (
        <div className="export__form" role="group" aria-label="Export">
          {EXPORT_FORMATS.map((f) => (
            <label key={f} title={plainHelp(EXPORT_FORMAT_TABLE[f].help)}>
              <input type="checkbox" checked={formats.includes(f)} onChange={(e) => setFormats(e.target.checked ? [...formats, f] : formats.filter((x) => x !== f))} /> {EXPORT_FORMAT_TABLE[f].label}
            </label>
          ))}
          <input type="text" aria-label="Export folder" placeholder="folder (default: the run's export folder)" value={folder} onChange={(e) => setFolder(e.target.value)} />
          <button type="button" className="primary" onClick={() => void run()} disabled={busy || formats.length === 0} data-testid="export-go">
            {busy ? 'Exporting…' : 'Export'}
          </button>
        </div>
      ) : null}
    </div>
  );
}
