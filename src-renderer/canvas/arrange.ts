/** Fitting the graph to the canvas on screen: the layout command, and the arrangement a new document opens with. */
import { useDocument } from '../state/document-store';
import { flow } from './flow-handle';
import { FIT_PADDING_PX, READABLE_ZOOM, bounds, fitZoom, layoutToFit } from './layout';

/** How fitView fits: the padding the layout assumed, and no zooming a small graph in past 1.5×. */
export const FIT_OPTIONS = { padding: `${FIT_PADDING_PX}px`, maxZoom: 1.5 } as const;

/** The canvas's size on screen, or null when the Design view is not shown. */
export function canvasBox(): { width: number; height: number } | null {
  const r = document.querySelector('.canvas .react-flow')?.getBoundingClientRect();
  return r && r.width > 0 && r.height > 0 ? { width: r.width, height: r.height } : null;
}

/**
 * Whether the view follows the canvas's size: true after a fit, false once the person pans or zooms. While it
 * follows, a window or splitter resize refits the whole graph; after that, the person's view is theirs.
 */
let following = true;

/** Called when the view moves: by the person (pan, zoom) it stops following; a fit starts it again. */
export function setFollowing(on: boolean): void {
  following = on;
}

/** Whether a resize of the canvas should refit the graph. */
export function isFollowing(): boolean {
  return following;
}

/** Fits the view to the graph now (animated over `duration` ms), and follows the canvas's size from then on. */
export function fitNow(duration = 0): void {
  following = true;
  void flow()?.fitView({ ...FIT_OPTIONS, duration });
}

/** Fits the view to the graph (after the next paint, when React Flow has the nodes' new positions). */
export function fitSoon(duration = 0): void {
  following = true;
  requestAnimationFrame(() => requestAnimationFrame(() => void flow()?.fitView({ ...FIT_OPTIONS, duration })));
}

/**
 * For a document without a file (a template, a run's graph): when its stored
 * layout would show whole only below a readable zoom, lays it out to fit. Not
 * an edit: no undo step, and the document stays unchanged (clean) until the
 * person changes something. A file's own layout is the person's, and is kept.
 */
export function arrangeOpenedDocument(): void {
  const doc = useDocument.getState();
  const box = canvasBox();
  if (!box || doc.filePath !== null) return;
  if (fitZoom(bounds(doc.nodes, {}), box) >= READABLE_ZOOM) return;
  const positions = layoutToFit(doc.nodes, doc.edges, box);
  useDocument.setState({ nodes: doc.nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id] } : n)) });
}
