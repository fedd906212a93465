/** A small picture of a graph for the template gallery: its nodes as coloured boxes, its edges as lines. */
import { getNodeKind } from '../../src-shared/catalog/registry';
import type { Graph } from '../../src-shared/graph/types';

const COLORS: Record<string, string> = { data: '#3f83f8', encode: '#9061f9', code: '#e74694', decode: '#0e9f6e', training: '#ff8a4c', output: '#16bdca' };
const W = 180;
const H = 80;

export function GraphThumbnail({ graph }: { graph: Graph }) {
  const xs = graph.nodes.map((n) => n.position.x);
  const ys = graph.nodes.map((n) => n.position.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs) + 190, Math.min(...ys), Math.max(...ys) + 80];
  const scale = Math.min((W - 8) / (maxX - minX || 1), (H - 8) / (maxY - minY || 1));
  const at = (p: { x: number; y: number }) => ({ x: 4 + (p.x - minX) * scale, y: 4 + (p.y - minY) * scale });
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  return (
    <svg className="thumbnail" viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label="Graph preview">
      {graph.edges.map((e) => {
        const s = byId.get(e.source);
        const t = byId.get(e.target);
        if (!s || !t) return null;
        const a = at({ x: s.position.x + 190, y: s.position.y + 40 });
        const b = at({ x: t.position.x, y: t.position.y + 40 });
        return <line key={e.id} x1={a.x} y1={a.y} x2={b.x} y2={b.y} stroke="#6b7280" strokeWidth={1.5} />;
      })}
      {graph.nodes.map((n) => {
        const p = at(n.position);
        return <rect key={n.id} x={p.x} y={p.y} width={190 * scale} height={80 * scale} rx={3} fill={COLORS[getNodeKind(n.kind)?.category ?? ''] ?? '#6b7280'} />;
      })}
    </svg>
  );
}
