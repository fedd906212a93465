/**
 * Drawing vector samples (a row of values, 8-bit on the preview's scale) as
 * plots rather than as 1-pixel-high images: a line, bars, or a heatmap with
 * one readable band per sample. Shared by the Data view and the live
 * reconstructions, so a CSV row looks the same in both.
 */

/** How vector samples are drawn. */
export const VECTOR_STYLES = ['line', 'bars', 'heatmap'] as const;
/** One of {@link VECTOR_STYLES}. */
export type VectorStyle = (typeof VECTOR_STYLES)[number];

/** The style that reads best for a row of `length` values: bars while each can be told apart, else a line. */
export function defaultVectorStyle(length: number): VectorStyle {
  return length <= 48 ? 'bars' : 'line';
}

/** Height of one heatmap band: never a 1-pixel strip. */
export const HEATMAP_BAND = 12;

/** A box on the canvas. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One 8-bit value as a height within a box (0 at the bottom, 255 at the top). */
const yOf = (v: number, box: Box) => box.y + box.h - (v / 255) * box.h;

/** Draws one sample's values as a polyline across the box. */
export function drawLine(ctx: CanvasRenderingContext2D, values: ArrayLike<number>, box: Box, color: string, width = 1.5): void {
  const n = values.length;
  if (n === 0) return;
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    const x = box.x + (n === 1 ? box.w / 2 : (i / (n - 1)) * box.w);
    if (i === 0) ctx.moveTo(x, yOf(values[i], box));
    else ctx.lineTo(x, yOf(values[i], box));
  }
  ctx.stroke();
}

/** Draws one sample's values as bars; a second colour overlays another sample's values as outlines (output over input). */
export function drawBars(ctx: CanvasRenderingContext2D, values: ArrayLike<number>, box: Box, color: string, outline = false): void {
  const n = values.length;
  const bw = box.w / Math.max(1, n);
  for (let i = 0; i < n; i++) {
    const top = yOf(values[i], box);
    const rect: [number, number, number, number] = [box.x + i * bw + bw * 0.1, top, Math.max(1, bw * 0.8), box.y + box.h - top];
    if (outline) {
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(...rect);
    } else {
      ctx.fillStyle = color;
      ctx.fillRect(...rect);
    }
  }
}

/** Draws one sample as a band of cells coloured dark (low) to bright (high). */
export function drawHeatRow(ctx: CanvasRenderingContext2D, values: ArrayLike<number>, box: Box): void {
  const n = values.length;
  const cw = box.w / Math.max(1, n);
  for (let i = 0; i < n; i++) {
    const v = values[i] / 255;
    // A blue → yellow ramp that stays readable on the dark theme and in greyscale.
    ctx.fillStyle = `rgb(${Math.round(30 + 220 * v)}, ${Math.round(40 + 180 * v)}, ${Math.round(120 - 80 * v)})`;
    ctx.fillRect(box.x + i * cw, box.y, Math.ceil(cw), box.h);
  }
}

/** A light frame and mid line behind a plot, so flat and empty rows are told apart. */
export function drawFrame(ctx: CanvasRenderingContext2D, box: Box): void {
  ctx.fillStyle = '#1a1d24';
  ctx.fillRect(box.x, box.y, box.w, box.h);
  ctx.strokeStyle = '#2e323c';
  ctx.lineWidth = 1;
  ctx.strokeRect(box.x + 0.5, box.y + 0.5, box.w - 1, box.h - 1);
}

/** Draws one sample in the style asked for (heatmap: one band filling the box). */
export function drawVector(ctx: CanvasRenderingContext2D, values: ArrayLike<number>, box: Box, style: VectorStyle, color = '#6cb4ff'): void {
  drawFrame(ctx, box);
  if (style === 'heatmap') drawHeatRow(ctx, values, box);
  else if (style === 'bars') drawBars(ctx, values, box, color);
  else drawLine(ctx, values, box, color);
}
