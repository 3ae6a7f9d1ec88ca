/** What the server reads of Opus packets: their duration (RFC 6716 §3.1), and the encoder's pre-skip. */

/** Opus always runs at 48 kHz inside: durations and pre-skip count samples at that rate. */
export const OPUS_SAMPLE_RATE = 48_000;

/** Samples per frame by TOC configuration: SILK 10/20/40/60 ms, hybrid 10/20 ms, CELT 2.5/5/10/20 ms. */
function frameSamples(config: number): number {
  if (config < 12) return [480, 960, 1920, 2880][config % 4] as number;
  if (config < 16) return [480, 960][config % 2] as number;
  return [120, 240, 480, 960][config % 4] as number;
}

/** Samples (48 kHz) one packet decodes to; null when the packet is not a valid Opus packet. */
export function opusPacketSamples(packet: Uint8Array): number | null {
  const toc = packet[0];
  if (toc === undefined) return null;
  const code = toc & 0x03;
  let frames: number;
  if (code === 0) frames = 1;
  else if (code === 1 || code === 2) frames = 2;
  else {
    const countByte = packet[1];
    if (countByte === undefined) return null;
    frames = countByte & 0x3f;
    if (frames === 0) return null;
  }
  const samples = frames * frameSamples(toc >> 3);
  // No packet holds more than 120 ms (RFC 6716 §3.2.5).
  return samples > 5760 ? null : samples;
}

/**
 * Samples (48 kHz) libopus puts before the first input sample, for the 'audio' application: its look-ahead,
 * Fs/400 + Fs/250 in every release. A raw packet stream carries no OpusHead to say so (RFC 7845 §5.1 pre-skip).
 */
export const LIBOPUS_PRE_SKIP = 312;
