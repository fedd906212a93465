/** 2-D points coloured by label on a canvas: the latent space during training, and the AE vs PCA comparison. */
import { useEffect, useRef } from 'react';
import { LABEL_PALETTE } from '../../src-shared/analysis/palette';
import { bounds2d } from '../../src-shared/analysis/separation';

export function ScatterCanvas({ points, labels, size = 260, testId }: { points: Float32Array; labels: Int32Array | null; size?: number; testId?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const ctx = canvas.getContext('2d')!;
    canvas.width = size;
    canvas.height = size;
    ctx.fillStyle = '#111318';
    ctx.fillRect(0, 0, size, size);
    const { minX, maxX, minY, maxY } = bounds2d(points);
    const sx = (size - 16) / (maxX - minX || 1);
    const sy = (size - 16) / (maxY - minY || 1);
    for (let i = 0; i < points.length / 2; i++) {
      ctx.fillStyle = labels ? LABEL_PALETTE[labels[i] % LABEL_PALETTE.length] : '#9aa0ab';
      ctx.fillRect(8 + (points[2 * i] - minX) * sx - 1.5, size - 8 - (points[2 * i + 1] - minY) * sy - 1.5, 3, 3);
    }
  }, [points, labels, size]);
  return <canvas ref={ref} data-testid={testId} className="scatter" />;
}

/** The colour key of the label colours. */
export function LabelLegend({ count = 10, labels, names }: { count?: number; labels?: readonly number[]; names?: readonly string[] | null }) {
  // The labels present (else 0…count-1), named as the dataset names them (else by number).
  const shown = labels ?? Array.from({ length: count }, (_, i) => i);
  return (
    <span className="legend" data-testid="label-legend">
      {shown.map((l) => (
        <span key={l} style={{ color: LABEL_PALETTE[l % LABEL_PALETTE.length] }}>
          ■{names?.[l] ?? l}
        </span>
      ))}
    </span>
  );
}
