/**
 * A project whose name and node label hold terminal escape sequences
 * (`ESC ]0;pwned BEL` sets the window title, `ESC [2J` clears the screen):
 * the CLI, run as a person runs it, prints none of those bytes.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_FIXTURES as FIXTURES, aestudio } from '../helpers/cli';

// C0 controls but newline and tab, DEL, C1: none of them may reach the terminal.
const CONTROL_BYTES = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/; // eslint-disable-line no-control-regex

describe('escape sequences in project text', () => {
  it('compile prints a diagnostic naming the node label without the escape bytes or the title payload', async () => {
    const r = await aestudio('compile', join(FIXTURES, 'escape-sequences.aestudio'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Decoder "Dec  oder"');
    expect(r.stdout + r.stderr).not.toMatch(CONTROL_BYTES);
    expect(r.stdout + r.stderr).not.toContain('pwned');
  });

  it('compile of a valid project with escapes prints its spec with the bytes only as JSON escapes', async () => {
    const r = await aestudio('compile', join(FIXTURES, 'escape-sequences-ok.aestudio'));
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(CONTROL_BYTES);
  });

  it('train prints the project name in its progress and epoch lines without the escape bytes', async () => {
    const out = await mkdtemp(join(tmpdir(), 'aes-esc-'));
    const r = await aestudio('train', join(FIXTURES, 'escape-sequences-ok.aestudio'), '--epochs', '1', '--max-samples', '200', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Training "Evil  name" on MNIST digits');
    expect(r.stderr).toMatch(/epoch 1: train loss/);
    expect(r.stdout + r.stderr).not.toMatch(CONTROL_BYTES);
    expect(r.stdout + r.stderr).not.toContain('pwned');
  });
});
