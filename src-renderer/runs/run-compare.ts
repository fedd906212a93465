/**
 * What comparing runs shows, as data: their settings under readable labels,
 * their architectures (parameters, code size) and a node-by-node diff of the
 * graphs they were trained from. Pure, so it is tested without a window.
 */
import { getNodeKind } from '../../src-shared/catalog/registry';
import type { Graph } from '../../src-shared/graph/types';
import { TRAINING_FIELDS } from '../../src-shared/project/training-fields';
import type { TrainingSettings } from '../../src-shared/project/training-settings';
import type { RunSummary } from '../../src-shared/protocol/studio-api';

/**
 * Labels of the training settings as the training form names them: the field
 * table's (src-shared/project/training-fields.ts), plus the two settings the
 * form edits elsewhere. A key neither knows reads as its words ({@link settingLabel}).
 */
export const SETTING_LABELS: Partial<Record<keyof TrainingSettings, string>> = {
  ...(Object.fromEntries(Object.entries(TRAINING_FIELDS).map(([key, field]) => [key, field.label])) as Partial<Record<keyof TrainingSettings, string>>),
  labels: 'Only labels',
  pretrain: 'Pretraining epochs per stage',
};

/** A setting's label: the form's, else "earlyStopping" read as "Early stopping". */
export function settingLabel(key: string): string {
  const known = (SETTING_LABELS as Record<string, string | undefined>)[key];
  if (known) return known;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value as a cell shows it. */
export function cellText(v: unknown): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'number') return String(+v.toPrecision(6));
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(cellText).join(', ');
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${settingLabel(k).toLowerCase()} ${cellText(x)}`)
    .join(', ');
}

/** One row of a comparison: a label, one cell per run, and whether the runs differ on it. */
export interface CompareRow {
  label: string;
  cells: string[];
  differs: boolean;
}

const row = (label: string, cells: string[]): CompareRow => ({ label, cells, differs: new Set(cells).size > 1 });

/** Every setting any of the runs has, in the form's order, then the rest. */
export function settingRows(runs: readonly Pick<RunSummary, 'settings'>[]): CompareRow[] {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.settings)))];
  const order = Object.keys(SETTING_LABELS);
  keys.sort((a, b) => (order.indexOf(a) + 1 || 999) - (order.indexOf(b) + 1 || 999));
  return keys.map((k) => row(settingLabel(k), runs.map((r) => cellText(r.settings[k]))));
}

/** Parameters and code size of each run's model. */
export function architectureRows(runs: readonly Pick<RunSummary, 'paramCount' | 'codeShape'>[]): CompareRow[] {
  return [
    row('Parameters', runs.map((r) => (r.paramCount === null || r.paramCount === undefined ? '—' : r.paramCount.toLocaleString('en')))),
    row('Code size', runs.map((r) => (r.codeShape ? `${r.codeShape.reduce((a, b) => a * b, 1)} (${r.codeShape.join('×')})` : '—'))),
  ];
}

/** How a node is named in the diff: its label, else its kind's title, with its id. */
function nodeName(n: Graph['nodes'][number]): string {
  return `${n.label || getNodeKind(n.kind)?.title || n.kind} (${n.id})`;
}

/**
 * The graphs' differences node by node (nodes matched by id): a node some
 * graphs lack, a different kind, or a parameter with different values. Null
 * graphs (the run kept no project) show as "—" and are left out of "differs".
 */
export function graphDiffRows(graphs: readonly (Graph | null)[]): CompareRow[] {
  const ids: string[] = [];
  for (const g of graphs) for (const n of g?.nodes ?? []) if (!ids.includes(n.id)) ids.push(n.id);
  const rows: CompareRow[] = [];
  const kept = graphs.map((g) => g !== null);
  const differ = (cells: string[]) => new Set(cells.filter((_, i) => kept[i])).size > 1;
  for (const id of ids) {
    const nodes = graphs.map((g) => g?.nodes.find((n) => n.id === id) ?? null);
    const first = nodes.find((n) => n !== null)!;
    const name = nodeName(first);
    const kinds = nodes.map((n, i) => (!kept[i] ? '—' : n ? (getNodeKind(n.kind)?.title ?? n.kind) : 'absent'));
    if (differ(kinds)) {
      rows.push({ label: name, cells: kinds, differs: true });
      continue;
    }
    const params = [...new Set(nodes.flatMap((n) => (n ? Object.keys(n.params) : [])))];
    for (const p of params) {
      const def = getNodeKind(first.kind)?.params[p] as { label?: string; default?: unknown } | undefined;
      const cells = nodes.map((n, i) => (!kept[i] ? '—' : cellText(n?.params[p] ?? def?.default)));
      if (differ(cells)) rows.push({ label: `${name}: ${def?.label ?? p}`, cells, differs: true });
    }
  }
  return rows;
}
