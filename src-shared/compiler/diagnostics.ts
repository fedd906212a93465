/** Problems the compiler reports, each pinned to the node, edge or parameter it is about. */
import type { GraphNode } from '../graph/types';
import { getNodeKind } from '../catalog/registry';

/** Machine-readable kind of a diagnostic, for tests and for the UI to pick an icon. */
export type DiagnosticCode =
  | 'duplicate-id'
  | 'unknown-kind'
  | 'param-invalid'
  | 'dangling-edge'
  | 'bad-port'
  | 'fan-in'
  | 'merge-inputs'
  | 'merge-shapes'
  | 'bypasses-code'
  | 'cycle'
  | 'no-input'
  | 'several-inputs'
  | 'no-output'
  | 'several-outputs'
  | 'path-broken'
  | 'off-path'
  | 'no-bottleneck'
  | 'several-bottlenecks'
  | 'node-invalid'
  | 'layer-shape'
  | 'size-risk'
  | 'tensor-too-large'
  | 'no-reshape-target'
  | 'output-mismatch'
  /** The data and the graph disagree (compiler/data-checks.ts): activation or loss unsuited to the values. */
  | 'data-activation'
  | 'data-loss';

/** One problem found while compiling. */
export interface Diagnostic {
  /** Errors prevent a spec; warnings do not. */
  severity: 'error' | 'warning';
  /** What kind of problem. */
  code: DiagnosticCode;
  /** What is wrong and where, in words a person can act on. */
  message: string;
  /** What to try. */
  hint: string;
  /** The node it is about, if any. */
  nodeId?: string;
  /** The edge it is about, if any. */
  edgeId?: string;
  /** The parameter of `nodeId` it is about, if any. */
  param?: string;
  /** The node the hint says to change, where that is not `nodeId` (an output mismatch is fixed on the last decoder). */
  fixNodeId?: string;
}

/** How a node is named in messages: its kind title and its label or id, e.g. `Encoder "enc1"`. */
export function describeNode(node: Pick<GraphNode, 'id' | 'kind' | 'label'>): string {
  const title = getNodeKind(node.kind)?.title ?? node.kind;
  return `${title} "${node.label || node.id}"`;
}

/** Collects diagnostics during one compile. */
export class DiagnosticSink {
  /** Everything reported so far, in order. */
  readonly list: Diagnostic[] = [];

  /** Reports an error. */
  error(code: DiagnosticCode, message: string, hint: string, where: Pick<Diagnostic, 'nodeId' | 'edgeId' | 'param' | 'fixNodeId'> = {}): void {
    this.list.push({ severity: 'error', code, message, hint, ...where });
  }

  /** Reports a warning. */
  warn(code: DiagnosticCode, message: string, hint: string, where: Pick<Diagnostic, 'nodeId' | 'edgeId' | 'param' | 'fixNodeId'> = {}): void {
    this.list.push({ severity: 'warning', code, message, hint, ...where });
  }

  /** True once any error has been reported. */
  get hasErrors(): boolean {
    return this.list.some((d) => d.severity === 'error');
  }
}
