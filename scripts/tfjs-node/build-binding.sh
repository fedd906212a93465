#!/usr/bin/env bash
# Makes @tensorflow/tfjs-node load where its own install step cannot download libtensorflow
# (no internet but the package registries, as on the machines here): builds its native binding
# against the TensorFlow C API that the tensorflow-cpu wheel ships (libtensorflow_cc.so.2 exports it).
#
#   scripts/tfjs-node/build-binding.sh                 # wheel from the Python venv (.venv-py/), else pip download
#   TF_WHEEL=/path/tensorflow_cpu-….whl scripts/tfjs-node/build-binding.sh
#
# Idempotent: returns at once when tfjs-node already loads. Needs python3, make, g++ and Node's headers.
set -euo pipefail
cd "$(dirname "$0")/../.."

TFJS_NODE_VERSION=4.22.0   # the version package.json pins among optionalDependencies
TF_VERSION=2.21.0          # the TensorFlow whose C API the binding is built against
PKG=node_modules/@tensorflow/tfjs-node
VENV="${AESTUDIO_PY_VENV:-.venv-py}"

loads() { node -e "require('@tensorflow/tfjs-node')" >/dev/null 2>&1; }

if loads; then
  echo "tfjs-node loads: nothing to build"
  exit 0
fi
start=$(date +%s)

# npm drops an optional dependency whose install step failed: put the package back without running
# that step (the lock pins its version and integrity; --no-save leaves package.json and the lock alone).
if [ ! -f "$PKG/package.json" ]; then
  npm install --no-save --ignore-scripts --no-audit --no-fund "@tensorflow/tfjs-node@$TFJS_NODE_VERSION"
fi

# The TensorFlow library and headers: the venv's installed wheel, a given wheel, or one pip downloads.
tf_dir=""
for d in "$VENV"/lib/python3*/site-packages/tensorflow; do
  if [ -f "$d/libtensorflow_cc.so.2" ] && [ -f "$d/include/tensorflow/c/c_api.h" ]; then tf_dir="$d"; fi
done
if [ -z "$tf_dir" ]; then
  wheel_dir=.cache/tensorflow-wheel
  wheel="${TF_WHEEL:-}"
  if [ -z "$wheel" ]; then
    mkdir -p "$wheel_dir"
    wheel=$(ls "$wheel_dir"/tensorflow_cpu-"$TF_VERSION"-*.whl 2>/dev/null | head -1 || true)
    if [ -z "$wheel" ]; then
      python3 -m pip download --quiet --disable-pip-version-check --no-deps "tensorflow-cpu==$TF_VERSION" -d "$wheel_dir"
      wheel=$(ls "$wheel_dir"/tensorflow_cpu-"$TF_VERSION"-*.whl | head -1)
    fi
  fi
  unpacked="$wheel_dir/unpacked-$TF_VERSION"
  if [ ! -f "$unpacked/tensorflow/libtensorflow_cc.so.2" ]; then
    rm -rf "$unpacked"
    python3 - "$wheel" "$unpacked" <<'PY'
import sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist()
             if n in ("tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2")
             or n.startswith("tensorflow/include/")]
    # zipfile.extract keeps every member inside dest (it drops absolute parts and '..').
    for n in names:
        z.extract(n, dest)
PY
  fi
  tf_dir="$unpacked/tensorflow"
fi
tf_dir=$(cd "$tf_dir" && pwd)
echo "building tfjs-node's binding against $tf_dir"

# What binding.gyp links (-ltensorflow -ltensorflow_framework, rpath $ORIGIN/../../deps/lib) and includes.
rm -rf "$PKG/deps"
mkdir -p "$PKG/deps/lib"
ln -s "$tf_dir/libtensorflow_cc.so.2" "$PKG/deps/lib/libtensorflow.so.2"
ln -s "$tf_dir/libtensorflow_cc.so.2" "$PKG/deps/lib/libtensorflow_cc.so.2"
ln -s libtensorflow.so.2 "$PKG/deps/lib/libtensorflow.so"
ln -s "$tf_dir/libtensorflow_framework.so.2" "$PKG/deps/lib/libtensorflow_framework.so.2"
ln -s libtensorflow_framework.so.2 "$PKG/deps/lib/libtensorflow_framework.so"
ln -s "$tf_dir/include" "$PKG/deps/include"

# npm's own node-gyp, building against the installed Node's headers (npm's nodedir setting).
node_gyp="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
if [ ! -f "$node_gyp" ]; then node_gyp=$(command -v node-gyp); fi
nodedir_flag=()
nodedir=$(npm config get nodedir 2>/dev/null || true)
if [ -n "$nodedir" ] && [ "$nodedir" != "undefined" ] && [ -f "$nodedir/include/node/node_api.h" ]; then
  nodedir_flag=(--nodedir="$nodedir")
elif [ -f "$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")/include/node/node_api.h" ]; then
  nodedir_flag=(--nodedir="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")")
fi
(cd "$PKG" && node "$node_gyp" rebuild --jobs=2 "${nodedir_flag[@]}" -- \
  -Dmodule_name=tfjs_binding -Dmodule_path=./lib/napi-v8 -Dnapi_build_version=8 >/dev/null)

if ! loads; then
  echo "tfjs-node was built but does not load:" >&2
  node -e "require('@tensorflow/tfjs-node')" >&2 || true
  exit 1
fi
echo "tfjs-node $TFJS_NODE_VERSION built against TensorFlow $TF_VERSION in $(( $(date +%s) - start )) s"
