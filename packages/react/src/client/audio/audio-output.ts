import type { AudioSink } from './audio-sink';
import { PCM_PLAYER_PROCESSOR, PCM_PLAYER_WORKLET_SOURCE } from './pcm-player-worklet';

export interface AudioOutputOptions {
  sampleRate: number;
  channels: number;
  /** Playout delay: audio waits until this much is buffered. */
  bufferMs: number;
  /** Called when the context starts, stops or is blocked by the autoplay policy. */
  onStateChange: () => void;
}

interface ClockReport {
  timestamp: number;
  contextTime: number;
}

/** What the worklet posts: its head's channel time (null while silent) and its counters, in frames. */
interface WorkletReport {
  type: string;
  timestamp: number | null;
  contextTime: number;
  playedFrames: number;
  gapFrames: number;
  delayFrames: number;
}

/** Chunks kept while the worklet module loads; anything older is stale for live audio anyway. */
const MAX_PENDING_CHUNKS = 20;
/** Extra audio tolerated above the playout delay before the worklet skips ahead. */
const LATENCY_CEILING_MS = 300;

/**
 * Web Audio output for the stream's sound (PCM, or Opus decoded to PCM): an AudioContext at the stream's rate (so the browser does not
 * resample), an AudioWorklet ring buffer, and a gain node for volume. Created only when a stream with audio
 * starts, never at module scope, so importing the package is safe during SSR.
 */
export class AudioOutput implements AudioSink {
  readonly path = 'worklet';
  private readonly context: AudioContext;
  private readonly gain: GainNode;
  private node: AudioWorkletNode | null = null;
  private pending: { timestamp: number; samples: Float32Array<ArrayBuffer> }[] = [];
  private clock: ClockReport | null = null;
  private closed = false;
  private failedToLoad = false;
  private playedFrames = 0;
  private gapFrames = 0;
  private delayFrames: number | null = null;

  constructor(private readonly options: AudioOutputOptions) {
    this.context = new AudioContext({ sampleRate: options.sampleRate, latencyHint: 'interactive' });
    this.gain = this.context.createGain();
    this.gain.connect(this.context.destination);
    this.context.onstatechange = () => options.onStateChange();
    void this.loadWorklet();
  }

  get sampleRate(): number {
    return this.options.sampleRate;
  }

  get channels(): number {
    return this.options.channels;
  }

  get failed(): boolean {
    return this.failedToLoad;
  }

  get gapMs(): number {
    return Math.round((this.gapFrames * 1000) / this.options.sampleRate);
  }

  get delayMs(): number {
    const frames = this.delayFrames;
    return frames === null ? this.options.bufferMs : Math.round((frames * 1000) / this.options.sampleRate);
  }

  get playedMs(): number {
    return Math.round((this.playedFrames * 1000) / this.options.sampleRate);
  }

  /** The autoplay policy keeps a context created without a user gesture suspended until `resume()`. */
  get blocked(): boolean {
    return !this.closed && !this.failedToLoad && this.context.state === 'suspended';
  }

  push(timestamp: number, samples: Float32Array<ArrayBuffer>): void {
    if (this.closed || this.failedToLoad) return;
    if (this.node) {
      this.node.port.postMessage({ type: 'push', timestamp, samples }, [samples.buffer]);
      return;
    }
    this.pending.push({ timestamp, samples });
    if (this.pending.length > MAX_PENDING_CHUNKS) this.pending.shift();
  }

  /** Channel time of the sample being heard now, or null while nothing plays (priming, blocked, failed). */
  now(): number | null {
    if (!this.clock || this.context.state !== 'running') return null;
    // The worklet's head reaches the speaker after the context's processing and output latency.
    const latencyMs = ((this.context.baseLatency ?? 0) + (this.context.outputLatency ?? 0)) * 1000;
    return this.clock.timestamp + (this.context.currentTime - this.clock.contextTime) * 1000 - latencyMs;
  }

  /** Forgets buffered audio (pause, stream switch); playback primes again from the next chunk. */
  reset(): void {
    this.pending = [];
    this.clock = null;
    this.node?.port.postMessage({ type: 'reset' });
  }

  setVolume(volume: number, muted: boolean): void {
    this.gain.gain.value = muted ? 0 : volume;
  }

  /** Must run inside a user gesture when the context is blocked. */
  async resume(): Promise<void> {
    if (this.closed || this.context.state !== 'suspended') return;
    await this.context.resume();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.node?.disconnect();
    this.context.onstatechange = null;
    void this.context.close().catch(() => {});
  }

  private async loadWorklet(): Promise<void> {
    const url = URL.createObjectURL(new Blob([PCM_PLAYER_WORKLET_SOURCE], { type: 'text/javascript' }));
    try {
      await this.context.audioWorklet.addModule(url);
      if (this.closed) return;
      const { sampleRate, channels, bufferMs } = this.options;
      const primeFrames = Math.round((bufferMs * sampleRate) / 1000);
      const maxFrames = primeFrames + Math.round((LATENCY_CEILING_MS * sampleRate) / 1000);
      const node = new AudioWorkletNode(this.context, PCM_PLAYER_PROCESSOR, {
        numberOfInputs: 0,
        numberOfOutputs: 1,
        outputChannelCount: [channels],
        processorOptions: { channels, primeFrames, maxFrames, capacityFrames: maxFrames + sampleRate },
      });
      node.port.onmessage = (event: MessageEvent<WorkletReport>) => {
        const report = event.data;
        if (report.type !== 'clock') return;
        this.playedFrames = report.playedFrames;
        this.gapFrames = report.gapFrames;
        this.delayFrames = report.delayFrames;
        this.clock =
          report.timestamp === null ? null : { timestamp: report.timestamp, contextTime: report.contextTime };
      };
      node.connect(this.gain);
      this.node = node;
      for (const chunk of this.pending)
        node.port.postMessage({ type: 'push', ...chunk }, [chunk.samples.buffer]);
      this.pending = [];
    } catch {
      // Without the worklet there is no audio; the video keeps playing on the local clock.
      this.failedToLoad = true;
      this.pending = [];
      this.options.onStateChange();
    } finally {
      URL.revokeObjectURL(url);
    }
  }
}
