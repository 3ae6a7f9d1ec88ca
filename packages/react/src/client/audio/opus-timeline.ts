interface TimelineEntry {
  /** Where the packet starts on the decoder's timeline (ms). */
  decoderStart: number;
  /** Where it starts on the channel clock (ms). */
  channelStart: number;
}

/** How far apart the end of a packet and the start of the next may be on the channel clock and still join up. */
const CONTIGUOUS_MS = 0.5;

/**
 * Two timelines for the Opus decoder: the channel clock the packets carry, and a gapless one the decoder is fed.
 *
 * Chromium's `AudioDecoder` does not keep the timestamps it is given: it stamps its output from the first input's
 * timestamp plus the frames decoded since (media's AudioDiscardHelper), so any hole in the input (audio dropped
 * as stale after a stall, chunks the server dropped on a congested link) made every later sample look older by
 * the hole's length, for good: the audio clock, and the video following it, stayed that far behind live while the
 * sound itself was live. The decoder is given contiguous timestamps instead, which every decoder keeps whether it
 * copies its input's or counts frames, and its output is mapped back to the channel clock through the packet it
 * came from.
 */
export class OpusTimeline {
  private entries: TimelineEntry[] = [];
  private nextDecoderStart: number | null = null;

  /** A packet going into the decoder: the timestamp (ms) to give the decoder for it. */
  enter(channelStart: number, durationMs: number): number {
    // The first packet (and the first after a reset) starts both timelines at the same time.
    const decoderStart = this.nextDecoderStart ?? channelStart;
    this.nextDecoderStart = decoderStart + durationMs;
    const last = this.entries.at(-1);
    // Packets that follow on from the one before (within a fraction of a millisecond of rounding) need no entry of
    // their own: one mapping covers them.
    const shift = last ? channelStart - decoderStart - (last.channelStart - last.decoderStart) : 0;
    if (!last || Math.abs(shift) > CONTIGUOUS_MS) this.entries.push({ decoderStart, channelStart });
    return decoderStart;
  }

  /** Decoded output stamped `decoderTime` (ms) by the decoder: its time on the channel clock. */
  exit(decoderTime: number): number {
    // Output comes in input order: mappings wholly behind this output are done with (the tolerance absorbs the
    // decoder's rounding to microseconds).
    while (this.entries.length > 1 && this.entries[1]!.decoderStart <= decoderTime + CONTIGUOUS_MS)
      this.entries.shift();
    const entry = this.entries[0];
    return entry ? entry.channelStart + (decoderTime - entry.decoderStart) : decoderTime;
  }

  /** A new decoder (a reset): the next packet starts the timelines afresh. */
  reset(): void {
    this.entries = [];
    this.nextDecoderStart = null;
  }
}
