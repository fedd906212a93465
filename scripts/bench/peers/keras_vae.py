#!/usr/bin/env python3
"""The benchmark's VAE line, peer side: Keras's own VAE example (keras.io, "Variational AutoEncoder":
Conv 32 / 64 stride 2, Dense 16, a 2-D latent; Conv2DTranspose 64 / 32 stride 2 back) trained on the same raw
float32 MNIST rows as the app, its loss the negative ELBO: binary cross-entropy summed over a sample's pixels,
averaged over the batch, plus the KL divergence to N(0, I). Adam 1e-3.

  keras_vae.py --train train.f32 --val val.f32 --epochs 3 --batch 128 --threads 1

Prints one JSON line: samples_per_s, train_neg_elbo (the last epoch's mean over its batches, as Keras reports
it), val_reconstruction (summed BCE per sample with z = mu, averaged), val_kl.
"""
import argparse
import json
import os
import time

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
import numpy as np  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--train', required=True)
    p.add_argument('--val', required=True)
    p.add_argument('--epochs', type=int, default=3)
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--seed', type=int, default=0)
    a = p.parse_args()
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(a.threads)
    import keras
    from keras import layers, ops
    keras.utils.set_random_seed(a.seed)

    class Sampling(layers.Layer):
        """z = mu + sigma * eps while training (the example's layer), with the KL term added to the loss."""
        def call(self, inputs, training=None):
            z_mean, z_log_var = inputs
            kl = -0.5 * ops.mean(ops.sum(1 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=1))
            self.add_loss(kl)
            if not training:
                return z_mean
            eps = keras.random.normal(ops.shape(z_mean), seed=self.seed_gen)
            return z_mean + ops.exp(0.5 * z_log_var) * eps

        def build(self, shape):
            self.seed_gen = keras.random.SeedGenerator(a.seed)

    latent = 2
    inp = keras.Input((28, 28, 1))
    h = layers.Conv2D(32, 3, activation='relu', strides=2, padding='same')(inp)
    h = layers.Conv2D(64, 3, activation='relu', strides=2, padding='same')(h)
    h = layers.Dense(16, activation='relu')(layers.Flatten()(h))
    z_mean = layers.Dense(latent, name='z_mean')(h)
    z_log_var = layers.Dense(latent, name='z_log_var')(h)
    encoder = keras.Model(inp, [z_mean, z_log_var])
    code = keras.Input((latent,))
    d = layers.Reshape((7, 7, 64))(layers.Dense(7 * 7 * 64, activation='relu')(code))
    d = layers.Conv2DTranspose(64, 3, activation='relu', strides=2, padding='same')(d)
    d = layers.Conv2DTranspose(32, 3, activation='relu', strides=2, padding='same')(d)
    decoder = keras.Model(code, layers.Conv2DTranspose(1, 3, activation='sigmoid', padding='same')(d))
    zm, zl = encoder(inp)
    vae = keras.Model(inp, decoder(Sampling()([zm, zl])))

    def reconstruction(x, y):
        y = ops.clip(y, 1e-7, 1 - 1e-7)
        return ops.sum(ops.reshape(-(x * ops.log(y) + (1 - x) * ops.log(1 - y)), (ops.shape(x)[0], -1)), axis=1)

    vae.compile(optimizer=keras.optimizers.Adam(1e-3), loss=reconstruction)
    x = np.fromfile(a.train, dtype='<f4').reshape(-1, 28, 28, 1)
    v = np.fromfile(a.val, dtype='<f4').reshape(-1, 28, 28, 1)
    t0 = time.perf_counter()
    hist = vae.fit(x, x, epochs=a.epochs, batch_size=a.batch, shuffle=True, verbose=0)
    seconds = time.perf_counter() - t0
    mu, log_var = [np.asarray(t) for t in encoder.predict(v, batch_size=500, verbose=0)]
    y = np.clip(np.asarray(decoder.predict(mu, batch_size=500, verbose=0)), 1e-7, 1 - 1e-7)
    val_rec = float(np.mean(np.sum(-(v * np.log(y) + (1 - v) * np.log(1 - y)), axis=(1, 2, 3))))
    val_kl = float(np.mean(-0.5 * np.sum(1 + log_var - mu ** 2 - np.exp(log_var), axis=1)))
    print(json.dumps({'peer': 'keras-vae-example', 'keras': keras.__version__, 'threads': a.threads, 'epochs': a.epochs,
                      'samples_per_s': x.shape[0] * a.epochs / seconds, 'train_neg_elbo': float(hist.history['loss'][-1]),
                      'val_reconstruction': val_rec, 'val_kl': val_kl}))


if __name__ == '__main__':
    main()
