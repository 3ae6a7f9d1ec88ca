import { type ChatMessage, encodeMessage, REACTION_BATCH_MS, type ServerMessage } from '@onair/protocol';
import type { AppendResult, ChatDraft, Hub, HubEvent, ReactionSample } from '../hub/hub';
import type { LiveStreamLogger } from '../options/live-stream-options';
import { ReactionBatcher } from './reaction-batcher';
import { ViewerCountThrottle } from './viewer-count-throttle';

/** A viewer in a room, as the fan-out sees it. */
export interface RoomListener {
  /** Matches the `source` of the hub's `chat-message` events for this viewer's own messages. */
  readonly tag: string;
  /** One encoded server message (the same Buffer for every viewer of the room) and the event it came from. */
  deliver(encoded: Buffer, event: HubEvent | null): void;
}

export interface RoomSnapshot {
  history: ChatMessage[];
  pinned: ChatMessage | null;
  viewers: number;
}

function encoded(message: ServerMessage): Buffer {
  return Buffer.from(encodeMessage(message));
}

/**
 * The rooms of this instance: who is in which stream's room, and the fan-out of the hub's events to them. A
 * message is encoded once per event, whatever the audience. Reactions pass two batchers: this instance's go to
 * the hub at most every `REACTION_BATCH_MS`, and what the hub brings (from every instance) goes to viewers at
 * most as often, so each viewer gets at most four `reactions` messages a second however many instances react.
 */
export class Rooms {
  private readonly members = new Map<string, Set<RoomListener>>();
  private readonly toHub: ReactionBatcher;
  private readonly toViewers: ReactionBatcher;
  private readonly viewerCounts: ViewerCountThrottle;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly hub: Hub,
    viewerCountIntervalMs: number,
    logger: LiveStreamLogger,
  ) {
    this.toHub = new ReactionBatcher(REACTION_BATCH_MS, (streamId, batch) => {
      hub.publishReactions(streamId, batch).catch((error) => logger.error('hub: reactions lost', { error }));
    });
    this.toViewers = new ReactionBatcher(REACTION_BATCH_MS, (streamId, batch) => {
      this.broadcast(streamId, encoded({ type: 'reactions', streamId, ...batch }), null);
    });
    this.viewerCounts = new ViewerCountThrottle(viewerCountIntervalMs, (streamId, count) => {
      this.broadcast(streamId, encoded({ type: 'viewers', streamId, count }), null);
    });
    this.unsubscribe = hub.subscribe((event) => this.heard(event));
  }

  join(listener: RoomListener, streamId: string): void {
    let room = this.members.get(streamId);
    if (!room) {
      room = new Set();
      this.members.set(streamId, room);
    }
    if (room.has(listener)) return;
    room.add(listener);
    this.hub.setPresence(streamId, room.size);
  }

  leave(listener: RoomListener, streamId: string): void {
    const room = this.members.get(streamId);
    if (!room?.delete(listener)) return;
    this.hub.setPresence(streamId, room.size);
    if (room.size === 0) this.members.delete(streamId);
  }

  /** What a viewer joining `streamId` is told: history, pin and count. */
  async snapshot(streamId: string): Promise<RoomSnapshot> {
    const [history, pinned, viewers] = await Promise.all([
      this.hub.history(streamId),
      this.hub.pinned(streamId),
      this.hub.viewerCount(streamId),
    ]);
    this.viewerCounts.told(streamId, viewers);
    return { history, pinned, viewers };
  }

  /** A reaction already validated and rate limited: on its way to every instance's viewers. */
  react(streamId: string, reaction: ReactionSample): void {
    this.toHub.add(streamId, reaction);
  }

  /** A message already validated, rate limited and named (`room-actions.ts`): stored, then fanned out. */
  appendChat(streamId: string, draft: ChatDraft, source?: string): Promise<AppendResult> {
    return this.hub.appendChat(streamId, draft, source);
  }

  /** A moderator's delete: false when the stream has no such message. */
  deleteChat(streamId: string, messageId: string): Promise<boolean> {
    return this.hub.deleteChat(streamId, messageId);
  }

  /** A moderator's pin (null unpins whatever is pinned): undefined when the stream has no such message. */
  pin(streamId: string, messageId: string | null): Promise<ChatMessage | null | undefined> {
    return this.hub.pin(streamId, messageId);
  }

  /** Unpins `messageId` if it is the pinned one (not a pin set since); answers what is pinned now. */
  async unpin(streamId: string, messageId: string): Promise<ChatMessage | null> {
    if ((await this.hub.pinned(streamId))?.id === messageId) await this.hub.pin(streamId, null);
    return this.hub.pinned(streamId);
  }

  /** Viewers of `streamId` across every instance. */
  viewerCount(streamId: string): Promise<number> {
    return this.hub.viewerCount(streamId);
  }

  close(): void {
    this.unsubscribe();
    this.toHub.close();
    this.toViewers.close();
    this.viewerCounts.close();
    this.members.clear();
  }

  private heard(event: HubEvent): void {
    switch (event.type) {
      case 'chat-message':
        this.broadcast(
          event.message.streamId,
          encoded({ type: 'chat-message', message: event.message }),
          event,
          event.source,
        );
        break;
      case 'chat-deleted':
        this.broadcast(event.streamId, encoded(event), event);
        break;
      case 'chat-pinned':
        this.broadcast(event.streamId, encoded(event), event);
        break;
      case 'reactions':
        if (this.members.has(event.streamId)) this.toViewers.addBatch(event.streamId, event);
        break;
      case 'viewers':
        this.viewerCounts.update(event.streamId, event.count);
        break;
    }
  }

  private broadcast(streamId: string, message: Buffer, event: HubEvent | null, exceptTag?: string): void {
    const room = this.members.get(streamId);
    if (!room) return;
    for (const listener of room) if (listener.tag !== exceptTag) listener.deliver(message, event);
  }
}
