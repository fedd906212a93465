/** Charts of analysis results as SVG text (sharp renders them to PNG for the CLI's reports). */
import { LABEL_PALETTE } from '../../src-shared/analysis/palette';
import { bounds2d } from '../../src-shared/analysis/separation';

const esc = (s: string) => s.replace(/[<&>]/g, (c) => ({ '<': '&lt;', '&': '&amp;', '>': '&gt;' })[c]!);
const FONT = 'font-family="DejaVu Sans, sans-serif" font-size="12" fill="#d8dbe2"';

/** Side-by-side scatter plots of 2-D points coloured by label. */
export function scatterSvg(panels: { title: string; points: Float32Array }[], labels: Int32Array | null, size = 320): string {
  const parts = panels.map(({ title, points }, p) => {
    const { minX, maxX, minY, maxY } = bounds2d(points);
    const sx = (size - 20) / (maxX - minX || 1);
    const sy = (size - 40) / (maxY - minY || 1);
    const dots: string[] = [];
    for (let i = 0; i < points.length / 2; i++) {
      const colour = labels ? LABEL_PALETTE[labels[i] % LABEL_PALETTE.length] : '#9aa0ab';
      dots.push(`<circle cx="${(10 + (points[2 * i] - minX) * sx).toFixed(1)}" cy="${(size - 10 - (points[2 * i + 1] - minY) * sy).toFixed(1)}" r="1.8" fill="${colour}"/>`);
    }
    return `<g transform="translate(${p * (size + 10)},0)"><rect width="${size}" height="${size}" fill="#111318"/><text x="10" y="18" ${FONT}>${esc(title)}</text>${dots.join('')}</g>`;
  });
  const width = panels.length * (size + 10) - 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${size}">${parts.join('')}</svg>`;
}

/** A histogram of normal and anomalous counts with a threshold line. */
export function histogramSvg(h: { min: number; max: number; normal: number[]; anomalous: number[] }, threshold: number, title: string, width = 640, height = 240): string {
  const bins = h.normal.length;
  const top = Math.max(1, ...h.normal.map((n, i) => n + h.anomalous[i]));
  const bw = (width - 20) / bins;
  const y = (n: number) => ((height - 50) * n) / top;
  const bars = h.normal.map((n, i) => {
    const a = h.anomalous[i];
    return `<rect x="${(10 + i * bw).toFixed(1)}" y="${(height - 30 - y(n)).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${y(n).toFixed(1)}" fill="#4e79a7"/>` +
      `<rect x="${(10 + i * bw).toFixed(1)}" y="${(height - 30 - y(n) - y(a)).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${y(a).toFixed(1)}" fill="#e15759"/>`;
  });
  const tx = 10 + ((threshold - h.min) / (h.max - h.min || 1)) * (width - 20);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="#111318"/>` +
    `<text x="10" y="16" ${FONT}>${esc(title)}</text>${bars.join('')}` +
    `<line x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="24" y2="${height - 30}" stroke="#edc948" stroke-dasharray="4 3"/>` +
    `<text x="10" y="${height - 10}" ${FONT}>${h.min.toPrecision(3)}</text><text x="${width - 10}" y="${height - 10}" text-anchor="end" ${FONT}>${h.max.toPrecision(3)}</text></svg>`;
}

/** Horizontal bars with their values (e.g. k-NN accuracy of codes and of raw values). */
export function barsSvg(title: string, bars: { label: string; value: number }[], max = 1, width = 480): string {
  const height = 40 + bars.length * 28;
  const rows = bars.map((b, i) => {
    const w = ((width - 180) * b.value) / max;
    return `<text x="10" y="${46 + i * 28}" ${FONT}>${esc(b.label)}</text><rect x="120" y="${34 + i * 28}" width="${w.toFixed(1)}" height="16" fill="${LABEL_PALETTE[i]}"/><text x="${(126 + w).toFixed(1)}" y="${46 + i * 28}" ${FONT}>${b.value.toFixed(3)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="#111318"/><text x="10" y="18" ${FONT}>${esc(title)}</text>${rows.join('')}</svg>`;
}
