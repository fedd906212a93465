/** Rows of 8-bit images drawn on one canvas, each row named at its left (clean | noised | denoised, …). */
import { useEffect, useRef } from 'react';
import type { ImageRow } from '../../src-shared/analysis/analysis-messages';
import { drawImages } from '../training/pixels';

const GAP = 3;

export function ImageRows({ rows, zoom = 2, testId, captions, onPick }: { rows: { name: string; row: ImageRow }[]; zoom?: number; testId?: string; captions?: string[]; onPick?: (index: number) => void }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h, w] = rows[0]?.row.shape ?? [1, 1];
  // Vectors (1 × n) are shown as one tall strip per sample rather than a hairline.
  const z = h === 1 ? 1 : zoom;
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || rows.length === 0) return;
    const count = Math.max(...rows.map((r) => r.row.count));
    canvas.width = count * (w * z + GAP);
    canvas.height = rows.length * (h * z + GAP);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#111318';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    rows.forEach(({ row }, r) => drawImages(ctx, row.pixels, row.shape, row.count, 0, r * (h * z + GAP), z, GAP));
  }, [rows, h, w, z]);
  if (rows.length === 0) return null;
  return (
    <figure className="image-rows" data-testid={testId}>
      <div className="image-rows__body">
        <div className="image-rows__names" style={{ gridAutoRows: `${h * z + GAP}px` }}>
          {rows.map((r) => (
            <span key={r.name}>{r.name}</span>
          ))}
        </div>
        <canvas
          ref={ref}
          className={onPick ? 'pickable' : undefined}
          onClick={(e) => {
            if (!onPick) return;
            const x = e.nativeEvent.offsetX * ((e.currentTarget.width || 1) / (e.currentTarget.clientWidth || 1));
            onPick(Math.floor(x / (w * z + GAP)));
          }}
        />
      </div>
      {captions ? <figcaption className="muted">{captions.join(' · ')}</figcaption> : null}
    </figure>
  );
}
