import type { StreamAudio } from '@onair/protocol';
import type { AudioPath, AudioState } from '../state/snapshot';
import { AudioOutput } from './audio-output';
import { type AudioSink, chooseAudioPath } from './audio-sink';
import { OpusDecoder } from './opus-decoder';
import { pcmS16leToFloat32 } from './pcm';
import { ScheduledAudioOutput } from './scheduled-audio-output';

export interface AudioPlayoutOptions {
  bufferMs: number;
  /** The context started, stopped, got blocked, or the path changed. */
  onStateChange(): void;
  /** The channel clock now as the player estimates it (its newest arrivals), or null before any. */
  liveEdge(): number | null;
  /** Which path to try first; default: what the page can run (`chooseAudioPath`). */
  path?: () => 'worklet' | 'scheduled' | 'none';
}

/** Audio older than this behind the live edge (past the playout delay) is dropped on arrival: a backlog. */
export const STALE_AUDIO_MS = 500;

/**
 * Sound held beyond a whole chunk, at least. The buffer is lowest just before a chunk lands (the delay less a
 * chunk), so a delay shorter than a chunk and this margin runs dry whenever a chunk is a little late: a server
 * with 100 ms chunks gets 180 ms even when `audioBufferMs` asks 120.
 */
export const CHUNK_MARGIN_MS = 80;

/**
 * Sound held beyond a chunk, in round trips of the link, when that is more than `CHUNK_MARGIN_MS`. TCP repairs a
 * lost packet a round trip or two after it was due (fast retransmit, or a tail-loss probe at two), and everything
 * behind it on the socket waits: on a 4 Mbit/s link with 80 ms of round trip and 1 % loss the player with 80 ms
 * of margin fell silent two or three times a minute (issue 9, profile C). On the audio socket the sound loses only
 * its own packets, but a sparse stream's loss shows only when the next chunk's packet arrives (a chunk later), and
 * the repair takes a round trip more, on top of the video's queue at the bottleneck: with two round trips (160 ms)
 * profile C still fell silent once in two runs, with three (240 ms) in none of three, its p95 latency 439–505 ms.
 */
export const ROUND_TRIPS_OF_MARGIN = 3;
/** The margin a round trip sets is at most this: a hello answered late by a busy page must not cost seconds. */
export const MAX_LINK_MARGIN_MS = 400;

/** What the stats say of the sound. */
export interface AudioPlayoutStats {
  audioPath: AudioPath;
  audioCodec: StreamAudio['codec'] | null;
  audioState: AudioState;
  audioGapMs: number;
  audioPlayedMs: number;
  audioDelayMs: number | null;
}

/**
 * The stream's sound from message to speaker: decodes it (PCM, or Opus through WebCodecs), drops what arrives
 * stale (so after a stall it resumes at the live edge), and plays it on the path this page can run: the
 * AudioWorklet in a secure context, scheduled buffer sources elsewhere (and when the worklet fails to load).
 */
export class AudioPlayout {
  private sink: AudioSink | null = null;
  private opus: OpusDecoder | null = null;
  private format: StreamAudio | null = null;
  private triedScheduled = false;
  // Counters of sinks replaced within one stream (a failed worklet), so the stream's totals stay whole.
  private carriedGapMs = 0;
  private carriedPlayedMs = 0;
  // Where a reused sink's counters stood when this stream started: sinks count from creation, stats per stream.
  private baseGapMs = 0;
  private basePlayedMs = 0;
  private volume = { volume: 1, muted: false };
  private roundTripMs: number | null = null;

  constructor(private readonly options: AudioPlayoutOptions) {}

  /** A new playout delay, for the next sink (a context keeps the delay it was made with). */
  setBufferMs(bufferMs: number): void {
    this.options.bufferMs = bufferMs;
  }

  /**
   * The playout delay a sink starts with: `bufferMs`, or if longer a chunk of this stream and a margin:
   * `CHUNK_MARGIN_MS`, or `ROUND_TRIPS_OF_MARGIN` round trips of the link (up to `MAX_LINK_MARGIN_MS`).
   */
  get baseDelayMs(): number {
    const chunkMs = this.format?.chunkMs ?? 0;
    const linkMarginMs = Math.min(MAX_LINK_MARGIN_MS, ROUND_TRIPS_OF_MARGIN * (this.roundTripMs ?? 0));
    return Math.round(Math.max(this.options.bufferMs, chunkMs + Math.max(CHUNK_MARGIN_MS, linkMarginMs)));
  }

  get blocked(): boolean {
    return this.sink?.blocked ?? false;
  }

