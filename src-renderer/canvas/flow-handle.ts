/** The React Flow instance of the canvas, for commands that run outside it (menu, toolbar, shortcuts). */
import type { ReactFlowInstance } from '@xyflow/react';
import type { StudioNode } from '../state/graph-ops';

let instance: ReactFlowInstance<StudioNode> | null = null;

/** Set by the canvas when it mounts. */
export function setFlowInstance(i: ReactFlowInstance<StudioNode> | null): void {
  instance = i;
}

/** The canvas's React Flow instance, once mounted. */
export function flow(): ReactFlowInstance<StudioNode> | null {
  return instance;
}
