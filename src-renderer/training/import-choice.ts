/** When an import may become the project's dataset. */
import type { DatasetRef } from '../../src-shared/datasets/dataset-ref';

/**
 * Whether two dataset requests are the same, so a preview can say which
 * request it belongs to (a preview on screen may be of another dataset: the
 * built-in one chosen before "Imported…", or an import whose path was edited
 * since it loaded).
 */
export function sameRequest(a: DatasetRef | null, b: DatasetRef | null): boolean {
  return a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b);
}

/**
 * "Use for this project" acts only on data that loaded: a preview was shown
 * for exactly the import the form names now. Before anything is loaded there
 * is nothing to use, and adopting the empty form would fail only at Start,
 * with the schema's message about an empty path.
 */
export function canAdoptImport(previewOf: DatasetRef | null, form: DatasetRef): boolean {
  return form.kind !== 'builtin' && form.path.trim() !== '' && sameRequest(previewOf, form);
}
