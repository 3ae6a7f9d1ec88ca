import { decodeOpusPackets } from '@onair/protocol';

/** One Opus packet of an audio message, with its start on the channel clock. */
export interface TimedOpusPacket {
  timestamp: number;
  durationMs: number;
  data: Uint8Array;
}

/** Frame sizes (ms) by TOC configuration number: SILK 0–11, hybrid 12–15, CELT 16–31 (RFC 6716, 3.1). */
function frameMs(config: number): number {
  if (config < 12) return [10, 20, 40, 60][config % 4]!;
  if (config < 16) return [10, 20][config % 2]!;
  return [2.5, 5, 10, 20][config % 4]!;
}

/**
 * Duration of one Opus packet from its TOC byte (RFC 6716, 3.1): the frame size times the frame count (code 0:
 * one frame, 1 and 2: two, 3: the count in the second byte). 0 for an empty or malformed packet.
 */
export function opusPacketDurationMs(packet: Uint8Array): number {
  const toc = packet[0];
  if (toc === undefined) return 0;
  const code = toc & 0x03;
  let frames = 1;
  if (code === 1 || code === 2) frames = 2;
  else if (code === 3) {
    const count = packet[1];
    if (count === undefined) return 0;
    frames = count & 0x3f;
  }
  return frameMs(toc >> 3) * frames;
}

/**
 * An Opus audio message's payload (PROTOCOL.md: length-prefixed packets) as timed packets: the header's timestamp
 * is the first packet's start, each next one starts where the one before ends. Null when the framing is broken.
 */
export function splitOpusMessage(timestamp: number, payload: Uint8Array): TimedOpusPacket[] | null {
  const decoded = decodeOpusPackets(payload);
  if (!decoded.ok) return null;
  const packets: TimedOpusPacket[] = [];
  let at = timestamp;
  for (const data of decoded.value) {
    const durationMs = opusPacketDurationMs(data);
    packets.push({ timestamp: at, durationMs, data });
    at += durationMs;
  }
  return packets;
}
