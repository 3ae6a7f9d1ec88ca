import { splitOpusMessage } from './opus-packets';

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
 * Opus audio messages → PCM through WebCodecs' `AudioDecoder`. Each packet goes in as one chunk whose timestamp
 * is its channel time (in µs, as WebCodecs counts), so what comes out carries its own time and feeds the same
 * audio output as PCM does.
 */
export class OpusDecoder {
  private decoder: AudioDecoder | null = null;

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
          timestamp: Math.round(packet.timestamp * 1000),
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
      return decoder;
    } catch (error) {
      this.options.onError(`Opus decoder: ${(error as Error).message}`);
      return null;
    }
  }

  private output(decoder: AudioDecoder, data: AudioData): void {
    try {
      if (this.decoder !== decoder) return;
      this.options.onSamples(data.timestamp / 1000, interleaved(data, this.options.channels));
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
