/**
 * The ONNX nodes of each layer operation (opset 13), keyed by the op union of
 * src-shared/layers: an op without a writer here does not compile, so none
 * can silently vanish from an export. Padding is written out explicitly with
 * TF's rule (the extra row at the end), so nothing depends on ONNX's auto_pad.
 */
import type { LayerSpec } from '../../../src-shared/compiler/model-spec';
import type { LayerOf, LayerOpType } from '../../../src-shared/layers/layer-op';
import { ints, onnx, samePads, str, transposeArray } from './onnx-builder';
import type { OnnxChain } from './onnx-builder';

/** Appends the nodes of one layer of op `T` to the graph (its input is the chain's running tensor; a merge's are `inputsInOneLayout`). */
type OnnxWriter<T extends LayerOpType> = (layer: LayerOf<T>, chain: OnnxChain) => void;

const convolution = (l: LayerOf<'conv2d' | 'conv2dTranspose'>, c: OnnxChain) => {
  c.to('nchw');
  const { kernel, bias } = c.params(l);
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
  c.cur = c.g.node(l.type === 'conv2d' ? 'Conv' : 'ConvTranspose', [c.cur, c.g.constant(`${l.name}/kernel`, w.shape, w.values), c.g.constant(`${l.name}/bias`, bias.shape, bias.values)], l.name, attrs);
  c.activate(l, l.name);
};

/** Kernel, stride and explicit pads of a pooling (stride = pool size); TF's "same" puts the extra row at the end, and ONNX pads a max-pool with -inf as TF does. */
const poolAttrs = (l: LayerOf<'maxPooling2d' | 'averagePooling2d'>) => {
  const p = l.poolSize;
  const [t, b] = l.padding === 'same' ? samePads(l.inputShape[0], l.outputShape[0], p, p) : [0, 0];
  const [lft, r] = l.padding === 'same' ? samePads(l.inputShape[1], l.outputShape[1], p, p) : [0, 0];
  return [ints('kernel_shape', [p, p]), ints('strides', [p, p]), ints('pads', [t, lft, b, r])];
};

const trainingOnly = () => {}; // noise and regularizer points: identity in every export

/** A merge of every input: Concat along the channel/feature axis of their layout, or a run of binary Add/Mul. */
const merge = (l: LayerSpec, c: OnnxChain, op: 'Add' | 'Mul' | 'Concat') => {
  const { names, layout } = c.inputsInOneLayout();
  if (op === 'Concat') c.cur = c.g.node('Concat', names, l.name, [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: layout === 'nhwc' ? 3 : 1 }]);
  else c.cur = names.slice(1).reduce((acc, n, i) => c.g.node(op, [acc, n], i === names.length - 2 ? l.name : `${l.name}_${i + 1}`), names[0]);
  c.layout = layout;
};

/** The ONNX writer of each op. */
export const ONNX_WRITERS: { readonly [T in LayerOpType]: OnnxWriter<T> } = {
  flatten: (l, c) => {
    c.to('nhwc'); // TF.js flattens in NHWC order
    c.cur = c.g.node('Flatten', [c.cur], l.name, [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]);
    c.layout = 'flat';
  },
  reshape: (l, c) => {
    c.to('nhwc');
    const shape = c.g.constant(c.g.fresh(`${l.name}_shape`), [l.targetShape.length + 1], BigInt64Array.from([-1, ...l.targetShape].map(BigInt)), onnx.TensorProto.DataType.INT64);
    c.cur = c.g.node('Reshape', [c.cur, shape], l.name);
    c.layout = l.targetShape.length === 3 ? 'nhwc' : 'flat';
  },
  dense: (l, c) => {
    const { kernel, bias } = c.params(l);
    const k = c.g.constant(`${l.name}/kernel`, kernel.shape, kernel.values);
    const b = c.g.constant(`${l.name}/bias`, bias.shape, bias.values);
    c.cur = c.g.node('Add', [c.g.node('MatMul', [c.cur, k], `${l.name}_matmul`), b], l.name);
    c.activate(l, l.name);
  },
  conv2d: convolution,
  conv2dTranspose: convolution,
  maxPooling2d: (l, c) => {
    c.to('nchw');
    c.cur = c.g.node('MaxPool', [c.cur], l.name, [...poolAttrs(l)]);
  },
  averagePooling2d: (l, c) => {
    c.to('nchw');
    // count_include_pad 0 (ONNX's default): a "same" window past the edge averages only its cells inside, as TF does.
    c.cur = c.g.node('AveragePool', [c.cur], l.name, [...poolAttrs(l)]);
  },
  globalAveragePooling2d: (l, c) => {
    c.to('nchw');
    c.cur = c.g.node('GlobalAveragePool', [c.cur], `${l.name}_pool`);
    c.cur = c.g.node('Flatten', [c.cur], l.name, [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }]);
    c.layout = 'flat';
  },
  upSampling2d: (l, c) => {
    c.to('nchw');
    const scales = c.g.constant(c.g.fresh(`${l.name}_scales`), [4], new Float32Array([1, 1, l.size, l.size]));
    const mode = l.interpolation === 'bilinear'
      ? [str('mode', 'linear'), str('coordinate_transformation_mode', 'half_pixel')] // pixel centres, as BilinearUpSampling and Keras 3
      : [str('mode', 'nearest'), str('coordinate_transformation_mode', 'asymmetric'), str('nearest_mode', 'floor')];
    c.cur = c.g.node('Resize', [c.cur, '', scales], l.name, mode);
  },
  activation: (l, c) => c.activate(l, l.name),
  gaussianNoise: trainingOnly,
  maskingNoise: trainingOnly,
  saltPepperNoise: trainingOnly,
  dropout: trainingOnly,
  batchNormalization: (l, c) => {
    c.to('nchw'); // channels on axis 1, as ONNX's BatchNormalization reads them (a vector's features already are)
    const [gamma, beta, mean, variance] = c.arrays(l, 4).map((w, i) => c.g.constant(`${l.name}/${['gamma', 'beta', 'moving_mean', 'moving_variance'][i]}`, w.shape, w.values));
    // Inference form: the moving statistics, as TF.js's inference graph uses them.
    c.cur = c.g.node('BatchNormalization', [c.cur, gamma, beta, mean, variance], l.name, [{ name: 'epsilon', type: onnx.AttributeProto.AttributeType.FLOAT, f: l.epsilon }]);
  },
  activityRegularizer: trainingOnly,
  add: (l, c) => merge(l, c, 'Add'),
  concatenate: (l, c) => merge(l, c, 'Concat'),
  multiply: (l, c) => merge(l, c, 'Mul'),
  // Every export gives the code as μ, its first input (the sampling is training-only), under the code layer's name.
  sampling: (l, c) => {
    c.cur = c.g.node('Identity', [c.cur], l.name);
  },
};

/** Appends the nodes of `layer`, which takes the tensors `inputs`, to the graph. */
export function writeOnnxLayer(layer: LayerSpec, inputs: readonly string[], chain: OnnxChain): void {
  chain.begin(inputs, layer.name);
  // The table is keyed by the layer's own type, so its entry takes this layer (TypeScript cannot tie the two).
  (ONNX_WRITERS[layer.type] as OnnxWriter<LayerOpType>)(layer, chain);
  chain.end(layer.name);
}
