/**
 * Where decoded sound goes: the AudioWorklet ring buffer (`AudioOutput`) or, where there is no AudioWorklet (not a
 * secure context), scheduled buffer sources (`ScheduledAudioOutput`). Either is the master clock while it plays.
 */
export interface AudioSink {
  readonly path: 'worklet' | 'scheduled';
  readonly sampleRate: number;
  readonly channels: number;
  /** The autoplay policy holds the context until a user gesture. */
  readonly blocked: boolean;
  /** It could not start (the worklet module did not load): the player tries the other path. */
  readonly failed: boolean;
  /** Milliseconds of silence inserted after the sound first started (underruns, stalls). */
  readonly gapMs: number;
  /** Milliseconds of sound played. */
  readonly playedMs: number;
  /** The playout delay in use now, ms (underruns lengthen it: ./audio-schedule.ts). */
  readonly delayMs: number;
  /** Interleaved float samples starting at `timestamp` on the channel clock. */
  push(timestamp: number, samples: Float32Array<ArrayBuffer>): void;
  /** Channel time of the sample heard now, or null while nothing plays. */
  now(): number | null;
  /** Forgets buffered sound (pause, stream switch, jump to live); plays again from the next chunk. */
  reset(): void;
  setVolume(volume: number, muted: boolean): void;
  resume(): Promise<void>;
  close(): void;
}

/** Which audio path this page can run: the worklet needs a secure context, the scheduled path any AudioContext. */
export function chooseAudioPath(
  scope: { isSecureContext?: boolean; AudioContext?: unknown; AudioWorkletNode?: unknown } = globalThis,
): 'worklet' | 'scheduled' | 'none' {
  if (typeof scope.AudioContext !== 'function') return 'none';
  if (scope.isSecureContext !== false && typeof scope.AudioWorkletNode === 'function') return 'worklet';
  return 'scheduled';
}
