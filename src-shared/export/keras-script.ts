/**
 * A ModelSpec as a Keras (TensorFlow 2) Python script that rebuilds the same
 * architecture layer for layer, with the same layer names, wired with the
 * functional API by the inputs each layer names (so branches and merges come
 * through), and can load the
 * weights of a TF.js export (model.json + weights.bin: the same layouts, as
 * TF.js follows Keras) or retrain from scratch on a larger machine.
 */
import type { LayerSpec, ModelSpec } from '../compiler/model-spec';
import { MODEL_INPUT } from '../compiler/model-spec';
import { codeParts } from '../compiler/spec-graph';
import { py, pyTuple as tuple } from '../layers/layer-op';
import { LAYER_OPS, LAYER_OP_TYPES, layerOp } from '../layers/layer-ops';
import { samplingLayerOf } from '../layers/ops/variational';
import { DEFAULT_TRAINING_SETTINGS } from '../project/training-settings';
import type { TrainingSettings } from '../project/training-settings';
import { kerasTrainSource } from './keras-train';

/** Regularizer arguments a weighted layer gets from the regularizer node after it. */
function regularizers(spec: ModelSpec, index: number): string {
  const layer = spec.layers[index];
  const parts: string[] = [];
  if (layer.kernelL2 > 0) parts.push(`kernel_regularizer=keras.regularizers.L2(${layer.kernelL2})`);
  const argument = carriedArgument(spec, index);
  if (argument) parts.push(argument);
  return parts.map((p) => `, ${p}`).join('');
}

