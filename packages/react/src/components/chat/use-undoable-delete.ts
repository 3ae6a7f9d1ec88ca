import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatEntry } from '../../client/room/room-snapshot';

/** A delete waiting out its undo time. */
export interface PendingDelete {
  messageId: string;
  displayName: string;
}

export interface UndoableDelete {
  /** Deletes waiting, oldest first: their messages are hidden here and nothing has been sent yet. */
  pending: readonly PendingDelete[];
  /** Hides the message now and sends the delete after the undo time (at once when it is 0). */
  schedule(entry: Pick<ChatEntry, 'id' | 'displayName'>): void;
  /** Takes a waiting delete back: nothing is sent, the message shows again. */
  undo(messageId: string): void;
}

/**
 * Delete with undo (issue 12: a moderator's Delete had neither undo nor confirmation): the message goes from
 * this moderator's view at once, and the `chat-delete` is sent only when `undoMs` have passed without Undo.
 * Nothing is recalled from the server, so an undone delete never reaches other viewers. Deletes still waiting
 * when the chat unmounts are sent then: the moderator meant them.
 */
export function useUndoableDelete(remove: (messageId: string) => void, undoMs: number): UndoableDelete {
  const [pending, setPending] = useState<readonly PendingDelete[]>([]);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const removeRef = useRef(remove);
  removeRef.current = remove;

  const commit = useCallback((messageId: string) => {
    timers.current.delete(messageId);
    setPending((list) => list.filter((item) => item.messageId !== messageId));
    removeRef.current(messageId);
  }, []);

  const schedule = useCallback(
    ({ id, displayName }: Pick<ChatEntry, 'id' | 'displayName'>) => {
      if (timers.current.has(id)) return;
      if (undoMs <= 0) {
        removeRef.current(id);
        return;
      }
      timers.current.set(
        id,
        setTimeout(() => commit(id), undoMs),
      );
      setPending((list) => [...list, { messageId: id, displayName }]);
    },
    [commit, undoMs],
  );

  const undo = useCallback((messageId: string) => {
    const timer = timers.current.get(messageId);
    if (timer === undefined) return;
    clearTimeout(timer);
    timers.current.delete(messageId);
    setPending((list) => list.filter((item) => item.messageId !== messageId));
  }, []);

  useEffect(() => {
    const waiting = timers.current;
    return () => {
      for (const [messageId, timer] of waiting) {
        clearTimeout(timer);
        removeRef.current(messageId);
      }
      waiting.clear();
    };
  }, []);

  return { pending, schedule, undo };
}
