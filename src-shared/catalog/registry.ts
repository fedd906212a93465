/**
 * The one list of node kinds. The palette, inspector, compiler, project
 * loader, trainer and docs all read it; adding a kind is a file in ./kinds
 * plus one line here.
 */
import type { NodeKindDef } from './node-kind';
import type { ParamSchemaMap } from './params';
import { batchNormKind } from './kinds/batch-norm';
import { bottleneckKind } from './kinds/bottleneck';
import { decoderKind } from './kinds/decoder';
import { dropoutKind } from './kinds/dropout';
import { encoderKind } from './kinds/encoder';
import { inputKind } from './kinds/input';
import { mergeKind } from './kinds/merge';
import { noiseKind } from './kinds/noise';
import { outputKind } from './kinds/output';
import { poolingKind } from './kinds/pooling';
import { regularizerKind } from './kinds/regularizer';
import { flattenKind, reshapeKind } from './kinds/reshaping';
import { upsampleKind } from './kinds/upsample';

/** A node kind with its parameter types erased, as the registry stores it. */
export type AnyNodeKind = NodeKindDef<ParamSchemaMap>;

/** Builds a registry, refusing two definitions of one kind (a copy-paste slip would otherwise shadow one silently). */
export function createRegistry(defs: readonly AnyNodeKind[]): ReadonlyMap<string, AnyNodeKind> {
  const map = new Map<string, AnyNodeKind>();
  for (const def of defs) {
    if (map.has(def.kind)) throw new Error(`Node kind "${def.kind}" is registered twice`);
    map.set(def.kind, def);
  }
  return map;
}

/** Every node kind, by kind id, in palette order. */
export const NODE_KINDS = createRegistry([
  inputKind,
  noiseKind,
  encoderKind,
  poolingKind,
  flattenKind,
  bottleneckKind,
  regularizerKind,
  dropoutKind,
  batchNormKind,
  decoderKind,
  upsampleKind,
  reshapeKind,
  mergeKind,
  outputKind,
]);

/** The definition of `kind`, or undefined for a kind this version does not know. */
export function getNodeKind(kind: string): AnyNodeKind | undefined {
  return NODE_KINDS.get(kind);
}
