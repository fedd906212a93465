/** Joins two or more branches into one: residual sums, U-Net skip connections, gates. */
import type { LayerOp } from '../../compiler/model-spec';
import { defineNodeKind } from '../node-kind';

/** The layer op of each merge mode (the parameter's options are this table's keys). */
const MERGE_OPS = { add: 'add', concat: 'concatenate', multiply: 'multiply' } as const satisfies Record<string, LayerOp['type']>;
type MergeMode = keyof typeof MERGE_OPS;

export const mergeKind = defineNodeKind({
  kind: 'merge',
  title: 'Merge',
  description: 'Joins two or more branches: add or multiply (equal shapes), or concat along the channel/feature axis. Its inputs are taken in the order they were connected.',
  category: 'branch',
  role: 'layer',
  ports: { inputs: 'many', outputs: 1 },
  params: {
    mode: { type: 'enum', label: 'Mode', help: 'add: element-wise sum (equal shapes); concat: joins channels or features (other axes equal); multiply: element-wise product.', default: 'add', options: Object.keys(MERGE_OPS) },
  },
  inputForm: () => 'any',
  build(_input, p) {
    const mode = (p.mode in MERGE_OPS ? p.mode : 'add') as MergeMode;
    return { ok: true, layers: [{ type: MERGE_OPS[mode] }] };
  },
});
