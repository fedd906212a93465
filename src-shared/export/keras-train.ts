/**
 * The `train` command of the exported Keras script: design in the app, train
 * the same model with Keras 3 on a larger machine (data-parallel over all its
 * GPUs), and bring the weights back ("Start from weights", `--weights`). It
 * reads the app's import formats (a folder of PNG/JPEG images, CSV, NPY, IDX,
 * the files optionally gzipped) and normalises them as the app does
 * (src-main/trainer/data/normalize.ts), and writes the weights in the TF.js
 * layout the app imports (model.json's weightsManifest + weights.bin, weights
 * named "layer/variable").
 */
import type { TrainingSettings } from '../project/training-settings';
import { scheduleParams } from '../run/training-schedule';

/** The Keras optimizer call for the app's settings (the same defaults the trainer uses: src-main/trainer/train/optimizer.ts). */
function kerasOptimizer(s: TrainingSettings): string {
  switch (s.optimizer) {
    case 'adam':
      return `keras.optimizers.Adam(learning_rate, beta_1=0.9, beta_2=0.999, epsilon=1e-7)`;
    case 'sgd':
      return `keras.optimizers.SGD(learning_rate, momentum=${s.momentum})`;
    case 'rmsprop':
      return `keras.optimizers.RMSprop(learning_rate, rho=0.9, epsilon=1e-7)`;
  }
}

/**
 * The Keras callbacks that train as the app's settings do (the rules of
 * src-shared/run/training-schedule.ts): the learning-rate schedule, early
 * stopping on the validation loss with the same minimum improvement, and the
 * best epoch's weights put back at the end (Keras 3 restores them whether or
 * not it stopped early, so keepBest alone is EarlyStopping that never stops).
 * Keras counts epochs from 0.
 */
export function kerasCallbacks(s: TrainingSettings): string {
  const p = scheduleParams(s);
  const out: string[] = [];
  switch (p.schedule) {
    case 'none':
      break;
    case 'plateau':
      out.push(`keras.callbacks.ReduceLROnPlateau(monitor='val_loss', factor=${p.factor}, patience=${p.lrPatience}, min_delta=${p.minDelta}, min_lr=${p.minLr})`);
      break;
    case 'step':
      out.push(`keras.callbacks.LearningRateScheduler(lambda epoch: float(args.learning_rate * ${p.factor} ** (epoch // ${p.every})))`);
      break;
    case 'cosine':
      out.push(`keras.callbacks.LearningRateScheduler(lambda epoch: float(args.learning_rate - (args.learning_rate - ${p.minLr}) * (1 - np.cos(np.pi * min(1.0, epoch / max(1, args.epochs - 1)))) / 2))`);
      break;
  }
  if (p.earlyStopping || p.keepBest) out.push(`keras.callbacks.EarlyStopping(monitor='val_loss', patience=${p.earlyStopping ? p.patience : 'args.epochs'}, min_delta=${p.minDelta}, restore_best_weights=${p.keepBest ? 'True' : 'False'}, verbose=1)`);
  return `[${out.join(', ')}]`;
}

