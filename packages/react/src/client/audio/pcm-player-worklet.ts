import { LEAD_RELAX_AFTER_MS, LEAD_STEP_MS, MAX_EXTRA_LEAD_MS } from './audio-schedule';

/** Name the worklet registers its processor under. */
export const PCM_PLAYER_PROCESSOR = 'onair-pcm-player';

/** The least the buffer held over this long is its standing excess, when above the playout delay. */
export const TRIM_WINDOW_MS = 2_000;
/** A standing excess up to this much is kept (jitter); beyond it, it is skipped. */
export const TRIM_TOLERANCE_MS = 40;

/**
 * AudioWorklet processor source, loaded from a Blob URL so the package needs no separate worklet file for
 * bundlers to find. It is a ring buffer of interleaved float samples: it waits until `primeFrames` are buffered
 * (the playout delay), plays, and on underrun goes silent and primes again. Each chunk's channel timestamp is
 * kept, so every few render quanta it can post the channel time of the sample at its read head together with
 * the context time: that pair is the master clock the video follows. It counts the frames it played and the
 * frames of silence it inserted after it first played (underruns, stalls): the player's audio gaps. After a
 * stall it starts again at the live edge: a backlog larger than the ceiling is skipped down to the playout delay.
 * The playout delay adapts as the scheduled path's does (./audio-schedule.ts): an underrun while playing adds a
 * step, up to a bound; a long run without one gives a step back.
 *
 * Sound that arrived late when playback primed (chunks held back behind a stall, then a burst) stays in the buffer
 * for good, under the ceiling: every later sample plays that much later, and the video follows the sound. So the
 * least the buffer held over each `TRIM_WINDOW_MS` is a standing excess when it stays above the playout delay less
 * the largest chunk (what the buffer holds just before a chunk comes, in a steady stream), and is skipped (issue 9: the player sat 250 ms further from live than its delay on a 50 Mbit/s link).
 */
