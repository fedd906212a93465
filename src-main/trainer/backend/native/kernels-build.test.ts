/**
 * The committed WebAssembly build (kernels-wasm.ts) is the build of the
 * committed kernels.c: its recorded source hash must match, and where clang
 * and lld are installed, rebuilding gives the same bytes.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ES module script without type declarations
import { compile, sourceHash } from '../../../../scripts/wasm/build-kernels.js';
import { KERNELS_SOURCE_SHA256, KERNELS_WASM_BASE64 } from './kernels-wasm';

const hasClang = (() => {
  try {
    execFileSync('clang', ['--version'], { stdio: 'ignore' });
    execFileSync('wasm-ld', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('native kernels build', () => {
  it('was built from the kernels.c in the tree (else: node scripts/wasm/build-kernels.js)', () => {
    expect(KERNELS_SOURCE_SHA256).toBe(sourceHash());
    const module = new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
    expect(WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}:${i.kind}`)).toEqual(['env.memory:memory']);
    expect(WebAssembly.Module.exports(module).map((e) => e.name).sort()).toEqual(['adam', 'bce_grad', 'bce_sum', 'gemm', 'scaled_diff', 'sigmoid_grad', 'sq_diff_sum', 'sum_rows', 'transpose']);
  });

  it.skipIf(!hasClang)('rebuilds to the same bytes with clang (skipped without clang and lld)', () => {
    expect((compile() as Buffer).toString('base64')).toBe(KERNELS_WASM_BASE64);
  });
});
