/*
 * Training kernels for TF.js's wasm backend, compiled to a WebAssembly module
 * that imports the backend's own memory, so they read and write tensors where
 * they lie (pointers are the tensors' heap offsets). Built by
 * scripts/build-wasm-kernels.mjs; see gemm-kernels.ts for why they exist.
 *
 * Rules that keep this module safe inside someone else's memory: no static
 * data, no shadow stack (only scalars and vectors in locals), no calls to a C
 * library. The build script checks the compiled module for all three.
 */
#include <wasm_simd128.h>

#define EXPORT __attribute__((visibility("default")))

enum { ACT_LINEAR = 0, ACT_RELU = 1 };

static inline v128_t finish4(v128_t acc, const float *bias, int j, int act) {
  if (bias) acc = wasm_f32x4_add(acc, wasm_v128_load(bias + j));
  if (act == ACT_RELU) acc = wasm_f32x4_max(acc, wasm_f32x4_splat(0.0f));
  return acc;
}

static inline float finish1(float acc, const float *bias, int j, int act) {
  if (bias) acc += bias[j];
  if (act == ACT_RELU && acc < 0.0f) acc = 0.0f;
  return acc;
}

/*
 * C = A·B (+ bias) (then relu), C M×N row-major (row stride ldc), B K×N
 * row-major (row stride ldb). A's element (i, k) is A[i*ars + k*acs], so one
 * kernel reads A plainly (ars = K, acs = 1) or transposed (ars = 1, acs = M)
 * without a copy. B is read in place, 8 columns at a time, with A's values
 * broadcast: no packing, which XNNPACK does on every call for weights that
 * change every step. bias is 0 or N values.
 */
EXPORT void gemm(const float *A, int ars, int acs, const float *B, int ldb, float *C, int ldc,
                 int M, int N, int K, const float *bias, int act) {
  int j = 0;
  for (; j + 8 <= N; j += 8) {
    int i = 0;
    for (; i + 4 <= M; i += 4) {
      v128_t c00 = wasm_f32x4_splat(0.0f), c01 = c00, c10 = c00, c11 = c00;
      v128_t c20 = c00, c21 = c00, c30 = c00, c31 = c00;
      const float *a = A + i * ars;
      const float *b = B + j;
      for (int k = 0; k < K; k++) {
        const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
        const v128_t x0 = wasm_v128_load32_splat(a);
        const v128_t x1 = wasm_v128_load32_splat(a + ars);
        const v128_t x2 = wasm_v128_load32_splat(a + 2 * ars);
        const v128_t x3 = wasm_v128_load32_splat(a + 3 * ars);
        c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(x0, b0));
        c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(x0, b1));
        c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(x1, b0));
        c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(x1, b1));
        c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(x2, b0));
        c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(x2, b1));
        c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(x3, b0));
        c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(x3, b1));
        a += acs;
        b += ldb;
      }
      float *c = C + i * ldc + j;
      wasm_v128_store(c, finish4(c00, bias, j, act));
      wasm_v128_store(c + 4, finish4(c01, bias, j + 4, act));
      wasm_v128_store(c + ldc, finish4(c10, bias, j, act));
      wasm_v128_store(c + ldc + 4, finish4(c11, bias, j + 4, act));
      wasm_v128_store(c + 2 * ldc, finish4(c20, bias, j, act));
      wasm_v128_store(c + 2 * ldc + 4, finish4(c21, bias, j + 4, act));
      wasm_v128_store(c + 3 * ldc, finish4(c30, bias, j, act));
      wasm_v128_store(c + 3 * ldc + 4, finish4(c31, bias, j + 4, act));
    }
    for (; i < M; i++) {
      v128_t c0 = wasm_f32x4_splat(0.0f), c1 = c0;
      const float *a = A + i * ars;
      const float *b = B + j;
      for (int k = 0; k < K; k++) {
        const v128_t x = wasm_v128_load32_splat(a);
        c0 = wasm_f32x4_add(c0, wasm_f32x4_mul(x, wasm_v128_load(b)));
        c1 = wasm_f32x4_add(c1, wasm_f32x4_mul(x, wasm_v128_load(b + 4)));
        a += acs;
        b += ldb;
      }
      wasm_v128_store(C + i * ldc + j, finish4(c0, bias, j, act));
      wasm_v128_store(C + i * ldc + j + 4, finish4(c1, bias, j + 4, act));
    }
  }
  for (; j < N; j++) {
    for (int i = 0; i < M; i++) {
      float acc = 0.0f;
      for (int k = 0; k < K; k++) acc += A[i * ars + k * acs] * B[k * ldb + j];
      C[i * ldc + j] = finish1(acc, bias, j, act);
    }
  }
}

/* dst (cols × rows) = src (rows × cols) transposed, in 16×16 tiles. */
EXPORT void transpose(const float *src, int rows, int cols, float *dst) {
  for (int r0 = 0; r0 < rows; r0 += 16) {
    const int r1 = r0 + 16 < rows ? r0 + 16 : rows;
    for (int c0 = 0; c0 < cols; c0 += 16) {
      const int c1 = c0 + 16 < cols ? c0 + 16 : cols;
      for (int r = r0; r < r1; r++)
        for (int c = c0; c < c1; c++) dst[c * rows + r] = src[r * cols + c];
    }
  }
}

/*
 * One Adam step over n values, as TF.js's AdamOptimizer computes it:
 * m' = β1·m + (1−β1)·g, v' = β2·v + (1−β2)·g², w' = w − lr·(m'/c1)/(√(v'/c2) + ε)
 * with c1 = 1 − β1^t, c2 = 1 − β2^t. 1−β1 and 1−β2 come from the caller
 * (TF.js rounds them from double precision; 1.0f − β1 would differ in the
 * last bit). Writes w', m', v' to their own outputs (which may be the inputs).
 */
EXPORT void adam(const float *w, const float *m, const float *v, const float *g,
                 float *w_out, float *m_out, float *v_out, int n,
                 float lr, float beta1, float beta2, float one_minus_beta1, float one_minus_beta2,
                 float eps, float c1, float c2) {
  const v128_t b1 = wasm_f32x4_splat(beta1), nb1 = wasm_f32x4_splat(one_minus_beta1);
  const v128_t b2 = wasm_f32x4_splat(beta2), nb2 = wasm_f32x4_splat(one_minus_beta2);
  const v128_t vc1 = wasm_f32x4_splat(c1), vc2 = wasm_f32x4_splat(c2);
  const v128_t veps = wasm_f32x4_splat(eps), vlr = wasm_f32x4_splat(lr);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t gi = wasm_v128_load(g + i);
    const v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), b1), wasm_f32x4_mul(gi, nb1));
    const v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), b2), wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), nb2));
    const v128_t step = wasm_f32x4_div(wasm_f32x4_div(mi, vc1), wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(vi, vc2)), veps));
    wasm_v128_store(w_out + i, wasm_f32x4_sub(wasm_v128_load(w + i), wasm_f32x4_mul(step, vlr)));
    wasm_v128_store(m_out + i, mi);
    wasm_v128_store(v_out + i, vi);
  }
  for (; i < n; i++) {
    const float gi = g[i];
    const float mi = m[i] * beta1 + gi * one_minus_beta1;
    const float vi = v[i] * beta2 + gi * gi * one_minus_beta2;
    w_out[i] = w[i] - (mi / c1) / (__builtin_sqrtf(vi / c2) + eps) * lr;
    m_out[i] = mi;
    v_out[i] = vi;
  }
}
