/**
 * The ModelSpec: what the compiler produces and the trainer, the exporters and
 * the CLI consume. Versioned and JSON-serialisable; the zod schema is the one
 * definition and the TypeScript types are inferred from it, so whatever
 * arrives from another process is checked against exactly what is declared.
 */
import { z } from 'zod';
import { zShape as shape } from '../layers/op-params';
import { flattenParams, reshapeParams } from '../layers/ops/reshaping';
import { activationParams, activityRegularizerParams, dropoutParams, gaussianNoiseParams, maskingNoiseParams, saltPepperNoiseParams } from '../layers/ops/pointwise';
import { addParams, concatenateParams, multiplyParams } from '../layers/ops/merging';
import { batchNormalizationParams } from '../layers/ops/normalization';
import { averagePooling2dParams, globalAveragePooling2dParams, maxPooling2dParams, upSampling2dParams } from '../layers/ops/spatial';
import { conv2dParams, conv2dTransposeParams, denseParams } from '../layers/ops/weighted';
import { samplingParams } from '../layers/ops/variational';

/**
 * Version of the ModelSpec layout; bump when a consumer would misread an older one.
 * 2: a DAG — each layer names its inputs, merges take several, and a spec may
 * say its decoder does not exist. A version 1 spec (a chain, from runs of
 * earlier releases) still reads: its layers have no `inputs`, meaning each
 * takes the layer before it, and {@link ModelSpecSchema} fills them in as it
 * reads, so no consumer has to know about chains.
 */
export const MODEL_SPEC_VERSION = 2;

/** The name layers use for the model's input tensor in `inputs` (never a layer's name: the compiler reserves it). */
export const MODEL_INPUT = 'input';

/**
 * The layer operations a node kind can map to. Each op's parameters are declared
 * beside the rest of its definition in src-shared/layers/ops; this union is the
 * op list every per-op table (LAYER_OPS, the trainer's TF.js and ONNX tables) is keyed by.
 */
export const LayerOpSchema = z.discriminatedUnion('type', [
  flattenParams,
  reshapeParams,
  denseParams,
  conv2dParams,
  conv2dTransposeParams,
  maxPooling2dParams,
  averagePooling2dParams,
  globalAveragePooling2dParams,
  upSampling2dParams,
  activationParams,
  gaussianNoiseParams,
  maskingNoiseParams,
  saltPepperNoiseParams,
  dropoutParams,
  batchNormalizationParams,
  activityRegularizerParams,
  addParams,
  concatenateParams,
  multiplyParams,
  samplingParams,
]);
/** One layer operation without its place in the model. */
export type LayerOp = z.infer<typeof LayerOpSchema>;

/**
 * A layer as stored in a spec file: its operation, where it came from and its
 * shapes. `inputs` is optional here only so version 1 files still read;
 * {@link ModelSpecSchema} fills it in, so a parsed {@link LayerSpec} always has it.
 */
export const LayerSpecSchema = z.intersection(
  LayerOpSchema,
  z.object({
    /** Unique layer name, derived from the node id (used by TF.js, ONNX and Keras exports). */
    name: z.string().min(1),
    /** The graph node this layer came from (auto-inserted flatten/reshape name the node they serve). */
    nodeId: z.string(),
    /**
     * Names of the layers (or {@link MODEL_INPUT}) whose outputs this layer takes, in order:
     * one, or two and more for a merge. Absent in version 1 files: the layer before it, or the input for the first.
     */
    inputs: z.array(z.string().min(1)).min(1).optional(),
    /** True for flatten/reshape layers the compiler inserted at a vector↔image boundary. */
    auto: z.boolean(),
    inputShape: shape,
    outputShape: shape,
    /** Trainable parameters of this layer. */
    paramCount: z.number().int().nonnegative(),
    /** L2 penalty on this layer's kernel, set by a regularizer node downstream (0 = none). */
    kernelL2: z.number().nonnegative(),
  }),
);
/** One layer of a compiled (or parsed) model: its `inputs` always named. */
export type LayerSpec = z.infer<typeof LayerSpecSchema> & { inputs: string[] };

/**
 * Gives every layer without `inputs` the chain's: the model input for the first,
 * the layer before it otherwise (what a version 1 spec means). Done once where
 * a spec is read, so the trainer, the exporters and the Keras script only ever
 * see named inputs.
 */
function withChainInputs(layers: z.infer<typeof LayerSpecSchema>[]): LayerSpec[] {
  return layers.map((l, i) => ({ ...l, inputs: l.inputs ?? [i === 0 ? MODEL_INPUT : layers[i - 1].name] }));
}

/** Per node: what the canvas shows on it. */
export const NodeSummarySchema = z.object({
  nodeId: z.string(),
  kind: z.string(),
  outputShape: shape,
  paramCount: z.number().int().nonnegative(),
});
/** Summary of one graph node in a spec. */
export type NodeSummary = z.infer<typeof NodeSummarySchema>;

/** A compiled, validated autoencoder. */
export const ModelSpecSchema = z.object({
  format: z.literal('aestudio-model-spec'),
  /** 1 (a chain, written by earlier releases) or {@link MODEL_SPEC_VERSION}. */
  version: z.union([z.literal(1), z.literal(MODEL_SPEC_VERSION)]),
  /** Dataset the input node names (a built-in id or "custom"). */
  dataset: z.string(),
  /** Shape of one sample; the output has the same shape. */
  inputShape: shape,
  /** Layers in a topological order (each after the layers it takes); the last one's output is the reconstruction. */
  layers: z.array(LayerSpecSchema).transform(withChainInputs),
  /**
   * Index into `layers` of the code layer (the bottleneck's last layer): its
   * output is the code. The encoder is every layer the code depends on; the
   * decoder, the layers that depend on the code (spec-graph.ts).
   */
  codeLayerIndex: z.number().int().nonnegative(),
  /** Shape of the code (latent) tensor. */
  codeShape: shape,
  /** Reconstruction loss, always against the clean input. */
  loss: z.enum(['mse', 'bce']),
  /** Trainable parameters in all layers. */
  totalParams: z.number().int().nonnegative(),
  /** Input values per code value: how strongly the code compresses. */
  compressionRatio: z.number().positive(),
  /**
   * Why the decoder alone does not exist (a connection goes around the code,
   * so decoding a code needs more than the code); absent when it exists.
   */
  decoderAbsent: z.string().optional(),
  /** The graph nodes on input→output paths, in the layers' order. */
  nodes: z.array(NodeSummarySchema),
});
/** A compiled, validated autoencoder. */
export type ModelSpec = z.infer<typeof ModelSpecSchema>;
