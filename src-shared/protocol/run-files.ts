/**
 * Browser mode's download route for the files a run writes (analysis CSV and
 * NPY, exports): the URL the renderer links to and the server answers, in
 * one place. In browser mode the files live on the machine running the
 * server, so a path alone is no way to open them.
 */

/** The route's path on the browser-mode server. */
export const RUN_FILE_ROUTE = '/run-file';

/** What a download names: the run, one file of it (the absolute path the service reported), and the session token. */
export interface RunFileQuery {
  runId: string;
  file: string;
  token: string;
}

/** The link for one file of a run, relative to the page (same origin as the server). */
export function runFileHref({ runId, file, token }: RunFileQuery): string {
  return `${RUN_FILE_ROUTE}?${new URLSearchParams({ run: runId, file, token }).toString()}`;
}

/** The query of a download request, or null when a part is missing. */
export function parseRunFileQuery(url: URL): RunFileQuery | null {
  const runId = url.searchParams.get('run');
  const file = url.searchParams.get('file');
  const token = url.searchParams.get('token');
  return runId && file && token !== null ? { runId, file, token } : null;
}
