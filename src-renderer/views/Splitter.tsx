/**
 * A drag handle between two panes. Drag it, or focus it and use the arrow keys;
 * the size it sets persists (view-store). `edge` says which side of the pane it
 * sits on, so dragging towards the pane shrinks it.
 */
import type { KeyboardEvent, PointerEvent } from 'react';
import { PANES, useView } from '../state/view-store';
import type { Pane } from '../state/view-store';

const KEY_STEP = 16;

export function Splitter({ pane, edge, label }: { pane: Pane; edge: 'left' | 'right' | 'top'; label: string }) {
  const size = useView((s) => s.sizes[pane]);
  const vertical = edge !== 'top';
  // Dragging the pane's far edge outwards grows it: right edge → +dx, left edge → −dx, top edge → −dy.
  const sign = edge === 'right' ? 1 : -1;
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const start = vertical ? e.clientX : e.clientY;
    const from = useView.getState().sizes[pane];
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    const move = (m: globalThis.PointerEvent) => useView.getState().resize(pane, from + sign * ((vertical ? m.clientX : m.clientY) - start));
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      target.removeEventListener('pointercancel', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', up);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const grow: Record<string, number> = vertical ? { ArrowRight: sign, ArrowLeft: -sign } : { ArrowUp: 1, ArrowDown: -1 };
    const d = grow[e.key];
    if (!d) return;
    e.preventDefault();
    useView.getState().resize(pane, size + d * KEY_STEP);
  };
  return (
    <div
      className={`splitter ${vertical ? 'splitter--v' : 'splitter--h'}`}
      role="separator"
      tabIndex={0}
      aria-label={label}
      aria-orientation={vertical ? 'vertical' : 'horizontal'}
      aria-valuemin={PANES[pane].min}
      aria-valuemax={PANES[pane].max}
      aria-valuenow={size}
      title={`${label}: drag, or focus and use the arrow keys`}
      data-testid={`splitter-${pane}`}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}
