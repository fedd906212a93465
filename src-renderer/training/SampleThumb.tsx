/** One of the latent plot's samples as the trainer sent it: an 8-bit image, or a vector drawn as a line plot. */
import { useEffect, useRef } from 'react';
import type { LatentSamples } from '../../src-shared/protocol/live-views';
import { drawFrame, drawLine } from '../data/vector-plot';
import { drawImages } from './pixels';

const VECTOR_BOX = { w: 140, h: 60 };

export function SampleThumb({ samples, index, zoom = 3, label }: { samples: LatentSamples; index: number; zoom?: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h, w, c] = samples.shape;
  const size = h * w * c;
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || index < 0 || index >= samples.count) return;
    const px = samples.pixels.subarray(index * size, (index + 1) * size);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    if (samples.kind === 'vector') {
      canvas.width = VECTOR_BOX.w;
      canvas.height = VECTOR_BOX.h;
      const box = { x: 0, y: 0, ...VECTOR_BOX };
      drawFrame(ctx, box);
      drawLine(ctx, px, box, '#6cb4ff', 1.5);
    } else {
      canvas.width = w * zoom;
      canvas.height = h * zoom;
      drawImages(ctx, px, samples.shape, 1, 0, 0, zoom, 0);
    }
  }, [samples, index, zoom, size, h, w]);
  if (index < 0 || index >= samples.count) return null;
  return <canvas ref={ref} className="sample-thumb" role="img" aria-label={label} data-testid="sample-thumb" data-sample={index} data-kind={samples.kind} />;
}
