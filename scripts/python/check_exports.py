"""Checks Autoencoder Studio exports in real Keras 3 and onnx.

For each export folder (or run folder) given:
  - runs its Keras script (model.py) as `python model.py FOLDER/autoencoder` runs it: it rebuilds the model
    and loads the TF.js weights of FOLDER/autoencoder (model.json + weights.bin; a run folder's own);
  - predicts on FOLDER/inputs.npy with the autoencoder and the encoder, and with the decoder on the
    encoder's TF.js output, and compares each with the TF.js predictions the caller wrote
    (expected-autoencoder.npy, expected-encoder.npy, expected-decoder.npy; each optional): max |diff| <= tolerance;
  - runs onnx.checker.check_model (full check, with shape inference) on every .onnx file in the folder.

Prints one JSON object on stdout: {"ok", "versions", "cases": [{"folder", "ok", "checks": [...]}]};
exits 1 when a check fails, 2 on bad arguments. Keras's own output goes to stderr.

  .venv-py/bin/python scripts/python/check_exports.py [--tolerance 1e-5] FOLDER [FOLDER ...]
"""
import argparse
import contextlib
import glob
import json
import os
import runpy
import sys
import traceback

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')  # TensorFlow's start-up notices would bury the report
os.environ.setdefault('KERAS_BACKEND', 'tensorflow')

import numpy as np  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('folders', nargs='+', help='export or run folders (model.py, autoencoder/ or model.json, *.onnx, inputs.npy, expected-*.npy)')
    p.add_argument('--tolerance', type=float, default=1e-5, help='largest absolute difference allowed (default 1e-5)')
    return p.parse_args(argv)


def failure_text(e):
    """The exception and where in model.py it happened (the last frame of the exported script), not the whole stack."""
    frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename.endswith('model.py')]
    where = f' (model.py line {frames[-1].lineno}: {frames[-1].line})' if frames else ''
    return f'{type(e).__name__}: {e}{where}'


def compare(name, got, expected, tolerance):
    got = np.asarray(got, dtype=np.float32)
    if got.shape != expected.shape:
        return {'name': name, 'ok': False, 'error': f'Keras gives shape {list(got.shape)}, TF.js {list(expected.shape)}'}
    if not expected.size:
        return {'name': name, 'ok': True, 'maxAbsDiff': 0.0, 'tolerance': tolerance}
    gap = np.abs(got - expected)
    worst = np.unravel_index(int(np.nanargmax(np.where(np.isnan(gap), np.inf, gap))), gap.shape)
    finite = bool(np.isfinite(gap).all())
    diff = float(gap[worst])
    # JSON has no NaN or Infinity (JavaScript's JSON.parse refuses them): a non-finite difference is reported as null.
    result = {'name': name, 'ok': finite and diff <= tolerance, 'maxAbsDiff': diff if finite else None, 'tolerance': tolerance}
    if not result['ok']:
        # Where: row (sample) and index within it, so a layout mistake shows as a pattern, not only a number.
        result['error'] = f'row {int(worst[0])}, index {[int(i) for i in worst[1:]]}: Keras {float(got[worst])}, TF.js {float(expected[worst])}'
    return result


def unloaded_layers(model, weights_folder):
    """Keras layers with weights that the TF.js manifest has none for: they would keep their random start."""
    with open(os.path.join(weights_folder, 'model.json')) as f:
        manifest = json.load(f)['weightsManifest']
    named = {w['name'].rpartition('/')[0] for group in manifest for w in group['weights']}
    return [layer.name for layer in model.layers if layer.weights and layer.name not in named]


