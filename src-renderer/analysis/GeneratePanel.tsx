/**
 * Generation: the decoder fed codes from the prior. A 2-D code is shown as
 * the manifold (a grid over the prior's quantiles, edge to edge and large, z₀
 * along, z₁ up); a larger one as a grid of random draws. Below, decoded
 * straight paths between the codes of held-out samples, one row per pair.
 */
import { useEffect, useRef, useState } from 'react';
import type { AnalysisResultOf } from '../../src-shared/analysis/analysis-messages';
import { drawImages } from '../training/pixels';
import { useAnalysis, useResult } from './analysis-store';
import { ImageRows } from './ImageRows';
import { Controls } from './PanelParts';

type Result = AnalysisResultOf<'generate'>;

/** The manifold drawn edge to edge (random draws with a gap), scaled so the grid reads at a glance: at most 840 px across. */
function GeneratedGrid({ r }: { r: Result }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h, w] = r.images.shape;
  const gap = r.mode === 'grid' ? 0 : 2;
  const zoom = Math.max(1, Math.floor(840 / (r.columns * (w + gap))));
  const rows = Math.ceil(r.images.count / r.columns);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    canvas.width = r.columns * (w * zoom + gap);
    canvas.height = rows * (h * zoom + gap);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#111318';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    const size = h * w * r.images.shape[2];
    for (let row = 0; row < rows; row++) {
      const count = Math.min(r.columns, r.images.count - row * r.columns);
      drawImages(ctx, r.images.pixels.subarray(row * r.columns * size), r.images.shape, count, 0, row * (h * zoom + gap), zoom, gap);
    }
  }, [r, h, w, zoom, gap, rows]);
  return (
    <figure className="image-rows" data-testid="generate-grid" style={{ margin: 0, width: 'fit-content' }}>
      <canvas ref={ref} style={{ imageRendering: 'pixelated', display: 'block', maxWidth: '100%' }} />
      <figcaption className="muted">
        {r.mode === 'grid' ? `${r.columns}×${r.columns} codes at the prior's quantiles: z₀ rises left to right, z₁ bottom to top` : `${r.images.count} codes drawn from the prior`}
      </figcaption>
    </figure>
  );
}

export function GeneratePanel() {
  const r = useResult('generate');
  const [grid, setGrid] = useState(15);
  const [seed, setSeed] = useState(1);
  const run = () => void useAnalysis.getState().analyze({ task: 'generate', grid, seed, pairs: 4, steps: 10 });
  const name = (i: number) => (r?.labels ? `#${r.pairs[i]} (${r.labels[i]})` : `#${r?.pairs[i]}`);
  return (
    <div className="analysis__panel">
      <Controls task="generate" onRun={run} label={r ? 'Generate again' : 'Generate'}>
        <label className="field compact" title="Codes per side of the manifold of a 2-D code">
          <span className="field__label">Grid</span>
          <input type="number" aria-label="Grid size" min={2} max={30} value={grid} onChange={(e) => setGrid(Math.min(30, Math.max(2, Math.round(Number(e.target.value)) || 15)))} />
        </label>
        <label className="field compact" title="Seed of the random draws (codes of more than 2 values)">
          <span className="field__label">Seed</span>
          <input type="number" aria-label="Seed" min={0} value={seed} onChange={(e) => setSeed(Math.max(0, Math.round(Number(e.target.value)) || 0))} />
        </label>
      </Controls>
      {r ? (
        <>
          <p className="muted" data-testid="generate-prior">
            Code of {r.codeShape.join('×')} = {r.codeSize} values. {r.prior.note}
          </p>
          <GeneratedGrid r={r} />
          {r.interpolations.length > 0 ? (
            <>
              <h3>Between held-out samples</h3>
              <ImageRows
                rows={r.interpolations.map((row, p) => ({ name: `${name(2 * p)} → ${name(2 * p + 1)}`, row }))}
                zoom={3}
                testId="generate-interpolations"
                captions={[`the codes${r.prior.kind === 'standard-normal' ? ' (μ)' : ''} of two samples and ${r.interpolations[0].count - 2} evenly spaced between, decoded`]}
              />
            </>
          ) : null}
        </>
      ) : (
        <p className="placeholder">Decode codes the model never saw: a variational autoencoder&apos;s prior N(0, I) as a grid over a 2-D code (the manifold of digits), or random draws; and the paths between samples.</p>
      )}
    </div>
  );
}
