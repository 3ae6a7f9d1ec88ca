import {
  type ChildExit,
  type ChildStatus,
  KILL_GRACE_MS,
  type OpusEncodeProcess,
  type OpusEncodeSpec,
  opusPacketBytes,
  spawnOpusEncodeProcess,
  stopWithGrace,
} from '../ffmpeg';
import { CbrOpusReader } from './cbr-opus-reader';
import { OpusGrouper, type PacketGroup } from './opus-grouper';
import { LIBOPUS_PRE_SKIP, OPUS_SAMPLE_RATE } from './opus-packet';
import { type PcmChunk, PcmTimeline } from './pcm-timeline';

export interface OpusEncoderRunConfig {
  ffmpegPath: string;
  spec: OpusEncodeSpec;
  /** Nominal duration of one audio message. */
  chunkMs: number;
  /** Spawns the child. Default: ffmpeg (`spawnOpusEncodeProcess`); tests hand in a fake. */
  spawn?: typeof spawnOpusEncodeProcess;
}

export interface OpusEncoderRunHandlers {
  /** A message's worth of packets, on the channel clock. */
  onGroup(group: PacketGroup): void;
  /** The process ended; `requested` when `stop()` asked for it. */
  onExit(exit: ChildExit, requested: boolean, stderrTail: string): void;
}

/**
 * PCM the encoder may have queued and not yet read before new chunks are dropped: an encoder that falls behind
 * (a busy CPU) sheds sound rather than falling behind live. The timeline keeps the packets' times right across
 * the hole.
 */
const MAX_QUEUED_MS = 500;

/**
 * How long the encoder's output may be quiet before a short group goes out. One chunk of PCM comes back as a
 * burst of packets within a few ms; the packets still owed (ffmpeg reads its input 1 024 samples at a time)
 * come with the next chunk, a whole chunk later. Waiting for them would add that chunk to the delay.
 */
const SETTLE_MS = 8;

/**
 * One Opus encoder of a channel, from spawn to exit: PCM chunks in, packets out as groups of about `chunkMs`
 * on the channel clock. Packet n decodes to samples from n × its length on, which less libopus' pre-skip are
 * the input's: the timeline places them on the channel clock. A child that writes something other than the CBR
 * packets asked for is stopped and reported as failed.
 */
export class OpusEncoderRun {
  private readonly child: OpusEncodeProcess;
  private readonly timeline: PcmTimeline;
  private readonly reader: CbrOpusReader;
  private readonly packetSamples: number;
  /** Packets read so far: where the next one starts, in decoded samples. */
  private packetsRead = 0;
  private readonly grouper: OpusGrouper;
  /** Bytes of one sample frame: s16 for each channel. */
  private readonly frameBytes: number;
  private readonly maxQueuedBytes: number;
  private settleTimer: NodeJS.Timeout | null = null;
  private stopRequested = false;
  private invalidOutput: string | null = null;
  private shed = 0;

  constructor(
    config: OpusEncoderRunConfig,
    private readonly handlers: OpusEncoderRunHandlers,
  ) {
    const { spec } = config;
    this.timeline = new PcmTimeline(spec.sampleRate);
    this.packetSamples = (spec.frameMs * OPUS_SAMPLE_RATE) / 1000;
    this.reader = new CbrOpusReader(opusPacketBytes(spec), this.packetSamples);
    this.grouper = new OpusGrouper(config.chunkMs);
    this.frameBytes = spec.channels * 2;
    this.maxQueuedBytes = ((spec.sampleRate * MAX_QUEUED_MS) / 1000) * this.frameBytes;
    this.child = (config.spawn ?? spawnOpusEncodeProcess)(config.ffmpegPath, spec);
    this.child.output.on('data', (data: Buffer) => this.read(data));
    void this.child.exited.then((exit) => this.exited(exit));
  }

  get process(): ChildStatus {
    return this.child;
  }

  /** Chunks dropped because the encoder had not read the ones before. */
  get chunksShed(): number {
    return this.shed;
  }

  write(chunk: PcmChunk): void {
    const { input } = this.child;
    if (this.stopRequested || !this.child.isRunning || !input.writable) return;
    if (input.writableLength > this.maxQueuedBytes) {
      this.shed++;
      return;
    }
    this.timeline.add(chunk.pcm.length / this.frameBytes, chunk.timestamp);
    input.write(chunk.pcm);
  }

  /** Ends the process (SIGTERM, then SIGKILL after a grace period) and resolves once it has exited. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.clearSettle();
    this.child.input.end();
    await stopWithGrace(this.child, KILL_GRACE_MS, [this.child.output]);
  }

  private read(data: Buffer): void {
    if (this.stopRequested || this.invalidOutput !== null) return;
    const read = this.reader.push(data);
    if (!read.ok) {
      this.fail(read.error);
      return;
    }
    for (const packet of read.packets) {
      const start = this.packetsRead * this.packetSamples - LIBOPUS_PRE_SKIP;
      this.packetsRead++;
      const timestamp = this.timeline.timeAt(start);
      this.timeline.forgetBefore(start + this.packetSamples);
      if (timestamp === null) continue;
      for (const group of this.grouper.push({ data: packet, timestamp, samples: this.packetSamples })) {
        this.handlers.onGroup(group);
      }
    }
    this.clearSettle();
    if (!this.grouper.isEmpty) this.settleTimer = setTimeout(() => this.settle(), SETTLE_MS);
  }

  private settle(): void {
    this.settleTimer = null;
    const group = this.grouper.flush();
    if (group && !this.stopRequested) this.handlers.onGroup(group);
  }

  private clearSettle(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = null;
  }

  /** Output that is not the packets asked for: nothing more of this run can be trusted; the exit reports it. */
  private fail(reason: string): void {
    this.invalidOutput = reason;
    this.clearSettle();
    this.child.kill('SIGKILL');
  }

  private exited(exit: ChildExit): void {
    this.clearSettle();
    const stderr = this.child.stderrTail();
    const why = this.invalidOutput === null ? stderr : `${this.invalidOutput}\n${stderr}`.trim();
    this.handlers.onExit(exit, this.stopRequested && this.invalidOutput === null, why);
  }
}
