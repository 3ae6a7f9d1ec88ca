import { encodeMediaMessage } from '@onair/protocol';
import type { EncodedFrame, LadderFrame, RawFrame } from './frames';
import type { JpegEncoder, RawScaler } from './jpeg-encoder';
import { RungBitrates } from './rung-bitrates';
import type { ChannelRung } from './rung-plan';

export interface RungStats {
  rung: number;
  label: string;
  width: number;
  height: number;
  quality: number;
  /** The rung's bitrate estimate at the channel's frame rate (`stream.rungs[rung].kbps`). */
  kbps: number;
  viewers: number;
  /** JPEG encodes of this rung running now. */
  inFlight: number;
  encoded: number;
  /**
   * Frames not sent for this rung: `maxEncodesInFlight` encodes were already running and a newer frame took the one
   * waiting place before one finished, or its encode finished after a newer frame's.
   */
  dropped: number;
}

export interface FrameLadderConfig {
  rungs: readonly ChannelRung[];
  /** The channel's frame rate: bitrates are per second of it. */
  fps: number;
  encode: JpegEncoder;
  scale: RawScaler;
  maxInFlight: number;
  /** Hands an encoded frame to the viewers of `rung`; `catchUp` for the frame encoded for a rung's first viewer. */
  deliver(rung: number, frame: EncodedFrame, catchUp: boolean): void;
  onError(error: unknown): void;
}

interface RungState {
  rung: number;
  info: ChannelRung;
  viewers: number;
  inFlight: number;
  encoded: number;
  dropped: number;
  newest: EncodedFrame | null;
  /** The frame that waits for an encode to finish (the newest that came while `maxInFlight` ran). */
  waiting: LadderFrame | null;
}

/**
 * The JPEG ladder of one channel: rungs of several sizes and qualities. A rung is encoded only while it has
 * viewers, once per frame, and the same Buffer goes to all of them. Each frame is scaled ONCE per height however
 * many watched rungs share that height, and every quality of the height is encoded from that one scaled picture.
 * Encodes are bounded per rung: beyond `maxInFlight`, one frame waits (the newest; an older one waiting is dropped)
 * and is encoded as soon as an encode finishes, so a slow machine degrades frame rate, not memory or latency, while
 * a live input that hands over its frames in lumps (a browser broadcaster's recorder: three frames at once every
 * 100 ms) keeps all of them: dropping the third of each lump had its viewers at 20–22 fps of 30.
 */
export class FrameLadder {
  private readonly rungs: RungState[];
  private readonly bitrates: RungBitrates;
  /** The newest frame scaled to each height, so a catch-up encode reuses it instead of scaling again. */
  private readonly scaledNewest = new Map<number, { sequence: number; frame: Promise<RawFrame> }>();
  private readonly scaleCounts = new Map<number, number>();
  // Bumped by reset(): encodes started before a decoder restart must not be delivered after it.
  private generation = 0;

  constructor(private readonly config: FrameLadderConfig) {
    this.rungs = config.rungs.map((info, rung) => ({
      rung,
      info,
      viewers: 0,
      inFlight: 0,
      encoded: 0,
      dropped: 0,
      newest: null,
      waiting: null,
    }));
    this.bitrates = new RungBitrates(config.rungs, config.fps);
  }

  get size(): number {
    return this.rungs.length;
  }

  /**
   * A viewer joins `rung`. Returns the rung's newest encoded frame; when the rung was idle and `latest` (the
   * channel's newest raw frame) is given, encodes it now and delivers it as a catch-up frame.
   */
  activate(rung: number, latest: LadderFrame | null): EncodedFrame | null {
    const state = this.state(rung);
    state.viewers++;
    if (state.viewers === 1 && latest) {
      if (state.inFlight >= this.config.maxInFlight) this.wait(state, latest);
      else this.encode(state, this.scaled(latest, state.info), latest, true);
    }
    return state.newest;
  }

  deactivate(rung: number): void {
    const state = this.state(rung);
    state.viewers = Math.max(0, state.viewers - 1);
    if (state.viewers === 0) {
      state.newest = null;
      state.waiting = null;
    }
  }