export const PCM_PLAYER_WORKLET_SOURCE = `
class OnAirPcmPlayer extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const o = options.processorOptions;
    this.channels = o.channels;
    this.capacity = o.capacityFrames;
    this.basePrimeFrames = o.primeFrames;
    this.primeFrames = o.primeFrames;
    this.ceilingFrames = o.maxFrames - o.primeFrames;
    this.maxFrames = o.maxFrames;
    this.leadStepFrames = Math.round((${LEAD_STEP_MS} * sampleRate) / 1000);
    this.maxExtraFrames = Math.round((${MAX_EXTRA_LEAD_MS} * sampleRate) / 1000);
    this.relaxFrames = Math.round((${LEAD_RELAX_AFTER_MS} * sampleRate) / 1000);
    this.trimWindowFrames = Math.round((${TRIM_WINDOW_MS} * sampleRate) / 1000);
    this.trimToleranceFrames = Math.round((${TRIM_TOLERANCE_MS} * sampleRate) / 1000);
    this.windowMin = Infinity;
    this.windowFrames = 0;
    this.windowChunk = 0;
    this.steadyFrames = 0;
    this.ring = new Float32Array(this.capacity * this.channels);
    this.readPos = 0;
    this.size = 0;
    this.played = 0;
    this.written = 0;
    this.segments = [];
    this.playing = false;
    this.quanta = 0;
    this.reportedPlaying = false;
    this.skipped = false;
    this.everPlayed = false;
    this.playedFrames = 0;
    this.gapFrames = 0;
    this.port.onmessage = (event) => {
      const message = event.data;
      if (message.type === 'push') this.push(message.samples, message.timestamp);
      else if (message.type === 'reset') this.reset();
    };
  }

  reset() {
    this.readPos = 0;
    this.size = 0;
    this.played = this.written;
    this.segments = [];
    this.playing = false;
    this.windowMin = Infinity;
    this.windowFrames = 0;
    // A reset is the player's choice (pause, new stream, jump to live): the silence after it is no gap.
    this.everPlayed = false;
  }

  push(samples, timestamp) {
    const channels = this.channels;
    let frames = Math.floor(samples.length / channels);
    if (frames === 0) return;
    if (frames > this.capacity) {
      const excess = frames - this.capacity;
      samples = samples.subarray(excess * channels);
      timestamp += (excess * 1000) / sampleRate;
      frames = this.capacity;
    }
    const overflow = this.size + frames - this.capacity;
    if (overflow > 0) this.skip(overflow);
    let writePos = (this.readPos + this.size) % this.capacity;
    for (let i = 0; i < frames; i++) {
      const base = writePos * channels;
      const source = i * channels;
      for (let c = 0; c < channels; c++) this.ring[base + c] = samples[source + c];
      writePos = writePos + 1 === this.capacity ? 0 : writePos + 1;
    }
    this.windowChunk = Math.max(this.windowChunk, frames);
    this.segments.push({ start: this.written, timestamp });
    this.written += frames;
    this.size += frames;
    // Latency stays bounded: when the buffer grew past its ceiling (clock drift, a burst after a stall),
    // the oldest audio goes and playback returns to the target delay.
    if (this.playing && this.size > this.maxFrames) this.skip(this.size - this.primeFrames);
  }

  setPrime(frames) {
    this.primeFrames = frames;
    this.maxFrames = frames + this.ceilingFrames;
    this.steadyFrames = 0;
    this.windowMin = Infinity;
    this.windowFrames = 0;
  }

  trimStandingExcess(frames) {
    this.windowMin = Math.min(this.windowMin, this.size);
    this.windowFrames += frames;
    if (this.windowFrames < this.trimWindowFrames) return;
    // Just before a chunk arrives the buffer holds about the delay less a chunk: more than that is standing.
    const excess = this.windowMin - Math.max(0, this.primeFrames - this.windowChunk);
    if (excess > this.trimToleranceFrames) this.skip(excess);
    this.windowMin = Infinity;
    this.windowFrames = 0;
    this.windowChunk = 0;
  }

  skip(frames) {
    const count = Math.min(frames, this.size);
    this.readPos = (this.readPos + count) % this.capacity;
    this.size -= count;
    this.played += count;
    this.trimSegments();
    // The head jumped forward: the clock says so at the next quantum, not up to eight quanta later.
    this.skipped = true;
  }

  trimSegments() {
    while (this.segments.length > 1 && this.segments[1].start <= this.played) this.segments.shift();
  }

  timestampAt(index) {
    const segment = this.segments[0];
    return segment ? segment.timestamp + ((index - segment.start) * 1000) / sampleRate : null;
  }

  process(inputs, outputs) {
    const output = outputs[0];
    if (!output || output.length === 0) return true;
    const frames = output[0].length;
    if (!this.playing && this.size >= this.primeFrames) {
      this.playing = true;
      this.everPlayed = true;
      // Back from a stall with a backlog: what is older than the playout delay is stale for live audio.
      if (this.size > this.maxFrames) this.skip(this.size - this.primeFrames);
    }
    if (this.playing && this.size < frames) {
      this.playing = false;
      this.setPrime(Math.min(this.basePrimeFrames + this.maxExtraFrames, this.primeFrames + this.leadStepFrames));
    }
    const headTimestamp = this.playing ? this.timestampAt(this.played) : null;
    if (this.playing) {
      const channels = this.channels;
      for (let i = 0; i < frames; i++) {
        const base = this.readPos * channels;
        for (let c = 0; c < output.length; c++) output[c][i] = this.ring[base + Math.min(c, channels - 1)];
        this.readPos = this.readPos + 1 === this.capacity ? 0 : this.readPos + 1;
      }
      this.size -= frames;
      this.played += frames;
      this.playedFrames += frames;
      this.steadyFrames += frames;
      if (this.steadyFrames >= this.relaxFrames && this.primeFrames > this.basePrimeFrames)
        this.setPrime(Math.max(this.basePrimeFrames, this.primeFrames - this.leadStepFrames));
      this.trimSegments();
      this.trimStandingExcess(frames);
    } else if (this.everPlayed) {
      this.gapFrames += frames;
    }
    this.quanta++;
    const changed = this.playing !== this.reportedPlaying || this.skipped;
    this.reportedPlaying = this.playing;
    this.skipped = false;
    if (changed || this.quanta % 8 === 0) {
      this.port.postMessage({
        type: 'clock',
        timestamp: headTimestamp,
        contextTime: currentTime,
        playedFrames: this.playedFrames,
        gapFrames: this.gapFrames,
        delayFrames: this.primeFrames,
      });
    }
    return true;
  }
}
registerProcessor('${PCM_PLAYER_PROCESSOR}', OnAirPcmPlayer);
`;
