/**
 * Fuzzing the project loader: arbitrary text, arbitrary JSON, and templates
 * with random fields replaced by random values never make it throw; it always
 * answers with a project or with an error that names a field or says what is
 * wrong.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATES_DIR, TEMPLATE_FILES } from '../../tests/helpers/templates';
import { compile } from '../compiler/compile';
import { parseProject, projectGraph, validateProject } from './project-file';

const templates = TEMPLATE_FILES.map((f) => JSON.parse(readFileSync(join(TEMPLATES_DIR, f), 'utf8')) as unknown);

function check(result: ReturnType<typeof parseProject>): void {
  if (result.ok) {
    // Whatever loads also compiles without throwing.
    expect(() => compile(projectGraph(result.project))).not.toThrow();
  } else {
    expect(result.error.length).toBeGreaterThan(10);
  }
}

/** Paths to every value inside a JSON value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string | number, unknown>)[k], [...prefix, k]))];
}

function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[path[0]] = replaceAt(copy[path[0]], path.slice(1), replacement);
  return copy;
}

describe('project loader under fuzzing', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => check(parseProject(text))), { numRuns: 1000 });
  });

  it('never throws on arbitrary JSON values', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => check(validateProject(value))), { numRuns: 1000 });
  });

  it('never throws when any field of a template is replaced by any value, and names the field when it refuses', () => {
    const mutation = fc.integer({ min: 0, max: templates.length - 1 }).chain((t) => {
      const all = paths(templates[t]);
      return fc.record({ t: fc.constant(t), path: fc.constantFrom(...all), value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined), fc.double()) });
    });
    let refusedWithField = 0;
    fc.assert(
      fc.property(mutation, ({ t, path, value }) => {
        const r = validateProject(replaceAt(templates[t], path, value));
        check(r);
        if (!r.ok && r.field) refusedWithField++;
      }),
      { numRuns: 2000 },
    );
    expect(refusedWithField).toBeGreaterThan(100); // the fuzzer reaches refusals, and they name their field
  });
});
