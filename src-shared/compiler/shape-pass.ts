/**
 * The shape pass: follows the chain from the input, adapts ranks at
 * vector↔image boundaries, asks each kind for its layers and applies each
 * layer's shape rule. Stops at the first node whose shape cannot be known.
 */
import type { Shape } from '../graph/types';
import { formatShape, sameShape, shapeSize } from '../graph/types';
import type { BuildContext } from '../catalog/node-kind';
import { describeNode } from './diagnostics';
import type { DiagnosticSink } from './diagnostics';
import { inferLayer, kernelValues, layerRole } from '../layers/layer-ops';
import { MAX_TENSOR_VALUES } from './memory-estimate';
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
  /** Shape carried by each edge on the chain, by edge id. */
  edges: Record<string, number[]>;
  inputShape: number[] | null;
  /** Index in `layers` of the code layer's last layer (-1 before one is found). */
  codeLayerIndex: number;
  codeShape: number[] | null;
  loss: 'mse' | 'bce';
  /** True when shapes were inferred all the way to the output. */
  complete: boolean;
}

/** Layer names for TF.js, ONNX and Keras: letters, digits and underscores, unique within the model. */
function nameAllocator() {
  const used = new Set<string>();
  return (base: string): string => {
    const clean = base.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, 'n') || 'layer';
    let name = clean;
    for (let i = 2; used.has(name); i++) name = `${clean}_${i}`;
    used.add(name);
    return name;
  };
}

