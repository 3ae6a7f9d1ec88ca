import { describe, expect, it } from 'vitest';
import { shiftSegmentTimestamps, trackTimescales } from './fmp4-timestamps';

const u32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
};
const u64 = (value: bigint) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(value);
  return bytes;
};
const box = (type: string, ...body: Buffer[]) =>
  Buffer.concat([
    u32(8 + body.reduce((sum, part) => sum + part.length, 0)),
    Buffer.from(type, 'latin1'),
    ...body,
  ]);
const fullBox = (type: string, version: number, ...body: Buffer[]) =>
  box(type, Buffer.from([version, 0, 0, 0]), ...body);

/** An init section as ffmpeg's movenc writes it, reduced to what the timescales come from. */
function init(tracks: { id: number; timescale: number; version?: number }[]): Buffer {
  const traks = tracks.map(({ id, timescale, version = 0 }) => {
    const times = Buffer.alloc(version === 1 ? 16 : 8);
    return box(
      'trak',
      fullBox('tkhd', version, times, u32(id), Buffer.alloc(12)),
      box(
        'mdia',
        fullBox('mdhd', version, times, u32(timescale), Buffer.alloc(8)),
        box('hdlr', Buffer.alloc(4)),
      ),
    );
  });
  return Buffer.concat([
    box('ftyp', Buffer.from('iso5')),
    box('moov', fullBox('mvhd', 0, Buffer.alloc(20)), ...traks),
  ]);
}

function segment(options: { sidxTime: number; video: bigint; audio: number }): Buffer {
  const traf = (id: number, tfdt: Buffer) =>
    box('traf', fullBox('tfhd', 0, u32(id)), tfdt, fullBox('trun', 0, u32(0)));
  return Buffer.concat([
    box('styp', Buffer.from('msdh')),
    fullBox('sidx', 0, u32(1), u32(15_360), u32(options.sidxTime), u32(0), Buffer.alloc(16)),
    box(
      'moof',
      fullBox('mfhd', 0, u32(7)),
      traf(1, fullBox('tfdt', 1, u64(options.video))),
      traf(2, fullBox('tfdt', 0, u32(options.audio))),
    ),
    box('mdat', Buffer.from('frames')),
  ]);
}

describe('trackTimescales', () => {
  it('reads each track id and its media timescale, in either box version', () => {
    expect(
      trackTimescales(
        init([
          { id: 1, timescale: 15_360 },
          { id: 2, timescale: 48_000, version: 1 },
        ]),
      ),
    ).toEqual(
      new Map([
        [1, 15_360],
        [2, 48_000],
      ]),
    );
  });

  it('throws on a track without a media header, or a box running past the end', () => {
    expect(() => trackTimescales(box('moov', box('trak', fullBox('tkhd', 0, Buffer.alloc(20)))))).toThrow(
      /mdhd/,
    );
    expect(() => trackTimescales(init([{ id: 1, timescale: 90_000 }]).subarray(0, 40))).toThrow(
      /out of bounds/,
    );
  });
});

describe('shiftSegmentTimestamps', () => {
  const timescales = new Map([
    [1, 15_360],
    [2, 48_000],
  ]);

  it('moves every track fragment and the segment index by the offset, each in its own timescale', () => {
    const bytes = segment({ sidxTime: 30_720, video: 30_720n, audio: 96_000 });
    const expected = segment({
      sidxTime: 30_720 + 12.5 * 15_360,
      video: 30_720n + 192_000n,
      audio: 96_000 + 600_000,
    });
    shiftSegmentTimestamps(bytes, timescales, 12.5);
    expect(bytes.equals(expected)).toBe(true);
  });

  it('throws on a track the init section lacks and on a 32-bit time that would overflow', () => {
    expect(() =>
      shiftSegmentTimestamps(segment({ sidxTime: 0, video: 0n, audio: 0 }), new Map([[1, 15_360]]), 1),
    ).toThrow(/track 2/);
    expect(() =>
      shiftSegmentTimestamps(segment({ sidxTime: 0, video: 0n, audio: 0 }), timescales, 100_000),
    ).toThrow(/32-bit/);
  });
});