  get path(): AudioPath {
    return this.sink?.path ?? 'none';
  }

  /**
   * The stream's audio format, or null for a stream without sound, and the link's round trip (null: unknown).
   * Keeps the context when it still fits (and with it the delay it was made with).
   */
  configure(format: StreamAudio | null, roundTripMs: number | null = null): void {
    const previous = this.format;
    this.format = format;
    this.roundTripMs = roundTripMs;
    this.carriedGapMs = 0;
    this.carriedPlayedMs = 0;
    if (format?.codec !== previous?.codec || format?.channels !== previous?.channels) {
      this.opus?.close();
      this.opus = null;
    }
    if (format?.codec === 'opus' && !this.opus) {
      this.opus = new OpusDecoder({
        sampleRate: format.sampleRate,
        channels: format.channels,
        onSamples: (timestamp, samples) => this.play(timestamp, samples),
        // Lost audio is a gap the worklet counts; the next message gets a new decoder.
        onError: () => {},
      });
    }
    const sink = this.sink;
    const fits = sink && format && sink.sampleRate === format.sampleRate && sink.channels === format.channels;
    if (fits && !sink.failed) {
      this.resetCounters(sink);
      return;
    }
    this.closeSink();
    this.triedScheduled = false;
    if (format) this.sink = this.openSink(this.options.path?.() ?? chooseAudioPath());
    this.options.onStateChange();
  }

  push(timestamp: number, payload: Uint8Array): void {
    const format = this.format;
    if (!format || !this.sink) return;
    const edge = this.options.liveEdge();
    if (edge !== null && timestamp < edge - this.baseDelayMs - STALE_AUDIO_MS) return;
    if (format.codec === 'opus') this.opus?.decode(timestamp, payload);
    else this.play(timestamp, pcmS16leToFloat32(payload));
  }

  now(): number | null {
    return this.sink?.now() ?? null;
  }

  reset(): void {
    this.opus?.reset();
    this.sink?.reset();
  }

  setVolume(volume: number, muted: boolean): void {
    this.volume = { volume, muted };
    this.sink?.setVolume(volume, muted);
  }

  async resume(): Promise<void> {
    await this.sink?.resume();
  }

  readStats(): AudioPlayoutStats {
    const sink = this.sink;
    return {
      audioPath: this.path,
      audioCodec: this.format?.codec ?? null,
      audioState: !this.format ? 'none' : sink?.now() != null ? 'playing' : 'silent',
      audioGapMs: this.carriedGapMs + (sink ? sink.gapMs - this.baseGapMs : 0),
      audioPlayedMs: this.carriedPlayedMs + (sink ? sink.playedMs - this.basePlayedMs : 0),
      audioDelayMs: sink ? sink.delayMs : null,
    };
  }

  close(): void {
    this.opus?.close();
    this.opus = null;
    this.closeSink();
    this.format = null;
  }

  private resetCounters(sink: AudioSink): void {
    this.baseGapMs = sink.gapMs;
    this.basePlayedMs = sink.playedMs;
  }

  private play(timestamp: number, samples: Float32Array<ArrayBuffer>): void {
    let sink = this.sink;
    if (!sink) return;
    if (sink.failed && !this.triedScheduled) {
      // No worklet after all (it failed to load): the scheduled path plays where any AudioContext does.
      this.carriedGapMs += sink.gapMs - this.baseGapMs;
      this.carriedPlayedMs += sink.playedMs - this.basePlayedMs;
      this.closeSink();
      sink = this.openSink('scheduled');
      this.sink = sink;
      this.options.onStateChange();
      if (!sink) return;
    }
    sink.push(timestamp, samples);
  }

  private openSink(path: 'worklet' | 'scheduled' | 'none'): AudioSink | null {
    const format = this.format;
    if (!format || path === 'none') return null;
    if (path === 'scheduled') this.triedScheduled = true;
    const options = {
      sampleRate: format.sampleRate,
      channels: format.channels,
      bufferMs: this.baseDelayMs,
      onStateChange: () => this.options.onStateChange(),
    };
    try {
      const sink = path === 'worklet' ? new AudioOutput(options) : new ScheduledAudioOutput(options);
      sink.setVolume(this.volume.volume, this.volume.muted);
      this.baseGapMs = 0;
      this.basePlayedMs = 0;
      return sink;
    } catch {
      // An AudioContext the browser refuses (rate unsupported, too many contexts) means video only.
      return null;
    }
  }

  private closeSink(): void {
    this.sink?.close();
    this.sink = null;
  }
}
