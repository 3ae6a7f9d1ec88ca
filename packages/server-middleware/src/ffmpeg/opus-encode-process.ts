import type { Readable, Writable } from 'node:stream';
import { type SupervisedChild, spawnSupervised } from './supervised-child';

/** One Opus encode of a channel's PCM. */
export interface OpusEncodeSpec {
  sampleRate: number;
  channels: number;
  /** Target bitrate, kbit/s, for all channels together. */
  kbps: number;
  /** Opus frame (packet) duration: 2.5, 5, 10, 20, 40 or 60 ms. */
  frameMs: number;
}

export interface OpusEncodeProcess extends SupervisedChild {
  /** PCM s16le interleaved in. */
  readonly input: Writable;
  /** Raw Opus packets out, back to back, each `opusPacketBytes(spec)` long. */
  readonly output: Readable;
}

/** Bytes of every packet in hard CBR: the bitrate times the frame duration. */
export function opusPacketBytes(spec: OpusEncodeSpec): number {
  return (spec.kbps * spec.frameMs) / 8;
}

/** The full ffmpeg argument list for an Opus encode; exported for tests and logs. */
export function opusEncodeArgs(spec: OpusEncodeSpec): string[] {
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    // Raw PCM needs no probing; the default probe would hold a second of sound back before the first packet.
    // (Not `-fflags nobuffer`: with it ffmpeg drops the probed first 1 024 samples.)
    '-probesize',
    '32',
    '-analyzeduration',
    '0',
    '-f',
    's16le',
    '-ar',
    String(spec.sampleRate),
    '-ac',
    String(spec.channels),
    '-i',
    'pipe:0',
    // `data` has no default stream: the audio must be mapped.
    '-map',
    '0:a',
    '-c:a',
    'libopus',
    '-b:a',
    `${spec.kbps}k`,
    // Hard CBR: every packet is exactly `opusPacketBytes` long, so the raw stream cuts into packets without a
    // container. The Ogg muxer would keep its newest page back until the next packet (it marks the last page of a
    // stream), and the last packet of each chunk of PCM waited a chunk: messages reached the player 53 ms (p50)
    // after their first sample, PCM's in 3 (issue 9).
    '-vbr',
    'off',
    // 'audio', not 'lowdelay': its 6.5 ms look-ahead (against 2.5) is nothing beside a 100 ms message, and
    // 'lowdelay' forbids the SILK and hybrid modes libopus would pick for speech at lower bitrates.
    '-application',
    'audio',
    '-frame_duration',
    String(spec.frameMs),
    '-flush_packets',
    '1',
    '-f',
    'data',
    'pipe:1',
  ];
}

/**
 * Spawns the Opus encoder of a channel: PCM on stdin, raw CBR Opus packets on stdout. A binary that cannot run ends in `exited`
 * with its error (the supervision), never in a throw; pipe errors (EPIPE once it is gone) are swallowed here for
 * the same reason.
 */
export function spawnOpusEncodeProcess(ffmpegPath: string, spec: OpusEncodeSpec): OpusEncodeProcess {
  const { child, pipes, input } = spawnSupervised(ffmpegPath, opusEncodeArgs(spec), ['pipe', 'pipe', 'pipe']);
  // The layout above guarantees both: real pipes, or stand-ins when the spawn failed (EMFILE gives no stdio).
  const output = pipes[1] as Readable;
  output.on('error', () => {});
  // Assigned onto the supervised child, not spread: a spread would freeze its `isRunning` getter at true.
  return Object.assign(child, { input: input as Writable, output });
}
