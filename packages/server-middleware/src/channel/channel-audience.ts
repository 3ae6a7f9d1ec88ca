import { AUDIO_FORMAT, type AudioCodec, encodeMediaMessage } from '@onair/protocol';
import type { OpusTrack } from '../audio/opus-track';
import { FrameLadder, type RungStats } from '../ladder/frame-ladder';
import type { EncodedFrame, LadderFrame, RawFrame } from '../ladder/frames';
import { type JpegEncoder, type RawScaler, scaleRaw } from '../ladder/jpeg-encoder';
import { type ChannelRung, type LadderSource, planRungs, type RungSpec } from '../ladder/rung-plan';
import type { AudioChunk } from './audio-chunker';

/** What a channel needs from a viewer: where its media and lifecycle news go. */
export interface ChannelViewer {
  /** A video message of the viewer's rung. `catchUp` marks the newest frame sent on joining. */
  receiveVideo(frame: EncodedFrame, catchUp: boolean): void;
  /**
   * An audio message, encoded once for every viewer; each viewer keeps those of the codec it negotiated
   * (`hello.audioCodecs`) and ignores the others.
   */
  receiveAudio(message: Buffer, codec: AudioCodec): void;
  /** The format became known (inputs probed in the background) or the decoder is back after a failure. */
  channelReady(): void;
  channelFailed(reason: string): void;
}

export interface AudienceConfig {
  /** The configured rungs (`ladder` option); each channel plans its own from them and its size. */
  rungs: readonly RungSpec[];
  encode: JpegEncoder;
  /** Default: libvips (`scaleRaw`). */
  scale?: RawScaler;
  maxEncodesInFlight: number;
  onEncodeError(error: unknown): void;
  /** The channel's Opus encoder: its viewers get audio from it instead of PCM. */
  opus: Pick<OpusTrack, 'add' | 'remove' | 'push'>;
}

/**
 * Who watches a channel, on which rung, and the fan-out to them: each frame goes through the ladder (one scale
 * per watched height, one encode per watched rung, one Buffer for all its viewers), each audio chunk is framed
 * once for the PCM viewers and goes to the Opus track for the others. The ladder exists once the channel's size
 * is known (`configure`); viewers that joined before are placed on it then.
 */
export class ChannelAudience {
  private readonly rungOf = new Map<ChannelViewer, number>();
  private readonly opusViewers = new Set<ChannelViewer>();
  private viewersOn: Set<ChannelViewer>[] = [];
  private ladder: FrameLadder | null = null;
  private plan: ChannelRung[] | null = null;
  private geometry: string | null = null;
  private newest: LadderFrame | null = null;
  private videoSequence = 0;
  private audioSequence = 0;

  constructor(private readonly config: AudienceConfig) {}

  get size(): number {
    return this.rungOf.size;
  }

  /** This channel's rungs, lowest bitrate first; null until `configure`. */
  get rungs(): readonly ChannelRung[] | null {
    return this.plan;
  }

  viewers(): ChannelViewer[] {
    return [...this.rungOf.keys()];
  }

  /**
   * Plans the ladder for the channel's picture. Idempotent for the same size and rate; a new one rebuilds the
   * ladder (viewers keep their rung number, capped to the new ladder) and the caller tells viewers to restart.
   */
  configure(source: LadderSource): readonly ChannelRung[] {
    const geometry = `${source.width}x${source.height}@${source.fps}`;
    if (this.plan && geometry === this.geometry) return this.plan;
    const plan = planRungs(this.config.rungs, source);
    this.plan = plan;
    this.geometry = geometry;
    this.newest = null;
    const ladder: FrameLadder = new FrameLadder({
      rungs: plan,
      fps: source.fps,
      encode: this.config.encode,
      scale: this.config.scale ?? scaleRaw,
      maxInFlight: this.config.maxEncodesInFlight,
      deliver: (rung, frame, catchUp) => {
        // An encode of a ladder since replaced: its rung numbers mean other rungs now.
        if (ladder !== this.ladder) return;
        for (const viewer of this.viewersOn[rung] ?? []) viewer.receiveVideo(frame, catchUp);
      },
      onError: this.config.onEncodeError,
    });
    this.ladder = ladder;
    this.viewersOn = plan.map(() => new Set());
    for (const [viewer, rung] of this.rungOf) this.place(viewer, rung);
    return plan;
  }

