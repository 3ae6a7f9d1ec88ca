import { AUDIO_FORMAT, encodeMediaMessage, encodeOpusPackets } from '@onair/protocol';
import type { ChildStatus, OpusEncodeSpec } from '../ffmpeg';
import { OnDemandRun } from '../lifecycle/on-demand-run';
import type { ResolvedOptions } from '../options/live-stream-options';
import { OpusEncoderRun, type OpusEncoderRunConfig, type OpusEncoderRunHandlers } from './opus-encoder-run';
import type { PacketGroup } from './opus-grouper';
import type { PcmChunk } from './pcm-timeline';

/** Where a channel's Opus messages go. */
export interface OpusListener {
  receiveAudio(message: Buffer, codec: 'opus'): void;
}

/** What a track uses of an encoder run. */
type Encoder = Pick<OpusEncoderRun, 'write' | 'stop' | 'process' | 'chunksShed'>;

export interface OpusTrackDeps {
  ffmpegPath: string;
  options: Pick<
    ResolvedOptions,
    'logger' | 'restartDelayMs' | 'maxRestartDelayMs' | 'idleTimeoutMs' | 'audioChunkMs'
  >;
  videoId: string;
  /** Starts an encoder. Default: an ffmpeg `OpusEncoderRun`; tests hand in a fake. */
  startEncoder?: (config: OpusEncoderRunConfig, handlers: OpusEncoderRunHandlers) => Encoder;
}

/** What `live.stats()` shows of a channel's Opus encoder. */
export interface OpusTrackStats {
  state: OnDemandRun<null, Encoder>['state'];
  listeners: number;
  pid: number | null;
  running: boolean;
  /** Messages framed (each sent to every Opus viewer), all runs together. */
  messagesOut: number;
  /** Opus payload bytes framed, all runs together: the audio bitrate an Opus viewer costs. */
  payloadBytesOut: number;
  /** Encoder restarts after failures. */
  restarts: number;
  /** PCM chunks the current run dropped because it had fallen behind. */
  chunksShed: number;
}

/** 32 kbit/s a channel (64 for stereo): near-transparent for music and speech, a 24th of PCM's 1 536 kbit/s. */
const KBPS_PER_CHANNEL = 32;
/** Opus' default frame; 100 ms messages hold five. */
const FRAME_MS = 20;

const startEncoderRun = (config: OpusEncoderRunConfig, handlers: OpusEncoderRunHandlers): Encoder =>
  new OpusEncoderRun(config, handlers);

/**
 * The Opus audio of one channel: ONE encoder however many Opus viewers, started by the first sound they are
 * there for, stopped `idleTimeoutMs` after the last leaves, restarted with backoff if it dies (`OnDemandRun`, as the decoder).
 * Each group of packets is framed once and the same Buffer goes to every Opus viewer. While the encoder is down
 * its viewers hear a gap; PCM viewers never depend on it.
 */
export class OpusTrack {
  private readonly listeners = new Set<OpusListener>();
  private readonly encoder: OnDemandRun<null, Encoder>;
  private readonly spec: OpusEncodeSpec = {
    sampleRate: AUDIO_FORMAT.sampleRate,
    channels: AUDIO_FORMAT.channels,
    kbps: KBPS_PER_CHANNEL * AUDIO_FORMAT.channels,
    frameMs: FRAME_MS,
  };
  private sequence = 0;
  private messagesOut = 0;
  private payloadBytesOut = 0;

  constructor(deps: OpusTrackDeps) {
    const { options, videoId } = deps;
    this.encoder = new OnDemandRun(
      {
        logger: options.logger,
        restartDelayMs: options.restartDelayMs,
        maxRestartDelayMs: options.maxRestartDelayMs,
        idleTimeoutMs: options.idleTimeoutMs,
        label: `Opus encoder of "${videoId}"`,
        videoId,
      },
      {
        held: () => this.listeners.size > 0,
        prepare: () => null,
        spawn: (_plan, report) =>
          (deps.startEncoder ?? startEncoderRun)(
            { ffmpegPath: deps.ffmpegPath, spec: this.spec, chunkMs: options.audioChunkMs },
            {
              onGroup: (group) => {
                if (!report.isCurrent()) return;
                report.running();
                this.deliver(group);
              },
              onExit: report.exited,
            },
          ),
        halt: async (run) => {
          await run?.stop();
        },
      },
    );
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  add(listener: OpusListener): void {
    this.listeners.add(listener);
  }

  /** Returns false when `listener` was not listening. */
  remove(listener: OpusListener): boolean {
    if (!this.listeners.delete(listener)) return false;
    this.encoder.keepAlive();
    return true;
  }

  /**
   * The channel's PCM, as it goes on air. The first chunk with an Opus viewer there starts the encoder, so a
   * channel without sound never runs one; chunks are dropped while none runs.
   */
  push(chunk: PcmChunk): void {
    if (this.listeners.size > 0) this.encoder.want('an Opus viewer and sound to encode');
    this.encoder.run?.write(chunk);
  }

  stats(): OpusTrackStats {
    const run = this.encoder.run;
    const process: ChildStatus | undefined = run?.process;
    return {
      state: this.encoder.state,
      listeners: this.listeners.size,
      pid: process?.pid ?? null,
      running: process?.isRunning ?? false,
      messagesOut: this.messagesOut,
      payloadBytesOut: this.payloadBytesOut,
      restarts: this.encoder.restarts,
      chunksShed: run?.chunksShed ?? 0,
    };
  }

  /** Ends the encoder and every timer; the track never starts again. */
  async close(): Promise<void> {
    this.listeners.clear();
    await this.encoder.close();
  }

  private deliver(group: PacketGroup): void {
    const payload = encodeOpusPackets(group.packets);
    const bytes = encodeMediaMessage({
      kind: 'audio',
      timestamp: group.timestamp,
      sequence: this.sequence++,
      rungOrChannels: this.spec.channels,
      payload,
    });
    this.messagesOut++;
    this.payloadBytesOut += payload.byteLength;
    const message = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const listener of this.listeners) listener.receiveAudio(message, 'opus');
  }
}
