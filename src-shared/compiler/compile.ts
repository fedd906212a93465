/**
 * compile(graph): the pure function between the canvas and the trainer. It
 * always returns an analysis (shapes and parameter counts for whatever could
 * be inferred, so the canvas can show them while the graph is still broken)
 * and either a ModelSpec or the errors that prevent one.
 */
import type { Graph } from '../graph/types';
import { shapeSize } from '../graph/types';
import { DiagnosticSink, describeNode } from './diagnostics';
import type { Diagnostic } from './diagnostics';
import { modelMemory } from './memory-estimate';
import type { ModelMemory } from './memory-estimate';
import { MODEL_INPUT, MODEL_SPEC_VERSION } from './model-spec';
import type { LayerSpec, ModelSpec } from './model-spec';
import { inferShapes } from './shape-pass';
import type { NodeAnalysis } from './shape-pass';
import { codeParts } from './spec-graph';
import { analyseStructure } from './structure';
import type { Structure } from './structure';

/** Shapes and counts for the canvas, available whether or not compilation succeeded. */
export interface GraphAnalysis {
  /** Per node id, for nodes whose output shape could be inferred. */
  nodes: Record<string, NodeAnalysis>;
  /** Per compiled edge id: the shape of the tensor it carries. */
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

  // Every node kept between input and output, including those a cycle keeps out of the order.
  const codeNodes = [...structure.inputs.keys()].filter((id) => structure.nodes.get(id)?.def.role === 'code');
  if (structure.order.length > 0 && structure.reachesOutput && codeNodes.length === 0) {
    sink.error('no-bottleneck', 'No path from input to output has a Bottleneck node', 'Add a Bottleneck between the encoder and the decoder: its output is the code.');
  }
  if (codeNodes.length > 1) {
    for (const id of codeNodes) {
      sink.error('several-bottlenecks', `${codeNodes.length} Bottleneck nodes are between the input and the output`, 'Keep one Bottleneck (the code) and turn the others into encoders or decoders.', { nodeId: id });
    }
  }
  const decoderAbsent = pass.complete && pass.codeLayerIndex >= 0 ? checkBypass(structure, pass.layers, pass.codeLayerIndex, sink) : undefined;

  const totalParams = pass.layers.reduce((a, l) => a + l.paramCount, 0);
  const compressionRatio = pass.inputShape && pass.codeShape ? shapeSize(pass.inputShape) / shapeSize(pass.codeShape) : null;
  const analysis: GraphAnalysis = { nodes: pass.nodes, edges: pass.edges, totalParams, compressionRatio, memory: modelMemory(pass.inputShape, pass.layers) };
  const diagnostics = sink.list;

  if (sink.hasErrors || !pass.complete || !pass.inputShape || !pass.codeShape || compressionRatio === null) {
    return { ok: false, diagnostics, analysis };
  }
  const inputNode = structure.nodes.get(structure.order[0])!;
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
    ...(decoderAbsent ? { decoderAbsent } : {}),
    nodes: structure.order.map((id) => ({
      nodeId: id,
      kind: structure.nodes.get(id)!.node.kind,
      outputShape: pass.nodes[id].outputShape!,
      paramCount: pass.nodes[id].paramCount,
    })),
  };
  return { ok: true, spec, diagnostics, analysis };
}

/**
 * Warns on every connection that goes around the code into the decoder, and
 * returns why the decoder alone then does not exist (undefined when it does).
 */
function checkBypass(structure: Structure, layers: readonly LayerSpec[], codeIndex: number, sink: DiagnosticSink): string | undefined {
  const { bypass } = codeParts(layers, codeIndex);
  if (bypass.length === 0) return undefined;
  const nodeOfLayer = new Map(layers.map((l) => [l.name, l.nodeId]));
  nodeOfLayer.set(MODEL_INPUT, structure.order[0]);
  const code = structure.nodes.get(layers[codeIndex].nodeId)!.node;
  const edges = new Set<string>();
  for (const { layer, input } of bypass) {
    const target = layers[layer].nodeId;
    const source = nodeOfLayer.get(input);
    for (const e of structure.inputs.get(target) ?? []) {
      if (e.source !== source || edges.has(e.id)) continue;
      edges.add(e.id);
      const from = structure.nodes.get(e.source)!.node;
      const to = structure.nodes.get(e.target)!.node;
      sink.warn('bypasses-code', `The connection from ${describeNode(from)} to ${describeNode(to)} goes around ${describeNode(code)}: the model can copy its input through it without compressing it, and its decoder cannot decode a code alone`,
        'Route the branch through the bottleneck, or accept a model that is no longer a pure autoencoder (its decoder export and the latent explorer are off).', { edgeId: e.id, nodeId: e.target });
    }
  }
  return `connections go around the code (${describeNode(code)}) into the decoder, so decoding needs more than the code`;
}
