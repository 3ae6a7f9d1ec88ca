import { describe, expect, it } from 'vitest';
import { type OggPage, OggReader } from './ogg-reader';
import { SINE_OGG_OPUS } from './sine-ogg.fixture';

/** One Ogg page around `segments` (lacing values) and `body`; the CRC is left 0, the reader does not check it. */
function page(granule: bigint, lacing: number[], body: Buffer, flags = 0): Buffer {
  const header = Buffer.alloc(27 + lacing.length);
  header.write('OggS', 0, 'latin1');
  header[5] = flags;
  header.writeBigInt64LE(granule, 6);
  header[26] = lacing.length;
  Buffer.from(lacing).copy(header, 27);
  return Buffer.concat([header, body]);
}

function readAll(reader: OggReader, chunks: Buffer[]): OggPage[] {
  const pages: OggPage[] = [];
  for (const chunk of chunks) {
    const read = reader.push(chunk);
    if (!read.ok) throw new Error(read.error);
    pages.push(...read.pages);
  }
  return pages;
}

describe('OggReader', () => {
  it('reads the pages ffmpeg wrote: header packets, then one Opus packet a page with its granule', () => {
    const pages = readAll(new OggReader(), [SINE_OGG_OPUS]);
    expect(pages.map((p) => p.packets.map((packet) => packet.length))).toEqual([
      [19],
      [62],
      [297],
      [192],
      [203],
      [193],
      [193],
      [274],
    ]);
    expect(pages.map((p) => p.granulePosition)).toEqual([0, 0, 960, 1920, 2880, 3840, 4800, 5112]);
    expect(pages.map((p) => p.endOfStream)).toEqual([false, false, false, false, false, false, false, true]);
    expect(pages[0]?.packets[0]?.subarray(0, 8).toString('latin1')).toBe('OpusHead');
  });

  it('gives the same packets however the pipe splits the bytes', () => {
    const whole = readAll(new OggReader(), [SINE_OGG_OPUS]);
    const bytes = [...SINE_OGG_OPUS].map((byte) => Buffer.from([byte]));
    const split = readAll(new OggReader(), bytes);
    expect(split).toEqual(whole);
  });

  it('joins a packet that goes on from one page to the next, and hands it out on the page it ends on', () => {
    const packet = Buffer.alloc(300, 7);
    const bytes = Buffer.concat([
      page(-1n, [255], packet.subarray(0, 255)),
      page(960n, [45, 3], Buffer.concat([packet.subarray(255), Buffer.from([1, 2, 3])]), 0x01),
    ]);
    const pages = readAll(new OggReader(), [bytes]);
    expect(pages[0]).toEqual({ granulePosition: null, endOfStream: false, packets: [] });
    expect(pages[1]?.packets.map((p) => p.length)).toEqual([300, 3]);
    expect(pages[1]?.packets[0]?.equals(packet)).toBe(true);
    expect(pages[1]?.granulePosition).toBe(960);
  });

  it('gives an error value for bytes that are not Ogg, and for every push after', () => {
    const reader = new OggReader();
    const first = reader.push(Buffer.from('this is not an Ogg stream at all, not a bit'));
    expect(first).toEqual({ ok: false, error: 'no Ogg capture pattern at byte 0' });
    expect(reader.push(SINE_OGG_OPUS).ok).toBe(false);
  });

  it('refuses a stream structure version other than 0', () => {
    const bytes = page(0n, [1], Buffer.from([1]));
    bytes[4] = 1;
    expect(new OggReader().push(bytes).ok).toBe(false);
  });

  it('refuses a packet too long for a u16 length, rather than gathering it without end', () => {
    const reader = new OggReader();
    const run = page(-1n, new Array(255).fill(255), Buffer.alloc(255 * 255));
    expect(reader.push(run).ok).toBe(true);
    expect(reader.push(run).ok).toBe(false);
  });
});
