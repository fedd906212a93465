/**
 * The compiled form of the document, recomputed only when the model changes
 * (not on moves or selection), so dragging a node never recompiles.
 */
import { create } from 'zustand';
import { compile } from '../../src-shared/compiler/compile';
import type { CompileResult } from '../../src-shared/compiler/compile';
import { dataDiagnostics } from '../../src-shared/compiler/data-checks';
import { factsOf, useDataFacts } from '../data/data-facts';
import { documentDatasetRef } from '../training/dataset-ref';
import { useDocument } from './document-store';
import { toGraph } from './graph-ops';

/** The latest compile result and how long it took. */
export interface CompileState {
  result: CompileResult;
  /** Milliseconds the last compile took (shown in the status bar). */
  millis: number;
  /** The structureVersion it was compiled from. */
  version: number;
}

function run(): CompileState {
  const doc = useDocument.getState();
  const t0 = performance.now();
  const graph = toGraph(doc.nodes, doc.edges);
  const compiled = compile(graph);
  // The data's word on the output node, once a preview has said what the values are.
  const summary = factsOf(documentDatasetRef(doc))?.summary;
  const result = summary ? { ...compiled, diagnostics: [...compiled.diagnostics, ...dataDiagnostics(graph.nodes, summary)] } : compiled;
  return { result, millis: performance.now() - t0, version: doc.structureVersion };
}

export const useCompiled = create<CompileState>()(() => run());

useDocument.subscribe((s, prev) => {
  if (s.structureVersion !== prev.structureVersion || s.datasetImport !== prev.datasetImport) useCompiled.setState(run());
});
useDataFacts.subscribe(() => useCompiled.setState(run()));
