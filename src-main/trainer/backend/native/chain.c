/*
 * A dense chain's whole training step — forward, loss, backward, Adam — as
 * one call, split across threads. Compiled (with kernels.c, whose GEMM, loss
 * and Adam passes it calls) into a second WebAssembly module that imports a
 * *shared* memory of its own: the trainer thread and its worker threads each
 * instantiate it against the same memory and run the same step on their own
 * rows of the batch (dense-chain.ts lays the memory out and writes the header
 * below). Per step three barriers: after every thread has its rows' gradients,
 * after each has applied Adam to its share of the parameters (summing the
 * threads' gradients there), and after each has transposed its share of the
 * updated kernels for the next step's backward pass.
 *
 * Same rules as kernels.c (no static data, no shadow stack, no C library):
 * every thread's instance would otherwise share one stack at a fixed address.
 */
#include "kernels.c"

/* Header words (int32 index into the header at the pointer `h`); dense-chain.ts has the same table. */
enum {
  H_GO = 0,          /* step generation: the trainer thread bumps it to start a step */
  H_BAR_COUNT = 16,  /* threads arrived at the barrier (each on its own 64-byte line) */
  H_BAR_GEN = 32,    /* barrier generation */
  H_STOP = 48,       /* set with a last bump of H_GO: workers return */
  H_FAILED = 49,     /* set by a worker whose step trapped: the others stop waiting */
  H_THREADS = 64,
  H_LAYERS = 65,
  H_ROWS = 66,       /* rows in this step's batch */
  H_LOSS = 67,       /* LOSS_MSE or LOSS_BCE */
  H_INPUT = 68,      /* byte offset of the batch (rows × the first layer's inputs), also the target */
  H_PARAMS = 69,     /* byte offsets of the parameters and Adam's two moments (same layout) */
  H_MOM1 = 70,
  H_MOM2 = 71,
  H_GRADS = 72,      /* thread 0's gradients; thread t's at + t·H_GRADS_STRIDE */
  H_GRADS_STRIDE = 73,
  H_PARAM_COUNT = 74,
  H_SCRATCH_STRIDE = 75, /* bytes between threads' activations and deltas */
  H_DELTA_A = 76,    /* thread 0's two delta buffers */
  H_DELTA_B = 77,
  H_SPIN = 79,       /* polls before a waiting thread sleeps */
  H_PATIENCE = 80,   /* 1 ms sleeps a barrier waits for the other threads before it declares the step failed */
  H_LR = 96,         /* float32 words: Adam's constants for this step */
  H_BETA1 = 97,
  H_BETA2 = 98,
  H_OMB1 = 99,
  H_OMB2 = 100,
  H_EPS = 101,
  H_C1 = 102,
  H_C2 = 103,
  H_BCE_EPS = 104,
  H_LAYER0 = 128,    /* per layer LAYER_WORDS words: */
  L_IN = 0, L_OUT = 1, L_ACT = 2, L_W = 3, L_B = 4, L_Y = 5, L_GW = 6, L_GB = 7,
  L_WT = 8,          /* the kernel transposed (out × in), which the backward pass multiplies by; none for the first layer */
  LAYER_WORDS = 9,
  H_LOSS_PARTS = 448 /* doubles (word index; byte 1792): each thread's loss sum */
};
enum { ACT_SIGMOID = 2 };
enum { LOSS_MSE = 0, LOSS_BCE = 1 };

#define F(offset) ((float *)(__SIZE_TYPE__)(offset))

/*
 * e^x for 4 floats (Cephes' expf: 2^n · e^r, |r| ≤ ½ ln 2, degree-5
 * polynomial; x clamped to the normal range). n = round(x·log2 e) by the
 * 1.5·2^23 trick: adding it leaves n in the low mantissa bits, so 2^n's bits
 * come from an integer add and shift (V8's float floor and truncation are
 * several instructions each on x86).
 */
static inline v128_t exp4(v128_t x) {
  x = PCLAMP(x, wasm_f32x4_splat(-87.3f), wasm_f32x4_splat(88.3f));
  const v128_t magic = wasm_f32x4_splat(12582912.0f);
  const v128_t t = wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)), magic);
  const v128_t fx = wasm_f32x4_sub(t, magic);
  x = wasm_f32x4_sub(x, wasm_f32x4_mul(fx, wasm_f32x4_splat(0.693359375f)));
  x = wasm_f32x4_sub(x, wasm_f32x4_mul(fx, wasm_f32x4_splat(-2.12194440e-4f)));
  const v128_t z = wasm_f32x4_mul(x, x);
  v128_t y = wasm_f32x4_splat(1.9875691500e-4f);
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(1.3981999507e-3f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(8.3334519073e-3f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(4.1665795894e-2f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(1.6666665459e-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(5.0000001201e-1f));
  y = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(y, z), x), wasm_f32x4_splat(1.0f));
  /* bits(t) = 0x4B400000 + n; 2^n = (n + 127) << 23 */
  const v128_t pow2n = wasm_i32x4_shl(wasm_i32x4_add(t, wasm_i32x4_splat(127 - 0x4B400000)), 23);
  return wasm_f32x4_mul(y, pow2n);
}

