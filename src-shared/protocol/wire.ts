/**
 * The browser mode's WebSocket messages: MessagePack, with Float32Array and
 * Int32Array as extension types so images and latent points travel as
 * binary, as they do over Electron IPC (Uint8Array is MessagePack's own bin).
 */
import { ExtensionCodec, decode, encode } from '@msgpack/msgpack';
import type { CallOutcome } from './call-outcome';
import { checkMsgpackLimits } from './msgpack-limits';
import type { MsgpackLimits } from './msgpack-limits';
import type { StudioEventName, StudioEventPayload } from './studio-api';

const codec = new ExtensionCodec();
const typed = [
  [1, Float32Array],
  [2, Int32Array],
] as const;
for (const [type, Ctor] of typed) {
  codec.register({
    type,
    encode: (value: unknown) => (value instanceof Ctor ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : null),
    // Copy into a fresh, aligned buffer: the decoded bytes may sit at any offset.
    decode: (data: Uint8Array) => new Ctor(data.slice().buffer),
  });
}

/** A call from the renderer. */
export interface WireCall {
  t: 'call';
  id: number;
  name: string;
  args: unknown[];
}

/** The answer to a call: the contract's one envelope, tagged with the call's id. */
export type WireResult = { t: 'result'; id: number } & CallOutcome;

/** An event pushed by the server. */
export interface WireEvent {
  t: 'event';
  name: string;
  payload: unknown;
}

/** An event message, its payload typed by the event's name. */
export function eventMessage<K extends StudioEventName>(name: K, payload: StudioEventPayload<K>): WireEvent {
  return { t: 'event', name, payload };
}

/** Any message on the socket. */
export type WireMessage = WireCall | WireResult | WireEvent;

/** Encodes a message as MessagePack bytes. */
export function encodeWire(message: WireMessage): Uint8Array<ArrayBuffer> {
  return encode(message, { extensionCodec: codec, ignoreUndefined: true }) as Uint8Array<ArrayBuffer>;
}

/**
 * Decodes MessagePack bytes; throws on malformed input, and on input over
 * `limits` when given (MsgpackLimitError, checked before decoding: a server
 * passes them for what clients send).
 */
export function decodeWire(bytes: Uint8Array, limits?: MsgpackLimits): unknown {
  if (!limits) return decode(bytes, { extensionCodec: codec });
  checkMsgpackLimits(bytes, limits);
  const { maxBytes, maxLength } = limits;
  return decode(bytes, { extensionCodec: codec, maxStrLength: maxBytes, maxBinLength: maxBytes, maxExtLength: maxBytes, maxArrayLength: maxLength, maxMapLength: maxLength });
}
