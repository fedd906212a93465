/** Input | noised | output rows of the fixed validation samples, redrawn on a canvas as they arrive. */
import { useEffect, useRef } from 'react';
import { useTraining } from '../state/training-store';
import { drawImages } from './pixels';

const ZOOM = 2;
const GAP = 2;

export function ReconstructionGrid() {
  const recon = useTraining((s) => s.reconstructions);
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !recon) return;
    const [h, w] = recon.shape;
    const rows = [recon.input, ...(recon.noised ? [recon.noised] : []), recon.output];
    const count = Math.min(recon.count, Math.max(1, Math.floor(440 / (w * ZOOM + GAP))));
    canvas.width = count * (w * ZOOM + GAP);
    canvas.height = rows.length * (h * ZOOM + GAP);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#111318';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    rows.forEach((px, r) => drawImages(ctx, px, recon.shape, count, 0, r * (h * ZOOM + GAP), ZOOM, GAP));
  }, [recon]);
  if (!recon) return <div className="placeholder">Reconstructions appear after the first epoch.</div>;
  return (
    <figure className="recon" data-testid="reconstructions" data-epoch={recon.epoch} data-batch={recon.batch}>
      <div className="recon__body">
        <div className="recon__rows" style={{ gridAutoRows: `${recon.shape[0] * ZOOM + GAP}px` }}>
          <span>input</span>
          {recon.noised ? <span>noised</span> : null}
          <span>output</span>
        </div>
        <canvas ref={ref} />
      </div>
      <figcaption className="muted">
        epoch {recon.epoch}, batch {recon.batch}
      </figcaption>
    </figure>
  );
}
