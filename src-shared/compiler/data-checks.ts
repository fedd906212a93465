/**
 * Where the data and the graph disagree, said on the output node: the
 * compiler sees only the graph, so these checks take what loading the
 * dataset found as well. Warnings: training still runs, but learns badly.
 */
import type { DatasetSummary } from '../datasets/dataset-ref';
import type { GraphNode } from '../graph/types';
import type { Diagnostic } from './diagnostics';
import { describeNode } from './diagnostics';

/** The range of the values the model is trained on, from what loading found; null when only the data itself can say (standardised). */
export function trainingRange(summary: DatasetSummary): [number, number] | null {
  if (summary.normalization === 'scaled-0-1') return [0, 1];
  if (summary.normalization === 'none') return summary.sourceRange;
  return null;
}

/** Diagnostics for an output node whose activation or loss does not suit the data. */
export function dataDiagnostics(nodes: readonly Pick<GraphNode, 'id' | 'kind' | 'label' | 'params'>[], summary: DatasetSummary): Diagnostic[] {
  const out: Diagnostic[] = [];
  const range = trainingRange(summary);
  const outside = range === null || range[0] < 0 || range[1] > 1;
  const where = range ? `from ${+range[0].toPrecision(3)} to ${+range[1].toPrecision(3)}` : 'standardised, so also below 0 and above 1';
  for (const node of nodes) {
    if (node.kind !== 'output') continue;
    const activation = node.params.activation ?? 'sigmoid';
    const loss = node.params.loss ?? 'mse';
    if (activation === 'sigmoid' && outside) {
      out.push({
        severity: 'warning',
        code: 'data-activation',
        message: `${describeNode(node)} ends in a sigmoid, which only reaches 0…1, but ${summary.name}'s values run ${where}`,
        hint: summary.normalization === 'standardized' ? 'Use a linear output for standardised data.' : 'Use a linear output, or import the data scaled to 0…1.',
        nodeId: node.id,
        param: 'activation',
      });
    }
    if (loss === 'bce' && outside) {
      out.push({
        severity: 'warning',
        code: 'data-loss',
        message: `${describeNode(node)} uses BCE, which expects targets in 0…1, but ${summary.name}'s values run ${where}`,
        hint: 'Use MSE for data outside 0…1.',
        nodeId: node.id,
        param: 'loss',
      });
    }
  }
  return out;
}
