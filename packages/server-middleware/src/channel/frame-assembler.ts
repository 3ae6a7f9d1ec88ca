/**
 * Cuts a byte stream (a pipe delivers arbitrary chunk sizes) into blocks of exactly `blockBytes`: raw video frames
 * or audio chunks. Each block is its own Buffer, never reused, so it can be kept (newest frame) and read
 * asynchronously (JPEG encode) safely.
 */
export class FrameAssembler {
  private current: Buffer;
  private filled = 0;

  constructor(readonly blockBytes: number) {
    if (!Number.isInteger(blockBytes) || blockBytes <= 0)
      throw new RangeError('blockBytes must be a positive integer');
    this.current = Buffer.allocUnsafe(blockBytes);
  }

  /** Appends `chunk`; returns the blocks it completed, in order. */
  push(chunk: Uint8Array): Buffer[] {
    const blocks: Buffer[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(this.blockBytes - this.filled, chunk.length - offset);
      this.current.set(chunk.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.blockBytes) {
        blocks.push(this.current);
        this.current = Buffer.allocUnsafe(this.blockBytes);
        this.filled = 0;
      }
    }
    return blocks;
  }
}
