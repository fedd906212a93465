/**
 * Activations as TF.js layers take them. tfjs-layers 4.22 has every one of
 * ours but leaky ReLU (its `gelu` is the exact, erf form, as Keras' default;
 * its `swish` is x·sigmoid(x)), so leaky ReLU is a registered activation
 * class carrying its slope. Layers take it as a config ({className, config}),
 * which tfjs-layers' getActivation deserialises through the class registry.
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation } from '../../../src-shared/catalog/params';
import { leakyAlpha } from '../../../src-shared/layers/layer-op';

/** leaky ReLU with slope `alpha` below zero (tf.leakyRelu; its gradient is TF.js's own). */
export class LeakyReluActivation extends tf.serialization.Serializable {
  /** The name a saved model.json carries (loading it needs this module imported: the registration below). */
  static readonly className = 'leakyRelu';

  constructor(readonly alpha: number) {
    super();
  }

  apply(x: tf.Tensor): tf.Tensor {
    return tf.leakyRelu(x, this.alpha);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { alpha: this.alpha };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return new cls(typeof config.alpha === 'number' ? config.alpha : leakyAlpha({})) as T;
  }
}
tf.serialization.registerClass(LeakyReluActivation);

/** What a TF.js layer's `activation` argument gets; typed as tfjs-layers' identifiers, which its getActivation widens to configs. */
type TfjsActivation = 'linear';

/** A spec layer's activation as the TF.js layer argument. */
export function tfjsActivation(l: { activation: Activation; alpha?: number }): TfjsActivation {
  if (l.activation === 'leakyRelu') return { className: LeakyReluActivation.className, config: { alpha: leakyAlpha(l) } } as unknown as TfjsActivation;
  return l.activation as TfjsActivation;
}

/**
 * Writes each leaky ReLU's slope into a saved topology: tfjs-layers saves an
 * activation by its name alone, which would reload with the default slope;
 * its loader also reads `{class_name, config}`, which keeps the slope.
 */
export function keepActivationConfigs(model: tf.LayersModel, topology: unknown): void {
  const saved = (topology as { config?: { layers?: { config?: { name?: string; activation?: unknown } }[] } } | null)?.config?.layers ?? [];
  for (const layer of model.layers) {
    const activation = (layer as unknown as { activation?: unknown }).activation;
    if (!(activation instanceof LeakyReluActivation)) continue;
    const entry = saved.find((l) => l.config?.name === layer.name);
    if (entry?.config) entry.config.activation = { class_name: LeakyReluActivation.className, config: activation.getConfig() };
  }
}
