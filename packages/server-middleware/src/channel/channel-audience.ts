import { AUDIO_FORMAT, type AudioCodec, encodeMediaMessage } from '@onair/protocol';
import type { OpusTrack } from '../audio/opus-track';
import { FrameLadder, type RungStats } from '../ladder/frame-ladder';
import type { EncodedFrame, LadderFrame, RawFrame } from '../ladder/frames';
import type { JpegEncoder } from '../ladder/jpeg-encoder';
import type { AudioChunk } from './audio-chunker';

/** What a channel needs from a viewer: where its media and lifecycle news go. */
export interface ChannelViewer {
  /** A video message of the viewer's rung. `catchUp` marks the newest frame sent on joining. */
  receiveVideo(frame: EncodedFrame, catchUp: boolean): void;
  receiveAudio(message: Buffer): void;
  /** The format became known (inputs probed in the background) or the decoder is back after a failure. */
  channelReady(): void;
  channelFailed(reason: string): void;
}

export interface AudienceConfig {
  qualities: readonly number[];
  encode: JpegEncoder;
  maxEncodesInFlight: number;
  onEncodeError(error: unknown): void;
  /** The channel's Opus encoder: its viewers get audio from it instead of PCM. */
  opus: Pick<OpusTrack, 'add' | 'remove' | 'push'>;
}

/**
 * Who watches a channel, on which rung, and the fan-out to them: each frame goes through the JPEG ladder (one
 * encode per watched rung, one Buffer for all its viewers), each audio chunk is framed once for the PCM viewers
 * and goes to the Opus track for the others.
 */
export class ChannelAudience {
  private readonly rungOf = new Map<ChannelViewer, number>();
  private readonly viewersOn: Set<ChannelViewer>[];
  private readonly ladder: FrameLadder;
  private readonly opus: AudienceConfig['opus'];
  private readonly opusViewers = new Set<ChannelViewer>();
  private newest: LadderFrame | null = null;
  private videoSequence = 0;
  private audioSequence = 0;

  constructor(config: AudienceConfig) {
    this.viewersOn = config.qualities.map(() => new Set());
    this.opus = config.opus;
    this.ladder = new FrameLadder({
      qualities: config.qualities,
      encode: config.encode,
      maxInFlight: config.maxEncodesInFlight,
      deliver: (rung, frame, catchUp) => {
        for (const viewer of this.viewersOn[rung] ?? []) viewer.receiveVideo(frame, catchUp);
      },
      onError: config.onEncodeError,
    });
  }

  get size(): number {
    return this.rungOf.size;
  }

  viewers(): ChannelViewer[] {
    return [...this.rungOf.keys()];
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
      this.opus.add(viewer);
    }
    this.viewersOn[rung]?.add(viewer);
    const cached = this.ladder.activate(rung, this.newest);
    if (cached) viewer.receiveVideo(cached, true);
  }

  setRung(viewer: ChannelViewer, rung: number): void {
    const previous = this.rungOf.get(viewer);
    if (previous === undefined || previous === rung) return;
    this.viewersOn[previous]?.delete(viewer);
    this.ladder.deactivate(previous);
    this.rungOf.set(viewer, rung);
    this.viewersOn[rung]?.add(viewer);
    this.ladder.activate(rung, this.newest);
  }

  /** Returns false when the viewer was not in the audience. */
  leave(viewer: ChannelViewer): boolean {
    const rung = this.rungOf.get(viewer);
    if (rung === undefined) return false;
    this.rungOf.delete(viewer);
    if (this.opusViewers.delete(viewer)) this.opus.remove(viewer);
    this.viewersOn[rung]?.delete(viewer);
    this.ladder.deactivate(rung);
    return true;
  }

  pushFrame(frame: RawFrame): void {
    this.newest = { ...frame, sequence: this.videoSequence++ };
    this.ladder.push(this.newest);
  }

  pushAudio(chunk: AudioChunk): void {
    this.opus.push(chunk);
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
    for (const viewer of this.rungOf.keys()) if (!this.opusViewers.has(viewer)) viewer.receiveAudio(message);
  }

  /** Forgets the frames of a decoder run that ended: they belong to a timeline that was cut. */
  forgetFrames(): void {
    this.newest = null;
    this.ladder.reset();
  }

  activeRungs(): number[] {
    return this.ladder.activeRungs();
  }

  rungStats(): RungStats[] {
    return this.ladder.stats();
  }
}
