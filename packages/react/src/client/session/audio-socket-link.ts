import { decodeAudioSocketMessage } from '@onair/protocol';
import type { Transport, TransportConnection } from '../transport/transport';

export interface AudioSocketLinkDeps {
  transport: Transport;
  /** A binary message of the audio socket, and the stream its last `audio-stream` named. */
  onAudio(bytes: Uint8Array, videoId: string): void;
}

/**
 * The player's end of the audio socket (PROTOCOL.md, "The audio socket"): opened with the token `welcome` gave
 * when a stream starts to play (a player on HLS, in the room only, never opens one), closed with the viewer
 * socket. The server sends the sound there while it is open, so a lost video packet being retransmitted, or video
 * queued in the server's socket, no longer holds the sound back. When it closes, the server sends the sound on the
 * viewer socket again; the next `stream` opens it again.
 */
export class AudioSocketLink {
  private connection: TransportConnection | null = null;
  private url: string | null = null;
  /** The stream the chunks now coming belong to (its `audio-stream`), and whether one of them came yet. */
  private videoId: string | null = null;
  private delivered = false;

  constructor(private readonly deps: AudioSocketLinkDeps) {}

  /** Opens it at `url`, unless it is open there already. */
  ensureOpen(url: string): void {
    if (this.connection && this.url === url) return;
    this.close();
    this.url = url;
    const connection = this.deps.transport.open(url, {
      onOpen: () => {},
      onMessage: (data) => {
        if (connection === this.connection) this.received(data);
      },
      onClose: () => {
        if (connection !== this.connection) return;
        this.connection = null;
        this.url = null;
        this.videoId = null;
        this.delivered = false;
      },
      onError: () => {},
    });
    this.connection = connection;
  }

  close(): void {
    const connection = this.connection;
    this.connection = null;
    this.url = null;
    this.videoId = null;
    this.delivered = false;
    connection?.close(1000, 'done');
  }

  /**
   * The sound of `videoId` comes on this socket now: what the viewer socket still brings of it was sent before the
   * switch, and is older than what came here.
   */
  carries(videoId: string | null): boolean {
    return this.connection !== null && this.delivered && videoId !== null && videoId === this.videoId;
  }

  private received(data: string | Uint8Array): void {
    if (typeof data === 'string') {
      const decoded = decodeAudioSocketMessage(data);
      if (decoded.ok && decoded.value.type === 'audio-stream') {
        this.videoId = decoded.value.videoId;
        this.delivered = false;
      }
      return;
    }
    if (this.videoId === null) return;
    this.delivered = true;
    this.deps.onAudio(data, this.videoId);
  }
}
