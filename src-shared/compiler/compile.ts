/**
 * compile(graph): the pure function between the canvas and the trainer. It
 * always returns an analysis (shapes and parameter counts for whatever could
 * be inferred, so the canvas can show them while the graph is still broken)
 * and either a ModelSpec or the errors that prevent one.
 */
import type { Graph } from '../graph/types';
import { shapeSize } from '../graph/types';
import { DiagnosticSink } from './diagnostics';
import type { Diagnostic } from './diagnostics';
import { modelMemory } from './memory-estimate';
import type { ModelMemory } from './memory-estimate';
import { MODEL_SPEC_VERSION } from './model-spec';
import type { ModelSpec } from './model-spec';
import { inferShapes } from './shape-pass';
import type { NodeAnalysis } from './shape-pass';
import { analyseStructure } from './structure';

/** Shapes and counts for the canvas, available whether or not compilation succeeded. */
export interface GraphAnalysis {
  /** Per node id, for nodes whose output shape could be inferred. */
  nodes: Record<string, NodeAnalysis>;
  /** Per edge id on the chain: the shape of the tensor it carries. */
  edges: Record<string, number[]>;
  /** Trainable parameters of every inferred layer. */
  totalParams: number;
  /** Input values per code value, once both are known. */
  compressionRatio: number | null;
  /** What the inferred layers cost in memory per sample (the canvas multiplies it by the batch size: estimateMemory). */
  memory: ModelMemory;
}

/** The result of {@link compile}: a spec (with any warnings) or the errors that prevent one. */
export type CompileResult =
  | { ok: true; spec: ModelSpec; diagnostics: Diagnostic[]; analysis: GraphAnalysis }
  | { ok: false; diagnostics: Diagnostic[]; analysis: GraphAnalysis };

/** Compiles a graph into a ModelSpec. Pure: same graph, same result; never throws on any graph. */
export function compile(graph: Graph): CompileResult {
  const sink = new DiagnosticSink();
  const structure = analyseStructure(graph, sink);
  const pass = inferShapes(structure, sink);

  const codeNodes = structure.chain.filter((id) => structure.nodes.get(id)?.def.role === 'code');
  if (structure.chain.length > 0 && codeNodes.length === 0) {
    sink.error('no-bottleneck', 'The chain from input to output has no Bottleneck node', 'Add a Bottleneck between the encoder and the decoder: its output is the code.');
  }
  if (codeNodes.length > 1) {
    for (const id of codeNodes) {
      sink.error('several-bottlenecks', `${codeNodes.length} Bottleneck nodes are on the chain`, 'Keep one Bottleneck (the code) and turn the others into encoders or decoders.', { nodeId: id });
    }
  }

  const totalParams = pass.layers.reduce((a, l) => a + l.paramCount, 0);
  const compressionRatio = pass.inputShape && pass.codeShape ? shapeSize(pass.inputShape) / shapeSize(pass.codeShape) : null;
  const analysis: GraphAnalysis = { nodes: pass.nodes, edges: pass.edges, totalParams, compressionRatio, memory: modelMemory(pass.inputShape, pass.layers) };
  const diagnostics = sink.list;

  if (sink.hasErrors || !pass.complete || !pass.inputShape || !pass.codeShape || compressionRatio === null) {
    return { ok: false, diagnostics, analysis };
  }
  const inputNode = structure.nodes.get(structure.chain[0])!;
  const spec: ModelSpec = {
    format: 'aestudio-model-spec',
    version: MODEL_SPEC_VERSION,
    dataset: String(inputNode.params.dataset),
    inputShape: pass.inputShape,
    layers: pass.layers,
    codeLayerIndex: pass.codeLayerIndex,
    codeShape: pass.codeShape,
    loss: pass.loss,
    totalParams,
    compressionRatio,
    nodes: structure.chain.map((id) => ({
      nodeId: id,
      kind: structure.nodes.get(id)!.node.kind,
      outputShape: pass.nodes[id].outputShape!,
      paramCount: pass.nodes[id].paramCount,
    })),
  };
  return { ok: true, spec, diagnostics, analysis };
}
