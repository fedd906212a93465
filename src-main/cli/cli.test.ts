/** The CLI as a person runs it: a real process, real files. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ModelSpecSchema } from '../../src-shared/compiler/model-spec';
import { TEMPLATES_DIR, TEMPLATE_FILES } from '../../tests/helpers/templates';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'tests/fixtures/projects');

async function aestudio(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'bin/aestudio.js'), ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('aestudio compile', () => {
  it.each(TEMPLATE_FILES)('prints a valid spec for %s and exits 0', async (file) => {
    const r = await aestudio('compile', join(TEMPLATES_DIR, file));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(ModelSpecSchema.safeParse(JSON.parse(r.stdout)).success).toBe(true);
  });

  it('a graph with a cycle exits 1 naming the nodes of the loop', async () => {
    const r = await aestudio('compile', join(FIXTURES, 'cycle.aestudio'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error [node code, edge loop]: These nodes form a loop: code → dec → code');
  });

  it('a shape mismatch exits 1 naming the output node and both shapes', async () => {
    const r = await aestudio('compile', join(FIXTURES, 'shape-mismatch.aestudio'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error [node output, edge e3]: The reconstruction is 500 (500 values) but the input is 28×28×1 (784 values)');
    expect(r.stderr).toContain('→ Set the units of Decoder "Decoder 784" to 784.');
  });

  it('a malformed file exits 1 saying it is not valid JSON', async () => {
    const r = await aestudio('compile', join(FIXTURES, 'malformed.aestudio'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/malformed\.aestudio is not valid JSON/);
  });

  it('a parameter of the wrong type exits 1 naming the field', async () => {
    const r = await aestudio('compile', join(FIXTURES, 'wrong-param-type.aestudio'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \[field graph\.nodes\[1\]\.params\.size\]/);
  });

  it('a missing file and a missing argument each get a plain message', async () => {
    expect(await aestudio('compile', 'nope.aestudio')).toMatchObject({ code: 1, stderr: 'error: nope.aestudio does not exist. Check the path.\n' });
    expect(await aestudio('compile')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^compile takes one project file/) });
    expect(await aestudio('frobnicate')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^Unknown command "frobnicate"/) });
  });
});
