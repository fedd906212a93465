/**
 * The bench's pretraining line: does layer-wise pretraining change the
 * multilayer template's validation loss at equal total epochs? "Equal" counts
 * passes over the training data: a stage's epoch is one pass (through a
 * shallower network, so cheaper), so pretraining with p epochs per stage on
 * the template's two stages leaves E − 2p epochs of fine-tuning. Several
 * seeds each way, and the verdict only says "changes" when the two ranges do
 * not overlap: one seed's difference is within the spread of another's.
 */
import { pretrainPlan } from '../../src-shared/compiler/pretrain-plan';
import type { BackendName } from '../../src-shared/protocol/trainer-messages';
import { templateSpec } from '../../tests/helpers/specs';
import { runOurs } from './run-ours';

/** What the line measured (also written to bench/results.json). */
export interface PretrainComparison {
  backend: BackendName | 'auto';
  /** Passes over the training data each way. */
  totalEpochs: number;
  stages: number;
  epochsPerStage: number;
  fineTuneEpochs: number;
  seeds: number[];
  /** Final validation loss per seed, trained end to end for totalEpochs. */
  endToEnd: number[];
  /** The same with pretraining first. */
  pretrained: number[];
  /** (mean pretrained / mean end to end − 1) × 100. */
  deltaPercent: number;
  verdict: 'lower with pretraining' | 'higher with pretraining' | 'no clear change (the ranges overlap)';
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Trains the multilayer template end to end and pretrained, `seeds.length` times each, on the full MNIST split. */
export async function comparePretraining(backend: BackendName | 'auto', cacheDir: string, totalEpochs: number, seeds: number[] = [42, 43, 44]): Promise<PretrainComparison> {
  const { spec, project } = templateSpec('multilayer');
  const plan = pretrainPlan(spec);
  if (!plan.ok) throw new Error(`the multilayer template no longer pairs up for pretraining: ${plan.reason}`);
  const stages = plan.stages.length;
  const epochsPerStage = Math.max(1, Math.floor(totalEpochs / (2 * stages))); // at most half the passes go to pretraining
  const fineTuneEpochs = totalEpochs - stages * epochsPerStage;
  if (fineTuneEpochs < 1) throw new Error(`${totalEpochs} epochs leave none for fine-tuning after ${stages} stages; raise --epochs-scale`);
  const base = { ...project.training, batchSize: 128, learningRate: 0.001, optimizer: 'adam' as const };
  const endToEnd: number[] = [];
  const pretrained: number[] = [];
  for (const seed of seeds) {
    const plain = await runOurs(spec, { ...base, seed, epochs: totalEpochs }, backend, cacheDir, true);
    const pre = await runOurs(spec, { ...base, seed, epochs: fineTuneEpochs, pretrain: epochsPerStage }, backend, cacheDir, true);
    if (plain.valLoss === null || pre.valLoss === null) throw new Error('the template has no validation split');
    endToEnd.push(plain.valLoss);
    pretrained.push(pre.valLoss);
  }
  const deltaPercent = (mean(pretrained) / mean(endToEnd) - 1) * 100;
  const verdict = Math.max(...pretrained) < Math.min(...endToEnd) ? 'lower with pretraining' : Math.min(...pretrained) > Math.max(...endToEnd) ? 'higher with pretraining' : 'no clear change (the ranges overlap)';
  return { backend, totalEpochs, stages, epochsPerStage, fineTuneEpochs, seeds, endToEnd, pretrained, deltaPercent, verdict };
}

/** The line the bench prints. */
export function pretrainLine(c: PretrainComparison): string {
  const range = (xs: number[]) => `${mean(xs).toFixed(5)} (${Math.min(...xs).toFixed(5)}–${Math.max(...xs).toFixed(5)})`;
  return `Layer-wise pretraining (multilayer, ${c.backend}, ${c.totalEpochs} passes over the data, seeds ${c.seeds.join(', ')}): validation loss end to end ${range(c.endToEnd)}, pretrained (${c.stages} stages × ${c.epochsPerStage} + ${c.fineTuneEpochs} fine-tuning) ${range(c.pretrained)}: ${c.deltaPercent >= 0 ? '+' : ''}${c.deltaPercent.toFixed(1)}%, ${c.verdict}.`;
}
