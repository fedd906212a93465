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

/*
 * acc + x·b. With relaxed SIMD (the second build, -mrelaxed-simd) one fused
 * multiply-add, which doubles the GEMM's arithmetic per cycle on CPUs with
 * FMA. Clang 14 names it f32x4.fma and emits the proposal's old opcode
 * (operands a + b·c); the build script rewrites it to the standard
 * f32x4.relaxed_madd (a·b + c), hence the operand order here.
 */
#ifdef __wasm_relaxed_simd__
#define MADD(acc, x, b) __builtin_wasm_fma_f32x4((x), (b), (acc))
#else
#define MADD(acc, x, b) wasm_f32x4_add((acc), wasm_f32x4_mul((x), (b)))
#endif

/*
 * x clamped to [lo, hi] with pmin/pmax (b < a ? b : a), one x86 instruction
 * each where f32x4.min/max, which order −0 below +0 and pick NaN from either
 * side, take several. A NaN x still comes out NaN: it is the first operand.
 */
#define PCLAMP(x, lo, hi) wasm_f32x4_pmin(wasm_f32x4_pmax((x), (lo)), (hi))

static inline v128_t finish4(v128_t acc, const float *bias, int j, int act) {
  if (bias) acc = wasm_f32x4_add(acc, wasm_v128_load(bias + j));
  if (act == ACT_RELU) acc = wasm_f32x4_pmax(acc, wasm_f32x4_splat(0.0f)); /* see PCLAMP */
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
 * without a copy. B is read in place, 12, 8 or 4 columns at a time, with
 * A's values broadcast: no packing, which XNNPACK does on every call for weights that
 * change every step. bias is 0 or N values.
 */
EXPORT void gemm(const float *A, int ars, int acs, const float *B, int ldb, float *C, int ldc,
                 int M, int N, int K, const float *bias, int act) {
  int j = 0;
#ifdef __wasm_relaxed_simd__
  /*
   * With fused multiply-adds, 3 rows × 12 columns (9 accumulators) keep the
   * FMA units busier than 4 × 8: 48 → 50–58 GFLOP/s on the MNIST shapes.
   * Without them the separate multiplies need registers this tile lacks.
   */
  for (; j + 12 <= N; j += 12) {
    int i = 0;
    for (; i + 3 <= M; i += 3) {
      v128_t c00 = wasm_f32x4_splat(0.0f), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00, c20 = c00, c21 = c00, c22 = c00;
      const float *a = A + i * ars;
      const float *b = B + j;
      for (int k = 0; k < K; k++) {
        const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4), b2 = wasm_v128_load(b + 8);
        v128_t x = wasm_v128_load32_splat(a);
        c00 = MADD(c00, x, b0);
        c01 = MADD(c01, x, b1);
        c02 = MADD(c02, x, b2);
        x = wasm_v128_load32_splat(a + ars);
        c10 = MADD(c10, x, b0);
        c11 = MADD(c11, x, b1);
        c12 = MADD(c12, x, b2);
        x = wasm_v128_load32_splat(a + 2 * ars);
        c20 = MADD(c20, x, b0);
        c21 = MADD(c21, x, b1);
        c22 = MADD(c22, x, b2);
        a += acs;
        b += ldb;
      }
      float *c = C + i * ldc + j;
      wasm_v128_store(c, finish4(c00, bias, j, act));
      wasm_v128_store(c + 4, finish4(c01, bias, j + 4, act));
      wasm_v128_store(c + 8, finish4(c02, bias, j + 8, act));
      c += ldc;
      wasm_v128_store(c, finish4(c10, bias, j, act));
      wasm_v128_store(c + 4, finish4(c11, bias, j + 4, act));
      wasm_v128_store(c + 8, finish4(c12, bias, j + 8, act));
      c += ldc;
      wasm_v128_store(c, finish4(c20, bias, j, act));
      wasm_v128_store(c + 4, finish4(c21, bias, j + 4, act));
      wasm_v128_store(c + 8, finish4(c22, bias, j + 8, act));
    }
    for (; i < M; i++) {
      v128_t c0 = wasm_f32x4_splat(0.0f), c1 = c0, c2 = c0;
      const float *a = A + i * ars;
      const float *b = B + j;
      for (int k = 0; k < K; k++) {
        const v128_t x = wasm_v128_load32_splat(a);
        c0 = MADD(c0, x, wasm_v128_load(b));
        c1 = MADD(c1, x, wasm_v128_load(b + 4));
        c2 = MADD(c2, x, wasm_v128_load(b + 8));
        a += acs;
        b += ldb;
      }
      float *c = C + i * ldc + j;
      wasm_v128_store(c, finish4(c0, bias, j, act));
      wasm_v128_store(c + 4, finish4(c1, bias, j + 4, act));
      wasm_v128_store(c + 8, finish4(c2, bias, j + 8, act));
    }
  }
#endif
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
        c00 = MADD(c00, x0, b0);
        c01 = MADD(c01, x0, b1);
        c10 = MADD(c10, x1, b0);
        c11 = MADD(c11, x1, b1);
        c20 = MADD(c20, x2, b0);
        c21 = MADD(c21, x2, b1);
        c30 = MADD(c30, x3, b0);
        c31 = MADD(c31, x3, b1);
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
        c0 = MADD(c0, x, wasm_v128_load(b));
        c1 = MADD(c1, x, wasm_v128_load(b + 4));
        a += acs;
        b += ldb;
      }
      wasm_v128_store(C + i * ldc + j, finish4(c0, bias, j, act));
      wasm_v128_store(C + i * ldc + j + 4, finish4(c1, bias, j + 4, act));
    }
  }
  /* 4 columns left (784 = 65·12 + 4, 64 = 5·12 + 4): one vector per row, 4 rows at a time. */
  for (; j + 4 <= N; j += 4) {
    int i = 0;
    for (; i + 4 <= M; i += 4) {
      v128_t c0 = wasm_f32x4_splat(0.0f), c1 = c0, c2 = c0, c3 = c0;
      const float *a = A + i * ars;
      const float *b = B + j;
      for (int k = 0; k < K; k++) {
        const v128_t bk = wasm_v128_load(b);
        c0 = MADD(c0, wasm_v128_load32_splat(a), bk);
        c1 = MADD(c1, wasm_v128_load32_splat(a + ars), bk);
        c2 = MADD(c2, wasm_v128_load32_splat(a + 2 * ars), bk);
        c3 = MADD(c3, wasm_v128_load32_splat(a + 3 * ars), bk);
        a += acs;
        b += ldb;
      }
      float *c = C + i * ldc + j;
      wasm_v128_store(c, finish4(c0, bias, j, act));
      wasm_v128_store(c + ldc, finish4(c1, bias, j, act));
      wasm_v128_store(c + 2 * ldc, finish4(c2, bias, j, act));
      wasm_v128_store(c + 3 * ldc, finish4(c3, bias, j, act));
    }
    for (; i < M; i++) {
      v128_t c0 = wasm_f32x4_splat(0.0f);
      const float *a = A + i * ars;
      const float *b = B + j;
      for (int k = 0; k < K; k++) {
        c0 = MADD(c0, wasm_v128_load32_splat(a), wasm_v128_load(b));
        a += acs;
        b += ldb;
      }
      wasm_v128_store(C + i * ldc + j, finish4(c0, bias, j, act));
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

/*
 * dst[c·ld + r] = src[r·cols + c] for r < rows, in 16×16 tiles: the rows of a
 * matrix into the columns of its transpose, whose rows are ld long (ld = rows
 * for a whole transpose; chain.c transposes a share of the rows per thread).
 */
static inline __attribute__((always_inline)) void transpose_rows(const float *src, int rows, int cols, float *dst, int ld) {
  for (int r0 = 0; r0 < rows; r0 += 16) {
    const int r1 = r0 + 16 < rows ? r0 + 16 : rows;
    for (int c0 = 0; c0 < cols; c0 += 16) {
      const int c1 = c0 + 16 < cols ? c0 + 16 : cols;
      for (int r = r0; r < r1; r++)
        for (int c = c0; c < c1; c++) dst[c * ld + r] = src[r * cols + c];
    }
  }
}

/* dst (cols × rows) = src (rows × cols) transposed. */
EXPORT void transpose(const float *src, int rows, int cols, float *dst) {
  transpose_rows(src, rows, cols, dst, rows);
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

/*
 * Natural log of 4 positive normal floats (Cephes' logf: the mantissa in
 * [√½, √2) and a degree-9 polynomial; within 2 ulp of the correctly rounded log).
 */
static inline v128_t log4(v128_t x) {
  v128_t e = wasm_f32x4_convert_i32x4(wasm_i32x4_sub(wasm_u32x4_shr(x, 23), wasm_i32x4_splat(126)));
  v128_t m = wasm_v128_or(wasm_v128_and(x, wasm_i32x4_splat(0x007fffff)), wasm_i32x4_splat(0x3f000000)); /* [0.5, 1) */
  const v128_t one = wasm_f32x4_splat(1.0f);
  const v128_t small = wasm_f32x4_lt(m, wasm_f32x4_splat(0.707106781186547524f));
  e = wasm_f32x4_sub(e, wasm_v128_and(one, small));
  m = wasm_f32x4_add(wasm_f32x4_sub(m, one), wasm_v128_and(m, small));
  const v128_t z = wasm_f32x4_mul(m, m);
  v128_t y = wasm_f32x4_splat(7.0376836292e-2f);
  y = wasm_f32x4_add(wasm_f32x4_mul(y, m), wasm_f32x4_splat(-1.1514610310e-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, m), wasm_f32x4_splat(1.1676998740e-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, m), wasm_f32x4_splat(-1.2420140846e-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, m), wasm_f32x4_splat(1.4249322787e-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, m), wasm_f32x4_splat(-1.6668057665e-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, m), wasm_f32x4_splat(2.0000714765e-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, m), wasm_f32x4_splat(-2.4999993993e-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, m), wasm_f32x4_splat(3.3333331174e-1f));
  y = wasm_f32x4_mul(wasm_f32x4_mul(y, m), z);
  y = wasm_f32x4_add(y, wasm_f32x4_mul(e, wasm_f32x4_splat(-2.12194440e-4f)));
  y = wasm_f32x4_sub(y, wasm_f32x4_mul(z, wasm_f32x4_splat(0.5f)));
  return wasm_f32x4_add(wasm_f32x4_add(m, y), wasm_f32x4_mul(e, wasm_f32x4_splat(0.693359375f)));
}

static inline float lane_sum(v128_t v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3);
}

/* Partial sums run in float32 over blocks of 1024 values and add up in double. */
#define BLOCK 1024

/*
 * Σ t·log(p̂) + (1−t)·log(1−p̂) over n values, p̂ = p clipped to [eps, 1−eps]
 * (binary cross-entropy is minus this over n). n a multiple of 4 or not.
 */
EXPORT double bce_sum(const float *t, const float *p, int n, float eps) {
  const v128_t lo = wasm_f32x4_splat(eps), hi = wasm_f32x4_splat(1.0f - eps), one = wasm_f32x4_splat(1.0f);
  double total = 0.0;
  int i = 0;
  while (i + 4 <= n) {
    v128_t acc = wasm_f32x4_splat(0.0f);
    for (int end = i + BLOCK < n ? i + BLOCK : n; i + 4 <= end; i += 4) {
      const v128_t pc = PCLAMP(wasm_v128_load(p + i), lo, hi);
      const v128_t ti = wasm_v128_load(t + i);
      acc = wasm_f32x4_add(acc, wasm_f32x4_add(wasm_f32x4_mul(ti, log4(pc)), wasm_f32x4_mul(wasm_f32x4_sub(one, ti), log4(wasm_f32x4_sub(one, pc)))));
    }
    total += lane_sum(acc);
  }
  for (; i < n; i++) {
    const float pc = p[i] < eps ? eps : p[i] > 1.0f - eps ? 1.0f - eps : p[i];
    const v128_t l = log4(wasm_f32x4_make(pc, 1.0f - pc, 1.0f, 1.0f));
    total += t[i] * wasm_f32x4_extract_lane(l, 0) + (1.0f - t[i]) * wasm_f32x4_extract_lane(l, 1);
  }
  return total;
}

/*
 * Gradient of the cross-entropy above with respect to p, times scale:
 * (p̂ − t) / (p̂(1 − p̂)) · scale where p lies within the clip range, 0 outside.
 */
EXPORT void bce_grad(const float *t, const float *p, int n, float eps, float scale, float *dst) {
  const v128_t lo = wasm_f32x4_splat(eps), hi = wasm_f32x4_splat(1.0f - eps), one = wasm_f32x4_splat(1.0f), s = wasm_f32x4_splat(scale);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t pi = wasm_v128_load(p + i);
    const v128_t pc = PCLAMP(pi, lo, hi);
    const v128_t g = wasm_f32x4_div(wasm_f32x4_sub(pc, wasm_v128_load(t + i)), wasm_f32x4_mul(pc, wasm_f32x4_sub(one, pc)));
    wasm_v128_store(dst + i, wasm_v128_and(wasm_f32x4_mul(g, s), wasm_f32x4_eq(pi, pc)));
  }
  for (; i < n; i++) {
    const float pc = p[i] < eps ? eps : p[i] > 1.0f - eps ? 1.0f - eps : p[i];
    dst[i] = pc == p[i] ? (pc - t[i]) / (pc * (1.0f - pc)) * scale : 0.0f;
  }
}

/* Σ (p − t)² over n values (mean squared error is this over n). */
EXPORT double sq_diff_sum(const float *t, const float *p, int n) {
  double total = 0.0;
  int i = 0;
  while (i + 4 <= n) {
    v128_t acc = wasm_f32x4_splat(0.0f);
    for (int end = i + BLOCK < n ? i + BLOCK : n; i + 4 <= end; i += 4) {
      const v128_t d = wasm_f32x4_sub(wasm_v128_load(p + i), wasm_v128_load(t + i));
      acc = wasm_f32x4_add(acc, wasm_f32x4_mul(d, d));
    }
    total += lane_sum(acc);
  }
  for (; i < n; i++) total += (p[i] - t[i]) * (p[i] - t[i]);
  return total;
}

/* dst = (p − t) · scale: the squared error's gradient with scale = 2·dy/n. */
EXPORT void scaled_diff(const float *t, const float *p, int n, float scale, float *dst) {
  const v128_t s = wasm_f32x4_splat(scale);
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(dst + i, wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(p + i), wasm_v128_load(t + i)), s));
  for (; i < n; i++) dst[i] = (p[i] - t[i]) * scale;
}

