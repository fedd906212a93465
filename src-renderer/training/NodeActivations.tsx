/**
 * The selected node's activations on a chosen validation sample, live: the
 * Design view's selection names the node, the compiled spec names its layer,
 * and the trainer is told to watch that layer only (so nothing is computed
 * for nodes nobody looks at). The sample is one of the latent plot's: chosen
 * here or by clicking a point of the plot.
 */
import { useEffect, useMemo } from 'react';
import { getNodeKind } from '../../src-shared/catalog/registry';
import { MODEL_INPUT } from '../../src-shared/compiler/model-spec';
import type { ModelSpec } from '../../src-shared/compiler/model-spec';
import { useCompiled } from '../state/compile-store';
import { useDocument } from '../state/document-store';
import { useTraining } from '../state/training-store';
import { studio } from '../studio/studio';
import { ActivationView } from './ActivationView';
import { SampleThumb } from './SampleThumb';

/** The layer whose output is the node's (its last non-inserted layer), "input" for the input node, or null when it has none. */
export function layerOfNode(spec: ModelSpec | null, nodeId: string, isInput: boolean): string | null {
  if (isInput) return MODEL_INPUT;
  return spec?.layers.filter((l) => l.nodeId === nodeId && !l.auto).at(-1)?.name ?? null;
}

/** The selected node: its id, what to call it, and the layer to watch. */
function useSelectedLayer(): { nodeId: string; title: string; layer: string | null } | null {
  const node = useDocument((s) => s.nodes.find((n) => n.selected) ?? null);
  const spec = useCompiled((s) => (s.result.ok ? s.result.spec : null));
  return useMemo(() => {
    if (!node) return null;
    const kind = getNodeKind(node.data.kind);
    return { nodeId: node.id, title: node.data.label || node.id, layer: layerOfNode(spec, node.id, kind?.role === 'input') };
  }, [node, spec]);
}

const LIVE = new Set(['starting', 'running', 'paused']);

export function NodeActivations() {
  const selected = useSelectedLayer();
  const runId = useTraining((s) => s.runId);
  const live = useTraining((s) => LIVE.has(s.status));
  const sample = useTraining((s) => s.watchSample);
  const samples = useTraining((s) => s.started?.latentSamples ?? null);
  const answer = useTraining((s) => s.activations);
  const layer = selected?.layer ?? null;

  // Tell the trainer what to watch whenever the node, the sample or the run changes; nothing when no node has a layer.
  useEffect(() => {
    if (!runId || !live) return;
    void studio()
      .training.watch(runId, layer ? { layer, sample } : null)
      .catch(() => undefined); // the run may have just ended: nothing left to watch
  }, [runId, live, layer, sample]);

  const count = samples?.count ?? 0;
  const shown = answer && answer.layer === layer && answer.sample === sample ? answer : null;
  return (
    <div className="node-activations" data-testid="node-activations">
      <div className="node-activations__head">
        {selected ? (
          <span>
            Node <strong data-testid="activations-node">{selected.title}</strong>
            {layer && layer !== MODEL_INPUT ? <span className="muted"> · layer {layer}</span> : null}
          </span>
        ) : (
          <span className="muted">Select a node in the Design view to see its activations here.</span>
        )}
        <label className="field compact inline">
          <span className="field__label">Sample</span>
          <input type="number" aria-label="Validation sample for activations" min={1} max={Math.max(1, count)} value={sample + 1} onChange={(e) => useTraining.getState().chooseSample(Math.min(Math.max(1, count), Math.max(1, Number(e.target.value) || 1)) - 1)} data-testid="activation-sample" />
        </label>
        {samples ? <SampleThumb samples={samples} index={sample} zoom={2} label={`Validation sample ${sample + 1}`} /> : null}
        <span className="muted">or click a point of the latent space</span>
      </div>
      {selected && !layer ? <div className="placeholder">This node has no layer of its own in the compiled model (fix the graph's problems, or choose another node).</div> : null}
      {layer && shown ? <ActivationView answer={shown} /> : null}
      {layer && !shown ? <div className="placeholder">{live ? 'The activations arrive before the next batch.' : 'Train to see this node\u2019s activations.'}</div> : null}
    </div>
  );
}
