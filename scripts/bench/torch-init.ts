/**
 * Starting weights drawn the way PyTorch draws them by default, so the loss
 * comparison with the PyTorch peer starts from the same distribution: every
 * weight and bias uniform in ±1/√fan_in (kaiming_uniform with a = √5, and
 * nn.Linear / nn.Conv*'s bias rule), fan_in counted as PyTorch counts it
 * (a transposed convolution's fan_in is its output channels × kernel area).
 * The app itself initialises as Keras does (Glorot uniform, zero biases),
 * which trains these templates to a lower loss in the same epochs; without
 * this the loss column compared two initialisations, not two trainers.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../src-shared/compiler/model-spec';
import { mulberry32 } from '../../src-shared/util/random';
import { chooseBackend } from '../../src-main/trainer/backend/choose-backend';
import { buildModel } from '../../src-main/trainer/model/build-model';
import { saveLayersModel } from '../../src-main/trainer/model/save-layers-model';

/** fan_in of a TF.js kernel as PyTorch counts it for the same layer. */
function fanIn(className: string, kernelShape: number[]): number {
  if (className === 'Dense') return kernelShape[0]; // [in, out]
  // Conv2D [kh, kw, in, out]: in·kh·kw. Conv2DTranspose [kh, kw, filters, in]: PyTorch's weight is [in, out, kh, kw] and its fan_in is out·kh·kw.
  return kernelShape[0] * kernelShape[1] * kernelShape[2];
}

/** Writes model.json + weights.bin with PyTorch-style starting weights for `spec` into `dir` (the trainer's --weights input). */
export async function writeTorchStyleInit(spec: ModelSpec, seed: number, dir: string): Promise<void> {
  await chooseBackend('cpu'); // this process only builds and saves
  const model = buildModel(spec, seed);
  const rand = mulberry32(seed);
  try {
    for (const layer of model.inference.layers) {
      const weights = layer.getWeights();
      if (weights.length === 0) continue;
      const bound = 1 / Math.sqrt(fanIn(layer.getClassName(), weights[0].shape));
      layer.setWeights(weights.map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => (2 * rand() - 1) * bound), w.shape)));
    }
    await saveLayersModel(model.inference, dir);
  } finally {
    model.train.dispose();
  }
}
