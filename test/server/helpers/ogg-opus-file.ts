/**
 * A minimal Ogg Opus muxer (RFC 3533, RFC 7845), written for the tests apart from the server's own reader, so
 * that packets a viewer received can be handed to ffmpeg to decode: if they decode, they were Opus.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let crc = n << 24;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  return crc >>> 0;
});

function oggCrc(bytes: Buffer): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] as number)) >>> 0;
  return crc;
}

function oggPage(packet: Buffer, granule: bigint, sequence: number, flags: number): Buffer {
  const lacing: number[] = [];
  for (let left = packet.length; ; left -= 255) {
    lacing.push(Math.min(left, 255));
    if (left < 255) break;
  }
  const header = Buffer.alloc(27 + lacing.length);
  header.write('OggS', 0, 'latin1');
  header[5] = flags;
  header.writeBigInt64LE(granule, 6);
  header.writeUInt32LE(0x0a1b2c3d, 14);
  header.writeUInt32LE(sequence, 18);
  header[26] = lacing.length;
  Buffer.from(lacing).copy(header, 27);
  const page = Buffer.concat([header, packet]);
  page.writeUInt32LE(oggCrc(page), 22);
  return page;
}

/** An Ogg Opus file of `packets`, each `samplesOf(packet)` long, with no pre-skip. */
export function oggOpusFile(
  packets: Uint8Array[],
  channels: number,
  samplesOf: (packet: Uint8Array) => number,
) {
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'latin1');
  head[8] = 1;
  head[9] = channels;
  head.writeUInt32LE(48_000, 12);
  const tags = Buffer.alloc(16);
  tags.write('OpusTags', 0, 'latin1');
  const pages = [oggPage(head, 0n, 0, 0x02), oggPage(tags, 0n, 1, 0)];
  let granule = 0n;
  packets.forEach((packet, i) => {
    granule += BigInt(samplesOf(packet));
    pages.push(oggPage(Buffer.from(packet), granule, i + 2, i === packets.length - 1 ? 0x04 : 0));
  });
  return Buffer.concat(pages);
}

/** Samples (48 kHz) of an Opus packet from its TOC byte (RFC 6716 §3.1). */
export function tocSamples(packet: Uint8Array): number {
  const toc = packet[0] as number;
  const config = toc >> 3;
  const frame =
    config < 12
      ? [480, 960, 1920, 2880][config % 4]
      : config < 16
        ? [480, 960][config % 2]
        : [120, 240, 480, 960][config % 4];
  const code = toc & 3;
  const frames = code === 0 ? 1 : code < 3 ? 2 : (packet[1] as number) & 0x3f;
  return (frame as number) * frames;
}
