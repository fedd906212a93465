/**
 * A ModelSpec's layers as a graph: what each layer takes, and which layers
 * make up the encoder and the decoder. The trainer, the exporters and the
 * Keras script read the parts from here, so they agree on them.
 */
import type { LayerSpec } from './model-spec';

/** How a spec divides around its code. */
export interface CodeParts {
  /** Indices of the layers the code depends on, the code layer last: the encoder. */
  encoder: number[];
  /** Indices of the layers that depend on the code, in order: the decoder (it exists only when `bypass` is empty). */
  decoder: number[];
  /** Inputs of decoder layers that do not come from the code or the decoder: connections around the code. */
  bypass: { layer: number; input: string }[];
}

/** The encoder, the decoder and what goes around the code, for `layers` whose code is layer `codeIndex`. */
export function codeParts(layers: readonly LayerSpec[], codeIndex: number): CodeParts {
  const index = new Map<string, number>(); // built by a loop: no pair array per layer, as this runs on every live compile
  for (let i = 0; i < layers.length; i++) index.set(layers[i].name, i);
  const ancestors = new Set<number>([codeIndex]);
  // Layers are in topological order, so one backward sweep finds every ancestor.
  for (let i = codeIndex; i >= 0; i--) {
    if (!ancestors.has(i)) continue;
    for (const name of layers[i].inputs) {
      const j = index.get(name);
      if (j !== undefined) ancestors.add(j);
    }
  }
  const below = new Set<number>([codeIndex]);
  const decoder: number[] = [];
  const bypass: CodeParts['bypass'] = [];
  for (let i = codeIndex + 1; i < layers.length; i++) {
    const ins = layers[i].inputs;
    if (!ins.some((name) => below.has(index.get(name) ?? -1))) continue;
    below.add(i);
    decoder.push(i);
    for (const name of ins) if (!below.has(index.get(name) ?? -1)) bypass.push({ layer: i, input: name });
  }
  return { encoder: [...ancestors].sort((a, b) => a - b), decoder, bypass };
}