/* dst[c] = Σ_r src[r·cols + c] in float32, SIMD over 8 columns at a time (inlined: this module makes no calls). */
static inline __attribute__((always_inline)) void sum_rows_f32(const float *src, int rows, int cols, float *dst) {
  int c = 0;
  for (; c + 8 <= cols; c += 8) {
    v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0;
    const float *s = src + c;
    for (int r = 0; r < rows; r++, s += cols) {
      a0 = wasm_f32x4_add(a0, wasm_v128_load(s));
      a1 = wasm_f32x4_add(a1, wasm_v128_load(s + 4));
    }
    wasm_v128_store(dst + c, a0);
    wasm_v128_store(dst + c + 4, a1);
  }
  for (; c < cols; c++) {
    float acc = 0.0f;
    for (int r = 0; r < rows; r++) acc += src[r * cols + c];
    dst[c] = acc;
  }
}

/* dst[c] = Σ_r src[r·cols + c]: the bias gradient, dy summed over its leading axes. */
EXPORT void sum_rows(const float *src, int rows, int cols, float *dst) {
  sum_rows_f32(src, rows, cols, dst);
}

/*
 * sum_rows for long columns (a convolution's bias gradient sums batch ×
 * pixels), in double: each 4 columns' floats widened to two f64x2 sums, so
 * rounding does not grow with the number of rows.
 */
