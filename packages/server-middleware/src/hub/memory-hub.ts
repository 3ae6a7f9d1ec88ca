import type { ChatMessage } from '@onair/protocol';
import {
  type AppendResult,
  type ChatDraft,
  CLIENT_ID_MEMORY_MS,
  checkHistorySize,
  type Hub,
  type HubEvent,
  type ReactionBatch,
} from './hub';

export interface MemoryHubOptions {
  /** Messages kept per stream for late joiners. Default 100, 1–10 000. */
  historySize?: number;
}

interface StreamState {
  history: ChatMessage[];
  pinned: ChatMessage | null;
  /** clientId → the message it stored and when, oldest first (Map keeps insertion order). */
  byClientId: Map<string, { message: ChatMessage; at: number }>;
  viewers: number;
}

/**
 * The default hub: everything in this process, for a single server instance. Bounded: a stream keeps
 * `historySize` messages and remembers at most `historySize × 4` client ids, each for ten minutes.
 */
export function memoryHub(options: MemoryHubOptions = {}): Hub {
  const historySize = checkHistorySize('memoryHub', options.historySize);
  const maxClientIds = historySize * 4;
  const streams = new Map<string, StreamState>();
  const listeners = new Set<(event: HubEvent) => void>();
  let nextId = 0;

  const stream = (streamId: string): StreamState => {
    let state = streams.get(streamId);
    if (!state) {
      state = { history: [], pinned: null, byClientId: new Map(), viewers: 0 };
      streams.set(streamId, state);
    }
    return state;
  };
  const emit = (event: HubEvent) => {
    for (const listener of listeners) listener(event);
  };
  const forgetOldClientIds = (state: StreamState, now: number) => {
    for (const [clientId, entry] of state.byClientId) {
      if (state.byClientId.size <= maxClientIds && now - entry.at < CLIENT_ID_MEMORY_MS) break;
      state.byClientId.delete(clientId);
    }
  };

  return {
    async appendChat(streamId: string, draft: ChatDraft, source?: string): Promise<AppendResult> {
      const state = stream(streamId);
      const now = Date.now();
      forgetOldClientIds(state, now);
      const known = draft.clientId === undefined ? undefined : state.byClientId.get(draft.clientId);
      if (known) return { message: known.message, duplicate: true };
      const message: ChatMessage = { id: `${draft.sentAt}-${nextId++}`, streamId, ...draft };
      state.history.push(message);
      if (state.history.length > historySize) state.history.shift();
      if (draft.clientId !== undefined) state.byClientId.set(draft.clientId, { message, at: now });
      emit({ type: 'chat-message', message, ...(source === undefined ? {} : { source }) });
      return { message, duplicate: false };
    },

    async history(streamId: string): Promise<ChatMessage[]> {
      return [...(streams.get(streamId)?.history ?? [])];
    },

    async deleteChat(streamId: string, messageId: string): Promise<boolean> {
      const state = streams.get(streamId);
      const index = state?.history.findIndex((message) => message.id === messageId) ?? -1;
      if (!state || index < 0) return false;
      state.history.splice(index, 1);
      emit({ type: 'chat-deleted', streamId, messageId });
      if (state.pinned?.id === messageId) {
        state.pinned = null;
        emit({ type: 'chat-pinned', streamId, message: null });
      }
      return true;
    },

    async pin(streamId: string, messageId: string | null): Promise<ChatMessage | null | undefined> {
      const state = stream(streamId);
      const message = messageId === null ? null : state.history.find((entry) => entry.id === messageId);
      if (message === undefined) return undefined;
      state.pinned = message;
      emit({ type: 'chat-pinned', streamId, message });
      return message;
    },

    async pinned(streamId: string): Promise<ChatMessage | null> {
      return streams.get(streamId)?.pinned ?? null;
    },

    async publishReactions(streamId: string, batch: ReactionBatch): Promise<void> {
      emit({ type: 'reactions', streamId, ...batch });
    },

    setPresence(streamId: string, localCount: number): void {
      const state = stream(streamId);
      if (state.viewers === localCount) return;
      state.viewers = localCount;
      emit({ type: 'viewers', streamId, count: localCount });
    },

    async viewerCount(streamId: string): Promise<number> {
      return streams.get(streamId)?.viewers ?? 0;
    },

    subscribe(listener: (event: HubEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close(): Promise<void> {
      listeners.clear();
    },
  };
}
