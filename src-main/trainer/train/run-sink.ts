/** What a session writes as it goes, and what a resumed one starts from: the run folder's writer (outputs.ts) implements it. */
import type * as tf from '@tensorflow/tfjs';
import type { BackendMeasurement, EpochMetrics, PretrainStageMetrics } from '../../../src-shared/protocol/trainer-messages';
import type { LoadedDataset } from '../data/dataset';
import type { BuiltModel } from '../model/build-model';
import type { AfterEpoch, KeptWeights } from './epoch-controls';

/**
 * Where a run writes as it goes (its folder: outputs.ts), and what it starts
 * from when it is resumed. A run without an output folder has none.
 */
export interface RunSink {
  /** A resumed run: the epochs it already has, the checkpoint's weights and optimizer slots. */
  readonly resumeFrom: {
    epochs: EpochMetrics[];
    weightsDir: string;
    optimizerWeights: { name: string; tensor: tf.Tensor }[] | null;
    /** Where the best epoch's weights are, when the run keeps the best and they were written. */
    bestWeights: KeptWeights | null;
    /** Early stopping counts epochs without improvement after this one. */
    patienceFrom: number;
  } | null;
  /** Once the model is built, before the first epoch: checks the folder can take the run. */
  beforeFirstEpoch(info: { paramCount: number; backend: string; backendNotes: string[]; backendMeasurement: BackendMeasurement | null; threads: number; dataset: LoadedDataset['summary']; sampleSize: number }): Promise<void>;
  /** After each finished epoch, with every epoch so far: the record and a checkpoint (and the best epoch's weights when it is new and the run keeps the best). */
  epochDone(epochs: EpochMetrics[], model: BuiltModel, optimizer: tf.Optimizer, after?: AfterEpoch): Promise<void>;
  /** After each layer-wise pretraining stage, with every stage so far (train/pretrain.ts). */
  pretrainStageDone?(stages: PretrainStageMetrics[], model: BuiltModel): Promise<void>;
}