static inline v128_t sigmoid4(v128_t x) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  return wasm_f32x4_div(one, wasm_f32x4_add(one, exp4(wasm_f32x4_neg(x))));
}

/* x = 1 / (1 + e^−x) in place, n values. */
EXPORT void sigmoid_inplace(float *x, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(x + i, sigmoid4(wasm_v128_load(x + i)));
  for (; i < n; i++) x[i] = wasm_f32x4_extract_lane(sigmoid4(wasm_f32x4_splat(x[i])), 0);
}

/*
 * Σ (p − t)² over n values, and delta = (p − t)·scale·(p(1 − p)): the squared
 * error's gradient through the output sigmoid, in one pass (the same
 * operations, in the same order, as sq_diff_sum, scaled_diff and sigmoid_grad).
 */
static double mse_sigmoid_delta(const float *t, const float *p, int n, float scale, float *delta) {
  const v128_t s = wasm_f32x4_splat(scale), one = wasm_f32x4_splat(1.0f);
  double total = 0.0;
  int i = 0;
  while (i + 4 <= n) {
    v128_t acc = wasm_f32x4_splat(0.0f);
    for (int end = i + BLOCK < n ? i + BLOCK : n; i + 4 <= end; i += 4) {
      const v128_t pi = wasm_v128_load(p + i);
      const v128_t d = wasm_f32x4_sub(pi, wasm_v128_load(t + i));
      acc = wasm_f32x4_add(acc, wasm_f32x4_mul(d, d));
      wasm_v128_store(delta + i, wasm_f32x4_mul(wasm_f32x4_mul(d, s), wasm_f32x4_mul(pi, wasm_f32x4_sub(one, pi))));
    }
    total += lane_sum(acc);
  }
  for (; i < n; i++) {
    const float d = p[i] - t[i];
    total += d * d;
    delta[i] = (d * scale) * (p[i] * (1.0f - p[i]));
  }
  return total;
}

/*
 * Σ t·log(p̂) + (1−t)·log(1−p̂) (as bce_sum), and delta = the cross-entropy's
 * gradient (as bce_grad) through the output sigmoid (as sigmoid_grad), in one pass.
 */
static double bce_sigmoid_delta(const float *t, const float *p, int n, float eps, float scale, float *delta) {
  const v128_t lo = wasm_f32x4_splat(eps), hi = wasm_f32x4_splat(1.0f - eps), one = wasm_f32x4_splat(1.0f), s = wasm_f32x4_splat(scale);
  double total = 0.0;
  int i = 0;
  while (i + 4 <= n) {
    v128_t acc = wasm_f32x4_splat(0.0f);
    for (int end = i + BLOCK < n ? i + BLOCK : n; i + 4 <= end; i += 4) {
      const v128_t pi = wasm_v128_load(p + i);
      const v128_t pc = PCLAMP(pi, lo, hi);
      const v128_t ti = wasm_v128_load(t + i);
      acc = wasm_f32x4_add(acc, wasm_f32x4_add(wasm_f32x4_mul(ti, log4(pc)), wasm_f32x4_mul(wasm_f32x4_sub(one, ti), log4(wasm_f32x4_sub(one, pc)))));
      const v128_t g = wasm_f32x4_div(wasm_f32x4_sub(pc, ti), wasm_f32x4_mul(pc, wasm_f32x4_sub(one, pc)));
      const v128_t dp = wasm_v128_and(wasm_f32x4_mul(g, s), wasm_f32x4_eq(pi, pc));
      wasm_v128_store(delta + i, wasm_f32x4_mul(dp, wasm_f32x4_mul(pi, wasm_f32x4_sub(one, pi))));
    }
    total += lane_sum(acc);
  }
  for (; i < n; i++) {
    const float pc = p[i] < eps ? eps : p[i] > 1.0f - eps ? 1.0f - eps : p[i];
    const v128_t l = log4(wasm_f32x4_make(pc, 1.0f - pc, 1.0f, 1.0f));
    total += t[i] * wasm_f32x4_extract_lane(l, 0) + (1.0f - t[i]) * wasm_f32x4_extract_lane(l, 1);
    const float dp = pc == p[i] ? (pc - t[i]) / (pc * (1.0f - pc)) * scale : 0.0f;
    delta[i] = dp * (p[i] * (1.0f - p[i]));
  }
  return total;
}

