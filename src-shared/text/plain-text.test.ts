import { describe, expect, it } from 'vitest';
import { plainText } from './plain-text';

describe('plainText', () => {
  it('removes a window-title OSC and a clear-screen CSI whole, payload included', () => {
    expect(plainText('Evil \x1b]0;pwned\x07\x1b[2J name')).toBe('Evil  name');
    expect(plainText('a\x1b]0;pwned\x1b\\b')).toBe('ab');
  });

  it('removes C1 forms, an unterminated OSC, lone ESCs, other C0 controls, DEL and bidi overrides', () => {
    expect(plainText('a\x9b31mb\x9d0;t\x9cc')).toBe('abc');
    expect(plainText('safe\x1b]0;rest of the string')).toBe('safe');
    expect(plainText('x\x1bcy\x1b(Bz\x1b')).toBe('xyz');
    expect(plainText('a\rb\x00c\x07d\x7fe\u202ef\x85g')).toBe('abcdefg');
  });

  it('turns tabs and newlines into spaces in one-line text, keeps them in multi-line text', () => {
    expect(plainText('name\nerror: fake line\tx')).toBe('name error: fake line x');
    expect(plainText('line 1\n\tline 2\r\n', { multiline: true })).toBe('line 1\n\tline 2\n');
  });

  it('leaves ordinary text, accents, arrows and emoji as they are', () => {
    const text = 'Décodeur 784 → 64 «code» 日本 🙂 [x] (y) ~';
    expect(plainText(text)).toBe(text);
  });
});
