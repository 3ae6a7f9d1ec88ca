import { AckPacer, decodeMediaMessage, encodeAck, type MediaMessage } from '@onair/protocol';
import type { MediaSink } from './media-sink';

export interface MediaIntakeDeps {
  /** Sends on the current connection. */
  send(data: Uint8Array): void;
  /** A media message the protocol's decoder refuses. */
  refused(reason: string): void;
}

/**
 * The socket's binary messages. Every video frame is acked on receipt, shown or not, since the server counts the
 * frames in flight with these acks (cumulative, `ackWindow / 4` frames apart); then the current stream's media
 * goes to the sink.
 */
export class MediaIntake {
  private readonly acks = new AckPacer();

  constructor(private readonly deps: MediaIntakeDeps) {}

  /** The window the server's `welcome` gave. */
  setAckWindow(frames: number): void {
    this.acks.setWindow(frames);
  }

  /**
   * A viewer socket message. `streamActive`: the server has answered the current `select` with `stream`, so its
   * media is wanted. `audioElsewhere`: the audio socket carries this stream's sound, so sound here is older.
   */
  receive(bytes: Uint8Array, sink: MediaSink, streamActive: boolean, audioElsewhere = false): void {
    const media = this.decode(bytes, sink);
    if (!media) return;
    if (media.kind === 'video') {
      if (this.acks.shouldAck()) this.deps.send(encodeAck(media.sequence));
      if (streamActive) sink.receiveVideo(media);
    } else if (streamActive && !audioElsewhere) {
      sink.receiveAudio(media);
    }
  }

  /** An audio socket message of the current stream (`streamActive` as above); anything but sound is refused. */
  receiveAudio(bytes: Uint8Array, sink: MediaSink, streamActive: boolean): void {
    const media = this.decode(bytes, sink);
    if (!media) return;
    if (media.kind !== 'audio') this.deps.refused('a video frame on the audio socket');
    else if (streamActive) sink.receiveAudio(media);
  }

  /** Counts the bytes and reads the message; null (and the refusal reported) when the decoder refuses it. */
  private decode(bytes: Uint8Array, sink: MediaSink): MediaMessage | null {
    sink.receiveBytes(bytes.byteLength);
    const decoded = decodeMediaMessage(bytes);
    if (decoded.ok) return decoded.value;
    this.deps.refused(decoded.error.message);
    return null;
  }
}
