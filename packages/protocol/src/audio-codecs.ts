import { AUDIO_CODECS, OPUS_FORMAT } from './constants';
import { DecodeErrorCode } from './error-codes';
import { type DecodeResult, fail, ok } from './result';
import type { AudioCodec } from './server-messages';

/** What a client that names no codecs can decode: clients from before Opus play PCM only. */
export const DEFAULT_CLIENT_AUDIO_CODECS: readonly AudioCodec[] = ['pcm'];

/**
 * The codec a server uses for a client (PROTOCOL.md, "Audio codecs"): the first of the client's `audioCodecs`
 * (or `['pcm']` when it named none) that the server can serve; null when there is none in common.
 */
export function pickAudioCodec(
  offered: readonly AudioCodec[] | undefined,
  available: readonly AudioCodec[],
): AudioCodec | null {
  return (offered ?? DEFAULT_CLIENT_AUDIO_CODECS).find((codec) => available.includes(codec)) ?? null;
}

export function isAudioCodec(value: unknown): value is AudioCodec {
  return (AUDIO_CODECS as readonly unknown[]).includes(value);
}

const LENGTH_BYTES = OPUS_FORMAT.packetLengthBytes;
const MAX_PACKET_BYTES = 0xffff;

/** One Opus audio payload: every packet after its length as a big-endian u16. */
export function encodeOpusPackets(packets: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const packet of packets) {
    if (packet.byteLength > MAX_PACKET_BYTES) {
      throw new RangeError(`an Opus packet of ${packet.byteLength} bytes does not fit a u16 length`);
    }
    total += LENGTH_BYTES + packet.byteLength;
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const packet of packets) {
    view.setUint16(offset, packet.byteLength);
    out.set(packet, offset + LENGTH_BYTES);
    offset += LENGTH_BYTES + packet.byteLength;
  }
  return out;
}

/** Splits an Opus audio payload into its packets (views into `payload`, not copies). Never throws. */
export function decodeOpusPackets(payload: Uint8Array): DecodeResult<Uint8Array[]> {
  if (!(payload instanceof Uint8Array)) return fail(DecodeErrorCode.Invalid, 'Opus payload must be bytes');
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const packets: Uint8Array[] = [];
  let offset = 0;
  while (offset < payload.byteLength) {
    if (offset + LENGTH_BYTES > payload.byteLength) {
      return fail(DecodeErrorCode.Truncated, `Opus payload ends inside a packet length at byte ${offset}`);
    }
    const length = view.getUint16(offset);
    const start = offset + LENGTH_BYTES;
    if (start + length > payload.byteLength) {
      return fail(
        DecodeErrorCode.BadLength,
        `Opus packet of ${length} bytes at byte ${offset} runs past the payload's ${payload.byteLength}`,
      );
    }
    packets.push(payload.subarray(start, start + length));
    offset = start + length;
  }
  return ok(packets);
}
