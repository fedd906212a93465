/**
 * The shape pass: visits the nodes in topological order, adapts ranks at
 * vector↔image boundaries, asks each kind for its layers and applies each
 * layer's shape rule, recording which layers each layer takes. A node whose
 * shape cannot be known leaves every node after it on its paths unknown.
 */
import type { Shape } from '../graph/types';
import { formatShape, sameShape, shapeSize } from '../graph/types';
import type { BuildContext } from '../catalog/node-kind';
import { takesManyInputs } from '../catalog/node-kind';
import { describeNode } from './diagnostics';
import type { DiagnosticSink } from './diagnostics';
import { inferLayer, kernelValues, layerRole } from '../layers/layer-ops';
import { MAX_TENSOR_VALUES } from './memory-estimate';
import { MODEL_INPUT } from './model-spec';
import type { LayerOp, LayerSpec } from './model-spec';
import type { Structure } from './structure';

/** What the canvas shows on one node. */
export interface NodeAnalysis {
  /** Shape leaving the node (null when it could not be inferred). */
  outputShape: number[] | null;
  /** Trainable parameters the node contributes. */
  paramCount: number;
}

/** The outcome of the shape pass. */
export interface ShapePass {
  layers: LayerSpec[];
  nodes: Record<string, NodeAnalysis>;
  /** Shape carried by each compiled edge, by edge id. */
  edges: Record<string, number[]>;
  inputShape: number[] | null;
  /** Index in `layers` of the code layer's last layer (-1 before one is found). */
  codeLayerIndex: number;
  codeShape: number[] | null;
  loss: 'mse' | 'bce';
  /** True when shapes were inferred all the way to the output. */
  complete: boolean;
}

/** Names that need no cleaning: the usual node ids, checked without building new strings. */
const CLEAN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Layer names for TF.js, ONNX and Keras: letters, digits and underscores, unique within the model. */
function nameAllocator() {
  const used = new Set<string>([MODEL_INPUT]); // reserved: a layer's `inputs` name the model input by it
  return (base: string): string => {
    const clean = CLEAN_NAME.test(base) ? base : base.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, 'n') || 'layer';
    let name = clean;
    for (let i = 2; used.has(name); i++) name = `${clean}_${i}`;
    used.add(name);
    return name;
  };
}

/** A tensor during the pass: the layer that produces it (or the model input), its shape, and the nearest weighted layer upstream. */
interface Tensor {
  name: string;
  shape: Shape;
  lastTrainable: LayerSpec | null;
}

