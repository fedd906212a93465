/**
 * The open document: the graph on the canvas with its undo history, and the
 * project around it (file, name, dataset import, training settings). One
 * user action is one history step: a paste of ten nodes undoes at once, a
 * drag undoes to where it started. Selection and viewport are not history.
 */
import { applyEdgeChanges, applyNodeChanges } from '@xyflow/react';
import type { Edge, EdgeChange, NodeChange } from '@xyflow/react';
import { create } from 'zustand';
import type { ParamValue } from '../../src-shared/graph/types';
import { PROJECT_FORMAT, PROJECT_VERSION } from '../../src-shared/project/project-file';
import type { ProjectFile } from '../../src-shared/project/project-file';
import { DEFAULT_TRAINING_SETTINGS } from '../../src-shared/project/training-settings';
import type { TrainingSettings } from '../../src-shared/project/training-settings';
import { followTitle } from './node-title';
import { connect, copySelection, createNode, fromGraph, insertIntoEdge, pasteClip, pasteOffset, toGraph } from './graph-ops';
import { takesManyInputs } from '../../src-shared/catalog/node-kind';
import { getNodeKind } from '../../src-shared/catalog/registry';
import type { Clip, StudioNode } from './graph-ops';

interface Snapshot {
  nodes: StudioNode[];
  edges: Edge[];
}

const HISTORY_LIMIT = 200;

/** The document state and its actions. */
export interface DocumentState {
  nodes: StudioNode[];
  edges: Edge[];
  past: Snapshot[];
  future: Snapshot[];
  /** Bumped by every change that affects the compiled model (not by moves or selection). */
  structureVersion: number;
  /** Bumped when another document is loaded (new, open, recover), so the canvas fits it in view. */
  documentVersion: number;
  /** Bumped by every change that should be saved (moves included). */
  revision: number;
  savedRevision: number;
  filePath: string | null;
  name: string;
  description: string;
  datasetImport: ProjectFile['datasetImport'];
  training: TrainingSettings;
  clipboard: Clip | null;

  /** Replaces the document with a project (no undo across documents); `dirty` for work that was never saved (a recovery). */
  load(project: ProjectFile, filePath: string | null, dirty?: boolean): void;
  /** The document as a project file. */
  toProject(): ProjectFile;
  markSaved(filePath: string): void;

  onNodesChange(changes: NodeChange<StudioNode>[]): void;
  onEdgesChange(changes: EdgeChange[]): void;
  /** Records the state before a drag so the whole drag is one step. */
  beginDrag(): void;
  endDrag(): void;

  addNode(kind: string, position: { x: number; y: number }, intoEdge?: Edge): string;
  connect(source: string, target: string): void;
  deleteSelected(): void;
  setParam(nodeId: string, name: string, value: ParamValue): void;
  setParams(nodeId: string, values: Record<string, ParamValue>): void;
  setLabel(nodeId: string, label: string): void;
  setPositions(positions: Record<string, { x: number; y: number }>): void;
  copy(): void;
  paste(): void;
  selectAll(): void;
  selectOnly(nodeId: string): void;
  undo(): void;
  redo(): void;
  setTraining(patch: Partial<TrainingSettings>): void;
  setDatasetImport(value: ProjectFile['datasetImport']): void;
}

const snapshot = (s: Pick<DocumentState, 'nodes' | 'edges'>): Snapshot => ({ nodes: s.nodes, edges: s.edges });

