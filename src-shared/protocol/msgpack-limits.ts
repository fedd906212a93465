/**
 * Bounds on a MessagePack message's structure, checked before it is decoded.
 * @msgpack/msgpack limits string, binary, array and map lengths but not
 * nesting depth or the number of items: a 19 MB frame of nested empty arrays
 * (0x91 0x91 … 0x90) took its decoder 10 s of the server's event loop. This
 * walks the bytes once, building nothing, and refuses a frame as soon as it
 * passes a limit.
 */

/** The most a message may hold. */
export interface MsgpackLimits {
  /** Deepest nesting of arrays and maps. */
  maxDepth: number;
  /** Items (values, keys, containers) in the whole message. */
  maxItems: number;
  /** Longest string, binary or extension payload, in bytes. */
  maxBytes: number;
  /** Most elements of one array, or entries of one map. */
  maxLength: number;
}

/** A message over a limit (not a malformed one: that is the decoder's to say). */
export class MsgpackLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MsgpackLimitError';
  }
}

/** Header size (type byte included) of the fixed-size types from 0xc0, and of the length-prefixed ones' length field. */
const FIXED: Record<number, number> = { 0xc0: 1, 0xc2: 1, 0xc3: 1, 0xca: 5, 0xcb: 9, 0xcc: 2, 0xcd: 3, 0xce: 5, 0xcf: 9, 0xd0: 2, 0xd1: 3, 0xd2: 5, 0xd3: 9, 0xd4: 3, 0xd5: 4, 0xd6: 6, 0xd7: 10, 0xd8: 18 };
/** Payload-carrying types: the size of their length field (ext types have one more byte, the type, after it). */
const SIZED: Record<number, { lengthBytes: 1 | 2 | 4; ext: boolean }> = {
  0xc4: { lengthBytes: 1, ext: false }, 0xc5: { lengthBytes: 2, ext: false }, 0xc6: { lengthBytes: 4, ext: false },
  0xc7: { lengthBytes: 1, ext: true }, 0xc8: { lengthBytes: 2, ext: true }, 0xc9: { lengthBytes: 4, ext: true },
  0xd9: { lengthBytes: 1, ext: false }, 0xda: { lengthBytes: 2, ext: false }, 0xdb: { lengthBytes: 4, ext: false },
};
/** Array and map types with a length field: its size, and children per element (2 for a map's key and value). */
const CONTAINERS: Record<number, { lengthBytes: 2 | 4; per: 1 | 2 }> = { 0xdc: { lengthBytes: 2, per: 1 }, 0xdd: { lengthBytes: 4, per: 1 }, 0xde: { lengthBytes: 2, per: 2 }, 0xdf: { lengthBytes: 4, per: 2 } };

/**
 * Throws MsgpackLimitError when the first MessagePack value in `bytes`
 * nests deeper, holds more items, or has a longer string, binary, array or
 * map than `limits` allow. Truncated or malformed bytes are left for the
 * decoder to refuse. O(bytes) time, O(maxDepth) memory.
 */
export function checkMsgpackLimits(bytes: Uint8Array, limits: MsgpackLimits): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const readLength = (at: number, size: 1 | 2 | 4) => (size === 1 ? view.getUint8(at) : size === 2 ? view.getUint16(at) : view.getUint32(at));
  /** Children still to read, per open container. */
  const open: number[] = [];
  let pos = 0;
  let items = 0;
  while (pos < bytes.length) {
    if (++items > limits.maxItems) throw new MsgpackLimitError(`more than ${limits.maxItems} items`);
    const b = bytes[pos];
    let children = 0;
    if (b <= 0x7f || b >= 0xe0) pos += 1; // fixint
    else if (b <= 0x8f) [children, pos] = [(b & 0x0f) * 2, pos + 1]; // fixmap
    else if (b <= 0x9f) [children, pos] = [b & 0x0f, pos + 1]; // fixarray
    else if (b <= 0xbf) pos += 1 + (b & 0x1f); // fixstr
    else if (FIXED[b] !== undefined) pos += FIXED[b];
    else if (SIZED[b] !== undefined) {
      const { lengthBytes, ext } = SIZED[b];
      if (pos + 1 + lengthBytes > bytes.length) return;
      const length = readLength(pos + 1, lengthBytes);
      if (length > limits.maxBytes) throw new MsgpackLimitError(`a value of ${length} bytes (at most ${limits.maxBytes})`);
      pos += 1 + lengthBytes + (ext ? 1 : 0) + length;
    } else if (CONTAINERS[b] !== undefined) {
      const { lengthBytes, per } = CONTAINERS[b];
      if (pos + 1 + lengthBytes > bytes.length) return;
      const length = readLength(pos + 1, lengthBytes);
      if (length > limits.maxLength) throw new MsgpackLimitError(`an array or map of ${length} elements (at most ${limits.maxLength})`);
      [children, pos] = [length * per, pos + 1 + lengthBytes];
    } else return; // 0xc1, never used: malformed, the decoder says so
    if (children > 0) {
      if (open.length >= limits.maxDepth) throw new MsgpackLimitError(`nesting deeper than ${limits.maxDepth}`);
      open.push(children);
      continue;
    }
    // A value is complete: it fills one slot of its container, which may complete that one in turn.
    while (open.length > 0 && --open[open.length - 1] === 0) open.pop();
    if (open.length === 0) return; // the whole message: anything after it is the decoder's to refuse
  }
}
