/** The structure check agrees with the decoder on what it lets through, refuses what is over a limit at once, and never hangs on arbitrary bytes. */
import { encode } from '@msgpack/msgpack';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MsgpackLimitError, checkMsgpackLimits } from './msgpack-limits';
import type { MsgpackLimits } from './msgpack-limits';
import { decodeWire } from './wire';

const LIMITS: MsgpackLimits = { maxDepth: 4, maxItems: 60, maxBytes: 300, maxLength: 20 };

/** Depth and item count of a decoded value, counted as the check counts them (map keys are items). */
function measure(v: unknown): { depth: number; items: number } {
  const children = Array.isArray(v) ? v : v && typeof v === 'object' && !(v instanceof Uint8Array) ? Object.entries(v).flat() : null;
  if (!children) return { depth: 0, items: 1 };
  const inner = children.map(measure);
  return { depth: children.length > 0 ? 1 + Math.max(...inner.map((m) => m.depth)) : 0, items: 1 + inner.reduce((s, m) => s + m.items, 0) };
}

const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.integer(), fc.double().filter((x) => !Object.is(x, -0)) /* MessagePack writes -0 as the integer 0 */, fc.string({ maxLength: 400 }), fc.boolean(), fc.constant(null), fc.uint8Array({ maxLength: 400 }), tie('array'), tie('map')),
  array: fc.array(tie('value'), { maxLength: 25 }),
  map: fc.dictionary(fc.string({ maxLength: 5 }), tie('value'), { maxKeys: 25 }),
}));

describe('checkMsgpackLimits', () => {
  it('refuses exactly the values over a limit, and lets the rest decode unchanged', () => {
    fc.assert(
      fc.property(value, (v) => {
        const bytes = encode(v);
        const { depth, items } = measure(v);
        const json = JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? [...x] : x));
        const longest = Math.max(0, ...(json.match(/"[^"]*"/g) ?? []).map((s) => s.length)); // a rough bound, checked below only when small
        let refused = false;
        try {
          expect(decodeWire(bytes, LIMITS)).toEqual(v);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          refused = true;
        }
        if (depth <= LIMITS.maxDepth && items <= LIMITS.maxItems && longest < 250) expect(refused).toBe(false);
        if (depth > LIMITS.maxDepth || items > LIMITS.maxItems) expect(refused).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a 19 MB frame of nested empty arrays after the first bytes, by depth', () => {
    const bomb = new Uint8Array(19_000_000).fill(0x91);
    bomb[bomb.length - 1] = 0x90;
    expect(() => checkMsgpackLimits(bomb, { ...LIMITS, maxDepth: 64, maxItems: 1_000_000 })).toThrow(MsgpackLimitError);
    expect(() => checkMsgpackLimits(bomb, { ...LIMITS, maxDepth: 64, maxItems: 1_000_000 })).toThrow('nesting deeper than 64');
  });

  it('refuses an array header longer than allowed before reading its elements, and counts items across flat arrays', () => {
    expect(() => checkMsgpackLimits(Uint8Array.of(0xdd, 0x01, 0x00, 0x00, 0x00), LIMITS)).toThrow('an array or map of 16777216 elements (at most 20)');
    expect(() => checkMsgpackLimits(encode(Array.from({ length: 10 }, () => Array(10).fill([]))), { ...LIMITS, maxLength: 100 })).toThrow('more than 60 items');
    expect(() => checkMsgpackLimits(encode('x'.repeat(301)), LIMITS)).toThrow('a value of 301 bytes (at most 300)');
  });

  it('ends on arbitrary bytes with nothing thrown but a limit error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          checkMsgpackLimits(bytes, LIMITS);
        } catch (e) {
          expect(e).toBeInstanceOf(MsgpackLimitError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
