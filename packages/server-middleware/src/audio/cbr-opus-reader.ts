import { opusPacketSamples } from './opus-packet';

export type CbrReadResult = { ok: true; packets: Buffer[] } | { ok: false; error: string };

/**
 * Cuts an encoder's raw constant-bitrate Opus output into its packets. In hard CBR every packet is exactly
 * `packetBytes` long, so the stream needs no container; each packet's TOC byte (RFC 6716 §3.1) must still say it
 * decodes to `packetSamples`, or the stream is not what the encoder was asked for.
 */
export class CbrOpusReader {
  private pending: Buffer = Buffer.alloc(0);
  private offset = 0;

  constructor(
    private readonly packetBytes: number,
    private readonly packetSamples: number,
  ) {}

  push(data: Buffer): CbrReadResult {
    const bytes = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    const packets: Buffer[] = [];
    let start = 0;
    for (; start + this.packetBytes <= bytes.length; start += this.packetBytes) {
      const packet = bytes.subarray(start, start + this.packetBytes);
      if (opusPacketSamples(packet) !== this.packetSamples) {
        return {
          ok: false,
          error: `the encoder wrote something other than ${this.packetBytes}-byte Opus packets of ${this.packetSamples} samples (at byte ${this.offset + start})`,
        };
      }
      packets.push(packet);
    }
    this.offset += start;
    // A copy: the rest of a packet must not keep the whole read buffer alive.
    this.pending = Buffer.from(bytes.subarray(start));
    return { ok: true, packets };
  }
}
