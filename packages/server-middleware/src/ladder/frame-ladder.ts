import { encodeMediaMessage } from '@onair/protocol';
import type { EncodedFrame, LadderFrame } from './frames';
import type { JpegEncoder } from './jpeg-encoder';

export interface RungStats {
  rung: number;
  quality: number;
  viewers: number;
  /** JPEG encodes of this rung running now. */
  inFlight: number;
  encoded: number;
  /** Frames not encoded for this rung because `maxEncodesInFlight` encodes were already running. */
  dropped: number;
}

export interface FrameLadderConfig {
  qualities: readonly number[];
  encode: JpegEncoder;
  maxInFlight: number;
  /** Hands an encoded frame to the viewers of `rung`; `catchUp` for the frame encoded for a rung's first viewer. */
  deliver(rung: number, frame: EncodedFrame, catchUp: boolean): void;
  onError(error: unknown): void;
}

interface RungState extends RungStats {
  newest: EncodedFrame | null;
}

/**
 * The JPEG ladder of one channel. A rung is encoded only while it has viewers, once per frame, and the same
 * Buffer goes to all of them. Encodes are bounded per rung: when the encoder falls behind, frames are dropped
 * for that rung instead of queueing, so a slow machine degrades frame rate, not memory or latency.
 */
export class FrameLadder {
  private readonly rungs: RungState[];
  // Bumped by reset(): encodes started before a decoder restart must not be delivered after it.
  private generation = 0;

  constructor(private readonly config: FrameLadderConfig) {
    this.rungs = config.qualities.map((quality, rung) => ({
      rung,
      quality,
      viewers: 0,
      inFlight: 0,
      encoded: 0,
      dropped: 0,
      newest: null,
    }));
  }

  /**
   * A viewer joins `rung`. Returns the rung's newest encoded frame to send at once; when the rung was idle and
   * `latest` (the channel's newest raw frame) is given, encodes it now and delivers it as a catch-up frame.
   */
  activate(rung: number, latest: LadderFrame | null): EncodedFrame | null {
    const state = this.state(rung);
    state.viewers++;
    if (state.viewers === 1 && latest) this.encode(state, latest, true);
    return state.newest;
  }

  deactivate(rung: number): void {
    const state = this.state(rung);
    state.viewers = Math.max(0, state.viewers - 1);
    if (state.viewers === 0) state.newest = null;
  }

  /** A new frame from the decoder: encode it for every rung that has viewers. */
  push(frame: LadderFrame): void {
    for (const state of this.rungs) if (state.viewers > 0) this.encode(state, frame, false);
  }

  /** Forgets every encoded frame (the decoder restarted: they belong to a timeline that was cut). */
  reset(): void {
    this.generation++;
    for (const state of this.rungs) state.newest = null;
  }

  activeRungs(): number[] {
    return this.rungs.filter((state) => state.viewers > 0).map((state) => state.rung);
  }

  stats(): RungStats[] {
    return this.rungs.map(({ newest: _newest, ...stats }) => ({ ...stats }));
  }

  private state(rung: number): RungState {
    const state = this.rungs[rung];
    if (!state) throw new RangeError(`rung ${rung} is not on the ladder`);
    return state;
  }

  private encode(state: RungState, frame: LadderFrame, catchUp: boolean): void {
    if (state.inFlight >= this.config.maxInFlight) {
      state.dropped++;
      return;
    }
    state.inFlight++;
    const generation = this.generation;
    this.config
      .encode(frame, state.quality)
      .then((jpeg) => {
        // Encodes finish out of order (libvips runs several at once): never send a frame older than one sent.
        if (generation !== this.generation || state.viewers === 0) return;
        if (state.newest && state.newest.sequence >= frame.sequence) return;
        const bytes = encodeMediaMessage({
          kind: 'video',
          timestamp: frame.timestamp,
          sequence: frame.sequence,
          rungOrChannels: state.rung,
          payload: jpeg,
        });
        state.newest = {
          message: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
          sequence: frame.sequence,
          timestamp: frame.timestamp,
        };
        state.encoded++;
        this.config.deliver(state.rung, state.newest, catchUp);
      })
      .catch((error: unknown) => this.config.onError(error))
      .finally(() => {
        state.inFlight--;
      });
  }
}
