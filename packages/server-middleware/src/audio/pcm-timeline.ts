/** A run of PCM samples on the channel clock, as the channel's decoder cut them. */
export interface PcmChunk {
  /** s16le interleaved. */
  pcm: Buffer;
  /** Channel time (ms) of the first sample. */
  timestamp: number;
}

interface Written {
  /** Index of the chunk's first sample in everything written to the encoder. */
  start: number;
  timestamp: number;
}

/** Enough to time every packet an encoder still owes; far more than its few tens of ms of delay. */
const MAX_ENTRIES = 256;

/**
 * Where each sample written to an encoder sits on the channel clock. The encoder sees one gapless stream; the
 * chunks written into it need not be (a decoder restart cuts the timeline, a chunk dropped while the encoder
 * was behind leaves a hole), so a sample is timed by the chunk it came in, not by counting from the first.
 */
export class PcmTimeline {
  private readonly entries: Written[] = [];
  private written = 0;

  constructor(private readonly sampleRate: number) {}

  add(samples: number, timestamp: number): void {
    this.entries.push({ start: this.written, timestamp });
    this.written += samples;
    if (this.entries.length > MAX_ENTRIES) this.entries.shift();
  }

  /**
   * Channel time of input sample `index`. Before the first chunk (the encoder's pre-skip) it counts back from
   * that chunk; null before anything was written.
   */
  timeAt(index: number): number | null {
    let entry = this.entries[0];
    if (entry === undefined) return null;
    for (const candidate of this.entries) {
      if (candidate.start > index) break;
      entry = candidate;
    }
    return entry.timestamp + ((index - entry.start) * 1000) / this.sampleRate;
  }

  /** Forgets chunks wholly before sample `index`: no packet still to come starts in them. */
  forgetBefore(index: number): void {
    while (this.entries.length > 1 && (this.entries[1] as Written).start <= index) this.entries.shift();
  }
}