EXPORT void sum_rows_long(const float *src, int rows, int cols, float *dst) {
  int c = 0;
  for (; c + 4 <= cols; c += 4) {
    v128_t lo = wasm_f64x2_splat(0.0), hi = lo;
    const float *s = src + c;
    for (int r = 0; r < rows; r++, s += cols) {
      const v128_t v = wasm_v128_load(s);
      lo = wasm_f64x2_add(lo, wasm_f64x2_promote_low_f32x4(v));
      hi = wasm_f64x2_add(hi, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 0, 1)));
    }
    dst[c] = (float)wasm_f64x2_extract_lane(lo, 0);
    dst[c + 1] = (float)wasm_f64x2_extract_lane(lo, 1);
    dst[c + 2] = (float)wasm_f64x2_extract_lane(hi, 0);
    dst[c + 3] = (float)wasm_f64x2_extract_lane(hi, 1);
  }
  for (; c < cols; c++) {
    double acc = 0.0;
    for (int r = 0; r < rows; r++) acc += src[r * cols + c];
    dst[c] = (float)acc;
  }
}

/* The sigmoid's gradient from its output y: dst = dy·(y·(1 − y)), in TF.js's order of operations. */
EXPORT void sigmoid_grad(const float *y, const float *dy, int n, float *dst) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t yi = wasm_v128_load(y + i);
    wasm_v128_store(dst + i, wasm_f32x4_mul(wasm_v128_load(dy + i), wasm_f32x4_mul(yi, wasm_f32x4_sub(one, yi))));
  }
  for (; i < n; i++) dst[i] = dy[i] * (y[i] * (1.0f - y[i]));
}

/* The relu's gradient from its output y: dst = dy where y > 0, else 0. */
EXPORT void relu_grad(const float *y, const float *dy, int n, float *dst) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(dst + i, wasm_v128_and(wasm_v128_load(dy + i), wasm_f32x4_gt(wasm_v128_load(y + i), zero)));
  for (; i < n; i++) dst[i] = y[i] > 0.0f ? dy[i] : 0.0f;
}

/*
 * A relu layer's gradient and its bias's in one pass: dst = dy where y > 0,
 * else 0 (as relu_grad), and db[c] = Σ_r dst[r·cols + c]. Rows go in blocks
 * of 64 (in L1 after their first column group) summed in float, each block's
 * sums added into acc (cols doubles, caller's scratch) so that rounding does
 * not grow with batch × pixels (as sum_rows_long). cols a multiple of 4.
 */
EXPORT void relu_grad_bias(const float *y, const float *dy, int rows, int cols, float *dst, float *db, double *acc) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (int c = 0; c < cols; c++) acc[c] = 0.0;
  for (int r0 = 0; r0 < rows; r0 += 64) {
    const int r1 = r0 + 64 < rows ? r0 + 64 : rows;
    for (int c = 0; c < cols; c += 4) {
      v128_t sum = zero;
      for (int r = r0; r < r1; r++) {
        const int i = r * cols + c;
        const v128_t v = wasm_v128_and(wasm_v128_load(dy + i), wasm_f32x4_gt(wasm_v128_load(y + i), zero));
        wasm_v128_store(dst + i, v);
        sum = wasm_f32x4_add(sum, v);
      }
      wasm_v128_store(acc + c, wasm_f64x2_add(wasm_v128_load(acc + c), wasm_f64x2_promote_low_f32x4(sum)));
      wasm_v128_store(acc + c + 2, wasm_f64x2_add(wasm_v128_load(acc + c + 2), wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(sum, sum, 2, 3, 0, 1))));
    }
  }
  for (int c = 0; c < cols; c++) db[c] = (float)acc[c];
}

