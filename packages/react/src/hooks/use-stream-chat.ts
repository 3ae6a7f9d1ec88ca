import type { ChatMessage, ChatRole } from '@onair/protocol';
import { useMemo } from 'react';
import type { LiveStreamClient } from '../client/live-stream-client';
import type { ChatEntry, RoomError } from '../client/room/room-snapshot';
import type { SendChatResult } from '../client/room/room-store';
import { useEnsureLiveStreamClient } from './live-stream-context';
import { useRoomSnapshot } from './use-room-snapshot';

export interface StreamChatActions {
  /** Sends at once as a pending message; refused here (with the reason) when empty, too long or closed. */
  send(text: string, displayName?: string): SendChatResult;
  /** Resends a failed message with its clientId. */
  retry(clientId: string): void;
  /** Moderators: deletes a message for everyone. */
  remove(messageId: string): void;
  /** Moderators. */
  pin(messageId: string): void;
  /** Moderators. */
  unpin(): void;
  /** Dismisses `error`. */
  clearError(): void;
}

export interface UseStreamChatResult extends StreamChatActions {
  /** Oldest first, each with `status` pending · sent · failed. */
  messages: readonly ChatEntry[];
  pinned: ChatMessage | null;
  /** The room is open on this connection (the server sent `room`). */
  joined: boolean;
  role: ChatRole | null;
  canChat: boolean;
  canModerate: boolean;
  maxChatLength: number;
  /**
   * The last refusal not tied to one message (a forbidden or failed moderation). A refusal of reactions is
   * not here: `useReactions().notice` has it, for the reaction buttons.
   */
  error: RoomError | null;
}

/** The chat of the selected video's room and what can be done in it. */
export function useStreamChat(client?: LiveStreamClient): UseStreamChatResult {
  const resolved = useEnsureLiveStreamClient(client);
  const {
    messages,
    pinned,
    joined,
    role,
    canChat,
    canModerate,
    maxChatLength,
    error: roomError,
  } = useRoomSnapshot(resolved);
  const error = roomError?.source === 'reaction' ? null : roomError;
  const actions = useMemo<StreamChatActions>(
    () => ({
      send: (text, displayName) => resolved.sendChat(text, displayName),
      retry: (clientId) => resolved.retryChat(clientId),
      remove: (messageId) => resolved.deleteChat(messageId),
      pin: (messageId) => resolved.pinChat(messageId),
      unpin: () => resolved.pinChat(null),
      clearError: () => resolved.clearRoomError(),
    }),
    [resolved],
  );
  return { messages, pinned, joined, role, canChat, canModerate, maxChatLength, error, ...actions };
}
