/**
 * A chain of spec layers as an ONNX model (opset 13), written with the ONNX
 * protobuf definitions (onnx-proto). TF.js works in NHWC and flattens in
 * NHWC order; ONNX convolutions want NCHW. The writer tracks the layout of
 * the running tensor and transposes only where a layer needs the other one,
 * and gives the graph the same NHWC input and output as the TF.js model.
 * Padding is written out explicitly with TF's rule (the extra row at the
 * end), so nothing depends on ONNX's auto_pad conventions.
 */
import onnxProto from 'onnx-proto';
import type { onnx as OnnxT } from 'onnx-proto';
import type { LayerSpec } from '../../../src-shared/compiler/model-spec';

// onnx-proto is CommonJS whose named exports Node's ESM loader cannot see: take the namespace off the default export.
const { onnx } = onnxProto;

/** A weight array: its shape as TF.js stores it and its values. */
export interface WeightArray {
  shape: number[];
  values: Float32Array;
}

/** Kernel and bias of a weighted layer, by layer name. */
export type LayerWeights = ReadonlyMap<string, { kernel: WeightArray; bias: WeightArray }>;

/** The opset the writer targets: Resize with nearest_mode and the operators below are stable there. */
export const ONNX_OPSET = 13;

type Layout = 'nhwc' | 'nchw' | 'flat';

