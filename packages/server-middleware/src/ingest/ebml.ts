/** EBML (RFC 8794) variable-length integers: element ids and sizes. */

/** An element's id and data size as read from its header; `size` null for "unknown" (live streams). */
export interface ElementHeader {
  id: number;
  size: number | null;
  /** Bytes of the header (id + size). */
  headerLength: number;
}

/** Length of a variable-size integer from its first byte (1–8), or 0 for the invalid first byte 0x00. */
function vintLength(first: number): number {
  for (let length = 1; length <= 8; length++) if (first & (0x80 >> (length - 1))) return length;
  return 0;
}

/**
 * Reads an element header at `offset`: null when `bytes` ends before it does. Throws a plain Error for bytes that
 * cannot be a header (ids longer than 4 bytes, a 0x00 first byte).
 */
export function readElementHeader(bytes: Buffer, offset: number): ElementHeader | null {
  if (offset >= bytes.length) return null;
  const idLength = vintLength(bytes[offset] as number);
  if (idLength === 0 || idLength > 4) throw new Error('not an EBML element id');
  if (offset + idLength >= bytes.length) return null;
  let id = 0;
  for (let index = 0; index < idLength; index++) id = id * 256 + (bytes[offset + index] as number);
  const sizeAt = offset + idLength;
  const first = bytes[sizeAt] as number;
  const sizeLength = vintLength(first);
  if (sizeLength === 0) throw new Error('not an EBML element size');
  if (sizeAt + sizeLength > bytes.length) return null;
  let size = first & (0xff >> sizeLength);
  let allOnes = size === 0xff >> sizeLength;
  for (let index = 1; index < sizeLength; index++) {
    const byte = bytes[sizeAt + index] as number;
    size = size * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { id, size: allOnes ? null : size, headerLength: idLength + sizeLength };
}

/** Reads a variable-size integer without its marker (a block's track number): value and length, or null. */
export function readVint(bytes: Buffer, offset: number): { value: number; length: number } | null {
  if (offset >= bytes.length) return null;
  const first = bytes[offset] as number;
  const length = vintLength(first);
  if (length === 0 || offset + length > bytes.length) return null;
  let value = first & (0xff >> length);
  for (let index = 1; index < length; index++) value = value * 256 + (bytes[offset + index] as number);
  return { value, length };
}

/** An unsigned big-endian integer element body (up to 8 bytes; precise to 2^53). */
export function readUnsigned(bytes: Buffer): number {
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  return value;
}

/** The bytes of an element id as written (ids keep their length marker). */
function idBytes(id: number): Buffer {
  const length = id >= 0x1000000 ? 4 : id >= 0x10000 ? 3 : id >= 0x100 ? 2 : 1;
  const bytes = Buffer.alloc(length);
  bytes.writeUIntBE(id, 0, length);
  return bytes;
}

/** An element header with the 8-byte "unknown" size: what a live stream writes for what it cannot measure. */
export function unknownSizeHeader(id: number): Buffer {
  return Buffer.concat([idBytes(id), Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]);
}

/** A whole unsigned-integer element, its value in 8 bytes. */
export function unsignedElement(id: number, value: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(value))));
  return Buffer.concat([idBytes(id), Buffer.from([0x88]), body]);
}

/** The ids this package reads (Matroska element ids keep their marker bits). */
export const Ids = {
  EBML: 0x1a45dfa3,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Info: 0x1549a966,
  TimestampScale: 0x2ad7b1,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackType: 0x83,
  Cluster: 0x1f43b675,
  Timestamp: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
  ReferenceBlock: 0xfb,
  Cues: 0x1c53bb6b,
  Tags: 0x1254c367,
  Chapters: 0x1043a770,
  Attachments: 0x1941a469,
  Void: 0xec,
} as const;

/** Children of an element's body, each as id and body. Throws on a child that overruns the body. */
export function* children(body: Buffer): Generator<{ id: number; data: Buffer }> {
  let offset = 0;
  while (offset < body.length) {
    const header = readElementHeader(body, offset);
    if (header === null || header.size === null) throw new Error('a truncated or unsized child element');
    const start = offset + header.headerLength;
    const end = start + header.size;
    if (end > body.length) throw new Error('a child element overruns its parent');
    yield { id: header.id, data: body.subarray(start, end) };
    offset = end;
  }
}
