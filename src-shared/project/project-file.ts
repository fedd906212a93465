/**
 * The `.aestudio` project file: format name, version, graph, dataset choice
 * and training settings (docs/project-format.md). Files come from other
 * people, so loading is defensive: every failure names the field and says
 * what to try, and nothing here throws.
 */
import { z } from 'zod';
import { checkParamType, paramSchema } from '../catalog/params';
import { NODE_KINDS, getNodeKind } from '../catalog/registry';
import type { Graph } from '../graph/types';
import { IMPORT_FORMAT_IDS } from '../datasets/import-formats';
import { DEFAULT_TRAINING_SETTINGS, TrainingSettingsSchema } from './training-settings';

/** The `format` field every project file carries. */
export const PROJECT_FORMAT = 'autoencoder-studio-project';
/** The newest project file version this build reads and the one it writes. */
export const PROJECT_VERSION = 1;
/** Larger files are refused before parsing: no real project comes near it. */
export const MAX_PROJECT_BYTES = 16 * 1024 * 1024;
/** More nodes than any autoencoder needs; beyond it the canvas and compiler are not the right tool. */
export const MAX_NODES = 2000;

const id = z.string().min(1).max(200);
const finite = z.number().refine(Number.isFinite, 'must be a finite number');

const NodeSchema = z.object({
  id,
  kind: z.string().min(1),
  label: z.string().max(200).optional(),
  position: z.object({ x: finite, y: finite }),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
});

const EdgeSchema = z.object({ id, source: id, target: id });

/** Where a custom dataset comes from (imports are described by the training engine). */
export const DatasetImportSchema = z.object({
  format: z.enum(IMPORT_FORMAT_IDS),
  /** Path of the file or folder, relative to the project file or absolute. */
  path: z.string().min(1),
  /** Format-specific options (label column, resize, …), validated by the importer. */
  options: z.record(z.string(), z.unknown()).default({}),
});

/** The whole project file. */
export const ProjectFileSchema = z.object({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(PROJECT_VERSION),
  name: z.string().max(200).default('Untitled'),
  description: z.string().max(10000).default(''),
  graph: z.object({
    nodes: z.array(NodeSchema).max(MAX_NODES),
    edges: z.array(EdgeSchema).max(MAX_NODES * 4),
  }),
  /** Only for the input node's dataset "custom": what to import. */
  datasetImport: DatasetImportSchema.optional(),
  /** Absent, or with fields missing: the documented defaults fill the gaps (docs/project-format.md). */
  training: z.preprocess((v) => (v === undefined ? DEFAULT_TRAINING_SETTINGS : isPlainObject(v) ? { ...DEFAULT_TRAINING_SETTINGS, ...v } : v), TrainingSettingsSchema),
});
/** A loaded project. */
export type ProjectFile = z.infer<typeof ProjectFileSchema>;

/** The result of {@link parseProject}. */
export type ProjectLoadResult =
  | { ok: true; project: ProjectFile; warnings: string[] }
  | { ok: false; error: string; field?: string };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The path of the first number that is not finite, or null. JSON.parse reads
 * `1e400` as Infinity; naming it here beats zod's bare "Invalid input".
 * Iterative, so a deeply nested file cannot overflow the stack.
 */
function nonFinitePath(raw: unknown): PropertyKey[] | null {
  // Each entry links to its parent instead of copying its path: deep nesting stays linear.
  interface Entry { value: unknown; key?: PropertyKey; parent?: Entry }
  const stack: Entry[] = [{ value: raw }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const { value } = entry;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      const path: PropertyKey[] = [];
      for (let e: Entry | undefined = entry; e?.parent; e = e.parent) path.unshift(e.key!);
      return path;
    }
    if (typeof value !== 'object' || value === null) continue;
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i][1], key: entries[i][0], parent: entry });
  }
  return null;
}