/** The argument an op taking layer `index` adds to it in Keras (an activity regularizer: identity in the forward pass), or null. */
function carriedArgument(spec: ModelSpec, index: number): string | null {
  const name = spec.layers[index].name;
  for (let j = index + 1; j < spec.layers.length; j++) {
    const next: LayerSpec = spec.layers[j];
    const carried = layerOp(next.type).keras;
    if (!('argumentOfPrevious' in carried) || next.inputs[0] !== name) continue;
    const argument = carried.argumentOfPrevious(next);
    if (argument) return argument;
  }
  return null;
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

const PRELUDE = `import argparse
import contextlib
import gzip
import io
import json
import os
import sys

import numpy as np

# \`train --cpu-devices N\` on JAX: XLA splits the host into N devices only if told before JAX is imported.
for _i, _a in enumerate(sys.argv):
    if _a.startswith('--cpu-devices'):
        _n = _a.partition('=')[2] or (sys.argv[_i + 1] if _i + 1 < len(sys.argv) else '')
        if _n.isdigit():
            os.environ['XLA_FLAGS'] = f"{os.environ.get('XLA_FLAGS', '')} --xla_force_host_platform_device_count={_n}".strip()

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
            # By variable name (kernel, bias, gamma, moving_mean, ...): TF.js writes Keras's names, in any layer's order.
            w = by_layer[layer.name]
            missing = [v.name for v in layer.weights if v.name not in w]
            if missing:
                raise ValueError(f"{folder}/model.json has no {', '.join(missing)} for layer {layer.name}")
            layer.set_weights([w[v.name] for v in layer.weights])
`;

/**
 * The compile loss: Keras's own mean for an autoencoder; for a VAE the
 * reconstruction summed over a sample's values (Keras then averages over the
 * batch), as the app trains it, so that with the Sampling layer's KL term the
 * loss is the negative ELBO at β = 1. (A β warm-up is not rebuilt: Keras trains with β.)
 */
function kerasLoss(spec: ModelSpec): string {
  if (!samplingLayerOf(spec.layers)) return spec.loss === 'bce' ? "'binary_crossentropy'" : "'mse'";
  const perValue = spec.loss === 'bce' ? '-(x * ops.log(ops.clip(y, 1e-7, 1 - 1e-7)) + (1 - x) * ops.log(1 - ops.clip(y, 1e-7, 1 - 1e-7)))' : 'ops.square(x - y)';
  return `lambda x, y: ops.sum(ops.reshape(${perValue}, (ops.shape(x)[0], -1)), axis=1)`;
}

/** The Python source of the script; `settings` (the run's) are the train command's defaults. */
export function kerasScript(spec: ModelSpec, title: string, settings: TrainingSettings = DEFAULT_TRAINING_SETTINGS): string {
  const lines: string[] = [];
  lines.push(`"""${title.replace(/"""/g, "'''")}: an autoencoder exported by Autoencoder Studio.`);
  lines.push('');
  lines.push('Rebuilds the model layer for layer with the same names and shapes.');
  lines.push('  python this_script.py [TFJS_FOLDER]   # loads model.json + weights.bin from the folder if given, prints the summary');
  lines.push('  python this_script.py train --data PATH --epochs N --out DIR   # trains with Keras 3 on every GPU here (or the CPU);');
  lines.push('      # DIR gets model.json + weights.bin for the app\'s "Start from weights" (python this_script.py train --help)');
  lines.push('Noise layers act only while training; regularizers add their penalties to the loss, as in the app.');
  lines.push('"""');
  lines.push(PRELUDE);
  lines.push('');
  const { decoder } = codeParts(spec.layers, spec.codeLayerIndex);
  const out = py(spec.layers.at(-1)?.name ?? MODEL_INPUT);
  lines.push('def build():');
  lines.push('    """Returns (autoencoder, encoder, decoder); the three share their layers. decoder is None when connections go around the code."""');
  lines.push(`    inputs = keras.Input(shape=${tuple(spec.inputShape)}, name=${py(MODEL_INPUT)})`);
  lines.push(`    built = {}`);
  spec.layers.forEach((l, i) => {
    const line = kerasLayerLine(spec, i);
    if (line) lines.push(`    built[${py(l.name)}] = ${line}`);
  });
  lines.push(`    # Each layer and the tensors it takes (${py(MODEL_INPUT)} is the model input), every layer after its inputs.`);
  lines.push('    graph = [');
  spec.layers.forEach((l) => lines.push(`        (${py(l.name)}, [${l.inputs.map(py).join(', ')}]),`));
  lines.push('    ]');
  lines.push(`    code_layer = ${py(spec.layers[spec.codeLayerIndex].name)}`);
  lines.push(`    noise = (${NOISE_CLASSES.join(', ')})`);
  lines.push('');
  lines.push('    def run(start, names, with_noise):');
  lines.push('        t = dict(start)');
  lines.push('        for name, takes in graph:');
  lines.push('            if name not in names:');
  lines.push('                continue');
  lines.push('            xs = [t[s] for s in takes]');
  lines.push('            layer = built.get(name)');
  lines.push('            if layer is None or (not with_noise and isinstance(layer, noise)):');
  lines.push('                t[name] = xs[0]  # identity: carried by the layer before it, or noise outside training');
  lines.push('            else:');
  lines.push('                t[name] = layer(xs if len(xs) > 1 else xs[0])');
  lines.push('        return t');
  lines.push('');
  lines.push(`    t = run({${py(MODEL_INPUT)}: inputs}, [name for name, _ in graph], True)`);
  lines.push(`    autoencoder = keras.Model(inputs, t[${out}], name='autoencoder')`);
  const sampling = samplingLayerOf(spec.layers);
  // A VAE's encoder gives its two heads, the mean and the log variance, as Keras's VAE example's does.
  if (sampling) lines.push(`    encoder = keras.Model(inputs, [${sampling.inputs.map((n) => `t[${py(n)}]`).join(', ')}], name='encoder')`);
  else lines.push("    encoder = keras.Model(inputs, t[code_layer], name='encoder')");
  if (spec.decoderAbsent) {
    lines.push(`    decoder = None  # ${spec.decoderAbsent.replace(/\n/g, ' ')}`);
  } else {
    lines.push(`    code_in = keras.Input(shape=${tuple(spec.codeShape)}, name='code_input')`);
    lines.push(`    y = run({code_layer: code_in}, [${decoder.map((i) => py(spec.layers[i].name)).join(', ')}], False)`);
    lines.push(`    decoder = keras.Model(code_in, y[${out}], name='decoder')`);
  }
  lines.push(`    autoencoder.compile(optimizer=keras.optimizers.Adam(1e-3), loss=${kerasLoss(spec)})`);
  lines.push('    return autoencoder, encoder, decoder');
  lines.push('');
  lines.push(kerasTrainSource(settings, kerasLoss(spec)));
  lines.push('');
  lines.push("if __name__ == '__main__':");
  lines.push("    if len(sys.argv) > 1 and sys.argv[1] == 'train':");
  lines.push('        train_command(sys.argv[2:])');
  lines.push('    else:');
  lines.push('        autoencoder, encoder, decoder = build()');
  lines.push('        if len(sys.argv) > 1:');
  lines.push('            load_tfjs_weights(autoencoder, sys.argv[1])');
  lines.push('        autoencoder.summary()');
  lines.push('');
  return lines.join('\n');
}
