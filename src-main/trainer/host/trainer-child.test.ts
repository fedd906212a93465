import { afterEach, describe, expect, it, vi } from 'vitest';
import { forkLauncher } from './trainer-child';

afterEach(() => vi.restoreAllMocks());

describe('forkLauncher', () => {
  it('passes what the trainer writes to stderr through plainText: an escape sequence in its log never reaches the terminal', async () => {
    const written: string[] = [];
    const seen = new Promise<void>((resolve) => {
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        if (String(chunk).includes('marker')) resolve();
        return true;
      });
    });
    // Code run in the real trainer process before its entry: a log line quoting a hostile name.
    const log = `process.stderr.write('layer "\\x1b]0;pwned\\x07\\x1b[2Jevil" marker\\n')`;
    const child = forkLauncher(['--import', `data:text/javascript,${encodeURIComponent(log)}`])();
    try {
      await seen;
    } finally {
      child.kill();
    }
    const text = written.join('');
    expect(text).toContain('layer "evil" marker');
    expect(text).not.toMatch(/[\x07\x1b]/); // eslint-disable-line no-control-regex
  });
});
