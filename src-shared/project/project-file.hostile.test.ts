/** Project files written to mislead the loader: each is refused by name or read exactly as the format doc says. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING_SETTINGS } from './training-settings';
import { parseProject } from './project-file';

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/projects');
const fixture = (name: string) => parseProject(readFileSync(join(FIXTURES, name), 'utf8'), name);

describe('hostile project files', () => {
  it('drops parameters named after Object.prototype members (constructor, toString, hasOwnProperty, __proto__) with a warning naming each', () => {
    const r = fixture('inherited-param-names.aestudio');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const params = r.project.graph.nodes[1].params;
    expect(Object.keys(params).sort()).toEqual(['activation', 'form', 'size']);
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      expect(Object.hasOwn(params, name)).toBe(false);
      expect(r.warnings).toContain(`Node "code": ignored the parameter "${name}", which Bottleneck nodes do not have.`);
    }
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a node kind named after an Object.prototype member as unknown', () => {
    for (const kind of ['constructor', 'toString', '__proto__']) {
      const text = readFileSync(join(FIXTURES, 'partial-training.aestudio'), 'utf8').replace('"kind": "bottleneck"', `"kind": "${kind}"`);
      expect(parseProject(text, 'p')).toMatchObject({ ok: false, field: 'graph.nodes[1].kind', error: expect.stringContaining(`"${kind}", which this version does not know`) });
    }
  });

  it('fills the fields a partial training object leaves out with the documented defaults', () => {
    const r = fixture('partial-training.aestudio');
    expect(r).toMatchObject({ ok: true, warnings: [] });
    expect(r.ok && r.project.training).toEqual({ ...DEFAULT_TRAINING_SETTINGS, epochs: 3 });
  });

  it('still refuses a wrong value inside a partial training object, naming the field', () => {
    const text = readFileSync(join(FIXTURES, 'partial-training.aestudio'), 'utf8').replace('"epochs": 3', '"epochs": 3, "optimizer": "adamw"');
    expect(parseProject(text, 'p.aestudio')).toMatchObject({ ok: false, field: 'training.optimizer' });
    const notObject = readFileSync(join(FIXTURES, 'partial-training.aestudio'), 'utf8').replace(/"training": \{[^}]*\}/, '"training": 5');
    expect(parseProject(notObject, 'p.aestudio')).toMatchObject({ ok: false, field: 'training' });
  });

  it('refuses 1e400 (Infinity once parsed) as "not a finite number", naming the field', () => {
    expect(fixture('infinite-size.aestudio')).toMatchObject({
      ok: false,
      field: 'graph.nodes[1].params.size',
      error: expect.stringMatching(/^infinite-size\.aestudio: field "graph\.nodes\[1\]\.params\.size" is not a finite number/),
    });
  });

  it('refuses non-finite numbers anywhere: positions, training settings, negative overflow', () => {
    const base = readFileSync(join(FIXTURES, 'partial-training.aestudio'), 'utf8');
    expect(parseProject(base.replace('"epochs": 3', '"epochs": 3, "learningRate": -1e999'), 'p')).toMatchObject({ ok: false, field: 'training.learningRate', error: expect.stringContaining('not a finite number') });
    expect(parseProject(base.replace('"x": 300', '"x": 1e309'), 'p')).toMatchObject({ ok: false, field: 'graph.nodes[1].position.x', error: expect.stringContaining('not a finite number') });
  });

  it('reads a project saved with a UTF-8 byte-order mark', () => {
    const r = fixture('bom.aestudio');
    expect(r).toMatchObject({ ok: true, warnings: [] });
    expect(r.ok && r.project.name).toBe('Vanilla autoencoder');
  });

  it('answers a deeply nested file with an error, never a stack overflow', () => {
    const deep = `{"format":"autoencoder-studio-project","version":1,"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const r = parseProject(deep, 'deep.aestudio');
    expect(r.ok).toBe(false);
  });
});
