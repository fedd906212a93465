import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLEAR_LINE } from './io';
import type { CliIo } from './io';
import { runCli } from './main';
import { progressPrinter } from './progress';

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/projects');

function capture(): CliIo & { text: string[]; controls: string[] } {
  const text: string[] = [];
  const controls: string[] = [];
  return { text, controls, out: (t) => void text.push(t), err: (t) => void text.push(t), control: (s) => void controls.push(s) };
}

describe('terminal-safe CLI output', () => {
  it('runCli strips escape sequences from everything a command prints (in-process compile of a hostile label)', async () => {
    const io = capture();
    expect(await runCli(['compile', join(FIXTURES, 'escape-sequences.aestudio')], io)).toBe(1);
    const all = io.text.join('');
    expect(all).toContain('Dec  oder');
    expect(all).not.toMatch(/[\x07\x1b\x9b\x9d]/); // eslint-disable-line no-control-regex
  });

  it('the TTY progress bar sends its one clear-line sequence through control(), never through the text stream', () => {
    const io = capture();
    const printer = progressPrinter(io, true);
    printer.progress({ type: 'progress', runId: 'r', epoch: 1, epochs: 2, batch: 1, batches: 4, loss: 0.5, samplesPerSec: 100, etaSeconds: 3 } as Parameters<typeof printer.progress>[0]);
    printer.line('epoch 1 done');
    expect(io.controls).toEqual([CLEAR_LINE, CLEAR_LINE]);
    expect(io.text.join('')).not.toContain('\x1b');
  });
});
