/**
 * Files a run's analysis wrote. In browser mode they are on the server's
 * machine, so each is a download link (browser mode's /run-file route);
 * in the desktop app they are local, and the path is what to open.
 */
import { runFileHref } from '../../src-shared/protocol/run-files';

const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** The list; `token` is the browser-mode token (downloadToken()), null in the desktop app. */
export function OutputFiles({ runId, files, token, testId }: { runId: string; files: string[]; token: string | null; testId?: string }) {
  return (
    <ul className="files" data-testid={testId}>
      {files.map((f) => (
        <li key={f}>
          {token !== null ? (
            <>
              <a href={runFileHref({ runId, file: f, token })} download={baseName(f)}>
                Download {baseName(f)}
              </a>{' '}
              <span className="muted">{f}</span>
            </>
          ) : (
            f
          )}
        </li>
      ))}
    </ul>
  );
}
