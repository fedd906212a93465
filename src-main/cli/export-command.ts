/** `aestudio export RUN_DIR --format … --out DIR`: a finished run in the formats other tools read. */
import { resolve } from 'node:path';
import { EXPORT_FORMATS, isExportFormat } from '../../src-shared/export/export-formats';
import type { ExportFormat } from '../../src-shared/export/export-formats';
import { defaultCacheDir } from '../services/app-paths';
import type { CliIo } from './io';
import { runFolderAccess } from './evaluate-command';
import { withTrainer } from './with-trainer';

/** Parses --format (comma-separated, or "all"); null when a name is unknown. */
export function parseFormats(value: string | undefined): ExportFormat[] | null {
  if (!value || value === 'all') return [...EXPORT_FORMATS];
  const names = value.split(',').map((s) => s.trim());
  return names.every(isExportFormat) ? names : null;
}

/** Runs the command; resolves to the exit code. */
export function exportCommand(runDir: string, formats: ExportFormat[], out: string | undefined, io: CliIo, dataset?: string): Promise<number> {
  const outDir = resolve(out ?? `${runDir}/export`);
  // --dataset: the data for latent-csv when the run's record names none it may use (see runFolderAccess).
  const access = runFolderAccess(dataset, io);
  if (!access) return Promise.resolve(2);
  return withTrainer(io, async (service) => {
    const files = await service.exportRun(resolve(runDir), outDir, formats, defaultCacheDir(), access);
    io.err(`Wrote ${files.length} files to ${outDir}:\n${files.map((f) => `  ${f}\n`).join('')}`);
    io.out(`${outDir}\n`);
  });
}
