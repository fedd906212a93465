/** Label selections as people type them ("0-8", "1, 3, 5") and back. */

/** Parses "0-8, 10" into [0, 1, …, 8, 10]; returns an error message naming the bad part instead. */
export function parseLabelList(text: string): { ok: true; labels: number[] } | { ok: false; error: string } {
  const labels = new Set<number>();
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return { ok: false, error: 'Name at least one label, e.g. "0-8" or "1, 3, 5".' };
  for (const part of parts) {
    const m = /^(\d+)\s*(?:-\s*(\d+))?$/.exec(part);
    if (!m) return { ok: false, error: `"${part}" is not a label or a range (write e.g. 3 or 0-8).` };
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) return { ok: false, error: `The range "${part}" runs backwards (write ${hi}-${lo}).` };
    if (hi - lo > 1000 || labels.size + hi - lo > 1000) return { ok: false, error: `"${part}" names more than 1000 labels.` };
    for (let l = lo; l <= hi; l++) labels.add(l);
  }
  return { ok: true, labels: [...labels].sort((a, b) => a - b) };
}

/** Writes labels compactly: [0, 1, 2, 3, 5] → "0-3, 5". */
export function formatLabelList(labels: readonly number[]): string {
  const sorted = [...new Set(labels)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return out.join(', ');
}
