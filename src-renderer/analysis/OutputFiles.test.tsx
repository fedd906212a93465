/** Analysis outputs as markup: download links in browser mode, paths in the desktop app. */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { OutputFiles } from './OutputFiles';

const files = ['/home/u/.aestudio/runs/r-1/analysis/anomaly-scores.csv'];

describe('analysis output files', () => {
  it('are download links through the browser-mode server, with the token, in browser mode', () => {
    const html = renderToStaticMarkup(<OutputFiles runId="r-1" files={files} token="t0k" />);
    expect(html).toContain('<a href="/run-file?run=r-1&amp;file=%2Fhome%2Fu%2F.aestudio%2Fruns%2Fr-1%2Fanalysis%2Fanomaly-scores.csv&amp;token=t0k" download="anomaly-scores.csv">Download anomaly-scores.csv</a>');
  });

  it('are paths on this machine in the desktop app', () => {
    const html = renderToStaticMarkup(<OutputFiles runId="r-1" files={files} token={null} />);
    expect(html).not.toContain('<a');
    expect(html).toContain(files[0]);
  });
});