  /** The newest raw frame of the current decoder run (thumbnails and catch-up frames are cut from it). */
  newestFrame(): LadderFrame | null {
    return this.newest;
  }

  /**
   * Adds a viewer on `rung` and sends it the newest frame of that rung at once (time to first frame). Its audio
   * comes as `audioCodec` (what its hello negotiated).
   */
  join(viewer: ChannelViewer, rung: number, audioCodec: AudioCodec = 'pcm'): void {
    if (this.rungOf.has(viewer)) return;
    this.rungOf.set(viewer, rung);
    if (audioCodec === 'opus') {
      this.opusViewers.add(viewer);
      this.config.opus.add(viewer);
    }
    if (!this.ladder) return;
    const cached = this.place(viewer, rung, this.newest);
    if (cached) viewer.receiveVideo(cached, true);
  }

  /**
   * Moves a viewer to another rung from the NEXT frame on: the current frame was already sent at the old rung,
   * and sending it again at the new one would give the viewer the same sequence number twice.
   */
  setRung(viewer: ChannelViewer, rung: number): void {
    const previous = this.rungOf.get(viewer);
    if (previous === undefined || previous === rung) return;
    if (this.ladder) {
      this.viewersOn[previous]?.delete(viewer);
      this.ladder.deactivate(previous);
    }
    this.rungOf.set(viewer, rung);
    if (this.ladder) this.place(viewer, rung);
  }

  /** Returns false when the viewer was not in the audience. */
  leave(viewer: ChannelViewer): boolean {
    const rung = this.rungOf.get(viewer);
    if (rung === undefined) return false;
    this.rungOf.delete(viewer);
    if (this.opusViewers.delete(viewer)) this.config.opus.remove(viewer);
    if (this.ladder && this.viewersOn[rung]?.delete(viewer)) this.ladder.deactivate(rung);
    return true;
  }

  pushFrame(frame: RawFrame): void {
    this.newest = { ...frame, sequence: this.videoSequence++ };
    this.ladder?.push(this.newest);
  }

  /**
   * Frames one audio chunk once and hands the same Buffer to every PCM viewer; the Opus track encodes it once
   * for the Opus viewers.
   */
  pushAudio(chunk: AudioChunk): void {
    this.config.opus.push(chunk);
    // Every viewer takes Opus: no PCM message to frame.
    if (this.opusViewers.size === this.rungOf.size) return;
    const bytes = encodeMediaMessage({
      kind: 'audio',
      timestamp: chunk.timestamp,
      sequence: this.audioSequence++,
      rungOrChannels: AUDIO_FORMAT.channels,
      payload: chunk.pcm,
    });
    const message = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const viewer of this.rungOf.keys())
      if (!this.opusViewers.has(viewer)) viewer.receiveAudio(message, 'pcm');
  }

  /** Forgets the frames of a decoder run that ended: they belong to a timeline that was cut. */
  forgetFrames(): void {
    this.newest = null;
    this.ladder?.reset();
  }

  activeRungs(): number[] {
    return this.ladder?.activeRungs() ?? [];
  }

  /** Whether `rung` is being encoded now (somebody watches it). */
  encodes(rung: number): boolean {
    return this.ladder?.encodes(rung) ?? false;
  }

  /** Bitrate estimates of the rungs, kbit/s at the channel's frame rate; empty until `configure`. */
  rungKbps(): number[] {
    return this.ladder?.kbps() ?? [];
  }

  /** Frames scaled so far per target height: one per frame and watched height, whatever the rungs on it. */
  scaleCounts(): ReadonlyMap<number, number> {
    return this.ladder?.scales() ?? new Map();
  }

  rungStats(): RungStats[] {
    return this.ladder?.stats() ?? [];
  }

  /** Puts a viewer on `rung` (capped to the ladder) of the current ladder; returns the rung's newest frame. */
  private place(viewer: ChannelViewer, rung: number, latest: LadderFrame | null = null): EncodedFrame | null {
    const ladder = this.ladder!;
    const capped = Math.min(Math.max(0, rung), ladder.size - 1);
    this.rungOf.set(viewer, capped);
    this.viewersOn[capped]!.add(viewer);
    return ladder.activate(capped, latest);
  }
}
