/**
 * Titles that follow their node's parameters: "Code 64" becomes "Code 16" when
 * the code's size changes, "Conv 8 → 28×28×8" becomes "Conv 16 → 28×28×16".
 * A title the person typed in this session stays theirs. (Typed-ness is not
 * written to the project file: a title read from a file follows its numbers.)
 */
import type { ParamValue } from '../../src-shared/graph/types';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The value as it appears in a title, or null for values a title does not spell (booleans, empty text). */
function spelled(v: ParamValue | undefined): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.trim() !== '') return v;
  return null;
}

/**
 * The title after `changes` to `params`: each changed value that appears in
 * the title as a whole token (not part of a longer number or word) is replaced
 * by the new one. Undefined when there is no title; the title unchanged when
 * it mentions none of the old values.
 */
export function followTitle(label: string | undefined, params: Readonly<Record<string, ParamValue>>, changes: Readonly<Record<string, ParamValue>>): string | undefined {
  if (!label) return label;
  let out = label;
  for (const [name, next] of Object.entries(changes)) {
    const before = spelled(params[name]);
    const after = spelled(next);
    if (before === null || after === null || before === after) continue;
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}._])${escape(before)}(?![\\p{L}\\p{N}_]|\\.\\d)`, 'gu'), after);
  }
  return out;
}