/*
 * dst = x + bias along rows, then relu if act is ACT_RELU: dst[r·cols + c] =
 * x[r·cols + c] + bias[c] (a layer's bias, broadcast over batch and pixels).
 * dst may be x.
 */
EXPORT void add_bias(const float *x, const float *bias, int rows, int cols, int act, float *dst) {
  for (int r = 0; r < rows; r++, x += cols, dst += cols) {
    int c = 0;
    for (; c + 4 <= cols; c += 4) wasm_v128_store(dst + c, finish4(wasm_v128_load(x + c), bias, c, act));
    for (; c < cols; c++) dst[c] = finish1(x[c], bias, c, act);
  }
}

/*
 * The patches of `images` NHWC images (H × W × C) as rows, for a convolution
 * with a kh × kw kernel, strides sh, sw and padding top, left, giving Ho × Wo
 * outputs: row (image, oy, ox) holds, for each (ky, kx, c), the input at
 * (oy·sh + ky − top, ox·sw + kx − left, c), or 0 outside the image. The
 * convolution's weight gradient is then a GEMM of these rows with dy.
 */
EXPORT void im2col(const float *x, int images, int H, int W, int C, int Ho, int Wo, int kh, int kw, int sh, int sw, int top, int left, float *dst) {
  for (int b = 0; b < images; b++, x += H * W * C) {
    for (int oy = 0; oy < Ho; oy++) {
      for (int ox = 0; ox < Wo; ox++) {
        for (int ky = 0; ky < kh; ky++) {
          const int iy = oy * sh + ky - top;
          for (int kx = 0; kx < kw; kx++) {
            const int ix = ox * sw + kx - left;
            const int inside = iy >= 0 && iy < H && ix >= 0 && ix < W;
            const float *src = x + (iy * W + ix) * C;
            int c = 0;
            if (inside) {
              for (; c + 4 <= C; c += 4) wasm_v128_store(dst + c, wasm_v128_load(src + c));
              for (; c < C; c++) dst[c] = src[c];
            } else {
              for (; c + 4 <= C; c += 4) wasm_v128_store(dst + c, wasm_f32x4_splat(0.0f));
              for (; c < C; c++) dst[c] = 0.0f;
            }
            dst += C;
          }
        }
      }
    }
  }
}

/* dst += src, n values. */
EXPORT void add_into(float *dst, const float *src, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(dst + i, wasm_f32x4_add(wasm_v128_load(dst + i), wasm_v128_load(src + i)));
  for (; i < n; i++) dst[i] += src[i];
}

/*
 * Nearest-neighbour upsampling by whole factors sy, sx (the upsampling
 * layer's forward pass): y is H·sy × W·sx, each pixel a copy of x's pixel
 * (y / sy, x / sx). Each output row is built once, then copied sy − 1 times.
 * SIMD along C where it comes in fours.
 */
static inline void copy_floats(const float *src, int n, float *dst) {
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    const v128_t a = wasm_v128_load(src + i), b = wasm_v128_load(src + i + 4), c = wasm_v128_load(src + i + 8), d = wasm_v128_load(src + i + 12);
    wasm_v128_store(dst + i, a);
    wasm_v128_store(dst + i + 4, b);
    wasm_v128_store(dst + i + 8, c);
    wasm_v128_store(dst + i + 12, d);
  }
  for (; i + 4 <= n; i += 4) wasm_v128_store(dst + i, wasm_v128_load(src + i));
  for (; i < n; i++) dst[i] = src[i];
}

/*
 * rows rows of cols values from src (row stride src_stride) to dst (row
 * stride dst_stride): one input's part of a concatenation, or one part of
 * a split, along any axis (rows: the product of the axes before it).
 */
EXPORT void copy_rows(const float *src, int src_stride, float *dst, int dst_stride, int rows, int cols) {
  for (int r = 0; r < rows; r++, src += src_stride, dst += dst_stride) copy_floats(src, cols, dst);
}

EXPORT void upsample_nearest(const float *x, int batch, int H, int W, int C, int sy, int sx, float *y) {
  const int row = W * sx * C; /* one output row */
  for (int b = 0; b < batch; b++) {
    for (int r = 0; r < H; r++, x += W * C) {
      float *out = y;
      for (int p = 0; p < W; p++)
        for (int e = 0; e < sx; e++, out += C) copy_floats(x + p * C, C, out);
      for (int a = 1; a < sy; a++) copy_floats(y, row, y + a * row);
      y += sy * row;
    }
  }
}

/*
 * dx of nearest-neighbour upsampling by whole factors sy, sx (dy is
 * H·sy × W·sx, each of its pixels a copy of dx's pixel (y / sy, x / sx)):
 * each dx pixel sums its sy × sx block of dy, row by row. SIMD along C.
 */
EXPORT void upsample_nearest_grad(const float *dy, int batch, int H, int W, int C, int sy, int sx, float *dx) {
  const int row = W * sx * C; /* one dy row */
  for (int b = 0; b < batch; b++) {
    for (int y = 0; y < H; y++, dy += sy * row) {
      for (int x = 0; x < W; x++, dx += C) {
        const float *block = dy + x * sx * C;
        int c = 0;
        for (; c + 4 <= C; c += 4) {
          v128_t acc = wasm_f32x4_splat(0.0f);
          for (int a = 0; a < sy; a++)
            for (int e = 0; e < sx; e++) acc = wasm_f32x4_add(acc, wasm_v128_load(block + a * row + e * C + c));
          wasm_v128_store(dx + c, acc);
        }
        for (; c < C; c++) {
          float acc = 0.0f;
          for (int a = 0; a < sy; a++)
            for (int e = 0; e < sx; e++) acc += block[a * row + e * C + c];
          dx[c] = acc;
        }
      }
    }
  }
}

/*
 * The 2×2, stride 2 max-pooling gradient where no window reaches past an
 * edge: each dy goes to the first maximum of its window, in the order
 * (0,0) (0,1) (1,0) (1,1) (a later cell wins only if strictly greater), and
 * every other dx is 0 (rows and columns no window covers included).
 */
