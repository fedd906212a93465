/**
 * A ModelSpec as a Keras (TensorFlow 2) Python script that rebuilds the same
 * architecture layer for layer, with the same layer names, and can load the
 * weights of a TF.js export (model.json + weights.bin: the same layouts, as
 * TF.js follows Keras) or retrain from scratch on a larger machine.
 */
import type { ModelSpec } from '../compiler/model-spec';
import { py, pyTuple as tuple } from '../layers/layer-op';
import { LAYER_OPS, LAYER_OP_TYPES, layerOp } from '../layers/layer-ops';

/** Regularizer arguments a weighted layer gets from the regularizer node after it. */
function regularizers(spec: ModelSpec, index: number): string {
  const layer = spec.layers[index];
  const parts: string[] = [];
  if (layer.kernelL2 > 0) parts.push(`kernel_regularizer=keras.regularizers.L2(${layer.kernelL2})`);
  // An activity regularizer right after this layer (identity in the forward pass) becomes Keras' activity_regularizer.
  const next = spec.layers[index + 1];
  if (next?.type === 'activityRegularizer' && (next.l1 > 0 || next.klBeta > 0)) {
    parts.push(next.klBeta > 0 ? `activity_regularizer=KLSparsity(rho=${next.klRho}, beta=${next.klBeta}, l1=${next.l1})` : `activity_regularizer=keras.regularizers.L1(${next.l1})`);
  }
  return parts.map((p) => `, ${p}`).join('');
}

/** The Keras constructor call of layer `i` (each op's own in src-shared/layers), or null where the layer before carries it. */
export function kerasLayerLine(spec: ModelSpec, i: number): string | null {
  const l = spec.layers[i];
  const keras = layerOp(l.type).keras;
  return keras && `${keras.cls}(${[keras.args(l, regularizers(spec, i)), `name=${py(l.name)}`].filter(Boolean).join(', ')})`;
}

/** The Keras classes of the noise ops: the script skips them in the decoder it builds, as the app does. */
const NOISE_CLASSES = LAYER_OP_TYPES.flatMap((t) => (LAYER_OPS[t].role === 'noise' && LAYER_OPS[t].keras ? [LAYER_OPS[t].keras.cls] : []));

const PRELUDE = `import json
import os
import sys

import numpy as np
import keras
from keras import layers, ops


class MaskingNoise(layers.Layer):
    """Zeroes each value with probability \`rate\` while training; identity otherwise."""

    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, x, training=False):
        if not training:
            return x
        keep = ops.cast(keras.random.uniform(ops.shape(x)) >= self.rate, x.dtype)
        return x * keep


class SaltPepperNoise(layers.Layer):
    """Sets each value to 0 or 1 (half each) with probability \`rate\` while training; identity otherwise."""

    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, x, training=False):
        if not training:
            return x
        u = keras.random.uniform(ops.shape(x))
        salt = ops.cast(u >= self.rate / 2, x.dtype)
        return ops.where(u < self.rate, salt, x)


class KLSparsity(keras.regularizers.Regularizer):
    """beta * sum_j KL(rho || mean activation of unit j), plus an optional L1 term."""

    def __init__(self, rho, beta, l1=0.0):
        self.rho, self.beta, self.l1 = rho, beta, l1

    def __call__(self, a):
        rho_hat = ops.clip(ops.mean(ops.reshape(a, (ops.shape(a)[0], -1)), axis=0), 1e-7, 1 - 1e-7)
        kl = self.rho * ops.log(self.rho / rho_hat) + (1 - self.rho) * ops.log((1 - self.rho) / (1 - rho_hat))
        return self.beta * ops.sum(kl) + self.l1 * ops.sum(ops.abs(a)) / ops.cast(ops.shape(a)[0], a.dtype)


def load_tfjs_weights(model, folder):
    """Loads model.json + weights.bin written by Autoencoder Studio (TF.js layers format, Keras layouts)."""
    with open(os.path.join(folder, 'model.json')) as f:
        manifest = json.load(f)['weightsManifest']
    by_layer = {}
    for group in manifest:
        data = b''.join(open(os.path.join(folder, p), 'rb').read() for p in group['paths'])
        offset = 0
        for spec in group['weights']:
            count = int(np.prod(spec['shape'])) if spec['shape'] else 1
            values = np.frombuffer(data, dtype='<f4', count=count, offset=offset).reshape(spec['shape'])
            offset += count * 4
            layer_name, _, weight_name = spec['name'].rpartition('/')
            by_layer.setdefault(layer_name, {})[weight_name] = values
    for layer in model.layers:
        if layer.name in by_layer:
            w = by_layer[layer.name]
            layer.set_weights([w['kernel'], w['bias']])
`;

/** The Python source of the script. */
export function kerasScript(spec: ModelSpec, title: string): string {
  const lines: string[] = [];
  lines.push(`"""${title.replace(/"""/g, "'''")}: an autoencoder exported by Autoencoder Studio.`);
  lines.push('');
  lines.push('Rebuilds the model layer for layer with the same names and shapes.');
  lines.push('  python this_script.py [TFJS_FOLDER]   # loads model.json + weights.bin from the folder if given, prints the summary');
  lines.push('Noise layers act only while training; regularizers add their penalties to the loss, as in the app.');
  lines.push('"""');
  lines.push(PRELUDE);
  lines.push('');
  lines.push('def build():');
  lines.push('    """Returns (autoencoder, encoder, decoder); the three share their layers."""');
  lines.push(`    inputs = keras.Input(shape=${tuple(spec.inputShape)}, name='input')`);
  lines.push('    x = inputs');
  const made: { index: number; line: string }[] = [];
  spec.layers.forEach((_, i) => {
    const line = kerasLayerLine(spec, i);
    if (line) made.push({ index: i, line });
  });
  lines.push(`    built = {}`);
  for (const { index, line } of made) lines.push(`    built[${py(spec.layers[index].name)}] = ${line}`);
  lines.push(`    order = [${made.map(({ index }) => py(spec.layers[index].name)).join(', ')}]`);
  lines.push(`    code_layer = ${py(spec.layers[spec.codeLayerIndex].name)}`);
  lines.push(`    noise = (${NOISE_CLASSES.join(', ')})`);
  lines.push('    for name in order:');
  lines.push('        x = built[name](x)');
  lines.push('        if name == code_layer:');
  lines.push('            code = x');
  lines.push("    autoencoder = keras.Model(inputs, x, name='autoencoder')");
  lines.push("    encoder = keras.Model(inputs, code, name='encoder')");
  lines.push(`    code_in = keras.Input(shape=${tuple(spec.codeShape)}, name='code_input')`);
  lines.push('    y = code_in');
  lines.push('    for name in order[order.index(code_layer) + 1:]:');
  lines.push('        if not isinstance(built[name], noise):');
  lines.push('            y = built[name](y)');
  lines.push("    decoder = keras.Model(code_in, y, name='decoder')");
  lines.push(`    autoencoder.compile(optimizer=keras.optimizers.Adam(1e-3), loss=${spec.loss === 'bce' ? "'binary_crossentropy'" : "'mse'"})`);
  lines.push('    return autoencoder, encoder, decoder');
  lines.push('');
  lines.push('');
  lines.push("if __name__ == '__main__':");
  lines.push('    autoencoder, encoder, decoder = build()');
  lines.push('    if len(sys.argv) > 1:');
  lines.push('        load_tfjs_weights(autoencoder, sys.argv[1])');
  lines.push('    autoencoder.summary()');
  lines.push('');
  return lines.join('\n');
}
