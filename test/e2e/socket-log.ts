import type { FeedbackMessage, QualityChangedMessage } from '@onair/protocol';
import type { Page } from 'playwright-core';

export interface SocketLog {
  /** The player's `feedback` reports, in the order it sent them. */
  feedback: FeedbackMessage[];
  /** The server's `quality-changed` moves, in the order they came. */
  moves: QualityChangedMessage[];
}

/**
 * What a page's player and the server say about the buffer, read off the page's WebSockets as they pass: the
 * same bytes the server reads, not the player's own account of them. Start it before the page loads.
 */
export function logSocket(page: Page): SocketLog {
  const log: SocketLog = { feedback: [], moves: [] };
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => {
      if (typeof payload !== 'string') return;
      const message = JSON.parse(payload) as { type: string };
      if (message.type === 'feedback') log.feedback.push(message as FeedbackMessage);
    });
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string') return;
      const message = JSON.parse(payload) as { type: string };
      if (message.type === 'quality-changed') log.moves.push(message as QualityChangedMessage);
    });
  });
  return log;
}
