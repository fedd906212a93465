/**
 * Downloads of a run's files in browser mode (GET /run-file): confined to
 * that run's folder (no `..`, no absolute path elsewhere, no symlink that
 * leads out), regular files only, sent as attachments. The caller has
 * already checked the Host and the token.
 */
import type { ServerResponse } from 'node:http';
import { basename, isAbsolute, join, relative } from 'node:path';
import { resolveConfinedPath } from '../common/confined-path';
import { FileRefusal } from '../common/file-refusal';
import { openRegularFile } from '../common/read-regular-file';
import type { RunFileQuery } from '../../src-shared/protocol/run-files';

/** Largest file offered: analysis outputs of a full dataset are tens of MB; anything far larger is not one of them. */
const MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024;

const TYPES: Record<string, string> = {
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.py': 'text/x-python; charset=utf-8',
};

function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }).end(`${text}\n`);
}

/** Sends one file of a run, or 400/404 with what is wrong and what to try. */
export async function serveRunFile(runsDir: string, query: RunFileQuery, res: ServerResponse): Promise<void> {
  if (!/^[\w-]{1,100}$/.test(query.runId)) return refuse(res, 400, `"${query.runId}" is not a run id.`);
  const runDir = join(runsDir, query.runId);
  // The service reports absolute paths; inside the run folder they become relative, and anything else is refused below.
  const rel = isAbsolute(query.file) ? relative(runDir, query.file) : query.file;
  let path: string;
  try {
    path = await resolveConfinedPath(rel, { file: `run ${query.runId}`, field: 'download', root: runDir });
  } catch (e) {
    if (e instanceof FileRefusal) return refuse(res, 404, `Not found: ${query.file} is not a file of run ${query.runId}. Only files inside a run's folder can be downloaded; run the analysis again if it was deleted.`);
    throw e;
  }
  try {
    const file = await openRegularFile(path, { maxBytes: MAX_DOWNLOAD_BYTES, what: 'a run output' });
    const body = await file.read();
    const name = basename(path);
    const ext = name.includes('.') ? name.slice(name.lastIndexOf('.')) : '';
    res.writeHead(200, {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'content-length': String(body.length),
      // The name as written, quoted safely for old clients, exact for new ones.
      'content-disposition': `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    res.end(body);
  } catch (e) {
    if (e instanceof FileRefusal) return refuse(res, 404, `Not found: ${e.message}. ${e.hint}`);
    throw e;
  }
}