EXPORT void max_pool_2x2_grad(const float *dy, const float *x, int batch, int in_h, int in_w, int c, int out_h, int out_w, float *dx) {
  const int total = batch * in_h * in_w * c;
  int i = 0;
  for (; i + 4 <= total; i += 4) wasm_v128_store(dx + i, wasm_f32x4_splat(0.0f));
  for (; i < total; i++) dx[i] = 0.0f;
  const int row = in_w * c;
  for (int b = 0; b < batch; b++) {
    for (int oy = 0; oy < out_h; oy++) {
      const int top = (b * in_h + 2 * oy) * row;
      for (int ox = 0; ox < out_w; ox++) {
        const int p00 = top + 2 * ox * c, p01 = p00 + c, p10 = p00 + row, p11 = p10 + c;
        int k = 0;
        for (; k + 4 <= c; k += 4, dy += 4) {
          const v128_t x00 = wasm_v128_load(x + p00 + k), x01 = wasm_v128_load(x + p01 + k);
          const v128_t x10 = wasm_v128_load(x + p10 + k), x11 = wasm_v128_load(x + p11 + k);
          const v128_t s01 = wasm_f32x4_gt(x01, x00);
          v128_t best = wasm_v128_bitselect(x01, x00, s01);
          const v128_t s10 = wasm_f32x4_gt(x10, best);
          best = wasm_v128_bitselect(x10, best, s10);
          const v128_t s11 = wasm_f32x4_gt(x11, best);
          const v128_t g = wasm_v128_load(dy);
          wasm_v128_store(dx + p11 + k, wasm_v128_and(g, s11));
          wasm_v128_store(dx + p10 + k, wasm_v128_and(g, wasm_v128_andnot(s10, s11)));
          wasm_v128_store(dx + p01 + k, wasm_v128_and(g, wasm_v128_andnot(wasm_v128_andnot(s01, s10), s11)));
          wasm_v128_store(dx + p00 + k, wasm_v128_andnot(wasm_v128_andnot(wasm_v128_andnot(g, s01), s10), s11));
        }
        for (; k < c; k++, dy++) {
          int at = p00 + k;
          float best = x[at];
          if (x[p01 + k] > best) best = x[(at = p01 + k)];
          if (x[p10 + k] > best) best = x[(at = p10 + k)];
          if (x[p11 + k] > best) at = p11 + k;
          dx[at] = *dy;
        }
      }
    }
  }
}

/*
 * Direct convolutions for the shapes where XNNPACK and the composites are
 * slowest: one output channel, the weight gradient of one to three input
 * channels, and input gradients (above all strided ones, which the composite computes on a
 * zero-dilated gradient, stride² times the work). conv-direct.ts decides
 * which shapes come here. NHWC, the filter [kh][kw][C][Co] as TF.js stores
 * it; per image, x is H × W × C and y (or dy) Ho × Wo × Co. Tap (ky, kx) of
 * output (oy, ox) reads input (oy·sh + ky − top, ox·sw + kx − left); taps
 * outside the image read zeros. Sums over C or Co run in up to 16-value
 * blocks: four vectors a0..a3, of which the first n/4 are used (n a multiple of 4).
 */
#define BLOCK_LOAD(a, p, n) do { a##0 = wasm_v128_load((p)); if ((n) > 4) a##1 = wasm_v128_load((p) + 4); if ((n) > 8) a##2 = wasm_v128_load((p) + 8); if ((n) > 12) a##3 = wasm_v128_load((p) + 12); } while (0)
#define BLOCK_MADD(a, s, p, n) do { a##0 = MADD(a##0, (s), wasm_v128_load((p))); if ((n) > 4) a##1 = MADD(a##1, (s), wasm_v128_load((p) + 4)); if ((n) > 8) a##2 = MADD(a##2, (s), wasm_v128_load((p) + 8)); if ((n) > 12) a##3 = MADD(a##3, (s), wasm_v128_load((p) + 12)); } while (0)
#define BLOCK_STORE(p, a, n) do { wasm_v128_store((p), a##0); if ((n) > 4) wasm_v128_store((p) + 4, a##1); if ((n) > 8) wasm_v128_store((p) + 8, a##2); if ((n) > 12) wasm_v128_store((p) + 12, a##3); } while (0)
/* p += a, the block's n values (a sum over one image added into the running total). */
#define BLOCK_ADD_INTO(p, a, n) do { \
    a##0 = wasm_f32x4_add(a##0, wasm_v128_load((p))); \
    if ((n) > 4) a##1 = wasm_f32x4_add(a##1, wasm_v128_load((p) + 4)); \
    if ((n) > 8) a##2 = wasm_f32x4_add(a##2, wasm_v128_load((p) + 8)); \
    if ((n) > 12) a##3 = wasm_f32x4_add(a##3, wasm_v128_load((p) + 12)); \
    BLOCK_STORE((p), a, (n)); \
  } while (0)

static inline void zero_fill(float *dst, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(dst + i, wasm_f32x4_splat(0.0f));
  for (; i < n; i++) dst[i] = 0.0f;
}

/* y = conv(x, w) (+ bias) (then relu) with one output channel: SIMD along C, a multiple of 4. */
EXPORT void conv_forward_cout1(const float *x, const float *w, int batch, int H, int W, int C, int Ho, int Wo,
                               int kh, int kw, int sh, int sw, int top, int left, const float *bias, int act, float *y) {
  for (int b = 0; b < batch; b++, x += H * W * C) {
    for (int oy = 0; oy < Ho; oy++) {
      for (int ox = 0; ox < Wo; ox++) {
        v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
        for (int ky = 0; ky < kh; ky++) {
          const int iy = oy * sh + ky - top;
          if (iy < 0 || iy >= H) continue;
          for (int kx = 0; kx < kw; kx++) {
            const int ix = ox * sw + kx - left;
            if (ix < 0 || ix >= W) continue;
            const float *src = x + (iy * W + ix) * C;
            const float *wt = w + (ky * kw + kx) * C;
            int c = 0;
            for (; c + 16 <= C; c += 16) {
              a0 = MADD(a0, wasm_v128_load(src + c), wasm_v128_load(wt + c));
              a1 = MADD(a1, wasm_v128_load(src + c + 4), wasm_v128_load(wt + c + 4));
              a2 = MADD(a2, wasm_v128_load(src + c + 8), wasm_v128_load(wt + c + 8));
              a3 = MADD(a3, wasm_v128_load(src + c + 12), wasm_v128_load(wt + c + 12));
            }
            for (; c < C; c += 4) a0 = MADD(a0, wasm_v128_load(src + c), wasm_v128_load(wt + c));
          }
        }
        *y++ = finish1(lane_sum(wasm_f32x4_add(wasm_f32x4_add(a0, a1), wasm_f32x4_add(a2, a3))), bias, 0, act);
      }
    }
  }
}

