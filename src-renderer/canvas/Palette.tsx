/** Every node kind of the catalog, grouped; drag one onto the canvas (or onto a connection to insert it), or click to add. */
import type { DragEvent } from 'react';
import type { NodeCategory } from '../../src-shared/catalog/node-kind';
import { NODE_KINDS } from '../../src-shared/catalog/registry';
import { useDocument } from '../state/document-store';
import { flow } from './flow-handle';

/** The drag data type that carries a node kind. */
export const KIND_MIME = 'application/x-aestudio-kind';

const GROUPS: [NodeCategory, string][] = [
  ['data', 'Data'],
  ['encode', 'Encode'],
  ['code', 'Code'],
  ['decode', 'Decode'],
  ['branch', 'Branches'],
  ['training', 'Training only'],
  ['output', 'Output'],
];

function addAtCentre(kind: string) {
  const f = flow();
  const box = document.querySelector('.react-flow')?.getBoundingClientRect();
  const centre = f && box ? f.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
  useDocument.getState().addNode(kind, { x: centre.x - 90, y: centre.y - 40 });
}

export function Palette() {
  const onDragStart = (e: DragEvent, kind: string) => {
    e.dataTransfer.setData(KIND_MIME, kind);
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <aside className="palette" aria-label="Node palette">
      {GROUPS.map(([category, title]) => {
        const kinds = [...NODE_KINDS.values()].filter((k) => k.category === category);
        return kinds.length ? (
          <section key={category}>
            <h3>{title}</h3>
            {kinds.map((k) => (
              <button key={k.kind} className={`palette__item cat-${category}`} draggable data-kind={k.kind} title={`${k.description} Drag onto the canvas, or click to add.`} onDragStart={(e) => onDragStart(e, k.kind)} onClick={() => addAtCentre(k.kind)}>
                {k.title}
              </button>
            ))}
          </section>
        ) : null;
      })}
      <p className="palette__hint">Drop a node on a connection to insert it there.</p>
    </aside>
  );
}
