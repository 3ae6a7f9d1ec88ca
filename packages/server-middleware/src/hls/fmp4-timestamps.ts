/** A box of an ISO BMFF (MP4) file: its type and where its header and body lie in the buffer. */
interface Box {
  type: string;
  start: number;
  body: number;
  end: number;
}

function* boxes(buffer: Buffer, start: number, end: number): Generator<Box> {
  let offset = start;
  while (offset + 8 <= end) {
    let size = buffer.readUInt32BE(offset);
    const type = buffer.toString('latin1', offset + 4, offset + 8);
    let body = offset + 8;
    if (size === 1) {
      if (offset + 16 > end) throw new Error(`${type} box: truncated large size`);
      size = Number(buffer.readBigUInt64BE(offset + 8));
      body = offset + 16;
    } else if (size === 0) {
      size = end - offset;
    }
    if (size < body - offset || offset + size > end)
      throw new Error(`${type} box: size ${size} out of bounds`);
    yield { type, start: offset, body, end: offset + size };
    offset += size;
  }
}

function child(buffer: Buffer, parent: Box, type: string): Box | undefined {
  for (const box of boxes(buffer, parent.body, parent.end)) if (box.type === type) return box;
  return undefined;
}

/** A full box's version byte, and the offset just past its version and flags. */
const fullBox = (buffer: Buffer, box: Box) => ({ version: buffer.readUInt8(box.body), fields: box.body + 4 });

/** Timescale of each track of an init section, by track id (`trak/tkhd` and `trak/mdia/mdhd`). */
export function trackTimescales(init: Buffer): Map<number, number> {
  const timescales = new Map<number, number>();
  for (const moov of boxes(init, 0, init.length)) {
    if (moov.type !== 'moov') continue;
    for (const trak of boxes(init, moov.body, moov.end)) {
      if (trak.type !== 'trak') continue;
      const tkhd = child(init, trak, 'tkhd');
      const mdia = child(init, trak, 'mdia');
      const mdhd = mdia && child(init, mdia, 'mdhd');
      if (!tkhd || !mdhd) throw new Error('trak without tkhd or mdhd');
      // tkhd: creation and modification times (4 or 8 bytes each) come before the track id.
      const header = fullBox(init, tkhd);
      const trackId = init.readUInt32BE(header.fields + (header.version === 1 ? 16 : 8));
      const media = fullBox(init, mdhd);
      timescales.set(trackId, init.readUInt32BE(media.fields + (media.version === 1 ? 16 : 8)));
    }
  }
  return timescales;
}

function addTicks(buffer: Buffer, offset: number, version: number, ticks: bigint, what: string): void {
  if (version === 1) {
    buffer.writeBigUInt64BE(buffer.readBigUInt64BE(offset) + ticks, offset);
    return;
  }
  const value = BigInt(buffer.readUInt32BE(offset)) + ticks;
  if (value > 0xffff_ffffn) throw new Error(`${what}: ${value} does not fit its 32-bit field`);
  buffer.writeUInt32BE(Number(value), offset);
}

/**
 * Moves every sample of a media segment `offsetSec` later, in place: each `moof/traf/tfdt` (in its track's
 * timescale) and each `sidx` earliest presentation time (in its own). Each packager run's ffmpeg starts its
 * timestamps near 0 (the 2018 build rewrites any offset back to 0), so without this a restart sends timestamps
 * back in time; with it they continue on the channel's clock, as players that ignore `EXT-X-DISCONTINUITY` and
 * `ffmpeg -copyts` need. Throws on a segment it cannot read, leaving it partly changed.
 */
export function shiftSegmentTimestamps(
  segment: Buffer,
  timescales: ReadonlyMap<number, number>,
  offsetSec: number,
): void {
  const ticks = (timescale: number) => BigInt(Math.round(offsetSec * timescale));
  for (const box of boxes(segment, 0, segment.length)) {
    if (box.type === 'sidx') {
      // sidx: reference id and timescale, then the earliest presentation time (4 or 8 bytes).
      const { version, fields } = fullBox(segment, box);
      addTicks(segment, fields + 8, version, ticks(segment.readUInt32BE(fields + 4)), 'sidx');
    } else if (box.type === 'moof') {
      for (const traf of boxes(segment, box.body, box.end)) {
        if (traf.type !== 'traf') continue;
        const tfhd = child(segment, traf, 'tfhd');
        const tfdt = child(segment, traf, 'tfdt');
        if (!tfhd || !tfdt) throw new Error('traf without tfhd or tfdt');
        const trackId = segment.readUInt32BE(fullBox(segment, tfhd).fields);
        const timescale = timescales.get(trackId);
        if (timescale === undefined) throw new Error(`track ${trackId} is not in the init section`);
        const { version, fields } = fullBox(segment, tfdt);
        addTicks(segment, fields, version, ticks(timescale), 'tfdt');
      }
    }
  }
}