  /** A new frame from the decoder: scale it once per watched height, encode it for every watched rung. */
  push(frame: LadderFrame): void {
    const byHeight = new Map<number, RungState[]>();
    for (const state of this.rungs) {
      if (state.viewers === 0) continue;
      if (state.inFlight >= this.config.maxInFlight) {
        this.wait(state, frame);
        continue;
      }
      byHeight.set(state.info.height, [...(byHeight.get(state.info.height) ?? []), state]);
    }
    for (const states of byHeight.values()) {
      const picture = this.scaled(frame, states[0]!.info);
      for (const state of states) this.encode(state, picture, frame, false);
    }
  }

  /** Forgets every encoded frame (the decoder restarted: they belong to a timeline that was cut). */
  reset(): void {
    this.generation++;
    this.scaledNewest.clear();
    for (const state of this.rungs) {
      state.newest = null;
      state.waiting = null;
    }
  }

  /** Whether `rung` is encoded now: it has viewers (false for a rung not on the ladder). */
  encodes(rung: number): boolean {
    return (this.rungs[rung]?.viewers ?? 0) > 0;
  }

  activeRungs(): number[] {
    return this.rungs.filter((state) => state.viewers > 0).map((state) => state.rung);
  }

  /** Bitrate estimates of every rung, kbit/s, lowest rung first (`RungBitrates`). */
  kbps(): number[] {
    return this.bitrates.kbps();
  }

  /** Frames scaled so far, per target height (the source height is never scaled). */
  scales(): ReadonlyMap<number, number> {
    return this.scaleCounts;
  }

  stats(): RungStats[] {
    const kbps = this.kbps();
    return this.rungs.map(({ rung, info, viewers, inFlight, encoded, dropped }) => ({
      rung,
      label: info.label,
      width: info.width,
      height: info.height,
      quality: info.quality,
      kbps: Math.round(kbps[rung] ?? 0),
      viewers,
      inFlight,
      encoded,
      dropped,
    }));
  }

  /** `frame` takes the rung's waiting place; the frame that held it is dropped. */
  private wait(state: RungState, frame: LadderFrame): void {
    if (state.waiting) state.dropped++;
    state.waiting = frame;
  }

  private state(rung: number): RungState {
    const state = this.rungs[rung];
    if (!state) throw new RangeError(`rung ${rung} is not on the ladder`);
    return state;
  }

  /**
   * `frame` at the size of `rung`: itself at the source's size (encoded at once, no scale), else one shared scale
   * per frame and height. A frame no bigger than the rung is never scaled up: when the channel sheds output levels
   * (a busy server decodes a 1080p source at 480p), an upscale to 1080p would only cost the starved CPU a big
   * encode of no more detail (issue 9's busy 1080p60 server sent its 1080p viewers nothing: every such encode
   * was dropped).
   */
  private scaled(frame: LadderFrame, rung: ChannelRung): RawFrame | Promise<RawFrame> {
    if (rung.height >= frame.height) return frame;
    const cached = this.scaledNewest.get(rung.height);
    if (cached?.sequence === frame.sequence) return cached.frame;
    const scaled = this.config.scale(frame, rung.width, rung.height);
    // A failed scale is reported by each encode that awaits it; this copy only keeps it from being unhandled.
    scaled.catch(() => {});
    this.scaledNewest.set(rung.height, { sequence: frame.sequence, frame: scaled });
    this.scaleCounts.set(rung.height, (this.scaleCounts.get(rung.height) ?? 0) + 1);
    return scaled;
  }

  private encode(
    state: RungState,
    picture: RawFrame | Promise<RawFrame>,
    frame: LadderFrame,
    catchUp: boolean,
  ): void {
    state.inFlight++;
    const generation = this.generation;
    const { quality } = state.info;
    const jpeg =
      picture instanceof Promise
        ? picture.then((raw) => this.config.encode(raw, quality))
        : this.config.encode(picture, quality);
    jpeg
      .then((jpeg) => {
        this.bitrates.record(state.rung, jpeg.byteLength);
        // Encodes finish out of order (libvips runs several at once): never send a frame older than one sent.
        if (generation !== this.generation || state.viewers === 0) return;
        if (state.newest && state.newest.sequence >= frame.sequence) {
          state.dropped++;
          return;
        }
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
        // Always of the current run and watched: a restart (`reset`) and the last viewer leaving clear it. So an
        // encode of the old run finishing still starts it.
        const waiting = state.waiting;
        if (!waiting) return;
        state.waiting = null;
        this.encode(state, this.scaled(waiting, state.info), waiting, false);
      });
  }
}
