import { ACK_BYTES, MAGIC, MEDIA_HEADER_BYTES, MEDIA_HEADER_VERSION } from './constants';
import { DecodeErrorCode } from './error-codes';
import { type DecodeResult, fail, ok } from './result';

export type MediaKind = 'video' | 'audio';

/**
 * One binary media message. Layout (big-endian, PROTOCOL.md "Binary media"):
 *
 * | offset | size | field                                                        |
 * |--------|------|--------------------------------------------------------------|
 * | 0      | 4    | magic: "OAVF" video frame, "OAAU" audio chunk                |
 * | 4      | 1    | header version (1)                                           |
 * | 5      | 1    | header length in bytes (24); payload starts here             |
 * | 6      | 1    | video: quality rung; audio: channel count                    |
 * | 7      | 1    | flags (reserved, 0)                                          |
 * | 8      | 8    | timestamp, float64 milliseconds on the channel clock         |
 * | 16     | 4    | sequence number (uint32, per channel and kind, wraps)        |
 * | 20     | 4    | payload length in bytes (uint32)                             |
 * | 24     | n    | payload: JPEG bytes, or PCM s16le interleaved samples        |
 */
export interface MediaMessage {
  kind: MediaKind;
  /** Milliseconds on the channel clock: (capture wall time − channel epoch). */
  timestamp: number;
  sequence: number;
  /** Video: the ladder rung the JPEG was encoded at. Audio: the number of interleaved channels. */
  rungOrChannels: number;
  payload: Uint8Array;
}

const MAGIC_BY_KIND: Record<MediaKind, string> = { video: MAGIC.video, audio: MAGIC.audio };

function writeAscii(view: DataView, offset: number, text: string): void {
  for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
}

function readAscii(bytes: Uint8Array, offset: number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(bytes[offset + i]!);
  return text;
}

/** Encodes header + payload into one new buffer, ready to send as one WebSocket binary message. */
export function encodeMediaMessage(message: MediaMessage): Uint8Array {
  const out = new Uint8Array(MEDIA_HEADER_BYTES + message.payload.byteLength);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  writeAscii(view, 0, MAGIC_BY_KIND[message.kind]);
  view.setUint8(4, MEDIA_HEADER_VERSION);
  view.setUint8(5, MEDIA_HEADER_BYTES);
  view.setUint8(6, message.rungOrChannels & 0xff);
  view.setUint8(7, 0);
  view.setFloat64(8, message.timestamp);
  view.setUint32(16, message.sequence >>> 0);
  view.setUint32(20, message.payload.byteLength);
  out.set(message.payload, MEDIA_HEADER_BYTES);
  return out;
}

/** The fixed fields of a media message, readable from its first `MEDIA_HEADER_BYTES` bytes alone. */
export interface MediaHeader {
  kind: MediaKind;
  timestamp: number;
  sequence: number;
  rungOrChannels: number;
  /** Where the payload starts (24 in version 1; a later version may append fields). */
  headerLength: number;
  /** Payload bytes that follow the header. */
  payloadLength: number;
}

/**
 * Reads only the header, so a reader that skips payloads (a load generator, a relay deciding where a message
 * goes) need not hold the whole message. `bytes` may be just the header. Never throws.
 */
export function decodeMediaHeader(bytes: Uint8Array): DecodeResult<MediaHeader> {
  if (!(bytes instanceof Uint8Array)) return fail(DecodeErrorCode.Invalid, 'media message must be bytes');
  if (bytes.byteLength < MEDIA_HEADER_BYTES) {
    return fail(
      DecodeErrorCode.Truncated,
      `media message is ${bytes.byteLength} bytes, header needs ${MEDIA_HEADER_BYTES}`,
    );
  }
  const magic = readAscii(bytes, 0, 4);
  const kind: MediaKind | undefined =
    magic === MAGIC.video ? 'video' : magic === MAGIC.audio ? 'audio' : undefined;
  if (!kind) return fail(DecodeErrorCode.BadMagic, `unknown media magic ${JSON.stringify(magic)}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(4);
  if (version !== MEDIA_HEADER_VERSION) {
    return fail(
      DecodeErrorCode.BadVersion,
      `media header version ${version}, expected ${MEDIA_HEADER_VERSION}`,
    );
  }
  const headerLength = view.getUint8(5);
  if (headerLength < MEDIA_HEADER_BYTES) {
    return fail(DecodeErrorCode.BadLength, `media header length ${headerLength} is out of range`);
  }
  const timestamp = view.getFloat64(8);
  if (!Number.isFinite(timestamp)) return fail(DecodeErrorCode.Invalid, 'media timestamp is not finite');
  return ok({
    kind,
    rungOrChannels: view.getUint8(6),
    timestamp,
    sequence: view.getUint32(16),
    headerLength,
    payloadLength: view.getUint32(20),
  });
}

/** Reads a binary media message. The payload is a view into `bytes`, not a copy. Never throws. */
export function decodeMediaMessage(bytes: Uint8Array): DecodeResult<MediaMessage> {
  const header = decodeMediaHeader(bytes);
  if (!header.ok) return header;
  const { headerLength, payloadLength } = header.value;
  if (headerLength > bytes.byteLength) {
    return fail(DecodeErrorCode.BadLength, `media header length ${headerLength} is out of range`);
  }
  if (headerLength + payloadLength !== bytes.byteLength) {
    return fail(
      DecodeErrorCode.BadLength,
      `media payload length ${payloadLength} does not match the ${bytes.byteLength - headerLength} bytes received`,
    );
  }
  const { kind, rungOrChannels, timestamp, sequence } = header.value;
  return ok({
    kind,
    rungOrChannels,
    timestamp,
    sequence,
    payload: bytes.subarray(headerLength, headerLength + payloadLength),
  });
}

/** Encodes a video-frame acknowledgement (client to server): "OAAK" + uint32 sequence. */
export function encodeAck(sequence: number): Uint8Array {
  const out = new Uint8Array(ACK_BYTES);
  const view = new DataView(out.buffer);
  writeAscii(view, 0, MAGIC.ack);
  view.setUint32(4, sequence >>> 0);
  return out;
}

/** Reads a video-frame acknowledgement. Never throws. */
export function decodeAck(bytes: Uint8Array): DecodeResult<number> {
  if (!(bytes instanceof Uint8Array)) return fail(DecodeErrorCode.Invalid, 'ack must be bytes');
  if (bytes.byteLength !== ACK_BYTES) {
    return fail(DecodeErrorCode.BadLength, `ack is ${bytes.byteLength} bytes, expected ${ACK_BYTES}`);
  }
  if (readAscii(bytes, 0, 4) !== MAGIC.ack)
    return fail(DecodeErrorCode.BadMagic, 'binary message is not an ack');
  return ok(new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4));
}
