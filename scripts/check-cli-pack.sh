#!/usr/bin/env bash
# The CLI as a user gets it: build and pack the package as npm publishes it, install the
# tarball globally into a temporary prefix, and run the installed `aestudio` from another
# folder (--version, compile, one epoch of train). Also checks what the tarball holds:
# the build (out/), the templates and bin/, and no sources or tests.
# The build and pack run in a staged copy, so the checkout's out/ is never rewritten
# under other tests. The install fetches dependencies from the registry (or npm's cache).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/aes-pack-XXXXXX")
trap 'rm -rf "$WORK"' EXIT

STAGE="$WORK/stage"
mkdir -p "$STAGE"
cp -R "$ROOT"/package.json "$ROOT"/package-lock.json "$ROOT"/electron.vite.config.ts "$ROOT"/tsconfig.json \
  "$ROOT"/bin "$ROOT"/resources "$ROOT"/src-main "$ROOT"/src-shared "$ROOT"/src-renderer "$STAGE"/
ln -s "$ROOT/node_modules" "$STAGE/node_modules"
(cd "$STAGE" && npx electron-vite build > "$WORK/build.log" 2>&1) || { cat "$WORK/build.log"; exit 1; }
TARBALL=$(cd "$STAGE" && npm pack --ignore-scripts --silent --pack-destination "$WORK")

LIST=$(tar tzf "$WORK/$TARBALL")
for f in package/bin/aestudio.js package/out/main/cli.js package/out/main/trainer.js package/out/main/gradient-helper.js package/out/main/dense-chain-worker.js package/resources/templates/vanilla.aestudio; do
  grep -qx "$f" <<< "$LIST" || { echo "the tarball lacks $f"; exit 1; }
done
if grep -E '^package/(src-|tests/|e2e/|scripts/)|\.test\.' <<< "$LIST"; then echo "the tarball holds sources or tests (above)"; exit 1; fi

PREFIX="$WORK/prefix"
npm install -g --prefix "$PREFIX" --no-audit --no-fund --prefer-offline "$WORK/$TARBALL" > "$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; exit 1; }
PKG="$PREFIX/lib/node_modules/autoencoder-studio"
if [ -e "$PKG/node_modules/tsx" ]; then echo "tsx was installed with the package: it is a build tool, not a run-time dependency"; exit 1; fi

# Another folder, far from the checkout and the installed package.
mkdir -p "$WORK/elsewhere" && cd "$WORK/elsewhere"
VERSION=$("$PREFIX/bin/aestudio" --version)
EXPECTED=$(node -p "require('$ROOT/package.json').version")
[ "$VERSION" = "$EXPECTED" ] || { echo "--version printed '$VERSION', package.json says '$EXPECTED'"; exit 1; }
"$PREFIX/bin/aestudio" compile "$PKG/resources/templates/sparse.aestudio" > spec.json
grep -q '"format": "aestudio-model-spec"' spec.json || { echo "compile printed no model spec"; exit 1; }
"$PREFIX/bin/aestudio" train "$PKG/resources/templates/vanilla.aestudio" --epochs 1 --max-samples 200 --out run 2> train.log > /dev/null || { cat train.log; exit 1; }
[ -s run/weights.bin ] || { echo "train wrote no weights"; cat train.log; exit 1; }
echo "aestudio $VERSION: packed ($TARBALL, $(wc -l <<< "$LIST") files), installed, --version, compile and train ran from another folder"
