import type { EncodedFrame } from '../ladder/frames';
import type { ViewerStats } from '../stats';
import type { SendWindow } from './send-window';

/** The part of a WebSocket the sender uses. */
export interface MediaSocket {
  readonly bufferedAmount: number;
  send(data: Buffer): void;
}

export type VideoVerdict = 'sent' | 'window-full' | 'backpressure';

/**
 * A viewer whose oldest unacknowledged frame is older than this is too far behind for audio to help: more audio
 * would only queue behind what the kernel already holds (megabytes on loopback) and grow its delay. Dropping it
 * lets the viewer catch up to the live edge; a gap then is the lesser harm.
 */
export const MAX_AUDIO_LAG_MS = 1000;

/** What one viewer's sender did since its socket opened: the media half of its `live.stats()` entry. */
export type MediaSenderCounters = Pick<
  ViewerStats,
  'framesSent' | 'framesSkipped' | 'audioSent' | 'audioDropped'
>;

/**
 * Sends media to one viewer without ever waiting for it. Video needs a free slot in the ack window and a socket
 * buffer under half of `maxBufferedBytes`; otherwise the frame is skipped (the next one sent is the newest).
 * Audio goes out even when the video window is full (a gap in audio clicks, a skipped frame does not) and
 * stops only when the viewer is more than `MAX_AUDIO_LAG_MS` behind, or above `maxBufferedBytes`, which bounds
 * the memory a viewer that stopped reading can hold.
 */
export class MediaSender {
  readonly counters: MediaSenderCounters = { framesSent: 0, framesSkipped: 0, audioSent: 0, audioDropped: 0 };

  constructor(
    private readonly socket: MediaSocket,
    private readonly window: SendWindow,
    private readonly maxBufferedBytes: number,
  ) {}

  sendVideo(frame: EncodedFrame): VideoVerdict {
    const verdict: VideoVerdict = this.window.isFull
      ? 'window-full'
      : this.socket.bufferedAmount >= this.maxBufferedBytes / 2
        ? 'backpressure'
        : 'sent';
    if (verdict !== 'sent') {
      this.counters.framesSkipped++;
      return verdict;
    }
    this.window.sent(frame.sequence);
    this.socket.send(frame.message);
    this.counters.framesSent++;
    return verdict;
  }

  sendAudio(message: Buffer): boolean {
    if (this.socket.bufferedAmount >= this.maxBufferedBytes || this.window.oldestAgeMs > MAX_AUDIO_LAG_MS) {
      this.counters.audioDropped++;
      return false;
    }
    this.socket.send(message);
    this.counters.audioSent++;
    return true;
  }
}