/*
 * y = conv(x, w) (+ bias) (then relu) with 2 to 4 output channels (an RGB
 * output layer; XNNPACK runs them at a third of its usual pace): SIMD along
 * C (a multiple of 4), each input vector used for every output channel.
 * wt is the filter as [kh][kw][Co][C] (each tap's C × Co block transposed).
 * CO is a constant in each inlined copy; two sums per output channel.
 */
static inline __attribute__((always_inline)) void few_forward_pixel(const float *x, const float *wt, int H, int W, int C, int kh, int kw,
                                                                    int iy0, int ix0, int CO, const float *bias, int act, float *y) {
  const v128_t z = wasm_f32x4_splat(0.0f);
  v128_t a0 = z, a1 = z, b0 = z, b1 = z, c0 = z, c1 = z, d0 = z, d1 = z;
  for (int ky = 0; ky < kh; ky++) {
    const int iy = iy0 + ky;
    if (iy < 0 || iy >= H) continue;
    for (int kx = 0; kx < kw; kx++) {
      const int ix = ix0 + kx;
      if (ix < 0 || ix >= W) continue;
      const float *src = x + (iy * W + ix) * C;
      const float *w = wt + (ky * kw + kx) * CO * C;
      int c = 0;
      for (; c + 8 <= C; c += 8) {
        const v128_t x0 = wasm_v128_load(src + c), x1 = wasm_v128_load(src + c + 4);
        a0 = MADD(a0, x0, wasm_v128_load(w + c));
        a1 = MADD(a1, x1, wasm_v128_load(w + c + 4));
        if (CO > 1) b0 = MADD(b0, x0, wasm_v128_load(w + C + c)), b1 = MADD(b1, x1, wasm_v128_load(w + C + c + 4));
        if (CO > 2) c0 = MADD(c0, x0, wasm_v128_load(w + 2 * C + c)), c1 = MADD(c1, x1, wasm_v128_load(w + 2 * C + c + 4));
        if (CO > 3) d0 = MADD(d0, x0, wasm_v128_load(w + 3 * C + c)), d1 = MADD(d1, x1, wasm_v128_load(w + 3 * C + c + 4));
      }
      if (c < C) {
        const v128_t x0 = wasm_v128_load(src + c);
        a0 = MADD(a0, x0, wasm_v128_load(w + c));
        if (CO > 1) b0 = MADD(b0, x0, wasm_v128_load(w + C + c));
        if (CO > 2) c0 = MADD(c0, x0, wasm_v128_load(w + 2 * C + c));
        if (CO > 3) d0 = MADD(d0, x0, wasm_v128_load(w + 3 * C + c));
      }
    }
  }
  y[0] = finish1(lane_sum(wasm_f32x4_add(a0, a1)), bias, 0, act);
  if (CO > 1) y[1] = finish1(lane_sum(wasm_f32x4_add(b0, b1)), bias, 1, act);
  if (CO > 2) y[2] = finish1(lane_sum(wasm_f32x4_add(c0, c1)), bias, 2, act);
  if (CO > 3) y[3] = finish1(lane_sum(wasm_f32x4_add(d0, d1)), bias, 3, act);
}

EXPORT void conv_forward_few(const float *x, const float *wt, int batch, int H, int W, int C, int Ho, int Wo, int Co,
                             int kh, int kw, int sh, int sw, int top, int left, const float *bias, int act, float *y) {
  for (int b = 0; b < batch; b++, x += H * W * C) {
    for (int oy = 0; oy < Ho; oy++) {
      for (int ox = 0; ox < Wo; ox++, y += Co) {
        const int iy0 = oy * sh - top, ix0 = ox * sw - left;
        if (Co == 2) few_forward_pixel(x, wt, H, W, C, kh, kw, iy0, ix0, 2, bias, act, y);
        else if (Co == 3) few_forward_pixel(x, wt, H, W, C, kh, kw, iy0, ix0, 3, bias, act, y);
        else few_forward_pixel(x, wt, H, W, C, kh, kw, iy0, ix0, 4, bias, act, y);
      }
    }
  }
}

/*
 * dx of y = conv(x, w) (Conv2DBackpropInput, also a transposed convolution's
 * forward pass), gathered: each dx pixel sums, over the taps that read it
 * (strided or not, only those that exist), the dy pixel's Co values times
 * the tap's weights, in registers, and is written once. SIMD along C (a
 * multiple of 4); wt is the filter as [kh][kw][Co][C] (each tap's C × Co
 * matrix transposed). Tap ky reads dx row iy from dy row oy where
 * oy·sh = iy + top − ky: the taps ky ≡ iy + top (mod sh), oy falling by one
 * each; no division inside the pixel loop. With a bias (or act ACT_RELU) the
 * sums get the bias added (then relu) as they are stored: a transposed
 * convolution layer's whole forward pass.
 */
