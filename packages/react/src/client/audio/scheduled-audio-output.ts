import { AudioSchedule } from './audio-schedule';
import type { AudioSink } from './audio-sink';

export interface ScheduledAudioOutputOptions {
  sampleRate: number;
  channels: number;
  /** Playout delay: a fresh start plays this long after the chunk arrives. */
  bufferMs: number;
  onStateChange: () => void;
}

/** Audio tolerated above the playout delay before the schedule jumps to live (as the worklet's ceiling). */
const LATENCY_CEILING_MS = 300;

/**
 * The audio path for pages that are not a secure context (plain http on a LAN address), where there is no
 * AudioWorklet: each PCM chunk becomes an `AudioBuffer` played by its own `AudioBufferSourceNode`, started at the
 * context time `AudioSchedule` gives it, so chunks butt together. Same clock contract as the worklet: `now()` is
 * the channel time of the sample heard, and the video follows it.
 */
export class ScheduledAudioOutput implements AudioSink {
  readonly path = 'scheduled';
  readonly failed = false;
  private readonly context: AudioContext;
  private readonly gain: GainNode;
  private readonly schedule: AudioSchedule;
  private sources = new Set<AudioBufferSourceNode>();
  private closed = false;

  constructor(private readonly options: ScheduledAudioOutputOptions) {
    this.context = new AudioContext({ sampleRate: options.sampleRate, latencyHint: 'interactive' });
    this.gain = this.context.createGain();
    this.gain.connect(this.context.destination);
    this.context.onstatechange = () => options.onStateChange();
    this.schedule = new AudioSchedule({ leadMs: options.bufferMs, ceilingMs: LATENCY_CEILING_MS });
  }

  get sampleRate(): number {
    return this.options.sampleRate;
  }

  get channels(): number {
    return this.options.channels;
  }

  get blocked(): boolean {
    return !this.closed && this.context.state === 'suspended';
  }

  get delayMs(): number {
    return this.schedule.leadMs;
  }

  get gapMs(): number {
    return this.schedule.gapMsAt(this.context.currentTime);
  }

  get playedMs(): number {
    return this.schedule.playedMsAt(this.context.currentTime);
  }

  push(timestamp: number, samples: Float32Array<ArrayBuffer>): void {
    // A suspended context's time stands still: scheduling then would only pile audio up.
    if (this.closed || this.context.state !== 'running') return;
    const { channels, sampleRate } = this.options;
    const frames = Math.floor(samples.length / channels);
    if (frames === 0) return;
    const placement = this.schedule.place(timestamp, (frames * 1000) / sampleRate, this.context.currentTime);
    if (!placement) return;
    if (placement.flush) this.stopAll();
    const buffer = this.context.createBuffer(channels, frames, sampleRate);
    const plane = new Float32Array(frames);
    for (let channel = 0; channel < channels; channel++) {
      for (let i = 0; i < frames; i++) plane[i] = samples[i * channels + channel]!;
      buffer.copyToChannel(plane, channel);
    }
    const source = this.context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.gain);
    source.onended = () => this.sources.delete(source);
    source.start(placement.startAt);
    this.sources.add(source);
  }

  now(): number | null {
    if (this.context.state !== 'running') return null;
    const heard =
      this.context.currentTime - (this.context.outputLatency ?? 0) - (this.context.baseLatency ?? 0);
    return this.schedule.clockAt(Math.max(0, heard));
  }

  reset(): void {
    this.stopAll();
    this.schedule.reset(this.context.currentTime);
  }

  setVolume(volume: number, muted: boolean): void {
    this.gain.gain.value = muted ? 0 : volume;
  }

  async resume(): Promise<void> {
    if (this.closed || this.context.state !== 'suspended') return;
    await this.context.resume();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopAll();
    this.context.onstatechange = null;
    void this.context.close().catch(() => {});
  }

  private stopAll(): void {
    for (const source of this.sources) {
      source.onended = null;
      try {
        source.stop();
      } catch {
        // Never started or already stopped.
      }
      source.disconnect();
    }
    this.sources.clear();
  }
}