export const useDocument = create<DocumentState>()((set, get) => {
  let dragStart: Snapshot | null = null;

  /** Applies a user action as one undoable step. */
  const commit = (next: Partial<Pick<DocumentState, 'nodes' | 'edges'>>, structural = true) =>
    set((s) => ({
      ...next,
      past: [...s.past.slice(-HISTORY_LIMIT + 1), snapshot(s)],
      future: [],
      revision: s.revision + 1,
      structureVersion: structural ? s.structureVersion + 1 : s.structureVersion,
    }));

  const mapNode = (id: string, f: (n: StudioNode) => StudioNode) => get().nodes.map((n) => (n.id === id ? f(n) : n));

  return {
    nodes: [],
    edges: [],
    past: [],
    future: [],
    structureVersion: 0,
    documentVersion: 0,
    revision: 0,
    savedRevision: 0,
    filePath: null,
    name: 'Untitled',
    description: '',
    datasetImport: undefined,
    training: DEFAULT_TRAINING_SETTINGS,
    clipboard: null,

    load(project, filePath, dirty = false) {
      const { nodes, edges } = fromGraph(project.graph);
      set((s) => ({
        nodes,
        edges,
        past: [],
        future: [],
        structureVersion: s.structureVersion + 1,
        documentVersion: s.documentVersion + 1,
        revision: s.revision + 1,
        savedRevision: dirty ? s.savedRevision : s.revision + 1,
        filePath,
        name: project.name,
        description: project.description,
        datasetImport: project.datasetImport,
        training: project.training,
      }));
    },
    toProject() {
      const s = get();
      return {
        format: PROJECT_FORMAT,
        version: PROJECT_VERSION,
        name: s.name,
        description: s.description,
        graph: toGraph(s.nodes, s.edges),
        ...(s.datasetImport ? { datasetImport: s.datasetImport } : {}),
        training: s.training,
      };
    },
    markSaved(filePath) {
      set((s) => ({ filePath, savedRevision: s.revision }));
    },

    onNodesChange(changes) {
      // Moves and selection come through here; removals go through deleteSelected (one step).
      const kept = changes.filter((c) => c.type !== 'remove' && c.type !== 'add' && c.type !== 'replace');
      set((s) => ({ nodes: applyNodeChanges(kept, s.nodes) }));
    },
    onEdgesChange(changes) {
      const kept = changes.filter((c) => c.type === 'select');
      set((s) => ({ edges: applyEdgeChanges(kept, s.edges) }));
    },
    beginDrag() {
      dragStart = snapshot(get());
    },
    endDrag() {
      const start = dragStart;
      dragStart = null;
      if (!start) return;
      const moved = start.nodes.some((n) => {
        const now = get().nodes.find((m) => m.id === n.id);
        return now && (now.position.x !== n.position.x || now.position.y !== n.position.y);
      });
      if (moved) set((s) => ({ past: [...s.past.slice(-HISTORY_LIMIT + 1), start], future: [], revision: s.revision + 1 }));
    },

    addNode(kind, position, intoEdge) {
      const s = get();
      const node = createNode(kind, position, new Set(s.nodes.map((n) => n.id)));
      const nodes = [...s.nodes.map((n) => ({ ...n, selected: false })), { ...node, selected: true }];
      commit({ nodes, edges: intoEdge ? insertIntoEdge(s.edges, intoEdge, node.id) : s.edges });
      return node.id;
    },
    connect(source, target) {
      const s = get();
      const kind = s.nodes.find((n) => n.id === target)?.data.kind;
      commit({ edges: connect(s.edges, source, target, kind !== undefined && takesManyInputs(getNodeKind(kind))) });
    },
    deleteSelected() {
      const s = get();
      const gone = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
      const edges = s.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target));
      if (gone.size === 0 && edges.length === s.edges.length) return;
      commit({ nodes: s.nodes.filter((n) => !gone.has(n.id)), edges });
    },
    setParam(nodeId, name, value) {
      get().setParams(nodeId, { [name]: value });
    },
    setParams(nodeId, values) {
      commit({ nodes: mapNode(nodeId, (n) => ({ ...n, data: { ...n.data, params: { ...n.data.params, ...values }, label: n.data.labelTyped ? n.data.label : followTitle(n.data.label, n.data.params, values) } })) });
    },
    setLabel(nodeId, label) {
      commit({ nodes: mapNode(nodeId, (n) => ({ ...n, data: { ...n.data, label: label || undefined, labelTyped: label !== '' } })) }, false);
    },
    setPositions(positions) {
      commit({ nodes: get().nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id] } : n)) }, false);
    },
    copy() {
      const clip = copySelection(get().nodes, get().edges);
      if (clip) set({ clipboard: clip });
    },
    paste() {
      const s = get();
      if (!s.clipboard) return;
      const pasted = pasteClip(s.clipboard, s.nodes, s.edges, pasteOffset(s.clipboard));
      commit({ nodes: [...s.nodes.map((n) => ({ ...n, selected: false })), ...pasted.nodes], edges: [...s.edges, ...pasted.edges] });
      // The next paste lands clear of this one, like every editor's repeated paste.
      set({ clipboard: { nodes: pasted.nodes, edges: pasted.edges } });
    },
    selectAll() {
      set((s) => ({ nodes: s.nodes.map((n) => ({ ...n, selected: true })), edges: s.edges.map((e) => ({ ...e, selected: true })) }));
    },
    selectOnly(nodeId) {
      set((s) => ({ nodes: s.nodes.map((n) => ({ ...n, selected: n.id === nodeId })), edges: s.edges.map((e) => ({ ...e, selected: false })) }));
    },
    undo() {
      const s = get();
      const prev = s.past.at(-1);
      if (!prev) return;
      set({ ...prev, past: s.past.slice(0, -1), future: [snapshot(s), ...s.future], revision: s.revision + 1, structureVersion: s.structureVersion + 1 });
    },
    redo() {
      const s = get();
      const next = s.future[0];
      if (!next) return;
      set({ ...next, past: [...s.past, snapshot(s)], future: s.future.slice(1), revision: s.revision + 1, structureVersion: s.structureVersion + 1 });
    },
    setTraining(patch) {
      set((s) => ({ training: { ...s.training, ...patch }, revision: s.revision + 1 }));
    },
    setDatasetImport(value) {
      set((s) => ({ datasetImport: value, revision: s.revision + 1 }));
    },
  };
});

/** True when the document has changes not yet saved. */
export const selectDirty = (s: DocumentState) => s.revision !== s.savedRevision;