/** Runs the shape pass over a structure whose chain starts at the input. */
export function inferShapes(structure: Structure, sink: DiagnosticSink): ShapePass {
  const out: ShapePass = { layers: [], nodes: {}, edges: {}, inputShape: null, codeLayerIndex: -1, codeShape: null, loss: 'mse', complete: false };
  const { chain, chainEdges, nodes } = structure;
  if (chain.length === 0) return out;
  const allocate = nameAllocator();
  const flattened: number[][] = []; // image shapes flattened so far, for mirroring in the decoder
  let shape: Shape = [];
  let lastTrainable = null as LayerSpec | null; // kept as we go: searching back per node would be quadratic

  const push = (op: LayerOp, nodeId: string, auto: boolean, suffix: string): boolean => {
    const inferred = inferLayer(op, shape);
    const node = nodes.get(nodeId)!.node;
    if (!inferred.ok) {
      sink.error('layer-shape', `${describeNode(node)}: ${inferred.message}`, inferred.hint, { nodeId });
      return false;
    }
    if (inferred.warning) sink.warn('size-risk', `${describeNode(node)}: ${inferred.warning}`, 'Use input sizes divisible by every stride and pool factor, or padding that keeps sizes even.', { nodeId });
    const layer: LayerSpec = { ...op, name: allocate(suffix ? `${nodeId}_${suffix}` : nodeId), nodeId, auto, inputShape: [...shape], outputShape: inferred.outputShape, paramCount: inferred.paramCount, kernelL2: 0 };
    const kernel = kernelValues(layer);
    if (kernel > MAX_TENSOR_VALUES) {
      sink.error('tensor-too-large', `${describeNode(node)}: its weights would be one tensor of ${kernel.toLocaleString('en-US')} values (${formatShape(shape)} in, ${formatShape(inferred.outputShape)} out), more than TF.js can allocate (${MAX_TENSOR_VALUES.toLocaleString('en-US')})`,
        'Use fewer units or filters here or in the layer before it, or downsample before it.', { nodeId });
    } else if (shapeSize(inferred.outputShape) > MAX_TENSOR_VALUES) {
      sink.error('tensor-too-large', `${describeNode(node)}: its output for one sample would be one tensor of ${shapeSize(inferred.outputShape).toLocaleString('en-US')} values (${formatShape(inferred.outputShape)}), more than TF.js can allocate (${MAX_TENSOR_VALUES.toLocaleString('en-US')})`,
        'Upsample less, or use fewer filters here.', { nodeId });
      return false; // every layer after it would repeat the refusal
    }
    out.layers.push(layer);
    if (layerRole(layer) === 'weighted') lastTrainable = layer;
    shape = inferred.outputShape;
    return true;
  };

  for (let i = 0; i < chain.length; i++) {
    const { node, def, params, paramsOk } = nodes.get(chain[i])!;
    if (!paramsOk) return out;
    const edge = chainEdges[i];
    if (edge) out.edges[edge.id] = [...shape];
    const firstLayer = out.layers.length;

    if (def.role === 'input') {
      shape = def.sourceShape!(params);
      out.inputShape = [...shape];
    } else {
      const form = def.inputForm(params);
      if (form === 'vector' && shape.length > 1) {
        flattened.push([...shape]);
        if (!push({ type: 'flatten' }, node.id, true, 'flatten')) return out;
      } else if (form === 'image' && shape.length === 1) {
        const target = [...flattened].reverse().find((s) => shapeSize(s) === shape[0])
          ?? (out.inputShape && out.inputShape.length === 3 && shapeSize(out.inputShape) === shape[0] ? out.inputShape : undefined);
        if (!target) {
          const hintShape = flattened.at(-1);
          sink.error('no-reshape-target', `${describeNode(node)} needs an image, but gets a flat vector of ${shape[0]} values and no encoder image shape has ${shape[0]} values to mirror`,
            hintShape ? `Put a dense Decoder before it with ${shapeSize(hintShape)} units (the encoder's ${formatShape(hintShape)} feature map).` : 'Use convolutional encoders, or a dense decoder before it whose units match an image shape.', { nodeId: node.id });
          return out;
        }
        if (!push({ type: 'reshape', targetShape: [...target] }, node.id, true, 'reshape')) return out;
      }
    }

    const context: BuildContext = { previousTrainable: lastTrainable };
    const built = def.build(shape, params, context);
    if (!built.ok) {
      sink.error('node-invalid', `${describeNode(node)}: ${built.message}`, built.hint, { nodeId: node.id, param: built.param });
      return out;
    }
    for (const w of built.warnings ?? []) sink.warn('size-risk', `${describeNode(node)}: ${w.message}`, w.hint, { nodeId: node.id, param: w.param });
    if (built.upstreamKernelL2 && lastTrainable) lastTrainable.kernelL2 = built.upstreamKernelL2;

    if (def.role === 'output') {
      out.loss = params.loss === 'bce' ? 'bce' : 'mse';
      for (const op of built.layers) {
        const last = out.layers.at(-1);
        // Fuse the output activation into a linear last layer: the same function, one layer fewer in every export.
        if (op.type === 'activation' && last && last === lastTrainable && 'activation' in last && last.activation === 'linear') last.activation = op.activation;
        else if (!push(op, node.id, false, built.layers.length > 1 ? op.type : '')) return out;
      }
      const input = out.inputShape!;
      if (!sameShape(shape, input)) {
        if (shapeSize(shape) === shapeSize(input)) {
          if (!push({ type: 'reshape', targetShape: [...input] }, node.id, true, 'reshape')) return out;
        } else {
          const prev = nodes.get(chain[i - 1])?.node;
          sink.error('output-mismatch', `The reconstruction is ${formatShape(shape)} (${shapeSize(shape)} values) but the input is ${formatShape(input)} (${shapeSize(input)} values)`,
            shape.length === 1 || input.length === 1
              ? `Set the units of ${prev ? describeNode(prev) : 'the last decoder'} to ${shapeSize(input)}.`
              : `Change the last decoders' filters, strides, kernels or padding so they produce ${formatShape(input)}.`, { nodeId: node.id, edgeId: edge?.id });
          return out;
        }
      }
    } else {
      for (const [k, op] of built.layers.entries()) {
        if (!push(op, node.id, false, built.layers.length > 1 ? `${k + 1}` : '')) return out;
      }
    }

    out.nodes[node.id] = {
      outputShape: [...shape],
      paramCount: out.layers.slice(firstLayer).reduce((a, l) => a + l.paramCount, 0),
    };
    if (def.role === 'code') {
      out.codeLayerIndex = out.layers.length - 1;
      out.codeShape = [...shape];
    }
  }
  out.complete = structure.reachesOutput;
  return out;
}