/* One dx pixel's block of n channels at c (n a multiple of 4, at most 16); inlined, so a constant 16 leaves no conditionals. */
static inline __attribute__((always_inline)) void gather_block(const float *dy, const float *wt, int Ho, int Wo, int Co, int C, int kh, int kw,
                                                               int sh, int sw, int ry, int oy0, int rx, int ox0, int c, int n,
                                                               const float *bias, int act, float *dst) {
  v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
  /*
   * Up to 8 channels a block has at most two sums, each a chain of dependent
   * multiply-adds: a second set for odd dy channels (four for 4 channels,
   * by dy channel mod 4) keeps four in flight (8 → 16 channels at 16×16,
   * batch 128: 3.7 → 2.9 ms; 16 → 4 at 14×14, batch 64: 1.5 → 0.9 ms).
   */
  v128_t b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  for (int ky = ry, oy = oy0; ky < kh && oy >= 0; ky += sh, oy--) {
    if (oy >= Ho) continue;
    for (int kx = rx, ox = ox0; kx < kw && ox >= 0; kx += sw, ox--) {
      if (ox >= Wo) continue;
      const float *d = dy + (oy * Wo + ox) * Co;
      const float *tap = wt + (ky * kw + kx) * Co * C + c;
      int co = 0;
      if (n == 4) { /* one vector a block: four sums, one for each dy channel mod 4 */
        for (; co + 4 <= Co; co += 4, tap += 4 * C) {
          a0 = MADD(a0, wasm_f32x4_splat(d[co]), wasm_v128_load(tap));
          b0 = MADD(b0, wasm_f32x4_splat(d[co + 1]), wasm_v128_load(tap + C));
          a1 = MADD(a1, wasm_f32x4_splat(d[co + 2]), wasm_v128_load(tap + 2 * C));
          b1 = MADD(b1, wasm_f32x4_splat(d[co + 3]), wasm_v128_load(tap + 3 * C));
        }
      }
      if (n <= 8) {
        for (; co + 2 <= Co; co += 2, tap += 2 * C) {
          const v128_t s = wasm_f32x4_splat(d[co]), t = wasm_f32x4_splat(d[co + 1]);
          BLOCK_MADD(a, s, tap, n);
          BLOCK_MADD(b, t, tap + C, n);
        }
      }
      for (; co < Co; co++, tap += C) {
        const v128_t s = wasm_f32x4_splat(d[co]);
        BLOCK_MADD(a, s, tap, n);
      }
    }
  }
  if (n == 4) {
    a0 = wasm_f32x4_add(wasm_f32x4_add(a0, b0), wasm_f32x4_add(a1, b1));
  } else if (n <= 8) {
    a0 = wasm_f32x4_add(a0, b0);
    a1 = wasm_f32x4_add(a1, b1);
  }
  (void)b2, (void)b3;
  if (bias || act != ACT_LINEAR) {
    a0 = finish4(a0, bias, c, act);
    if (n > 4) a1 = finish4(a1, bias, c + 4, act);
    if (n > 8) a2 = finish4(a2, bias, c + 8, act);
    if (n > 12) a3 = finish4(a3, bias, c + 12, act);
  }
  BLOCK_STORE(dst, a, n);
}

EXPORT void conv_input_grad(const float *dy, const float *wt, int batch, int H, int W, int C, int Ho, int Wo, int Co,
                            int kh, int kw, int sh, int sw, int top, int left, const float *bias, int act, float *dx) {
  for (int b = 0; b < batch; b++, dy += Ho * Wo * Co) {
    for (int iy = 0; iy < H; iy++) {
      const int ry = (iy + top) % sh, oy0 = (iy + top) / sh;
      int rx = left % sw, ox0 = left / sw;
      for (int ix = 0; ix < W; ix++, dx += C) {
        for (int c = 0; c < C; c += 16) {
          if (C - c >= 16) gather_block(dy, wt, Ho, Wo, Co, C, kh, kw, sh, sw, ry, oy0, rx, ox0, c, 16, bias, act, dx + c);
          /* the rest with n constant too: each its own tight loop */
          else if (C - c == 12) gather_block(dy, wt, Ho, Wo, Co, C, kh, kw, sh, sw, ry, oy0, rx, ox0, c, 12, bias, act, dx + c);
          else if (C - c == 8) gather_block(dy, wt, Ho, Wo, Co, C, kh, kw, sh, sw, ry, oy0, rx, ox0, c, 8, bias, act, dx + c);
          else gather_block(dy, wt, Ho, Wo, Co, C, kh, kw, sh, sw, ry, oy0, rx, ox0, c, 4, bias, act, dx + c);
        }
        if (++rx == sw) rx = 0, ox0++;
      }
    }
  }
}

/* The outputs o in [first, end) whose tap reads inside the input: 0 ≤ o·s + off < n_in, o < n_out (off = k − padding). */
static inline int first_inside(int off, int s) { return off >= 0 ? 0 : (-off + s - 1) / s; }
static inline int end_inside(int off, int s, int n_in, int n_out) {
  if (n_in - 1 - off < 0) return 0;
  const int e = (n_in - 1 - off) / s + 1;
  return e < n_out ? e : n_out;
}

/* One tap's sums over an image for a block of n channels (x at the block's first), added into acc; inlined as gather_block. */
static inline __attribute__((always_inline)) void cout1_block(const float *x, const float *dy, int W, int C, int Wo, int sh, int sw, int offy, int offx,
                                                              int oy_first, int oy_end, int ox_first, int ox_end, int n, float *acc) {
  v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
  for (int oy = oy_first; oy < oy_end; oy++) {
    const float *src = x + ((oy * sh + offy) * W + ox_first * sw + offx) * C;
    const float *d = dy + oy * Wo;
    for (int ox = ox_first; ox < ox_end; ox++, src += sw * C) BLOCK_MADD(a, wasm_f32x4_splat(d[ox]), src, n);
  }
  BLOCK_ADD_INTO(acc, a, n);
}

/* The same along Co for input channel c of x: x's values broadcast, dy's block of n (dy at the block's first). */
static inline __attribute__((always_inline)) void narrow_block(const float *x, const float *dy, int W, int C, int Wo, int Co, int sh, int sw, int offy, int offx,
                                                               int oy_first, int oy_end, int ox_first, int ox_end, int n, float *acc) {
  v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0;
  for (int oy = oy_first; oy < oy_end; oy++) {
    const float *src = x + ((oy * sh + offy) * W + ox_first * sw + offx) * C;
    const float *d = dy + (oy * Wo + ox_first) * Co;
    for (int ox = ox_first; ox < ox_end; ox++, src += sw * C, d += Co) BLOCK_MADD(a, wasm_f32x4_splat(*src), d, n);
  }
  BLOCK_ADD_INTO(acc, a, n);
}

/*
 * dw of y = conv(x, w) with one output channel: dw[ky][kx][c] = Σ x(tap) · dy,
 * SIMD along C (a multiple of 4). Each image's sums are added into dw
 * separately (the long sums stay per image).
 */
EXPORT void conv_filter_grad_cout1(const float *x, const float *dy, int batch, int H, int W, int C, int Ho, int Wo,
                                   int kh, int kw, int sh, int sw, int top, int left, float *dw) {
  zero_fill(dw, kh * kw * C);
  for (int b = 0; b < batch; b++, x += H * W * C, dy += Ho * Wo) {
    for (int ky = 0; ky < kh; ky++) {
      const int oy_first = first_inside(ky - top, sh), oy_end = end_inside(ky - top, sh, H, Ho);
      for (int kx = 0; kx < kw; kx++) {
        const int ox_first = first_inside(kx - left, sw), ox_end = end_inside(kx - left, sw, W, Wo);
        float *acc = dw + (ky * kw + kx) * C;
        for (int c = 0; c < C; c += 16) {
          if (C - c >= 16) cout1_block(x + c, dy, W, C, Wo, sh, sw, ky - top, kx - left, oy_first, oy_end, ox_first, ox_end, 16, acc + c);
          else cout1_block(x + c, dy, W, C, Wo, sh, sw, ky - top, kx - left, oy_first, oy_end, ox_first, ox_end, C - c, acc + c);
        }
      }
    }
  }
}