/* Thread `tid`'s rows (of `threads`) of every kernel's transpose but the first layer's. */
static void transpose_share(int *h, int tid, int threads) {
  for (int l = 1; l < h[H_LAYERS]; l++) {
    const int *ly = h + H_LAYER0 + l * LAYER_WORDS;
    const int din = ly[L_IN], dout = ly[L_OUT];
    const int r0 = (int)((long long)tid * din / threads), r1 = (int)((long long)(tid + 1) * din / threads);
    transpose_rows(F(ly[L_W]) + r0 * dout, r1 - r0, dout, F(ly[L_WT]) + r0, din);
  }
}

/* The kernels' transposes from the weights as they are now (after the weights were copied in). */
EXPORT void chain_prepare(int *h) {
  transpose_share(h, 0, 1);
}

/*
 * Waits until every thread has arrived; -1 when a thread failed (then nobody
 * waits any more), or when the others have not arrived within H_PATIENCE ms
 * (a worker that died without a word): the step fails instead of hanging.
 */
static int barrier(int *h, int threads) {
  const int gen = __atomic_load_n(h + H_BAR_GEN, __ATOMIC_ACQUIRE);
  if (__atomic_add_fetch(h + H_BAR_COUNT, 1, __ATOMIC_ACQ_REL) == threads) {
    __atomic_store_n(h + H_BAR_COUNT, 0, __ATOMIC_RELAXED);
    __atomic_add_fetch(h + H_BAR_GEN, 1, __ATOMIC_RELEASE);
    __builtin_wasm_memory_atomic_notify(h + H_BAR_GEN, threads);
    return 0;
  }
  const int spin = h[H_SPIN], patience = h[H_PATIENCE];
  for (int i = 0, slept = 0; __atomic_load_n(h + H_BAR_GEN, __ATOMIC_ACQUIRE) == gen; i++) {
    if (__atomic_load_n(h + H_FAILED, __ATOMIC_ACQUIRE)) return -1;
    if (i >= spin) {
      if (++slept > patience) {
        __atomic_store_n(h + H_FAILED, 1, __ATOMIC_RELEASE);
        __builtin_wasm_memory_atomic_notify(h + H_BAR_GEN, threads);
        return -1;
      }
      __builtin_wasm_memory_atomic_wait32(h + H_BAR_GEN, gen, 1000000LL); /* 1 ms, then look at H_FAILED again */
    }
  }
  return 0;
}

