#!/usr/bin/env python3
"""The benchmark's scale row, peer side: the convolutional template's architecture at any image size,
in PyTorch or Keras 3, on the same raw float32 files the app trains on.

  conv_scale.py --framework torch|keras --size 64 --channels 3 --train train.f32 --val val.f32 \
                --epochs 1 --batch 128 --threads 1

Architecture (the app's convolutional template, widened to `channels` in and out):
  Conv(16, 3x3, same, relu) MaxPool 2, Conv(8, 3x3, same, relu) MaxPool 2,
  ConvT(8, 3x3, stride 2, same, relu), ConvT(16, 3x3, stride 2, same, relu), Conv(channels, 3x3, same, sigmoid); BCE; Adam 1e-3.
Prints one JSON line: samples_per_s (training samples per second of wall time over every epoch, model built
and data loaded before the clock starts), train_loss, val_loss, peak_rss_mb (the process's peak resident memory).
"""
import argparse
import json
import os
import resource
import time

import numpy as np


def parse():
    p = argparse.ArgumentParser()
    p.add_argument('--framework', required=True, choices=['torch', 'keras'])
    p.add_argument('--size', type=int, required=True)
    p.add_argument('--channels', type=int, required=True)
    p.add_argument('--train', required=True)
    p.add_argument('--val', required=True)
    p.add_argument('--epochs', type=int, default=1)
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--threads', type=int, default=1)
    return p.parse_args()


def load(path, size, channels):
    a = np.fromfile(path, dtype='<f4')
    per = size * size * channels
    if a.size % per:
        raise SystemExit(f'{path}: {a.size} values are not rows of {size}x{size}x{channels}')
    return a.reshape(-1, size, size, channels)


def run_torch(a, x, v):
    import torch
    from torch import nn
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    c = a.channels
    model = nn.Sequential(
        nn.Conv2d(c, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.ConvTranspose2d(8, 8, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
        nn.ConvTranspose2d(8, 16, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
        nn.Conv2d(16, c, 3, padding=1), nn.Sigmoid())
    lossf = nn.BCELoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
    vt = torch.from_numpy(np.ascontiguousarray(v.transpose(0, 3, 1, 2)))
    n = xt.shape[0]
    t0 = time.perf_counter()
    for _ in range(a.epochs):
        perm = torch.randperm(n)
        total, seen = 0.0, 0
        for i in range(0, n, a.batch):
            b = xt[perm[i:i + a.batch]]
            opt.zero_grad()
            loss = lossf(model(b), b)
            loss.backward()
            opt.step()
            total += loss.item() * b.shape[0]
            seen += b.shape[0]
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        val = float(sum(lossf(model(vt[i:i + 500]), vt[i:i + 500]).item() * vt[i:i + 500].shape[0] for i in range(0, vt.shape[0], 500)) / vt.shape[0])
    return n * a.epochs / seconds, total / seen, val, f'torch {torch.__version__}'


def run_keras(a, x, v):
    os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(a.threads)
    import keras
    from keras import layers as L
    keras.utils.set_random_seed(0)
    inp = keras.Input((a.size, a.size, a.channels))
    h = L.MaxPooling2D(2)(L.Conv2D(16, 3, padding='same', activation='relu')(inp))
    h = L.MaxPooling2D(2)(L.Conv2D(8, 3, padding='same', activation='relu')(h))
    h = L.Conv2DTranspose(8, 3, strides=2, padding='same', activation='relu')(h)
    h = L.Conv2DTranspose(16, 3, strides=2, padding='same', activation='relu')(h)
    out = L.Conv2D(a.channels, 3, padding='same', activation='sigmoid')(h)
    model = keras.Model(inp, out)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss='binary_crossentropy')
    t0 = time.perf_counter()
    hist = model.fit(x, x, epochs=a.epochs, batch_size=a.batch, shuffle=True, verbose=0)
    seconds = time.perf_counter() - t0
    val = float(model.evaluate(v, v, batch_size=500, verbose=0))
    return x.shape[0] * a.epochs / seconds, float(hist.history['loss'][-1]), val, f'keras {keras.__version__} / tensorflow {tf.__version__}'


def main():
    a = parse()
    x = load(a.train, a.size, a.channels)
    v = load(a.val, a.size, a.channels)
    rate, train_loss, val_loss, version = (run_torch if a.framework == 'torch' else run_keras)(a, x, v)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(json.dumps({'peer': a.framework, 'version': version, 'size': a.size, 'channels': a.channels, 'threads': a.threads,
                      'epochs': a.epochs, 'samples_per_s': rate, 'train_loss': train_loss, 'val_loss': val_loss, 'peak_rss_mb': peak}))


if __name__ == '__main__':
    main()
