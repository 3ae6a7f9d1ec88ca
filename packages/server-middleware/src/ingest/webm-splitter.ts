import {
  ContainerError,
  type ContainerPiece,
  type ContainerSplitter,
  PendingBytes,
} from './container-splitter';
import {
  children,
  type ElementHeader,
  Ids,
  readElementHeader,
  readUnsigned,
  readVint,
  unknownSizeHeader,
  unsignedElement,
} from './ebml';

/** Top-level (segment child) ids that end a cluster of unknown size. */
const LEVEL_1 = new Set<number>([
  Ids.Cluster,
  Ids.Info,
  Ids.Tracks,
  Ids.Cues,
  Ids.Tags,
  Ids.SeekHead,
  Ids.Chapters,
  Ids.Attachments,
  Ids.EBML,
]);

const VIDEO_TRACK_TYPE = 1;
const DEFAULT_TIMESTAMP_SCALE_NS = 1_000_000;

interface OpenCluster {
  /** Bytes left in a cluster of known size; null when its size is unknown (it ends at the next level-1 id). */
  remaining: number | null;
  time: number | null;
  /** Whether a cluster header has been emitted for the blocks of this cluster. */
  headed: boolean;
}

/**
 * Cuts a live WebM (MediaRecorder's, ffmpeg's) into an init (EBML header, a Segment of unknown size, Info,
 * Tracks) and one piece per block. A block that a decoder can start at (a video keyframe; any block when there is
 * no video) carries a cluster header of unknown size with its cluster's timestamp, and so does the first block of
 * each cluster: a reader started at any keyframe reads a well-formed live WebM, and skipping blocks between
 * keyframes never leaves a block without its cluster's time. SeekHead, Cues and Void are dropped (their offsets
 * mean nothing in a stream cut this way).
 */
export class WebmSplitter implements ContainerSplitter {
  private readonly pending: PendingBytes;
  private state: 'top' | 'segment' | 'cluster' = 'top';
  private initParts: Buffer[] = [];
  private initSent = false;
  private videoTracks = new Set<number>();
  private timestampScaleNs = DEFAULT_TIMESTAMP_SCALE_NS;
  private cluster: OpenCluster = { remaining: null, time: null, headed: false };

  constructor(maxElementBytes = 8 * 1024 * 1024) {
    this.pending = new PendingBytes(maxElementBytes);
  }

  push(chunk: Buffer): ContainerPiece[] {
    this.pending.append(chunk);
    const pieces: ContainerPiece[] = [];
    while (this.step(pieces)) {}
    return pieces;
  }

  /** Consumes one element (or header) if it is all there; false when more bytes are needed. */
  private step(pieces: ContainerPiece[]): boolean {
    const header = this.header();
    if (header === null) return false;
    if (this.state === 'top') return this.topLevel(header);
    if (this.state === 'cluster') {
      const { remaining } = this.cluster;
      if (remaining === 0 || (remaining === null && LEVEL_1.has(header.id))) {
        this.state = 'segment';
        return true;
      }
      return this.clusterChild(header, pieces);
    }
    return this.segmentChild(header, pieces);
  }

  private header(): ElementHeader | null {
    try {
      return readElementHeader(this.pending.bytes, 0);
    } catch (error) {
      throw new ContainerError(`not WebM: ${(error as Error).message}`);
    }
  }

  /** The whole element when all of it has arrived, else null. */
  private whole(header: ElementHeader): Buffer | null {
    if (header.size === null) throw new ContainerError(`element 0x${header.id.toString(16)} has no size`);
    const total = header.headerLength + header.size;
    return this.pending.length < total ? null : this.pending.take(total);
  }

  private topLevel(header: ElementHeader): boolean {
    if (header.id === Ids.EBML) {
      const element = this.whole(header);
      if (element === null) return false;
      this.initParts = [element];
      this.initSent = false;
      this.videoTracks = new Set();
      this.timestampScaleNs = DEFAULT_TIMESTAMP_SCALE_NS;
      return true;
    }
    if (header.id === Ids.Segment && this.initParts.length > 0) {
      this.pending.take(header.headerLength);
      // Its real size, when it has one, would end it wherever the stream was cut.
      this.initParts.push(unknownSizeHeader(Ids.Segment));
      this.state = 'segment';
      return true;
    }
    throw new ContainerError('not WebM: it does not start with an EBML header and a Segment');
  }

