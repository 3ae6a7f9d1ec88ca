import type { FeedbackMessage, QualityChangedMessage } from '@onair/protocol';
import type { Page } from 'playwright-core';

export interface SocketLog {
  /** The player's `feedback` reports, in the order it sent them. */
  feedback: FeedbackMessage[];
  /** The server's `quality-changed` moves, in the order they came. */
  moves: QualityChangedMessage[];
  /** Audio sockets opened (PROTOCOL.md, "The audio socket"), and the audio chunks on them and on the viewer socket. */
  audio: { sockets: number; onAudioSocket: number; onViewerSocket: number };
}

/** An audio chunk's magic (PROTOCOL.md, "Binary media"). */
const isAudioChunk = (payload: Buffer) => payload.subarray(0, 4).toString('latin1') === 'OAAU';

/**
 * What a page's player and the server say about the buffer, read off the page's WebSockets as they pass: the
 * same bytes the server reads, not the player's own account of them. Start it before the page loads.
 */
export function logSocket(page: Page): SocketLog {
  const log: SocketLog = {
    feedback: [],
    moves: [],
    audio: { sockets: 0, onAudioSocket: 0, onViewerSocket: 0 },
  };
  page.on('websocket', (socket) => {
    const path = new URL(socket.url()).pathname;
    if (path.endsWith('/audio')) {
      log.audio.sockets++;
      socket.on('framereceived', ({ payload }) => {
        if (typeof payload !== 'string' && isAudioChunk(payload)) log.audio.onAudioSocket++;
      });
      return;
    }
    socket.on('framesent', ({ payload }) => {
      if (typeof payload !== 'string') return;
      const message = JSON.parse(payload) as { type: string };
      if (message.type === 'feedback') log.feedback.push(message as FeedbackMessage);
    });
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string') {
        if (isAudioChunk(payload)) log.audio.onViewerSocket++;
        return;
      }
      const message = JSON.parse(payload) as { type: string };
      if (message.type === 'quality-changed') log.moves.push(message as QualityChangedMessage);
    });
  });
  return log;
}
