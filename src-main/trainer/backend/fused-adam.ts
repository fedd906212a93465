/**
 * Adam as one wasm kernel call per variable. TF.js's AdamOptimizer spends
 * about 12 kernel calls per variable on every step (each a full pass over the
 * weights plus the engine's bookkeeping): 2 ms of a 12.5 ms multilayer step
 * on the wasm backend. Same update, same slot layout (m and v per variable,
 * as AdamOptimizer saves them), so weights saved by either load into the other.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, NamedTensorMap } from '@tensorflow/tfjs';

/** A named tensor as optimizers take and save them (tfjs-core does not export the type). */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}
import { heapKernel } from './heap-kernel';

export const FUSED_ADAM_KERNEL = 'AestudioAdamUpdate';

export interface AdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − β1^t and 1 − β2^t for this step t. */
  c1: number;
  c2: number;
}

/** The kernel: inputs w, m, v, g (same shape); outputs w', m', v'. */
export function fusedAdamKernel(): KernelConfig {
  return heapKernel<AdamAttrs>(FUSED_ADAM_KERNEL, ({ native, at, output }, { w, m, v, g }, a) => {
    const outs = [w, m, v].map((t) => output(t.shape));
    native.adam(at(w), at(m), at(v), at(g), at(outs[0]), at(outs[1]), at(outs[2]), tf.util.sizeFromShape(w.shape), a.learningRate, a.beta1, a.beta2, 1 - a.beta1, 1 - a.beta2, a.epsilon, a.c1, a.c2);
    return outs;
  });
}

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

export class FusedAdamOptimizer extends tf.Optimizer {
  /** Serialized as Adam: the update and the saved slots are Adam's. */
  static get className(): string {
    return 'Adam';
  }

  private firstMoments: Slot[] = [];
  private secondMoments: Slot[] = [];
  /**
   * β1^t and β2^t as TF.js keeps them: float32 running products. 1 − 0.999 in
   * float32 is 1.3e-5 off, which moves the first steps by ~1e-5 relative; kept
   * so a run steps exactly as with TF.js's AdamOptimizer (on any backend).
   */
  private accBeta1: number;
  private accBeta2: number;

  constructor(
    /** Changed between epochs by a learning-rate schedule (optimizer.ts: setLearningRate). */
    public learningRate: number,
    readonly beta1: number,
    readonly beta2: number,
    readonly epsilon: number,
  ) {
    super();
    this.accBeta1 = Math.fround(beta1);
    this.accBeta2 = Math.fround(beta2);
  }

  override applyGradients(variableGradients: NamedTensorMap | NamedTensor[]): void {
    const list = Array.isArray(variableGradients) ? variableGradients : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name] }));
    const slots = this.momentSlots(list.map(({ name }) => tf.engine().registeredVariables[name]));
    const attrs = this.nextStep();
    tf.tidy(() => {
      list.forEach(({ name, tensor: gradient }, i) => {
        if (gradient == null) return;
        const value = tf.engine().registeredVariables[name];
        const { m, v } = slots[i];
        const [w2, m2, v2] = tf.engine().runKernel(FUSED_ADAM_KERNEL, { w: value, m, v, g: gradient }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        value.assign(w2);
        m.assign(m2);
        v.assign(v2);
      });
    });
  }

  /**
   * The first and second moments of `variables` (by position, as
   * applyGradients keeps them), created as zeros where missing.
   */
  momentSlots(variables: readonly tf.Variable[]): { m: tf.Variable; v: tf.Variable }[] {
    return variables.map((value, i) => {
      this.firstMoments[i] ??= { originalName: `${value.name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      this.secondMoments[i] ??= { originalName: `${value.name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      return { m: this.firstMoments[i].variable, v: this.secondMoments[i].variable };
    });
  }

  /**
   * The constants of the next update (c1 = 1 − β1^t, c2 = 1 − β2^t), and the
   * step counted: what applyGradients uses, and what the dense chain
   * (dense-chain.ts), which applies the same update itself, asks for.
   */
  nextStep(): AdamAttrs {
    const attrs: AdamAttrs = { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, c1: Math.fround(1 - this.accBeta1), c2: Math.fround(1 - this.accBeta2) };
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(this.beta1));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(this.beta2));
    this.incrementIterations();
    return attrs;
  }

  override dispose(): void {
    tf.dispose([...this.firstMoments, ...this.secondMoments].map((s) => s.variable));
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return [await this.saveIterations(), ...[...this.firstMoments, ...this.secondMoments].map((s) => ({ name: s.originalName, tensor: s.variable }))];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const slots = await this.extractIterations(weightValues);
    this.accBeta1 = Math.fround(Math.fround(this.beta1) ** (this.iterations + 1));
    this.accBeta2 = Math.fround(Math.fround(this.beta2) ** (this.iterations + 1));
    const half = slots.length / 2;
    const toSlot = (s: NamedTensor): Slot => ({ originalName: s.name, variable: s.tensor.variable(false) });
    this.firstMoments = slots.slice(0, half).map(toSlot);
    this.secondMoments = slots.slice(half).map(toSlot);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
