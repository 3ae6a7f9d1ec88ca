import { decodeBroadcastServerMessage, encodeMessage, PROTOCOL_VERSION } from '@onair/protocol';
import { WebSocket } from 'ws';
import { waitFor } from './wait-for';

/** A broadcaster on the ingest socket, as a browser's: a hello with the stream's id and key, then WebM chunks. */
export interface WebmBroadcaster {
  socket: WebSocket;
  messages: { type: string }[];
  /** Resolves with the close code. */
  closed: Promise<number>;
  /** Sends `media` in `chunkMs` pieces at the rate of `seconds` of media; resolves once all of it was sent. */
  sendInRealTime(media: Buffer, seconds: number, chunkMs?: number): Promise<void>;
  /** `broadcast-end`: the stream ends. */
  end(): void;
}

/** Connects to `<mount>/ingest` and waits for the welcome. */
export async function connectWebmBroadcaster(
  ingestUrl: string,
  streamId: string,
  key: string,
  timeoutMs = 30_000,
): Promise<WebmBroadcaster> {
  const socket = new WebSocket(ingestUrl);
  const messages: WebmBroadcaster['messages'] = [];
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const decoded = decodeBroadcastServerMessage(data.toString());
    if (decoded.ok) messages.push(decoded.value);
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.send(
    encodeMessage({
      type: 'broadcast-hello',
      protocolVersion: PROTOCOL_VERSION,
      streamId,
      key,
      mimeType: 'video/webm;codecs=vp8,opus',
    }),
  );
  await waitFor(() => messages.some((message) => message.type === 'broadcast-welcome'), timeoutMs);
  return {
    socket,
    messages,
    closed,
    sendInRealTime: (media, seconds, chunkMs = 250) => {
      const chunkBytes = Math.ceil(media.length / ((seconds * 1000) / chunkMs));
      let offset = 0;
      return new Promise((resolve) => {
        const timer = setInterval(() => {
          if (offset >= media.length || socket.readyState !== WebSocket.OPEN) {
            clearInterval(timer);
            resolve();
            return;
          }
          socket.send(media.subarray(offset, offset + chunkBytes));
          offset += chunkBytes;
        }, chunkMs);
      });
    },
    end: () => socket.send(encodeMessage({ type: 'broadcast-end' })),
  };
}
