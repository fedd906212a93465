#!/usr/bin/env bash
# Makes the Python venv in which scripts/python/check_exports.py checks the
# exports in real Keras 3 and onnx (tests/python-exports.test.ts skips without it).
# Idempotent: when the venv already holds this list of packages it returns at once.
#   scripts/python/setup-venv.sh                              # venv at .venv-py/ in the repository root
#   AESTUDIO_PY_VENV=/some/dir scripts/python/setup-venv.sh   # elsewhere (the test reads the same variable)
set -euo pipefail
cd "$(dirname "$0")/../.."

VENV="${AESTUDIO_PY_VENV:-.venv-py}"
PYTHON="${PYTHON:-python3}"
# tensorflow-cpu 2.21.0 is the version issue 15 names (it brings Keras 3); onnx for onnx.checker; jax for the
# exported script's data-parallel path on Keras's JAX backend (tests/python-keras-train.test.ts).
REQUIREMENTS="tensorflow-cpu==2.21.0 onnx numpy jax==0.10.2"
# Written last, once the packages import: the test looks for it, so a half-made venv reads as absent, not as a failure.
MARKER="$VENV/aestudio-requirements.txt"

if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$REQUIREMENTS" ]; then
  echo "venv ready: $VENV ($REQUIREMENTS)"
  exit 0
fi

# pip retries an unreachable index five times with growing waits, per package: where only a local or
# mirror index answers (as on the machines here) that made the install 4 min 44 s instead of 57 s. One retry still
# rides out a dropped connection; PIP_RETRIES set by the caller wins.
export PIP_RETRIES="${PIP_RETRIES:-1}"

if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  echo "$PYTHON cannot make a venv (no venv/ensurepip module): on Debian run apt-get install -y python3-venv, or set PYTHON to another Python 3.10-3.13" >&2
  exit 1
fi

start=$(date +%s)
rm -f "$MARKER"
"$PYTHON" -m venv "$VENV"
# shellcheck disable=SC2086 # the list is words on purpose
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check $REQUIREMENTS
# Import once: this compiles the bytecode the first test would otherwise wait for, and a broken wheel fails here rather than in a test.
"$VENV/bin/python" -c 'import jax, keras, onnx, tensorflow as tf; print("keras", keras.__version__, "tensorflow", tf.__version__, "onnx", onnx.__version__, "jax", jax.__version__)'
echo "$REQUIREMENTS" > "$MARKER"
echo "venv made in $(( $(date +%s) - start )) s: $VENV"
