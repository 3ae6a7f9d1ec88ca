/**
 * A piece of a container byte stream, cut where a reader may start or skip to.
 * - `init`: bytes every reader needs first. `slot` says which: `container` starts a new stream (what came before
 *   is over); any other slot (FLV metadata, codec configuration) replaces the last bytes of that slot.
 * - `media`: a self-contained run of coded media (a WebM block, an FLV tag); `keyframe` when a decoder can start
 *   there; `timeMs` its presentation time in the container's clock.
 */
export type ContainerPiece =
  | { kind: 'init'; slot: string; bytes: Buffer }
  | { kind: 'media'; bytes: Buffer; keyframe: boolean; timeMs: number };

/** Cuts a container byte stream, chunked anyhow, into pieces. */
export interface ContainerSplitter {
  /** Throws `ContainerError` on bytes that are not the container (the splitter is then unusable). */
  push(chunk: Buffer): ContainerPiece[];
}

/** The bytes are not the container they should be, or an element is larger than allowed. */
export class ContainerError extends Error {
  override name = 'ContainerError';
}

/** Bytes not yet consumed by a splitter, bounded so a stream that never completes an element cannot grow it. */
export class PendingBytes {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly maxBytes: number) {}

  get length(): number {
    return this.buffer.length;
  }

  get bytes(): Buffer {
    return this.buffer;
  }

  append(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    if (this.buffer.length > this.maxBytes) {
      throw new ContainerError(`an element is larger than ${this.maxBytes} bytes`);
    }
  }

  /** Removes and returns the first `count` bytes (a copy, so the rest can be released independently). */
  take(count: number): Buffer {
    const taken = Buffer.from(this.buffer.subarray(0, count));
    this.buffer = this.buffer.subarray(count);
    return taken;
  }
}
