import { describe, expect, it } from 'vitest';
import type { Edge } from '@xyflow/react';
import type { StudioNode } from '../state/graph-ops';
import { READABLE_ZOOM, bounds, fitZoom, layoutLeftToRight, layoutToFit } from './layout';

const chain = (n: number): { nodes: StudioNode[]; edges: Edge[] } => ({
  nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: 'layer' as const, position: { x: 0, y: 0 }, data: { kind: 'encoder', params: {} }, measured: { width: 160, height: 70 } })),
  edges: Array.from({ length: n - 1 }, (_, i) => ({ id: `e${i}`, source: `n${i}`, target: `n${i + 1}` })),
});

describe('layout to fit the canvas', () => {
  it('keeps a chain on one row when it fits readable', () => {
    const { nodes, edges } = chain(3);
    const box = { width: 1200, height: 600 };
    expect(layoutToFit(nodes, edges, box)).toEqual(layoutLeftToRight(nodes, edges));
  });

  it('wraps a long chain into rows that read left to right, top to bottom, at a readable zoom', () => {
    const { nodes, edges } = chain(10);
    const box = { width: 620, height: 560 };
    expect(fitZoom(bounds(nodes, layoutLeftToRight(nodes, edges)), box)).toBeLessThan(READABLE_ZOOM); // one row would be shrunk
    const p = layoutToFit(nodes, edges, box);
    expect(fitZoom(bounds(nodes, p), box)).toBeGreaterThanOrEqual(READABLE_ZOOM);
    const rows = new Set(nodes.map((n) => p[n.id].y));
    expect(rows.size).toBeGreaterThan(1);
    for (let i = 0; i + 1 < nodes.length; i++) {
      const [a, b] = [p[`n${i}`], p[`n${i + 1}`]];
      expect(b.y > a.y || (b.y === a.y && b.x > a.x + 160), `n${i + 1} follows n${i}`).toBe(true);
    }
    for (const a of nodes)
      for (const b of nodes) {
        if (a.id >= b.id) continue;
        const apart = p[a.id].x + 160 <= p[b.id].x || p[b.id].x + 160 <= p[a.id].x || p[a.id].y + 70 <= p[b.id].y || p[b.id].y + 70 <= p[a.id].y;
        expect(apart, `${a.id} and ${b.id} overlap`).toBe(true);
      }
  });
});