const ACT: Record<string, string | null> = { linear: null, relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', elu: 'Elu', selu: 'Selu', softplus: 'Softplus' };

/** Transposes a row-major array of `shape` by `perm`. */
export function transposeArray(values: Float32Array, shape: number[], perm: number[]): WeightArray {
  const outShape = perm.map((p) => shape[p]);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(values.length);
  const idx = new Array(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < perm.length; d++) src += idx[d] * inStrides[perm[d]];
    out[o] = values[src];
    for (let d = perm.length - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return { shape: outShape, values: out };
}

/** TF's "same" padding for one axis: total split with the extra row at the end. */
function samePads(inSize: number, outSize: number, kernel: number, stride: number): [number, number] {
  const total = Math.max((outSize - 1) * stride + kernel - inSize, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

class GraphBuilder {
  readonly nodes: OnnxT.INodeProto[] = [];
  readonly initializers: OnnxT.ITensorProto[] = [];
  private n = 0;

  fresh(base: string): string {
    return `${base}__${this.n++}`;
  }

  constant(name: string, dims: number[], values: Float32Array | BigInt64Array, type: OnnxT.TensorProto.DataType = onnx.TensorProto.DataType.FLOAT): string {
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    this.initializers.push({ name, dims, dataType: type, rawData: bytes.slice() });
    return name;
  }

  node(op: string, inputs: string[], base: string, attrs: OnnxT.IAttributeProto[] = []): string {
    const out = this.fresh(base);
    this.nodes.push({ opType: op, input: inputs, output: [out], name: out, attribute: attrs });
    return out;
  }
}

const ints = (name: string, v: number[]): OnnxT.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
const str = (name: string, v: string): OnnxT.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(v) });

/** Serialises `layers` (a chain, no noise or regularizer layers) taking `inputShape` to an ONNX model. */
export function onnxModelBytes(layers: readonly LayerSpec[], inputShape: readonly number[], weights: LayerWeights, graphName: string): Uint8Array {
  const g = new GraphBuilder();
  let cur = 'input';
  let layout: Layout = inputShape.length === 3 ? 'nhwc' : 'flat';
  const to = (want: 'nhwc' | 'nchw') => {
    if (layout === want || layout === 'flat') return;
    cur = g.node('Transpose', [cur], want === 'nchw' ? 'to_nchw' : 'to_nhwc', [ints('perm', want === 'nchw' ? [0, 3, 1, 2] : [0, 2, 3, 1])]);
    layout = want;
  };
  const activate = (act: string, name: string) => {
    const op = ACT[act];
    if (op) cur = g.node(op, [cur], `${name}_${act}`);
  };
  const params = (l: LayerSpec) => {
    const w = weights.get(l.name);
    if (!w) throw new Error(`No weights for layer ${l.name}`);
    return w;
  };

  for (const l of layers) {
    switch (l.type) {
      case 'flatten':
        to('nhwc'); // TF.js flattens in NHWC order
        cur = g.node('Flatten', [cur], l.name, [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]);
        layout = 'flat';
        break;
      case 'reshape': {
        to('nhwc');
        const shape = g.constant(g.fresh(`${l.name}_shape`), [l.targetShape.length + 1], BigInt64Array.from([-1, ...l.targetShape].map(BigInt)), onnx.TensorProto.DataType.INT64);
        cur = g.node('Reshape', [cur, shape], l.name);
        layout = l.targetShape.length === 3 ? 'nhwc' : 'flat';
        break;
      }
      case 'dense': {
        const { kernel, bias } = params(l);
        const k = g.constant(`${l.name}/kernel`, kernel.shape, kernel.values);
        const b = g.constant(`${l.name}/bias`, bias.shape, bias.values);
        cur = g.node('Add', [g.node('MatMul', [cur, k], `${l.name}_matmul`), b], l.name);
        activate(l.activation, l.name);
        break;
      }
      case 'conv2d':
      case 'conv2dTranspose': {
        to('nchw');
        const { kernel, bias } = params(l);
        // TF: conv [kh, kw, in, out] → ONNX [out, in, kh, kw]; transposed conv [kh, kw, out, in] → ONNX [in, out, kh, kw]: the same permutation.
        const w = transposeArray(kernel.values, kernel.shape, [3, 2, 0, 1]);
        const [ih, iw] = l.inputShape;
        const [oh, ow] = l.outputShape;
        let pads: number[];
        if (l.padding === 'valid') pads = [0, 0, 0, 0];
        else if (l.type === 'conv2d') {
          const [t, b] = samePads(ih, oh, l.kernelSize, l.strides);
          const [lft, r] = samePads(iw, ow, l.kernelSize, l.strides);
          pads = [t, lft, b, r];
        } else {
          // The transposed conv's "same" is the gradient of a "same" conv from output to input: crop that conv's padding.
          const [t, b] = samePads(oh, ih, l.kernelSize, l.strides);
          const [lft, r] = samePads(ow, iw, l.kernelSize, l.strides);
          pads = [t, lft, b, r];
        }
        const attrs = [ints('kernel_shape', [l.kernelSize, l.kernelSize]), ints('strides', [l.strides, l.strides]), ints('pads', pads)];
        cur = g.node(l.type === 'conv2d' ? 'Conv' : 'ConvTranspose', [cur, g.constant(`${l.name}/kernel`, w.shape, w.values), g.constant(`${l.name}/bias`, bias.shape, bias.values)], l.name, attrs);
        activate(l.activation, l.name);
        break;
      }
      case 'maxPooling2d':
        to('nchw');
        cur = g.node('MaxPool', [cur], l.name, [ints('kernel_shape', [l.poolSize, l.poolSize]), ints('strides', [l.poolSize, l.poolSize])]);
        break;
      case 'upSampling2d': {
        to('nchw');
        const scales = g.constant(g.fresh(`${l.name}_scales`), [4], new Float32Array([1, 1, l.size, l.size]));
        cur = g.node('Resize', [cur, '', scales], l.name, [str('mode', 'nearest'), str('coordinate_transformation_mode', 'asymmetric'), str('nearest_mode', 'floor')]);
        break;
      }
      case 'activation':
        activate(l.activation, l.name);
        break;
      case 'gaussianNoise':
      case 'maskingNoise':
      case 'saltPepperNoise':
      case 'activityRegularizer':
        break; // training only: identity in every export
    }
  }
  const outShape = layers.length ? layers[layers.length - 1].outputShape : inputShape;
  if (outShape.length === 3) to('nhwc');
  g.nodes.push({ opType: 'Identity', input: [cur], output: ['output'], name: 'output' });

  const valueInfo = (name: string, shape: readonly number[]): OnnxT.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, ...shape.map((d) => ({ dimValue: d }))] } } },
  });
  const model: OnnxT.IModelProto = {
    irVersion: 7,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'Autoencoder Studio',
    graph: { name: graphName, node: g.nodes, initializer: g.initializers, input: [valueInfo('input', inputShape)], output: [valueInfo('output', outShape)] },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
