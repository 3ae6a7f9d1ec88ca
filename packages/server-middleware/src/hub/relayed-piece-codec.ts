import type { RelayedPiece } from './broadcast-sharing';

/**
 * One entry of a relayed feed's Redis Stream (field `p`), in binary: a piece, or a restart or end of the feed.
 * - init: `0`, slot length (1 byte), slot (UTF-8), bytes.
 * - media: `1`, keyframe (1 byte), time in ms (float64 BE), bytes.
 * - restart: `2`. end: `3`.
 */
export type RelayedEntry = RelayedPiece | { kind: 'restart' } | { kind: 'end' };

const INIT = 0;
const MEDIA = 1;
const RESTART = 2;
const END = 3;
const MEDIA_HEADER_BYTES = 10;

export function encodeRelayedEntry(entry: RelayedEntry): Buffer {
  switch (entry.kind) {
    case 'init': {
      const slot = Buffer.from(entry.slot, 'utf8');
      if (slot.length > 255) throw new RangeError('an init slot name is at most 255 bytes');
      return Buffer.concat([Buffer.from([INIT, slot.length]), slot, entry.bytes]);
    }
    case 'media': {
      const header = Buffer.alloc(MEDIA_HEADER_BYTES);
      header[0] = MEDIA;
      header[1] = entry.keyframe ? 1 : 0;
      header.writeDoubleBE(entry.timeMs, 2);
      return Buffer.concat([header, entry.bytes]);
    }
    case 'restart':
      return Buffer.from([RESTART]);
    case 'end':
      return Buffer.from([END]);
  }
}

/** The entry, or null for bytes that are not one (another writer's key, a newer version): skipped. */
export function decodeRelayedEntry(bytes: Buffer): RelayedEntry | null {
  switch (bytes[0]) {
    case INIT: {
      if (bytes.length < 2) return null;
      const end = 2 + (bytes[1] as number);
      if (bytes.length < end) return null;
      return { kind: 'init', slot: bytes.subarray(2, end).toString('utf8'), bytes: bytes.subarray(end) };
    }
    case MEDIA:
      if (bytes.length < MEDIA_HEADER_BYTES) return null;
      return {
        kind: 'media',
        keyframe: bytes[1] === 1,
        timeMs: bytes.readDoubleBE(2),
        bytes: bytes.subarray(MEDIA_HEADER_BYTES),
      };
    case RESTART:
      return bytes.length === 1 ? { kind: 'restart' } : null;
    case END:
      return bytes.length === 1 ? { kind: 'end' } : null;
    default:
      return null;
  }
}

/** A feed's init (every slot, in order) as one value: each encoded init piece behind its length (uint32 BE). */
export function encodeInit(pieces: readonly RelayedPiece[]): Buffer {
  const parts: Buffer[] = [];
  for (const piece of pieces) {
    const encoded = encodeRelayedEntry(piece);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(encoded.length);
    parts.push(length, encoded);
  }
  return Buffer.concat(parts);
}

export function decodeInit(bytes: Buffer): RelayedPiece[] {
  const pieces: RelayedPiece[] = [];
  let offset = 0;
  while (offset + 4 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const entry = decodeRelayedEntry(bytes.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
    if (entry?.kind === 'init') pieces.push(entry);
  }
  return pieces;
}