/* Thread `tid`'s share of one step: its rows' forward and backward passes, then Adam on its share of the parameters. */
static int step_part(int *h, int tid) {
  const int threads = h[H_THREADS], layers = h[H_LAYERS], rows = h[H_ROWS];
  const int r0 = (int)((long long)tid * rows / threads), r1 = (int)((long long)(tid + 1) * rows / threads), n = r1 - r0;
  const int scratch = tid * h[H_SCRATCH_STRIDE], gshift = tid * h[H_GRADS_STRIDE];
  const int *first = h + H_LAYER0, *last = h + H_LAYER0 + (layers - 1) * LAYER_WORDS;
  const float *x = F(h[H_INPUT]) + r0 * first[L_IN];
  double loss = 0.0;
  if (n > 0) {
    const float *in = x;
    for (int l = 0; l < layers; l++) {
      const int *ly = h + H_LAYER0 + l * LAYER_WORDS;
      float *y = F(ly[L_Y] + scratch);
      gemm(in, ly[L_IN], 1, F(ly[L_W]), ly[L_OUT], y, ly[L_OUT], n, ly[L_OUT], ly[L_IN], F(ly[L_B]), ly[L_ACT] == ACT_RELU ? ACT_RELU : ACT_LINEAR);
      if (ly[L_ACT] == ACT_SIGMOID) sigmoid_inplace(y, n * ly[L_OUT]);
      in = y;
    }
    /* The loss is a mean over every value of the batch; this thread's rows contribute their sum. */
    const int count = n * last[L_OUT];
    const float total = (float)((double)rows * last[L_OUT]);
    float *delta = F(h[H_DELTA_A] + scratch), *other = F(h[H_DELTA_B] + scratch);
    const float *out = F(last[L_Y] + scratch);
    /* Behind an output sigmoid the loss, its gradient and the sigmoid's are one pass. */
    const int fused = last[L_ACT] == ACT_SIGMOID;
    if (h[H_LOSS] == LOSS_BCE) {
      const float eps = ((float *)h)[H_BCE_EPS];
      if (fused) loss = -bce_sigmoid_delta(x, out, count, eps, (float)(1.0 / total), delta);
      else {
        loss = -bce_sum(x, out, count, eps);
        bce_grad(x, out, count, eps, (float)(1.0 / total), delta);
      }
    } else if (fused) {
      loss = mse_sigmoid_delta(x, out, count, (float)(2.0 / total), delta);
    } else {
      loss = sq_diff_sum(x, out, count);
      scaled_diff(x, out, count, (float)(2.0 / total), delta);
    }
    for (int l = layers - 1; l >= 0; l--) {
      const int *ly = h + H_LAYER0 + l * LAYER_WORDS;
      const int din = ly[L_IN], dout = ly[L_OUT];
      const float *y = F(ly[L_Y] + scratch);
      const float *xin = l == 0 ? x : F(ly[L_Y - LAYER_WORDS] + scratch);
      if (ly[L_ACT] == ACT_RELU) relu_grad(y, delta, n * dout, delta);
      else if (ly[L_ACT] == ACT_SIGMOID && !(fused && l == layers - 1)) sigmoid_grad(y, delta, n * dout, delta);
      gemm(xin, 1, din, delta, dout, F(ly[L_GW] + gshift), dout, din, dout, n, 0, ACT_LINEAR); /* dW = Xᵀ·dZ */
      sum_rows(delta, n, dout, F(ly[L_GB] + gshift));
      if (l > 0) {
        gemm(delta, dout, 1, F(ly[L_WT]), din, other, din, n, din, dout, 0, ACT_LINEAR); /* dX = dZ·Wᵀ */
        float *swap = delta;
        delta = other;
        other = swap;
      }
    }
  } else {
    float *g = F(h[H_GRADS] + gshift);
    for (int i = 0, p = h[H_PARAM_COUNT]; i < p; i++) g[i] = 0.0f;
  }
  ((double *)(h + H_LOSS_PARTS))[tid] = loss;
  if (barrier(h, threads) < 0) return -1;

  const int count = h[H_PARAM_COUNT];
  const int chunk = ((count + threads - 1) / threads + 3) & ~3;
  const int lo = tid * chunk, hi = lo + chunk < count ? lo + chunk : count;
  if (lo < hi) {
    float *g = F(h[H_GRADS]) + lo;
    for (int t = 1; t < threads; t++) add_into(g, F(h[H_GRADS] + t * h[H_GRADS_STRIDE]) + lo, hi - lo);
    float *w = F(h[H_PARAMS]) + lo, *m = F(h[H_MOM1]) + lo, *v = F(h[H_MOM2]) + lo;
    const float *c = (const float *)h;
    adam(w, m, v, g, w, m, v, hi - lo, c[H_LR], c[H_BETA1], c[H_BETA2], c[H_OMB1], c[H_OMB2], c[H_EPS], c[H_C1], c[H_C2]);
  }
  /* The updated kernels' transposes for the next step's backward pass, each thread a share of the rows. */
  if (barrier(h, threads) < 0) return -1;
  transpose_share(h, tid, threads);
  return barrier(h, threads);
}

/*
 * One training step on the calling thread as thread 0, the workers woken for
 * theirs. Returns the batch's summed loss (the caller divides by its values),
 * or NaN when a thread failed.
 */
EXPORT double chain_step(int *h) {
  const int threads = h[H_THREADS];
  if (threads > 1) {
    __atomic_add_fetch(h + H_GO, 1, __ATOMIC_ACQ_REL);
    __builtin_wasm_memory_atomic_notify(h + H_GO, threads);
  }
  if (step_part(h, 0) < 0) return __builtin_nan("");
  double total = 0.0;
  for (int t = 0; t < threads; t++) total += ((double *)(h + H_LOSS_PARTS))[t];
  return total;
}

/* A worker thread's loop: each bump of H_GO runs its part of a step, until H_STOP. Returns 0 when stopped, -1 when a barrier failed. */
EXPORT int chain_worker(int *h, int tid) {
  int seen = 0;
  for (;;) {
    int go;
    const int spin = h[H_SPIN];
    for (int i = 0; (go = __atomic_load_n(h + H_GO, __ATOMIC_ACQUIRE)) == seen; i++)
      if (i >= spin) __builtin_wasm_memory_atomic_wait32(h + H_GO, seen, -1LL);
    seen = go;
    if (__atomic_load_n(h + H_STOP, __ATOMIC_ACQUIRE)) return 0;
    if (step_part(h, tid) < 0) return -1;
  }
}