/** The parameter names each raw node carries, read before zod (which silently drops `__proto__`). */
function rawParamNames(raw: Record<string, unknown>): string[][] {
  const nodes = isPlainObject(raw.graph) && Array.isArray(raw.graph.nodes) ? raw.graph.nodes : [];
  return nodes.map((n: unknown) => (isPlainObject(n) && isPlainObject(n.params) ? Object.keys(n.params) : []));
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

/** Parses and validates the text of a project file. Never throws. */
export function parseProject(text: string, source = 'the project file'): ProjectLoadResult {
  if (text.length > MAX_PROJECT_BYTES) return { ok: false, error: `${source} is ${Math.round(text.length / 1e6)} MB; project files are at most ${MAX_PROJECT_BYTES / 1e6} MB. It is probably not a project file.` };
  // Windows editors save UTF-8 with a byte-order mark; it is not part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { ok: false, error: `${source} is empty. It may have been truncated while saving; look for a recovery or backup copy.` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${source} is not valid JSON (${(e as Error).message}). It may be truncated or not a project file.` };
  }
  return validateProject(raw, source);
}

/** Validates an already-parsed project object. Never throws. */
export function validateProject(raw: unknown, source = 'the project file'): ProjectLoadResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: `${source} does not hold a project object.` };
  const head = raw as Record<string, unknown>;
  if (head.format !== PROJECT_FORMAT) {
    return { ok: false, field: 'format', error: `${source}: field "format" is ${JSON.stringify(head.format) ?? 'missing'}, expected "${PROJECT_FORMAT}". This is not an Autoencoder Studio project.` };
  }
  if (typeof head.version === 'number' && head.version > PROJECT_VERSION) {
    return { ok: false, field: 'version', error: `${source} was written by a newer Autoencoder Studio (file version ${head.version}; this one reads up to ${PROJECT_VERSION}). Update the app to open it.` };
  }
  const bad = nonFinitePath(raw);
  if (bad) {
    const field = fieldPath(bad);
    return { ok: false, field, error: `${source}: field "${field}" is not a finite number (JSON numbers too large for a double, such as 1e400, read as Infinity). Use a number within the field's range.` };
  }
  const paramNames = rawParamNames(head);
  const parsed = ProjectFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = fieldPath(issue.path);
    return { ok: false, field, error: `${source}: field "${field || '(root)'}" ${issue.message}.` };
  }
  const project = parsed.data;
  const warnings: string[] = [];
  const known = [...NODE_KINDS.keys()].join(', ');
  for (const [i, node] of project.graph.nodes.entries()) {
    const def = getNodeKind(node.kind);
    if (!def) return { ok: false, field: `graph.nodes[${i}].kind`, error: `${source}: field "graph.nodes[${i}].kind" is "${node.kind}", which this version does not know (known kinds: ${known}).` };
    for (const name of paramNames[i] ?? []) {
      const schema = paramSchema(def.params, name);
      if (!schema) {
        // Own properties only: an inherited name (constructor, toString, __proto__) is not a parameter.
        if (Object.hasOwn(node.params, name)) delete node.params[name];
        warnings.push(`Node "${node.id}": ignored the parameter "${name}", which ${def.title} nodes do not have.`);
        continue;
      }
      const value = node.params[name];
      const problem = checkParamType(schema, value);
      if (problem) return { ok: false, field: `graph.nodes[${i}].params.${name}`, error: `${source}: field "graph.nodes[${i}].params.${name}" is ${JSON.stringify(value)}: ${problem}.` };
    }
  }
  return { ok: true, project, warnings };
}

/** The editable graph of a project. */
export function projectGraph(project: ProjectFile): Graph {
  return { nodes: project.graph.nodes, edges: project.graph.edges };
}

/** The text a project is saved as: stable key order, two-space indent, trailing newline (diff-friendly). */
export function serializeProject(project: ProjectFile): string {
  return `${JSON.stringify(project, null, 2)}\n`;
}