def check_keras(folder, tolerance):
    import keras
    checks = []
    script = os.path.join(folder, 'model.py')
    # An export folder keeps the autoencoder's TF.js files in autoencoder/; a run folder keeps them beside model.py.
    weights = os.path.join(folder, 'autoencoder')
    if not os.path.isdir(weights):
        weights = folder
    saved_argv = sys.argv
    sys.argv = [script, weights]
    try:
        # As `python model.py FOLDER` runs it; its globals then hold the three models it built and loaded.
        with contextlib.redirect_stdout(sys.stderr):
            scope = runpy.run_path(script, run_name='__main__')
    except Exception as e:  # the exported script itself failed: that is the finding
        return [{'name': 'model.py builds and loads the TF.js weights', 'ok': False, 'error': failure_text(e)}]
    finally:
        sys.argv = saved_argv
    autoencoder, encoder, decoder = scope['autoencoder'], scope['encoder'], scope['decoder']
    missing = unloaded_layers(autoencoder, weights)
    checks.append({'name': 'model.py builds and loads the TF.js weights', 'ok': not missing,
                   **({'error': f'no TF.js weights for layer(s) {", ".join(missing)}'} if missing else {})})
    inputs_path = os.path.join(folder, 'inputs.npy')
    if not os.path.exists(inputs_path):
        return checks
    inputs = np.load(inputs_path)

    def expected(part):
        path = os.path.join(folder, f'expected-{part}.npy')
        return np.load(path) if os.path.exists(path) else None

    def predict(model, x):
        y = model(x, training=False)
        if isinstance(y, (list, tuple)):  # a VAE's encoder: [mean, log_var], side by side as the caller wrote them
            return np.concatenate([keras.ops.convert_to_numpy(t) for t in y], axis=-1)
        return keras.ops.convert_to_numpy(y)

    code = expected('encoder')
    if code is not None and len(encoder.outputs) > 1:  # a VAE's decoder generates from z = mean, the first half
        code = code[..., : code.shape[-1] // 2]
    for part, model, x in [('autoencoder', autoencoder, inputs), ('encoder', encoder, inputs), ('decoder', decoder, code)]:
        want = expected(part)
        if want is None or x is None:
            continue
        if model is None:  # the script builds no decoder where connections go around the code; then TF.js has none either
            checks.append({'name': f'Keras {part} matches TF.js', 'ok': False, 'error': f'the script builds no {part}, but TF.js predictions for one were given'})
            continue
        try:
            checks.append(compare(f'Keras {part} matches TF.js', predict(model, x), want, tolerance))
        except Exception as e:
            checks.append({'name': f'Keras {part} matches TF.js', 'ok': False, 'error': failure_text(e)})
    return checks


def check_onnx(folder):
    import onnx
    checks = []
    for path in sorted(glob.glob(os.path.join(folder, '*.onnx'))):
        name = f'onnx.checker accepts {os.path.basename(path)}'
        try:
            onnx.checker.check_model(onnx.load(path), full_check=True)
            checks.append({'name': name, 'ok': True})
        except Exception as e:
            checks.append({'name': name, 'ok': False, 'error': f'{type(e).__name__}: {e}'})
    return checks


def main(argv):
    args = parse_args(argv)
    for folder in args.folders:
        if not os.path.isdir(folder):
            print(json.dumps({'ok': False, 'error': f'{folder} is not a folder'}))
            return 2
    import keras
    import onnx
    import tensorflow as tf
    cases = []
    for folder in args.folders:
        checks = (check_keras(folder, args.tolerance) if os.path.exists(os.path.join(folder, 'model.py')) else []) + check_onnx(folder)
        if not checks:
            checks = [{'name': 'the folder holds an export', 'ok': False, 'error': f'{folder} has no model.py and no .onnx file'}]
        cases.append({'folder': folder, 'ok': all(c['ok'] for c in checks), 'checks': checks})
    ok = all(c['ok'] for c in cases)
    versions = {'keras': keras.__version__, 'tensorflow': tf.__version__, 'onnx': onnx.__version__, 'numpy': np.__version__}
    print(json.dumps({'ok': ok, 'versions': versions, 'cases': cases}, indent=1, allow_nan=False))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
