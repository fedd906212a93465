/**
 * A ModelSpec as a Keras (TensorFlow 2) Python script that rebuilds the same
 * architecture layer for layer, with the same layer names, and can load the
 * weights of a TF.js export (model.json + weights.bin: the same layouts, as
 * TF.js follows Keras) or retrain from scratch on a larger machine.
 */
import type { LayerSpec, ModelSpec } from '../compiler/model-spec';
import { py, pyTuple as tuple } from '../layers/layer-op';
import { LAYER_OPS, LAYER_OP_TYPES, layerOp } from '../layers/layer-ops';

/** Regularizer arguments a weighted layer gets from the regularizer node after it. */
function regularizers(spec: ModelSpec, index: number): string {
  const layer = spec.layers[index];
  const parts: string[] = [];
  if (layer.kernelL2 > 0) parts.push(`kernel_regularizer=keras.regularizers.L2(${layer.kernelL2})`);
  // An op right after this layer that Keras expresses as an argument of it (an activity regularizer: identity in the forward pass).
  const next = spec.layers[index + 1] as LayerSpec | undefined;
  const carried = next && layerOp(next.type).keras;
  const argument = carried && 'argumentOfPrevious' in carried ? carried.argumentOfPrevious(next) : null;
  if (argument) parts.push(argument);
  return parts.map((p) => `, ${p}`).join('');
}

/** The Keras constructor call of layer `i` (each op's own in src-shared/layers), or null where the layer before carries it. */
export function kerasLayerLine(spec: ModelSpec, i: number): string | null {
  const l = spec.layers[i];
  const keras = layerOp(l.type).keras;
  if (!('cls' in keras)) return null;
  return `${keras.cls}(${[keras.args(l, regularizers(spec, i)), `name=${py(l.name)}`].filter(Boolean).join(', ')})`;
}

/** The Keras classes of the noise ops: the script skips them in the decoder it builds, as the app does. */
const NOISE_CLASSES = LAYER_OP_TYPES.flatMap((t) => {
  const keras = LAYER_OPS[t].keras;
  return LAYER_OPS[t].role === 'noise' && 'cls' in keras ? [keras.cls] : [];
});

/** The Python classes the ops' Keras lines use (custom layers, regularizers), in the table's order. */
const KERAS_CLASSES = LAYER_OP_TYPES.flatMap((t) => LAYER_OPS[t].kerasPrelude ?? []).map((c) => `${c}\n\n\n`).join('');

const PRELUDE = `import json
import os
import sys

import numpy as np
import keras
from keras import layers, ops


${KERAS_CLASSES}def load_tfjs_weights(model, folder):
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
            # In the layer's own order: kernel, bias; or gamma, beta, moving_mean, moving_variance (batch norm).
            layer.set_weights([w[v.name] for v in layer.weights])
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
