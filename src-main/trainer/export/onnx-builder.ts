/**
 * The pieces the ONNX writers share: a graph under construction and the
 * tensors written so far, by layer name, each with its layout. TF.js works
 * in NHWC and flattens in NHWC order; ONNX convolutions want NCHW. Each
 * tensor keeps its layout so a writer transposes only where its op needs the
 * other one.
 */
import onnxProto from 'onnx-proto';
import type { onnx as OnnxT } from 'onnx-proto';
import type { Activation } from '../../../src-shared/catalog/params';
import type { LayerSpec } from '../../../src-shared/compiler/model-spec';
import { MODEL_INPUT } from '../../../src-shared/compiler/model-spec';
import { leakyAlpha } from '../../../src-shared/layers/layer-op';

// onnx-proto is CommonJS whose named exports Node's ESM loader cannot see: take the namespace off the default export.
export const { onnx } = onnxProto;

/** A weight array: its shape as TF.js stores it and its values. */
export interface WeightArray {
  shape: number[];
  values: Float32Array;
}

/** The weight arrays of each layer that has any, in TF.js's order (kernel, bias; or γ, β, moving mean, moving variance), by layer name. */
export type LayerWeights = ReadonlyMap<string, readonly WeightArray[]>;

/** Layout of the running tensor: an image in either order, or a vector. */
export type Layout = 'nhwc' | 'nchw' | 'flat';

/**
 * The ONNX nodes of each activation on tensor `x` (named after `base`), returning the result; keyed by the
 * activation list, so a new one must say. ONNX's Elu (α 1) and Selu (α, γ) defaults are TF's constants.
 * gelu (exact, as TF.js's and Keras' default) and swish have no opset-13 operator: they are composed of primitives.
 */
const ACT: Record<Activation, (g: GraphBuilder, x: string, base: string, alpha: number) => string> = {
  linear: (_g, x) => x,
  relu: (g, x, base) => g.node('Relu', [x], base),
  leakyRelu: (g, x, base, alpha) => g.node('LeakyRelu', [x], base, [{ name: 'alpha', type: onnx.AttributeProto.AttributeType.FLOAT, f: alpha }]),
  elu: (g, x, base) => g.node('Elu', [x], base),
  selu: (g, x, base) => g.node('Selu', [x], base),
  // x · ½(1 + erf(x / √2))
  gelu: (g, x, base) => {
    const scalar = (name: string, v: number) => g.constant(g.fresh(`${base}_${name}`), [], new Float32Array([v]));
    const erf = g.node('Erf', [g.node('Div', [x, scalar('sqrt2', Math.SQRT2)], `${base}_div`)], `${base}_erf`);
    const cdf = g.node('Mul', [g.node('Add', [erf, scalar('one', 1)], `${base}_add`), scalar('half', 0.5)], `${base}_cdf`);
    return g.node('Mul', [x, cdf], base);
  },
  tanh: (g, x, base) => g.node('Tanh', [x], base),
  sigmoid: (g, x, base) => g.node('Sigmoid', [x], base),
  softplus: (g, x, base) => g.node('Softplus', [x], base),
  // x · sigmoid(x)
  swish: (g, x, base) => g.node('Mul', [x, g.node('Sigmoid', [x], `${base}_sigmoid`)], base),
};

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
export function samePads(inSize: number, outSize: number, kernel: number, stride: number): [number, number] {
  const total = Math.max((outSize - 1) * stride + kernel - inSize, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** An INTS attribute. */
export const ints = (name: string, v: number[]): OnnxT.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
/** A STRING attribute. */
export const str = (name: string, v: string): OnnxT.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(v) });

/** A graph under construction: its nodes and initializers, with fresh names. */
export class GraphBuilder {
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

/** A tensor of the graph being written: its ONNX name and layout. */
export interface OnnxTensor {
  name: string;
  layout: Layout;
}

/**
 * A graph being written layer by layer: the graph, the tensor of each layer
 * written so far, the running tensor (`cur`, the current layer's first input
 * until its writer replaces it) and the trained weights.
 */
export class OnnxChain {
  readonly g = new GraphBuilder();
  /** Name of the running tensor. */
  cur = 'input';
  layout: Layout;
  /** The tensor each written layer produced, by layer name; `source` names the graph input. */
  private readonly tensors = new Map<string, OnnxTensor>();
  /** The tensors the current layer takes, in order. */
  private operands: OnnxTensor[] = [];

  /** `source` is the layer (or the model input) whose output the graph's input stands for. */
  constructor(inputShape: readonly number[], private readonly weights: LayerWeights, source: string = MODEL_INPUT) {
    this.layout = inputShape.length === 3 ? 'nhwc' : 'flat';
    this.tensors.set(source, { name: 'input', layout: this.layout });
  }

  /** The tensor layer `layer` produced, in NHWC order for an image: what a graph output names. */
  outputOf(layer: string): string {
    this.begin([layer], layer);
    this.to('nhwc');
    return this.cur;
  }

  /** Starts writing a layer that takes the tensors `inputs`: the running tensor becomes the first of them. */
  begin(inputs: readonly string[], layer: string): void {
    this.operands = inputs.map((name) => {
      const t = this.tensors.get(name);
      if (!t) throw new Error(`Layer ${layer} takes ${name}, which the exported part does not compute`);
      return t;
    });
    ({ name: this.cur, layout: this.layout } = this.operands[0]);
  }

  /** Ends writing `layer`: the running tensor is its output. */
  end(layer: string): void {
    this.tensors.set(layer, { name: this.cur, layout: this.layout });
  }

  /** Every tensor the current layer takes (a merge's branches), brought to the first one's layout. */
  inputsInOneLayout(): { names: string[]; layout: Layout } {
    const layout = this.operands[0].layout;
    const names = this.operands.map((t) => (t.layout === layout || t.layout === 'flat' || layout === 'flat' ? t.name : this.transpose(t.name, layout)));
    return { names, layout };
  }

  private transpose(name: string, want: Layout): string {
    return this.g.node('Transpose', [name], want === 'nchw' ? 'to_nchw' : 'to_nhwc', [ints('perm', want === 'nchw' ? [0, 3, 1, 2] : [0, 2, 3, 1])]);
  }

  /** Brings an image to `want` order (a vector stays as it is). */
  to(want: 'nhwc' | 'nchw'): void {
    if (this.layout === want || this.layout === 'flat') return;
    this.cur = this.transpose(this.cur, want);
    this.layout = want;
  }

  /** Applies the layer's activation to the running tensor (nothing for linear). */
  activate(l: { activation: Activation; alpha?: number }, name: string): void {
    this.cur = ACT[l.activation](this.g, this.cur, `${name}_${l.activation}`, leakyAlpha(l));
  }

  /** The trained kernel and bias of a weighted layer. */
  params(l: LayerSpec): { kernel: WeightArray; bias: WeightArray } {
    const [kernel, bias] = this.arrays(l, 2);
    return { kernel, bias };
  }

  /** The layer's first `count` weight arrays, in TF.js's order. */
  arrays(l: LayerSpec, count: number): WeightArray[] {
    const w = this.weights.get(l.name);
    if (!w || w.length < count) throw new Error(`No weights for layer ${l.name}`);
    return w.slice(0, count);
  }
}