/** Runs the shape pass over a structure whose order starts at the input. */
export function inferShapes(structure: Structure, sink: DiagnosticSink): ShapePass {
  const out: ShapePass = { layers: [], nodes: {}, edges: {}, inputShape: null, codeLayerIndex: -1, codeShape: null, loss: 'mse', complete: false };
  const { order, inputs, nodes } = structure;
  if (order.length === 0) return out;
  const allocate = nameAllocator();
  const flattened: number[][] = []; // image shapes flattened so far, for mirroring in the decoder
  const produced = new Map<string, Tensor>(); // node id → the tensor leaving it
  const producerOf = new Map<string, string>(); // layer name → node id, for pinning merge diagnostics to edges

  const push = (op: LayerOp, from: readonly Tensor[], nodeId: string, auto: boolean, suffix: string): Tensor | null => {
    const node = nodes.get(nodeId)!.node;
    const shapes = from.map((t) => t.shape);
    const [first] = from;
    const inferred = inferLayer(op, first.shape, shapes);
    if (!inferred.ok) {
      // A merge names the input that disagrees: pin the diagnostic to the connection that brings it.
      if (inferred.inputIndex !== undefined) sink.error('merge-shapes', `${describeNode(node)}: ${inferred.message}`, inferred.hint, { nodeId, edgeId: (inputs.get(nodeId) ?? [])[inferred.inputIndex]?.id });
      else sink.error('layer-shape', `${describeNode(node)}: ${inferred.message}`, inferred.hint, { nodeId });
      return null;
    }
    if (inferred.warning) sink.warn('size-risk', `${describeNode(node)}: ${inferred.warning}`, 'Use input sizes divisible by every stride and pool factor, or padding that keeps sizes even.', { nodeId });
    // Object.assign, not `{ ...op, name, … }`: V8 builds a spread followed by more keys on its slow path, and it was a third of the compile time.
    const layer: LayerSpec = Object.assign({}, op, { name: allocate(suffix ? `${nodeId}_${suffix}` : nodeId), nodeId, inputs: from.map((t) => t.name), auto, inputShape: [...first.shape], outputShape: inferred.outputShape, paramCount: inferred.paramCount, kernelL2: 0 });
    const kernel = kernelValues(layer);
    if (kernel > MAX_TENSOR_VALUES) {
      sink.error('tensor-too-large', `${describeNode(node)}: its weights would be one tensor of ${kernel.toLocaleString('en-US')} values (${formatShape(first.shape)} in, ${formatShape(inferred.outputShape)} out), more than TF.js can allocate (${MAX_TENSOR_VALUES.toLocaleString('en-US')})`,
        'Use fewer units or filters here or in the layer before it, or downsample before it.', { nodeId });
    } else if (shapeSize(inferred.outputShape) > MAX_TENSOR_VALUES) {
      sink.error('tensor-too-large', `${describeNode(node)}: its output for one sample would be one tensor of ${shapeSize(inferred.outputShape).toLocaleString('en-US')} values (${formatShape(inferred.outputShape)}), more than TF.js can allocate (${MAX_TENSOR_VALUES.toLocaleString('en-US')})`,
        'Upsample less, or use fewer filters here.', { nodeId });
      return null; // every layer after it would repeat the refusal
    }
    out.layers.push(layer);
    producerOf.set(layer.name, nodeId);
    return { name: layer.name, shape: inferred.outputShape, lastTrainable: layerRole(layer) === 'weighted' ? layer : first.lastTrainable };
  };

  for (const id of order) {
    const { node, def, params, paramsOk } = nodes.get(id)!;
    if (!paramsOk) continue;
    const firstLayer = out.layers.length;
    let cur: Tensor;
    let from: Tensor[] = [];

    if (def.role === 'input') {
      cur = { name: MODEL_INPUT, shape: def.sourceShape!(params), lastTrainable: null };
      out.inputShape = [...cur.shape];
    } else {
      const edges = inputs.get(id) ?? [];
      const known = edges.map((e) => produced.get(e.source));
      if (edges.length === 0 || known.some((t) => t === undefined)) continue; // an input's shape is unknown: so is this node's
      if (takesManyInputs(def) && edges.length < 2) continue; // a merge of one: reported by the structural pass
      from = known as Tensor[];
      edges.forEach((e, i) => (out.edges[e.id] = [...from[i].shape]));
      if (!takesManyInputs(def)) from = from.slice(0, 1); // several inputs into a one-input node: reported by the structural pass
      cur = from[0];
      const form = def.inputForm(params);
      let adapted: Tensor | null = cur;
      if (form === 'vector' && cur.shape.length > 1) {
        flattened.push([...cur.shape]);
        adapted = push({ type: 'flatten' }, [cur], node.id, true, 'flatten');
      } else if (form === 'image' && cur.shape.length === 1) {
        const size = cur.shape[0];
        const target = [...flattened].reverse().find((s) => shapeSize(s) === size)
          ?? (out.inputShape && out.inputShape.length === 3 && shapeSize(out.inputShape) === size ? out.inputShape : undefined);
        if (!target) {
          const hintShape = flattened.at(-1);
          sink.error('no-reshape-target', `${describeNode(node)} needs an image, but gets a flat vector of ${size} values and no encoder image shape has ${size} values to mirror`,
            hintShape ? `Put a dense Decoder before it with ${shapeSize(hintShape)} units (the encoder's ${formatShape(hintShape)} feature map).` : 'Use convolutional encoders, or a dense decoder before it whose units match an image shape.', { nodeId: node.id });
          continue;
        }
        adapted = push({ type: 'reshape', targetShape: [...target] }, [cur], node.id, true, 'reshape');
      }
      if (!adapted) continue;
      cur = adapted;
      if (from.length === 1) from = [cur];
    }

    const context: BuildContext = { previousTrainable: cur.lastTrainable };
    const built = def.build(cur.shape, params, context);
    if (!built.ok) {
      sink.error('node-invalid', `${describeNode(node)}: ${built.message}`, built.hint, { nodeId: node.id, param: built.param });
      continue;
    }
    for (const w of built.warnings ?? []) sink.warn('size-risk', `${describeNode(node)}: ${w.message}`, w.hint, { nodeId: node.id, param: w.param });
    if (built.upstreamKernelL2 && cur.lastTrainable) cur.lastTrainable.kernelL2 = built.upstreamKernelL2;

    let ok = true;
    if (def.role === 'output') {
      out.loss = params.loss === 'bce' ? 'bce' : 'mse';
      for (const op of built.layers) {
        const last = out.layers.at(-1);
        // Fuse the output activation into a linear last layer: the same function, one layer fewer in every export.
        // Only where nothing else reads that layer, or the other readers would see the activation too.
        const alone = structure.consumers.get(producerOf.get(cur.name) ?? '') === 1;
        if (op.type === 'activation' && last && last === cur.lastTrainable && last.name === cur.name && alone && 'activation' in last && last.activation === 'linear') last.activation = op.activation;
        else {
          const next = push(op, [cur], node.id, false, built.layers.length > 1 ? op.type : '');
          if (!next) { ok = false; break; }
          cur = next;
        }
      }
      const input = out.inputShape!;
      if (ok && !sameShape(cur.shape, input)) {
        const edge = (inputs.get(id) ?? [])[0];
        if (shapeSize(cur.shape) === shapeSize(input)) {
          const next = push({ type: 'reshape', targetShape: [...input] }, [cur], node.id, true, 'reshape');
          if (next) cur = next;
          else ok = false;
        } else {
          const prev = edge ? nodes.get(edge.source)?.node : undefined;
          sink.error('output-mismatch', `The reconstruction is ${formatShape(cur.shape)} (${shapeSize(cur.shape)} values) but the input is ${formatShape(input)} (${shapeSize(input)} values)`,
            cur.shape.length === 1 || input.length === 1
              ? `Set the units of ${prev ? describeNode(prev) : 'the last decoder'} to ${shapeSize(input)}.`
              : `Change the last decoders' filters, strides, kernels or padding so they produce ${formatShape(input)}.`, { nodeId: node.id, edgeId: edge?.id, ...(prev ? { fixNodeId: prev.id } : {}) });
          ok = false;
        }
      }
    } else {
      const nodeInput = cur;
      const made: Tensor[] = [];
      for (const [k, op] of built.layers.entries()) {
        const wired = built.wiring?.[k];
        // A merge's first layer takes every branch; a wired layer, the node's input or its own earlier layers.
        const takes = wired ? wired.takes.map((j) => (j < 0 ? nodeInput : made[j])) : k === 0 && from.length > 1 ? from : [cur];
        const next = push(op, takes, node.id, false, wired ? wired.suffix : built.layers.length > 1 ? `${k + 1}` : '');
        if (!next) { ok = false; break; }
        made.push(next);
        cur = next;
      }
    }
    if (!ok) continue;

    produced.set(id, cur);
    out.nodes[node.id] = {
      outputShape: [...cur.shape],
      paramCount: out.layers.slice(firstLayer).reduce((a, l) => a + l.paramCount, 0),
    };
    if (def.role === 'code') {
      out.codeLayerIndex = out.layers.findIndex((l) => l.name === cur.name);
      out.codeShape = [...cur.shape];
    }
    if (def.role === 'output') out.complete = structure.reachesOutput && (out.layers.at(-1)?.name ?? MODEL_INPUT) === cur.name;
  }
  return out;
}
