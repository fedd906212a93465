/** Frees the models of one spec (train, inference, encoder and a VAE's encoder heads, decoder, noise), beside buildModel which makes them. */
import type { BuiltModel } from './build-model';

/** Disposes every model of a built spec; shared layers go with the first model that owns them. */
export function disposeBuiltModel(model: BuiltModel): void {
  for (const m of [model.train, model.inference, model.encoder, model.encoderHeads, model.decoder, model.noise]) {
    try {
      m?.dispose();
    } catch {
      // Shared layers are disposed with the first model that owns them; later calls may find them gone.
    }
  }
}
