import { describe, expect, it } from 'vitest';
import { failureText } from './failure-text';

describe('failureText', () => {
  it('puts one full stop between message and hint whether or not the message ends a sentence', () => {
    expect(failureText({ message: 'Could not save /x: disk full', hint: 'Free disk space.' })).toBe('Could not save /x: disk full. Free disk space.');
    expect(failureText({ message: 'Could not save /x: disk full. The previous version, if any, is unchanged.', hint: 'Free disk space.' })).toBe(
      'Could not save /x: disk full. The previous version, if any, is unchanged. Free disk space.',
    );
    expect(failureText({ message: 'Is the folder there? ', hint: 'Create it.' })).toBe('Is the folder there? Create it.');
    expect(failureText({ message: 'Stopped..', hint: '' })).toBe('Stopped.');
  });
});
