/**
 * A streaming reader of Ogg pages (RFC 3533), enough to take Opus packets out of ffmpeg's `-f ogg` output: it
 * reassembles packets that span pages and hands them out with the granule position of the page they end on.
 * One logical stream is assumed (ffmpeg writes one here); the CRC is not checked, the bytes come from our own
 * child over a pipe. Total: bytes that are not Ogg give an error value, never an exception.
 */

/** The packets completed on one page, with that page's granule position. */
export interface OggPage {
  /**
   * For Opus: the sample (at 48 kHz, counting the encoder's pre-skip) at which the page's last completed packet
   * ends (RFC 7845 §4). Null for -1 (no packet ends on the page).
   */
  granulePosition: number | null;
  /** The stream's last page: its granule may cut the last packet short (end trimming). */
  endOfStream: boolean;
  packets: Buffer[];
}

export type OggReadResult = { ok: true; pages: OggPage[] } | { ok: false; error: string };

const CAPTURE_PATTERN = 0x4f676753; // "OggS"
const HEADER_BYTES = 27;
const FLAG_END_OF_STREAM = 0x04;
/** A packet larger than this is not an Opus packet (RFC 6716 caps one at 120 ms of 1 275-byte frames). */
const MAX_PACKET_BYTES = 0xffff;

export class OggReader {
  private pending: Buffer = Buffer.alloc(0);
  /** The start of a packet that continues on the next page. */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private failed: string | null = null;

  /** Feeds bytes as they come off the pipe; returns the pages completed by them. */
  push(data: Buffer): OggReadResult {
    if (this.failed !== null) return { ok: false, error: this.failed };
    this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
    const pages: OggPage[] = [];
    let offset = 0;
    while (this.pending.length - offset >= HEADER_BYTES) {
      const page = this.readPage(offset);
      if (page === 'incomplete') break;
      if (typeof page === 'string') {
        this.failed = page;
        this.pending = Buffer.alloc(0);
        return { ok: false, error: page };
      }
      pages.push(page.page);
      offset = page.next;
    }
    this.pending = this.pending.subarray(offset);
    return { ok: true, pages };
  }

  private readPage(offset: number): { page: OggPage; next: number } | 'incomplete' | string {
    const bytes = this.pending;
    if (bytes.readUInt32BE(offset) !== CAPTURE_PATTERN) return `no Ogg capture pattern at byte ${offset}`;
    if (bytes[offset + 4] !== 0) return `Ogg stream structure version ${bytes[offset + 4]} is not 0`;
    const flags = bytes[offset + 5] as number;
    const granule = bytes.readBigInt64LE(offset + 6);
    const segmentCount = bytes[offset + 26] as number;
    const tableEnd = offset + HEADER_BYTES + segmentCount;
    if (bytes.length < tableEnd) return 'incomplete';
    let bodyBytes = 0;
    for (let i = offset + HEADER_BYTES; i < tableEnd; i++) bodyBytes += bytes[i] as number;
    if (bytes.length < tableEnd + bodyBytes) return 'incomplete';

    const packets: Buffer[] = [];
    let body = tableEnd;
    for (let i = offset + HEADER_BYTES; i < tableEnd; i++) {
      const lacing = bytes[i] as number;
      // A view: `pending` is replaced as bytes come, never written, so a packet's start held over stays valid.
      this.partial.push(bytes.subarray(body, body + lacing));
      this.partialBytes += lacing;
      body += lacing;
      if (this.partialBytes > MAX_PACKET_BYTES) return `an Ogg packet is over ${MAX_PACKET_BYTES} bytes`;
      // A lacing value under 255 ends a packet; 255 means it goes on (in this page or the next).
      if (lacing < 255) {
        packets.push(Buffer.concat(this.partial, this.partialBytes));
        this.partial = [];
        this.partialBytes = 0;
      }
    }
    return {
      page: {
        granulePosition: granule < 0n ? null : Number(granule),
        endOfStream: (flags & FLAG_END_OF_STREAM) !== 0,
        packets,
      },
      next: body,
    };
  }
}
