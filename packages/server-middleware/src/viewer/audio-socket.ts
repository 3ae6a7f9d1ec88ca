import type { Socket } from 'node:net';
import type { AudioStreamMessage } from '@onair/protocol';
import WebSocket from 'ws';
import { directSocket, writeFramed } from './direct-socket';
import type { AudioMediaSocket } from './media-sender';
import { closeSoon } from './viewer-socket';

/**
 * Sound a viewer's audio socket may hold unsent: over 2 s of PCM (the largest codec), far more of Opus. A socket
 * that holds more is not being read, and its chunks are dropped rather than piled up (the player drops sound that
 * comes that late anyway).
 */
export const AUDIO_SOCKET_MAX_BUFFERED_BYTES = 512 * 1024;

/**
 * One viewer's audio socket (PROTOCOL.md, "The audio socket"): the sound alone, on a TCP connection of its own,
 * so it never waits behind the viewer socket's video, in the server's buffers or in a retransmission. Chunks are
 * written as the viewer socket writes media (one prebuilt frame, one write); each stream's chunks follow an
 * `audio-stream` message naming it.
 */
export class AudioSocket implements AudioMediaSocket {
  private readonly direct: Socket | null;
  private alive = true;

  constructor(private readonly ws: WebSocket) {
    this.direct = directSocket(ws);
    ws.on('pong', () => {
      this.alive = true;
    });
  }

  /** With the viewer socket's heartbeat: a socket that did not answer the previous ping is cut. */
  heartbeat(): void {
    if (!this.isOpen) return;
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  sendMedia(bytes: Buffer): boolean {
    if (!this.isOpen || this.ws.bufferedAmount >= AUDIO_SOCKET_MAX_BUFFERED_BYTES) return false;
    writeFramed(this.ws, this.direct, bytes);
    return true;
  }

  /** The chunks after this belong to `videoId`. */
  announceStream(videoId: string): void {
    const message: AudioStreamMessage = { type: 'audio-stream', videoId };
    if (this.isOpen) this.ws.send(JSON.stringify(message));
  }

  close(code: number, reason: string): void {
    if (this.isOpen) closeSoon(this.ws, code, reason);
  }
}
