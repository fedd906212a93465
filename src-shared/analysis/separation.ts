/** How well points of different labels stay apart: the silhouette coefficient. */

/**
 * Mean silhouette of `points` (dim values per point) grouped by `labels`:
 * for each point, (b − a) / max(a, b) with a the mean distance to its own
 * group and b the mean distance to the nearest other group. 1 = tight,
 * separate groups; 0 = overlapping; negative = mixed up. O(n²): callers pass
 * a sample of a few thousand points at most.
 */
export function silhouette(points: ArrayLike<number>, dim: number, labels: ArrayLike<number>): number {
  const n = labels.length;
  if (points.length !== n * dim) throw new Error(`silhouette: ${points.length} values are not ${n} points of ${dim}`);
  const groups = [...new Set(Array.from(labels))];
  if (groups.length < 2) return NaN;
  const index = new Map(groups.map((g, i) => [g, i]));
  const sizes = new Array<number>(groups.length).fill(0);
  for (let i = 0; i < n; i++) sizes[index.get(labels[i])!]++;
  const sums = new Float64Array(groups.length);
  let total = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      let d = 0;
      for (let k = 0; k < dim; k++) {
        const t = points[i * dim + k] - points[j * dim + k];
        d += t * t;
      }
      sums[index.get(labels[j])!] += Math.sqrt(d);
    }
    const own = index.get(labels[i])!;
    if (sizes[own] < 2) continue; // a point alone in its group has no silhouette (sklearn scores it 0 and counts it; we leave it out)
    const a = sums[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let g = 0; g < groups.length; g++) if (g !== own && sizes[g] > 0) b = Math.min(b, sums[g] / sizes[g]);
    total += (b - a) / Math.max(a, b) || 0;
    counted++;
  }
  return counted ? total / counted : NaN;
}

/** The bounding box of 2-D points (x0, y0, x1, y1, …), for scaling a scatter plot. */
export function bounds2d(points: ArrayLike<number>): { minX: number; maxX: number; minY: number; maxY: number } {
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i + 1 < points.length; i += 2) {
    minX = Math.min(minX, points[i]);
    maxX = Math.max(maxX, points[i]);
    minY = Math.min(minY, points[i + 1]);
    maxY = Math.max(maxY, points[i + 1]);
  }
  return { minX, maxX, minY, maxY };
}
