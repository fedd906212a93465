/**
 * The committed WebAssembly build (kernels-wasm.ts) is the build of the
 * committed kernels.c: its recorded source hash must match, and where clang
 * and lld are installed, rebuilding gives the same bytes.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ES module script without type declarations
import { compile, sourceHash } from '../../../../scripts/wasm/build-kernels.js';
import { maxRelDiff } from '../../../../tests/helpers/compare';
import { CHAIN_RELAXED_WASM_BASE64, CHAIN_WASM_BASE64, KERNELS_RELAXED_WASM_BASE64, KERNELS_SOURCE_SHA256, KERNELS_WASM_BASE64 } from './kernels-wasm';
import { bestKernelsBuild, instantiateKernels } from './wasm-kernels';

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
    for (const build of ['simd', 'relaxed-simd'] as const) {
      const module = new WebAssembly.Module(Buffer.from(build === 'simd' ? KERNELS_WASM_BASE64 : KERNELS_RELAXED_WASM_BASE64, 'base64'));
      expect(WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}:${i.kind}`), build).toEqual(['env.memory:memory']);
      expect(WebAssembly.Module.exports(module).map((e) => e.name).sort(), build).toEqual(['adam', 'add_bias', 'add_into', 'bce_grad', 'bce_sum', 'conv_filter_grad_cout1', 'conv_filter_grad_few', 'conv_filter_grad_narrow', 'conv_forward_cout1', 'conv_forward_few', 'conv_input_grad', 'copy_rows', 'gemm', 'im2col', 'max_pool_2x2_grad', 'relu_grad', 'relu_grad_bias', 'scaled_diff', 'sigmoid_grad', 'sq_diff_sum', 'sum_rows', 'sum_rows_long', 'transpose', 'upsample_nearest', 'upsample_nearest_grad']);
    }
    // The chain's module: the same kernels and its step, against a shared memory only (a private one is refused).
    for (const base64 of [CHAIN_WASM_BASE64, CHAIN_RELAXED_WASM_BASE64]) {
      const module = new WebAssembly.Module(Buffer.from(base64, 'base64'));
      expect(WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}:${i.kind}`)).toEqual(['env.memory:memory']);
      expect(WebAssembly.Module.exports(module).map((e) => e.name)).toEqual(expect.arrayContaining(['chain_step', 'chain_worker', 'gemm', 'adam']));
      expect(() => new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ initial: 1 }) } })).toThrow();
      expect(new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }) } })).toBeTruthy();
    }
  });

  it.skipIf(!hasClang)('rebuilds to the same bytes with clang (skipped without clang and lld)', () => {
    expect((compile('simd') as Buffer).toString('base64')).toBe(KERNELS_WASM_BASE64);
    expect((compile('relaxed') as Buffer).toString('base64')).toBe(KERNELS_RELAXED_WASM_BASE64);
    expect((compile('simd', true) as Buffer).toString('base64')).toBe(CHAIN_WASM_BASE64);
    expect((compile('relaxed', true) as Buffer).toString('base64')).toBe(CHAIN_RELAXED_WASM_BASE64);
  });

  it('this engine runs the relaxed build (Node 20 with the flag set at run time), and both builds compute the same GEMM', () => {
    expect(bestKernelsBuild()).toBe('relaxed-simd');
    // A 37×29 product over 53 terms (remainders in every loop), transposed left operand, bias and relu.
    const [m, n, k] = [37, 29, 53];
    const memory = new WebAssembly.Memory({ initial: 4 });
    const f32 = new Float32Array(memory.buffer);
    const rand = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    const r = rand(7);
    const [a, b, bias, c1, c2] = [0, m * k, m * k + k * n, m * k + k * n + n, m * k + k * n + n + m * n];
    for (let i = 0; i < c1; i++) f32[i] = r();
    const reference = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let t = 0; t < k; t++) acc += f32[a + t * m + i] * f32[b + t * n + j];
      reference[i * n + j] = Math.max(0, acc + f32[bias + j]);
    }
    instantiateKernels('simd', memory).gemm(a * 4, 1, m, b * 4, n, c1 * 4, n, m, n, k, bias * 4, 1);
    instantiateKernels('relaxed-simd', memory).gemm(a * 4, 1, m, b * 4, n, c2 * 4, n, m, n, k, bias * 4, 1);
    for (const [name, at] of [['simd', c1], ['relaxed-simd', c2]] as const) {
      expect(maxRelDiff(f32.slice(at, at + m * n), Float32Array.from(reference)), name).toBeLessThan(1e-5);
    }
    expect(f32.slice(c1, c1 + m * n).some((v) => v > 0)).toBe(true);
  });
});