  private segmentChild(header: ElementHeader, pieces: ContainerPiece[]): boolean {
    if (header.id === Ids.EBML) {
      // A new stream (a broadcaster that started recording again): its header replaces the init.
      this.state = 'top';
      return true;
    }
    if (header.id === Ids.Cluster) {
      this.pending.take(header.headerLength);
      this.cluster = { remaining: header.size, time: null, headed: false };
      this.state = 'cluster';
      if (!this.initSent) {
        if (!this.initParts.some((part) => part.readUInt32BE(0) === Ids.Tracks)) {
          throw new ContainerError('not WebM: a Cluster before the Tracks');
        }
        pieces.push({ kind: 'init', slot: 'container', bytes: Buffer.concat(this.initParts) });
        this.initSent = true;
      }
      return true;
    }
    const element = this.whole(header);
    if (element === null) return false;
    if (!this.initSent && (header.id === Ids.Info || header.id === Ids.Tracks)) {
      this.initParts.push(element);
      this.readDefinitions(header, element.subarray(header.headerLength));
    }
    return true;
  }

  private readDefinitions(header: ElementHeader, body: Buffer): void {
    try {
      if (header.id === Ids.Info) {
        for (const child of children(body)) {
          if (child.id === Ids.TimestampScale) this.timestampScaleNs = readUnsigned(child.data) || 1;
        }
        return;
      }
      for (const entry of children(body)) {
        if (entry.id !== Ids.TrackEntry) continue;
        let number: number | null = null;
        let type: number | null = null;
        for (const field of children(entry.data)) {
          if (field.id === Ids.TrackNumber) number = readUnsigned(field.data);
          if (field.id === Ids.TrackType) type = readUnsigned(field.data);
        }
        if (number !== null && type === VIDEO_TRACK_TYPE) this.videoTracks.add(number);
      }
    } catch (error) {
      throw new ContainerError(`not WebM: ${(error as Error).message}`);
    }
  }

  private clusterChild(header: ElementHeader, pieces: ContainerPiece[]): boolean {
    const { cluster } = this;
    if (header.size === null) throw new ContainerError('a cluster child has no size');
    const total = header.headerLength + header.size;
    if (cluster.remaining !== null && total > cluster.remaining) {
      throw new ContainerError('not WebM: an element overruns its cluster');
    }
    const element = this.whole(header);
    if (element === null) return false;
    if (cluster.remaining !== null) cluster.remaining -= total;
    const body = element.subarray(header.headerLength);
    if (header.id === Ids.Timestamp) cluster.time = readUnsigned(body);
    else if (header.id === Ids.SimpleBlock || header.id === Ids.BlockGroup) {
      pieces.push(this.blockPiece(header.id, element, body));
    }
    return true;
  }

  private blockPiece(id: number, element: Buffer, body: Buffer): ContainerPiece {
    const { cluster } = this;
    if (cluster.time === null) throw new ContainerError('not WebM: a block before its cluster timestamp');
    let block = body;
    let referenced = false;
    if (id === Ids.BlockGroup) {
      let found: Buffer | null = null;
      try {
        for (const child of children(body)) {
          if (child.id === Ids.Block) found = child.data;
          if (child.id === Ids.ReferenceBlock) referenced = true;
        }
      } catch (error) {
        throw new ContainerError(`not WebM: ${(error as Error).message}`);
      }
      if (found === null) throw new ContainerError('not WebM: a BlockGroup without a Block');
      block = found;
    }
    const track = readVint(block, 0);
    if (track === null || block.length < track.length + 3)
      throw new ContainerError('not WebM: a short block');
    const relative = block.readInt16BE(track.length);
    const flagged = id === Ids.SimpleBlock ? ((block[track.length + 2] as number) & 0x80) !== 0 : !referenced;
    const keyframe = this.videoTracks.size === 0 || (this.videoTracks.has(track.value) && flagged);
    const timeMs = ((cluster.time + relative) * this.timestampScaleNs) / 1e6;
    if (!keyframe && cluster.headed) return { kind: 'media', bytes: element, keyframe, timeMs };
    cluster.headed = true;
    const clusterHeader = Buffer.concat([
      unknownSizeHeader(Ids.Cluster),
      unsignedElement(Ids.Timestamp, cluster.time),
    ]);
    return { kind: 'media', bytes: Buffer.concat([clusterHeader, element]), keyframe, timeMs };
  }
}
