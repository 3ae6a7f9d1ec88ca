import { splitOpusMessage } from './opus-packets';
import { OpusTimeline } from './opus-timeline';

export interface OpusDecoderOptions {
  sampleRate: number;
  channels: number;
  /** Decoded sound: interleaved float samples starting at `timestamp` on the channel clock. */
  onSamples(timestamp: number, samples: Float32Array<ArrayBuffer>): void;
  /** A message whose framing is broken, or a decoder that failed: that audio is lost, the next may play. */
  onError(reason: string): void;
}

/** Whether this browser has WebCodecs' audio decoder (secure contexts only). */
export function canDecodeOpus(): boolean {
  return typeof AudioDecoder === 'function' && typeof EncodedAudioChunk === 'function';
}

/**
 * Opus audio messages → PCM through WebCodecs' `AudioDecoder`. Each packet goes in as one chunk, and what comes
 * out is put back on the channel clock (`OpusTimeline`: the decoder may restamp its output, and holes in the input
 * must not shift it), so it feeds the same audio output as PCM does.
 */
export class OpusDecoder {
  private decoder: AudioDecoder | null = null;
  private readonly timeline = new OpusTimeline();

  constructor(private readonly options: OpusDecoderOptions) {}

  decode(timestamp: number, payload: Uint8Array): void {
    const packets = splitOpusMessage(timestamp, payload);
    if (!packets) {
      this.options.onError('an Opus audio message with broken packet framing');
      return;
    }
    const decoder = this.ready();
    if (!decoder) return;
    for (const packet of packets) {
      if (packet.data.byteLength === 0) continue;
      decoder.decode(
        new EncodedAudioChunk({
          type: 'key',
          // WebCodecs counts in microseconds.
          timestamp: Math.round(this.timeline.enter(packet.timestamp, packet.durationMs) * 1000),
          duration: Math.round(packet.durationMs * 1000),
          data: packet.data,
        }),
      );
    }
  }

  /** Forgets what is being decoded (a stall, a pause, a new stream): its output would be stale. */
  reset(): void {
    const decoder = this.decoder;
    this.decoder = null;
    if (decoder && decoder.state !== 'closed') decoder.close();
  }

  close(): void {
    this.reset();
  }

  private ready(): AudioDecoder | null {
    if (this.decoder && this.decoder.state === 'configured') return this.decoder;
    try {
      const decoder = new AudioDecoder({
        output: (data) => this.output(decoder, data),
        error: (error) => {
          if (this.decoder === decoder) this.decoder = null;
          this.options.onError(`Opus decoder: ${error.message}`);
        },
      });
      decoder.configure({
        codec: 'opus',
        sampleRate: this.options.sampleRate,
        numberOfChannels: this.options.channels,
      });
      this.decoder = decoder;
      // A new decoder stamps from its first input: the timelines start again together.
      this.timeline.reset();
      return decoder;
    } catch (error) {
      this.options.onError(`Opus decoder: ${(error as Error).message}`);
      return null;
    }
  }

  private output(decoder: AudioDecoder, data: AudioData): void {
    try {
      if (this.decoder !== decoder) return;
      this.options.onSamples(
        this.timeline.exit(data.timestamp / 1000),
        interleaved(data, this.options.channels),
      );
    } finally {
      data.close();
    }
  }
}

/** AudioData (interleaved or planar, any channel count) → interleaved float samples with `channels` channels. */
export function interleaved(data: AudioData, channels: number): Float32Array<ArrayBuffer> {
  const frames = data.numberOfFrames;
  const sourceChannels = data.numberOfChannels;
  const out = new Float32Array(frames * channels);
  if (data.format === 'f32' && sourceChannels === channels) {
    data.copyTo(out, { planeIndex: 0 });
    return out;
  }
  const plane = new Float32Array(frames);
  for (let channel = 0; channel < channels; channel++) {
    data.copyTo(plane, { planeIndex: Math.min(channel, sourceChannels - 1), format: 'f32-planar' });
    for (let i = 0; i < frames; i++) out[i * channels + channel] = plane[i]!;
  }
  return out;
}
