import { type ClientMessage, encodeMessage, PROTOCOL_VERSION } from '@onair/protocol';
import WebSocket, { type RawData } from 'ws';

/** What a chat viewer hears that the steps measure; set by the fleet, read on every message. */
export interface ChatListeners {
  onChat?(clientId: string | undefined, receivedAt: number): void;
  onReactions?(viewer: ChatViewer, counts: Record<string, number>, receivedAt: number): void;
}

/**
 * A headless viewer that is only there for the room: hello, `select` with `media: false` (the room without the
 * video: no `stream`, no frames, no acks, and the channel's decoder never starts for it), wait for `room`, then
 * listen. Messages are read with `JSON.parse` and a look at `type`, not the full validating decoder: on a 2-core
 * machine shared with the server, a thousand validations per chat message would measure the fleet, not the
 * server.
 */
export class ChatViewer {
  readonly joined: Promise<void>;
  reactionMessages = 0;
  private readonly ws: WebSocket;

  constructor(url: string, videoId: string, listeners: ChatListeners) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.ws.on('error', () => {});
    this.joined = new Promise((resolve, reject) => {
      this.ws.once('open', () => {
        this.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'bench-chat' });
        this.send({ type: 'select', videoId, media: false });
      });
      this.ws.once('close', () => reject(new Error('closed before joining')));
      this.ws.on('message', (data: RawData, isBinary: boolean) => {
        if (isBinary) return;
        const receivedAt = performance.now();
        const message = JSON.parse(data.toString()) as {
          type: string;
          message?: { clientId?: string };
          counts?: Record<string, number>;
        };
        if (message.type === 'room') resolve();
        else if (message.type === 'chat-message') listeners.onChat?.(message.message?.clientId, receivedAt);
        else if (message.type === 'reactions') {
          this.reactionMessages++;
          listeners.onReactions?.(this, message.counts ?? {}, receivedAt);
        }
      });
    });
    this.joined.catch(() => {});
  }

  send(message: ClientMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encodeMessage(message));
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Opens `count` chat viewers in batches (a thousand SYNs at once would measure the listen backlog). */
export async function openChatViewers(
  url: string,
  videoId: string,
  count: number,
  listeners: ChatListeners,
): Promise<ChatViewer[]> {
  const viewers: ChatViewer[] = [];
  for (let opened = 0; opened < count; opened += 50) {
    for (let i = opened; i < Math.min(count, opened + 50); i++)
      viewers.push(new ChatViewer(url, videoId, listeners));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await Promise.allSettled(viewers.map((viewer) => viewer.joined));
  return viewers;
}
