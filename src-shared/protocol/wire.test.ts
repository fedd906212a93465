import { describe, expect, it } from 'vitest';
import { decodeWire, encodeWire } from './wire';

describe('wire codec', () => {
  it('round-trips typed arrays as typed arrays, and plain values as they are', () => {
    const payload = { points: new Float32Array([1.5, -2, 3]), labels: new Int32Array([7, 8]), pixels: new Uint8Array([0, 255]), name: 'x', n: 3, none: null };
    const back = decodeWire(encodeWire({ t: 'event', name: 'training.event', payload })) as { payload: typeof payload };
    expect(back.payload.points).toBeInstanceOf(Float32Array);
    expect(Array.from(back.payload.points)).toEqual([1.5, -2, 3]);
    expect(back.payload.labels).toBeInstanceOf(Int32Array);
    expect(Array.from(back.payload.labels)).toEqual([7, 8]);
    expect(back.payload.pixels).toBeInstanceOf(Uint8Array);
    expect(back.payload).toMatchObject({ name: 'x', n: 3, none: null });
  });

  it('keeps a Float32Array view of part of a buffer exact', () => {
    const view = new Float32Array(new Float32Array([9, 1, 2, 9]).buffer, 4, 2);
    const back = decodeWire(encodeWire({ t: 'result', id: 1, ok: true, value: view })) as { value: Float32Array };
    expect(Array.from(back.value)).toEqual([1, 2]);
  });

  it('throws on bytes that are not MessagePack', () => {
    expect(() => decodeWire(new Uint8Array([0xc1]))).toThrow();
  });
});
