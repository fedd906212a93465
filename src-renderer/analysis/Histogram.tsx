/** Score histogram with normal and anomalous samples stacked and the threshold drawn; click to move the threshold. */
import { useEffect, useRef } from 'react';

const W = 560;
const H = 180;

export function Histogram({ h, threshold, onPick }: { h: { min: number; max: number; normal: number[]; anomalous: number[] }; threshold: number; onPick: (value: number) => void }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#111318';
    ctx.fillRect(0, 0, W, H);
    const bins = h.normal.length;
    const top = Math.max(1, ...h.normal.map((n, i) => n + h.anomalous[i]));
    const bw = (W - 20) / bins;
    const y = (n: number) => ((H - 30) * n) / top;
    h.normal.forEach((n, i) => {
      ctx.fillStyle = '#4e79a7';
      ctx.fillRect(10 + i * bw, H - 10 - y(n), bw - 1, y(n));
      ctx.fillStyle = '#e15759';
      ctx.fillRect(10 + i * bw, H - 10 - y(n) - y(h.anomalous[i]), bw - 1, y(h.anomalous[i]));
    });
    const tx = 10 + ((threshold - h.min) / (h.max - h.min || 1)) * (W - 20);
    ctx.strokeStyle = '#edc948';
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(tx, 8);
    ctx.lineTo(tx, H - 10);
    ctx.stroke();
  }, [h, threshold]);
  return (
    <canvas
      ref={ref}
      width={W}
      height={H}
      className="histogram"
      data-testid="anomaly-histogram"
      title="Click to set the threshold"
      onClick={(e) => {
        const x = (e.nativeEvent.offsetX * W) / (e.currentTarget.clientWidth || W);
        onPick(h.min + ((x - 10) / (W - 20)) * (h.max - h.min));
      }}
    />
  );
}
