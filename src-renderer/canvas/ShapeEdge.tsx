/** A connection labelled with the shape of the tensor it carries; red when an error names it, dashed when it goes around the code. */
import { BaseEdge, EdgeLabelRenderer, getBezierPath } from '@xyflow/react';
import type { EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatShape } from '../../src-shared/graph/types';
import { useCompiled } from '../state/compile-store';

function ShapeEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, markerEnd }: EdgeProps) {
  const shape = useCompiled((s) => s.result.analysis.edges[id]);
  const bad = useCompiled((s) => s.result.diagnostics.some((d) => d.edgeId === id && d.severity === 'error'));
  const bypass = useCompiled((s) => s.result.diagnostics.some((d) => d.edgeId === id && d.code === 'bypasses-code'));
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const text = shape ? formatShape(shape) : '';
  // Between close neighbours the label would sit on the nodes; the source node shows the same shape, so the
  // label waits until the edge is selected or wrong. It stays in the page for tests and screen readers.
  const tight = Math.abs(targetX - sourceX) < text.length * 7 + 14 && Math.abs(targetY - sourceY) < 120 && !selected && !bad;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={`shape-edge${bad ? ' has-error' : ''}${bypass ? ' bypasses-code' : ''}${selected ? ' selected' : ''}`} />
      {shape ? (
        <EdgeLabelRenderer>
          <div className={`shape-edge__label nodrag nopan${tight ? ' shape-edge__label--tight' : ''}`} data-testid="edge-shape" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
            {text}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeView);
