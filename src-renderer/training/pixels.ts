/** Drawing 8-bit images (HWC, 1 or 3 channels) onto a canvas. */

/** Draws `count` images laid out in a row at (x0, y0), each scaled by `zoom` (nearest neighbour). */
export function drawImages(ctx: CanvasRenderingContext2D, pixels: Uint8Array, shape: readonly [number, number, number], count: number, x0: number, y0: number, zoom: number, gap: number): void {
  const [h, w, c] = shape;
  const image = ctx.createImageData(w, h);
  const tmp = document.createElement('canvas');
  tmp.width = w;
  tmp.height = h;
  const tctx = tmp.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  for (let k = 0; k < count; k++) {
    for (let i = 0; i < h * w; i++) {
      const src = (k * h * w + i) * c;
      image.data[i * 4] = pixels[src];
      image.data[i * 4 + 1] = pixels[src + (c > 1 ? 1 : 0)];
      image.data[i * 4 + 2] = pixels[src + (c > 2 ? 2 : 0)];
      image.data[i * 4 + 3] = 255;
    }
    tctx.putImageData(image, 0, 0);
    ctx.drawImage(tmp, x0 + k * (w * zoom + gap), y0, w * zoom, h * zoom);
  }
}
