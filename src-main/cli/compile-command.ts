/** `aestudio compile FILE`: the spec as JSON on stdout, or the diagnostics on stderr and exit 1. */
import { compile } from '../../src-shared/compiler/compile';
import type { Diagnostic } from '../../src-shared/compiler/diagnostics';
import { projectGraph } from '../../src-shared/project/project-file';
import { plainText } from '../../src-shared/text/plain-text';
import type { CliIo } from './io';
import { loadProjectFile } from './load-project';

/** One diagnostic as terminal lines: severity, where, what, and what to try (ids and labels from the file kept to one line each). */
export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.nodeId && `node ${d.nodeId}`, d.param && `param ${d.param}`, d.edgeId && `edge ${d.edgeId}`].filter(Boolean).join(', ');
  return `${d.severity}${where ? ` [${plainText(where)}]` : ''}: ${plainText(d.message)}\n  → ${plainText(d.hint)}\n`;
}

/** A failed load as one error line. */
export function formatLoadError(loaded: { error: string; field?: string }): string {
  return `error${loaded.field ? ` [field ${plainText(loaded.field)}]` : ''}: ${plainText(loaded.error)}\n`;
}

/** Runs the command; resolves to the exit code. */
export async function compileCommand(file: string, io: CliIo): Promise<number> {
  const loaded = await loadProjectFile(file);
  if (!loaded.ok) {
    io.err(formatLoadError(loaded));
    return 1;
  }
  for (const w of loaded.warnings) io.err(`warning: ${plainText(w)}\n`);
  const result = compile(projectGraph(loaded.project));
  for (const d of result.diagnostics) io.err(formatDiagnostic(d));
  if (!result.ok) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    io.err(`${plainText(file)}: ${errors} error${errors === 1 ? '' : 's'}; no model spec.\n`);
    return 1;
  }
  io.out(`${JSON.stringify(result.spec, null, 2)}\n`);
  return 0;
}
