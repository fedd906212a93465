/**
 * What one node kind is: its parameters, ports, shape rule and layer mapping.
 * One file per kind under ./kinds, one line per kind in ./registry.
 */
import type { Shape } from '../graph/types';
import type { LayerOp } from '../compiler/model-spec';
import type { ParamSchemaMap, ParamValues } from './params';

/**
 * How the compiler treats a kind:
 * - `input`: the source of the graph; its parameters give the sample shape.
 * - `output`: the sink; checks the reconstruction against the input and sets the loss.
 * - `code`: its output is the latent code (exactly one per graph).
 * - `layer`: anything else in the chain.
 */
export type NodeRole = 'input' | 'output' | 'code' | 'layer';

/** The rank of input a kind takes with its current parameters; the compiler flattens or reshapes to match. */
export type InputForm = 'vector' | 'image' | 'any';

/** What a kind's build step returns: layer operations, or why the parameters cannot work here. */
export type BuildOutcome =
  | {
      ok: true;
      layers: LayerOp[];
      /**
       * Where the layers branch (absent: a chain, each taking the one before it): per layer, the
       * indices of this node's earlier layers it takes (−1: the node's input) and its name suffix
       * ('' for the node's own name). A VAE's two heads both take the input; its sampling takes both.
       */
      wiring?: { takes: readonly number[]; suffix: string }[];
      /**
       * An L2 penalty for the kernel of the nearest trainable layer upstream
       * (regularizer nodes); 0 or absent means none.
       */
      upstreamKernelL2?: number;
      /** Things that compile but are probably not what the person meant. */
      warnings?: { message: string; hint: string; param?: string }[];
    }
  | { ok: false; message: string; hint: string; param?: string };

/** What a kind may know about its surroundings while building. */
export interface BuildContext {
  /** The nearest layer upstream that has weights (dense or convolution), if any. */
  previousTrainable: LayerOp | null;
}

/** Palette grouping, in the order the palette shows them. */
export type NodeCategory = 'data' | 'encode' | 'code' | 'decode' | 'branch' | 'training' | 'output';

/** One node kind. */
export interface NodeKindDef<S extends ParamSchemaMap = ParamSchemaMap> {
  /** Stable identifier stored in project files. */
  kind: string;
  /** Name shown in the palette and on the node. */
  title: string;
  /** One sentence for the palette tooltip and the docs. */
  description: string;
  /** Palette group. */
  category: NodeCategory;
  /** How the compiler treats it. */
  role: NodeRole;
  /**
   * Input and output ports. An output may feed any number of nodes; an input
   * port takes one connection, or (`many`, merges) two or more.
   */
  ports: { inputs: 0 | 1 | 'many'; outputs: 0 | 1 };
  /** Parameter schemas by name. */
  params: S;
  /** The rank of input it takes with these parameters. */
  inputForm(params: ParamValues<S>): InputForm;
  /**
   * Shape rule and layer mapping in one: the layers this node contributes
   * for the given (already rank-adapted) input. For the `input` role the
   * input is ignored and a single reshape-free source shape is returned by
   * {@link NodeKindDef.sourceShape}.
   */
  build(input: Shape, params: ParamValues<S>, context: BuildContext): BuildOutcome;
  /** For the `input` role: the sample shape its parameters describe. */
  sourceShape?(params: ParamValues<S>): number[];
}

/**
 * True when the kind takes two or more inputs (a merge): connections add to
 * its inputs instead of replacing them, and fewer than two is an error. False
 * for an unknown kind (undefined).
 */
export function takesManyInputs(def: Pick<NodeKindDef, 'ports'> | undefined): boolean {
  return def?.ports.inputs === 'many';
}

/**
 * Declares a kind with its parameter types inferred from the schema map, so
 * `build` sees `params.units` as a number without casts.
 */
export function defineNodeKind<const S extends ParamSchemaMap>(def: NodeKindDef<S>): NodeKindDef<S> {
  return def;
}