/*
 * The same for 2 to 4 output channels, each x vector used for all of them:
 * sums of n values (4 or 8) of input channel block c for each output channel
 * o added into acc + o·ostride (dy at the pixel's first channel).
 */
static inline __attribute__((always_inline)) void few_filter_block(const float *x, const float *dy, int W, int C, int Wo, int sh, int sw, int offy, int offx,
                                                                   int oy_first, int oy_end, int ox_first, int ox_end, int CO, int n, float *acc, int ostride) {
  const v128_t z = wasm_f32x4_splat(0.0f);
  v128_t a0 = z, a1 = z, b0 = z, b1 = z, c0 = z, c1 = z, d0 = z, d1 = z;
  v128_t a2 = z, a3 = z, b2 = z, b3 = z, c2 = z, c3 = z, d2 = z, d3 = z; /* unused (n ≤ 8): the block macros name them */
  for (int oy = oy_first; oy < oy_end; oy++) {
    const float *src = x + ((oy * sh + offy) * W + ox_first * sw + offx) * C;
    const float *d = dy + (oy * Wo + ox_first) * CO;
    for (int ox = ox_first; ox < ox_end; ox++, src += sw * C, d += CO) {
      const v128_t x0 = wasm_v128_load(src), x1 = n > 4 ? wasm_v128_load(src + 4) : z;
      v128_t s = wasm_f32x4_splat(d[0]);
      a0 = MADD(a0, x0, s);
      if (n > 4) a1 = MADD(a1, x1, s);
      if (CO > 1) {
        s = wasm_f32x4_splat(d[1]);
        b0 = MADD(b0, x0, s);
        if (n > 4) b1 = MADD(b1, x1, s);
      }
      if (CO > 2) {
        s = wasm_f32x4_splat(d[2]);
        c0 = MADD(c0, x0, s);
        if (n > 4) c1 = MADD(c1, x1, s);
      }
      if (CO > 3) {
        s = wasm_f32x4_splat(d[3]);
        d0 = MADD(d0, x0, s);
        if (n > 4) d1 = MADD(d1, x1, s);
      }
    }
  }
  BLOCK_ADD_INTO(acc, a, n);
  if (CO > 1) BLOCK_ADD_INTO(acc + ostride, b, n);
  if (CO > 2) BLOCK_ADD_INTO(acc + 2 * ostride, c, n);
  if (CO > 3) BLOCK_ADD_INTO(acc + 3 * ostride, d, n);
}

/*
 * dw of y = conv(x, w) with 2 to 4 output channels (C a multiple of 4): the
 * sums go to dwt as [Co][kh][kw][C] (SIMD along C), each image's added
 * separately, then dwt is transposed into dw [kh][kw][C][Co].
 */
EXPORT void conv_filter_grad_few(const float *x, const float *dy, int batch, int H, int W, int C, int Ho, int Wo, int Co,
                                 int kh, int kw, int sh, int sw, int top, int left, float *dwt, float *dw) {
  const int ostride = kh * kw * C;
  zero_fill(dwt, Co * ostride);
  for (int b = 0; b < batch; b++, x += H * W * C, dy += Ho * Wo * Co) {
    for (int ky = 0; ky < kh; ky++) {
      const int oy_first = first_inside(ky - top, sh), oy_end = end_inside(ky - top, sh, H, Ho);
      for (int kx = 0; kx < kw; kx++) {
        const int ox_first = first_inside(kx - left, sw), ox_end = end_inside(kx - left, sw, W, Wo);
        float *acc = dwt + (ky * kw + kx) * C;
        for (int c = 0; c < C; c += 8) {
          const int n = C - c >= 8 ? 8 : 4;
#define FEW_BLOCK(CO, N) few_filter_block(x + c, dy, W, C, Wo, sh, sw, ky - top, kx - left, oy_first, oy_end, ox_first, ox_end, CO, N, acc + c, ostride)
          if (Co == 2) { if (n == 8) FEW_BLOCK(2, 8); else FEW_BLOCK(2, 4); }
          else if (Co == 3) { if (n == 8) FEW_BLOCK(3, 8); else FEW_BLOCK(3, 4); }
          else { if (n == 8) FEW_BLOCK(4, 8); else FEW_BLOCK(4, 4); }
#undef FEW_BLOCK
        }
      }
    }
  }
  transpose_rows(dwt, Co, ostride, dw, Co);
}

/*
 * dw of y = conv(x, w) for few input channels: dw[ky][kx][c][co] =
 * Σ x(tap, c) · dy[co], SIMD along Co (a multiple of 4), each image's sums
 * added into dw separately.
 */
EXPORT void conv_filter_grad_narrow(const float *x, const float *dy, int batch, int H, int W, int C, int Ho, int Wo, int Co,
                                    int kh, int kw, int sh, int sw, int top, int left, float *dw) {
  zero_fill(dw, kh * kw * C * Co);
  for (int b = 0; b < batch; b++, x += H * W * C, dy += Ho * Wo * Co) {
    for (int ky = 0; ky < kh; ky++) {
      const int oy_first = first_inside(ky - top, sh), oy_end = end_inside(ky - top, sh, H, Ho);
      for (int kx = 0; kx < kw; kx++) {
        const int ox_first = first_inside(kx - left, sw), ox_end = end_inside(kx - left, sw, W, Wo);
        for (int c = 0; c < C; c++) {
          float *acc = dw + ((ky * kw + kx) * C + c) * Co;
          for (int co = 0; co < Co; co += 16) {
            if (Co - co >= 16) narrow_block(x + c, dy + co, W, C, Wo, Co, sh, sw, ky - top, kx - left, oy_first, oy_end, ox_first, ox_end, 16, acc + co);
            else narrow_block(x + c, dy + co, W, C, Wo, Co, sh, sw, ky - top, kx - left, oy_first, oy_end, ox_first, ox_end, Co - co, acc + co);
          }
        }
      }
    }
  }
}
