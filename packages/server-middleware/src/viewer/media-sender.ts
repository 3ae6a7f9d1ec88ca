import type { EncodedFrame } from '../ladder/frames';
import type { ViewerStats } from '../stats';
import type { LinkMeter } from './link-meter';
import type { SendWindow } from './send-window';

/** The part of a viewer's socket the sender uses (`ViewerSocket`, the one way out). */
export interface MediaSocket {
  readonly bufferedAmount: number;
  /** False when the socket did not take it (control messages wait ahead of media, or the buffer is full). */
  sendMedia(data: Buffer): boolean;
}

/** A viewer's audio socket, as the sender uses it. */
export interface AudioMediaSocket extends MediaSocket {
  readonly isOpen: boolean;
}

export type VideoVerdict = 'sent' | 'window-full' | 'backpressure' | 'congested';

/**
 * Queueing (beyond the link's base delay) at which video yields: the frame the player's next ack waits for has
 * waited this much longer than frames usually take, so the pipe is full and more video would only delay the audio
 * behind it. The player's audio buffer (200 ms by default, in 100 ms chunks) has about 100 ms of slack just before
 * a chunk is due: at 300 ms, each probe up on a shaped link let the sound run dry (issue 9: 2–3 gaps on B–E).
 */
export const VIDEO_QUEUE_MS = 150;

/**
 * Queueing (beyond the base delay) at which audio stops too: video has already yielded and the pipe still does
 * not drain, so even audio alone cannot get through; more of it would only queue up delay. It resumes at the live
 * edge (the chunks in between are gone) as soon as an ack shows the pipe drained.
 */
export const MAX_AUDIO_LAG_MS = 1000;

/** What one viewer's sender did since its socket opened: the media half of its `live.stats()` entry. */
export type MediaSenderCounters = Pick<
  ViewerStats,
  'framesSent' | 'framesSkipped' | 'audioSent' | 'audioDropped'
>;

/**
 * Sends media to one viewer without ever waiting for it, audio first. Video yields as soon as the pipe is
 * congested (the frame the next ack waits for queued over `VIDEO_QUEUE_MS`), the ack window is full, or the socket buffer
 * is over half of `maxBufferedBytes`; the next frame sent is then the newest. It keeps `ackStride` frames in
 * flight whatever the delay, so the player's paced acks (every `ackStride` frames) keep coming and keep measuring
 * the pipe. Audio goes out unless the pipe is stuck even for it (`MAX_AUDIO_LAG_MS` of queueing) or the socket
 * holds `maxBufferedBytes`, which bounds the memory a viewer that stopped reading can hold.
 */
export class MediaSender {
  readonly counters: MediaSenderCounters = { framesSent: 0, framesSkipped: 0, audioSent: 0, audioDropped: 0 };
  /** The viewer's audio socket: the sound goes there, apart from the video, while it is open. */
  private audioSocket: AudioMediaSocket | null = null;
  /** Frames the player receives before it acks (`AckPacer`): fewer in flight and no ack would ever come. */
  private readonly ackStride: number;

  constructor(
    private readonly socket: MediaSocket,
    private readonly window: SendWindow,
    private readonly link: LinkMeter,
    private readonly maxBufferedBytes: number,
  ) {
    this.ackStride = Math.max(1, Math.floor(window.size / 4));
  }

  sendVideo(frame: EncodedFrame): VideoVerdict {
    const verdict = this.videoVerdict();
    if (verdict !== 'sent') {
      this.counters.framesSkipped++;
      this.link.heldBack();
      return verdict;
    }
    if (!this.socket.sendMedia(frame.message)) {
      this.counters.framesSkipped++;
      this.link.heldBack();
      return 'backpressure';
    }
    this.window.sent(frame.sequence, frame.message.byteLength);
    this.counters.framesSent++;
    return verdict;
  }

  /** Sound goes on `socket` from now on (null: on the viewer socket again). */
  useAudioSocket(socket: AudioMediaSocket | null): void {
    this.audioSocket = socket;
  }

  get hasAudioSocket(): boolean {
    return this.audioSocket !== null;
  }

  sendAudio(message: Buffer): boolean {
    // On its own connection the sound waits behind no video: only that socket's own buffer bounds it. One that is
    // closing (its close event still to come) is passed over at once.
    const own = this.audioSocket?.isOpen ? this.audioSocket : null;
    const sent = own ? own.sendMedia(message) : this.sendAudioBesideVideo(message);
    if (sent) this.counters.audioSent++;
    else this.counters.audioDropped++;
    return sent;
  }

  private sendAudioBesideVideo(message: Buffer): boolean {
    if (this.socket.bufferedAmount >= this.maxBufferedBytes || this.queueingMs() > MAX_AUDIO_LAG_MS)
      return false;
    return this.socket.sendMedia(message);
  }

  /**
   * How long the frame whose arrival makes the player's next ack has waited beyond the link's usual delay. The
   * player acks every `ackStride` frames, so the oldest unacked frame also waits for the frames after it: at
   * 10 fps and a stride of 4 it is 300 ms old when its ack comes on an idle link, and judging by it read a low
   * frame rate as congestion and decimated further (issue 9, profile C: 30 → 15 → 10 → 5 fps on a 4 Mbit/s link).
   * Until that frame is sent, the viewer cannot be behind on any ack.
   */
  private queueingMs(): number {
    const age = this.window.ageMs(this.ackStride - 1);
    return age === 0 ? 0 : age - this.link.baseDelayMs;
  }

  private videoVerdict(): VideoVerdict {
    if (this.socket.bufferedAmount >= this.maxBufferedBytes / 2) return 'backpressure';
    if (this.window.inFlight < this.ackStride) return 'sent';
    if (this.window.isFull) return 'window-full';
    return this.queueingMs() > VIDEO_QUEUE_MS ? 'congested' : 'sent';
  }
}