/** Python: readers of the import formats, the distribution scope, the TF.js weight writer and the command. */
/** `loss` is the Python expression the script's build() compiles with (a VAE's is a function). */
export function kerasTrainSource(settings: TrainingSettings, loss: string): string {
  return String.raw`
def _file_bytes(path):
    with open(path, 'rb') as f:
        data = f.read()
    return gzip.decompress(data) if path.lower().endswith('.gz') else data


def _read_idx(data, path):
    """The MNIST file format: zero bytes, a type code, the number of axes, then big-endian sizes and the values."""
    types = {0x08: '>u1', 0x09: '>i1', 0x0B: '>i2', 0x0C: '>i4', 0x0D: '>f4', 0x0E: '>f8'}
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in types:
        raise ValueError(f'{path} is not an IDX file (its first bytes are not 0, 0, a type code)')
    axes = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(axes))
    values = np.frombuffer(data, dtype=types[data[2]], offset=4 + 4 * axes)
    if values.size != int(np.prod(shape)):
        raise ValueError(f'{path}: the header declares {shape} but the file holds {values.size} values')
    return values.reshape(shape), data[2] == 0x08


def _read_csv(data, path):
    rows = [r for r in data.decode('utf-8').splitlines() if r.strip()]
    try:
        [float(v) for v in rows[0].split(',')]
    except ValueError:
        rows = rows[1:]  # a header row
    return np.array([[float(v) for v in r.split(',')] for r in rows], dtype='float64')


def _decode_image(path, channels, height, width):
    try:
        from PIL import Image
        image = Image.open(path).convert('L' if channels == 1 else 'RGB').resize((width, height), Image.BILINEAR)
        return np.asarray(image, dtype='float32').reshape(height, width, channels)
    except ImportError:
        import tensorflow as tf
        image = tf.io.decode_image(tf.io.read_file(path), channels=channels, expand_animations=False)
        return tf.image.resize(image, (height, width)).numpy()


def read_dataset(path, input_shape):
    """Samples of the model's input shape, normalised as the app does: images to [0, 1], tables standardised per column."""
    if os.path.isdir(path):
        if len(input_shape) != 3:
            raise ValueError(f'{path} is a folder of images but the model takes {input_shape}')
        height, width, channels = input_shape
        files = sorted(os.path.join(root, f) for root, _, names in os.walk(path) for f in names if f.lower().endswith(('.png', '.jpg', '.jpeg')))
        if not files:
            raise ValueError(f'{path} holds no PNG or JPEG images')
        values, eight_bit, layout = np.stack([_decode_image(f, channels, height, width) for f in files]), True, 'image'
    else:
        name = path.lower()[:-3] if path.lower().endswith('.gz') else path.lower()
        data = _file_bytes(path)
        if name.endswith('.npy'):
            values = np.load(io.BytesIO(data), allow_pickle=False)
            eight_bit = values.dtype == np.uint8
        elif name.endswith('.csv'):
            values, eight_bit = _read_csv(data, path), False
        else:
            values, eight_bit = _read_idx(data, path)
        layout = 'table' if values.ndim == 2 else 'image'
    size = int(np.prod(input_shape))
    if values.size % size != 0 or values.size == 0:
        raise ValueError(f'{path} holds {values.shape} values, which do not split into samples of {input_shape} ({size} values each)')
    x = values.astype('float64').reshape((-1, size))
    if not np.isfinite(x).all():
        raise ValueError(f'{path} holds NaN or infinite values')
    lo, hi = x.min(), x.max()
    if lo < 0 or hi > 1:
        if layout == 'image':
            a, b = (0.0, 255.0) if eight_bit or (lo >= 0 and hi <= 255) else (lo, hi)
            x = (x - a) / ((b - a) or 1)
        else:
            std = x.std(axis=0)
            x = (x - x.mean(axis=0)) / np.where(std > 0, std, 1)
    return x.astype('float32').reshape((-1,) + tuple(input_shape))


def distribution(cpu_devices):
    """(scope, description, devices): data-parallel over every GPU there is (or over cpu_devices > 1 parts of the CPU, to try that path without GPUs), one device otherwise."""
    backend = keras.backend.backend()
    if backend == 'jax':
        import jax
        gpus = [d for d in jax.devices() if d.platform == 'gpu']
        devices, kind = (jax.devices('cpu'), 'CPU devices') if cpu_devices > 1 else (gpus, 'GPUs')
        if cpu_devices > 1 and len(devices) != cpu_devices:
            raise SystemExit(f'--cpu-devices {cpu_devices}: JAX made {len(devices)} CPU devices (XLA_FLAGS is read before JAX is imported; does it already set --xla_force_host_platform_device_count?)')
        if len(devices) > 1:
            keras.distribution.set_distribution(keras.distribution.DataParallel(devices=devices))
            return contextlib.nullcontext(), f'data-parallel over {len(devices)} {kind} (keras.distribution.DataParallel on JAX)', len(devices)
        return contextlib.nullcontext(), 'one GPU (JAX)' if gpus else 'the CPU (JAX)', 1
    if backend == 'tensorflow':
        import tensorflow as tf
        if cpu_devices > 1:
            # Must come before TensorFlow starts its runtime (anything that lists logical devices or makes a tensor).
            tf.config.set_logical_device_configuration(tf.config.list_physical_devices('CPU')[0], [tf.config.LogicalDeviceConfiguration()] * cpu_devices)
            devices, kind = tf.config.list_logical_devices('CPU'), 'CPU devices'
        else:
            devices, kind = tf.config.list_logical_devices('GPU'), 'GPUs'
        if len(devices) > 1:
            strategy = tf.distribute.MirroredStrategy([d.name for d in devices])
            return strategy.scope(), f'data-parallel over {len(devices)} {kind} (tf.distribute.MirroredStrategy)', len(devices)
        return contextlib.nullcontext(), 'one GPU (TensorFlow)' if devices else 'the CPU (TensorFlow)', 1
    if cpu_devices > 1:
        raise SystemExit(f'--cpu-devices needs the JAX or TensorFlow backend of Keras, not {backend}')
    return contextlib.nullcontext(), f'the {backend} backend', 1


def split_for_devices(x, validation_split, devices):
    """(train, validation) as Keras's validation_split cuts them (the last fraction, before shuffling), each cut to a multiple of
    the devices when there are several: a data-parallel step splits every batch evenly, the last one of an epoch too."""
    at = int(np.floor(len(x) * (1 - validation_split)))
    train, val = x[:at], x[at:]
    if devices > 1:
        train, val = train[:len(train) - len(train) % devices], val[:len(val) - len(val) % devices]
    return train, val


def replicas(model):
    """How many devices hold a copy of the trained weights (the data-parallel path really ran, not just its message)."""
    value = model.weights[0].value
    sharding = getattr(value, 'sharding', None)  # a JAX array
    if sharding is not None:
        return len(sharding.device_set)
    return len(getattr(value, 'values', [value]))  # a tf.distribute mirrored variable has one value per device


def save_tfjs_weights(model, folder):
    """model.json (weightsManifest) + weights.bin in the layout the app's "Start from weights" and --weights read."""
    os.makedirs(folder, exist_ok=True)
    specs, chunks = [], []
    for layer in model.layers:
        for v in layer.weights:
            value = np.asarray(keras.ops.convert_to_numpy(v), dtype='<f4')
            specs.append({'name': f'{layer.name}/{v.name}', 'shape': list(value.shape), 'dtype': 'float32'})
            chunks.append(value.tobytes())
    manifest = {'format': 'layers-model-weights', 'generatedBy': f'Autoencoder Studio model.py (Keras {keras.__version__})',
                'weightsManifest': [{'paths': ['weights.bin'], 'weights': specs}]}
    for name, data in (('weights.bin', b''.join(chunks)), ('model.json', json.dumps(manifest, indent=1).encode())):
        tmp = os.path.join(folder, f'.{name}.tmp')
        with open(tmp, 'wb') as f:
            f.write(data)
        os.replace(tmp, os.path.join(folder, name))


def train_command(argv):
    """python model.py train --data PATH --epochs N --out DIR: returns the trained autoencoder."""
    parser = argparse.ArgumentParser(prog='model.py train', description='Train this model with Keras 3 on every GPU this machine has (or its CPU).')
    parser.add_argument('--data', required=True, help='a folder of PNG/JPEG images, or a CSV, NPY or IDX file (optionally .gz)')
    parser.add_argument('--epochs', type=int, required=True)
    parser.add_argument('--out', required=True, help='folder for model.json + weights.bin (TF.js layout, for "Start from weights")')
    parser.add_argument('--batch-size', type=int, default=${settings.batchSize}, help='global batch, split across the GPUs')
    parser.add_argument('--learning-rate', type=float, default=${settings.learningRate})
    parser.add_argument('--validation-split', type=float, default=${settings.validationSplit})
    parser.add_argument('--seed', type=int, default=${settings.seed})
    parser.add_argument('--weights', help='a TF.js folder to start from (a run or an export of the app)')
    parser.add_argument('--cpu-devices', type=int, default=1, help='split the CPU into N devices and train data-parallel over them: the multi-GPU path, tried on a machine without GPUs')
    args = parser.parse_args(argv)
    scope, where, devices = distribution(args.cpu_devices)  # before anything starts TensorFlow's runtime
    if args.batch_size % devices:
        raise SystemExit(f'--batch-size {args.batch_size} does not split evenly over {devices} devices: give a multiple of {devices}')
    keras.utils.set_random_seed(args.seed)
    with scope:
        autoencoder, _, _ = build()
        if args.weights:
            load_tfjs_weights(autoencoder, args.weights)
        learning_rate = args.learning_rate
        autoencoder.compile(optimizer=${kerasOptimizer(settings)}, loss=${loss})
    x = read_dataset(args.data, autoencoder.input_shape[1:])
    train, val = split_for_devices(x, args.validation_split, devices)
    print(f'Training on {where}: {len(x)} samples from {args.data} ({len(train)} to train, {len(val)} to validate), {args.epochs} epochs, batch {args.batch_size}', flush=True)
    callbacks = ${kerasCallbacks(settings)}  # the project's schedule, early stopping and best epoch
    autoencoder.fit(train, train, epochs=args.epochs, batch_size=args.batch_size, validation_data=(val, val) if len(val) else None, shuffle=True, verbose=2, callbacks=callbacks)
    save_tfjs_weights(autoencoder, args.out)
    print(f'Wrote {args.out}/model.json and weights.bin (weights held on {replicas(autoencoder)} device(s) while training)', flush=True)
    return autoencoder
`;
}
