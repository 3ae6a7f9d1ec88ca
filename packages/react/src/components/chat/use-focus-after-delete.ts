import { type RefObject, useRef } from 'react';
import { useIsomorphicLayoutEffect } from '../../hooks/internal/use-isomorphic-layout-effect';
import type { PendingDelete } from './use-undoable-delete';

type Intent = { to: 'undo' } | { to: 'message'; messageId: string } | null;

/**
 * Keeps keyboard focus somewhere sensible as a delete hides its message: on the new Undo button after Delete
 * (the Delete button is gone with its message), back on the message's Delete after Undo, and on the log when an
 * Undo that had focus goes away because its time ran out.
 */
export function useFocusAfterDelete(log: RefObject<HTMLElement | null>, pending: readonly PendingDelete[]) {
  const noticeRef = useRef<HTMLDivElement>(null);
  const intent = useRef<Intent>(null);
  const previousCount = useRef(pending.length);

  useIsomorphicLayoutEffect(() => {
    const wanted = intent.current;
    intent.current = null;
    const shrank = pending.length < previousCount.current;
    previousCount.current = pending.length;
    if (wanted?.to === 'undo') {
      noticeRef.current?.querySelector<HTMLElement>('.onair-chat__undo-item:last-child button')?.focus();
    } else if (wanted?.to === 'message') {
      // Server ids are `A–Z a–z 0–9 _ -` (PROTOCOL.md): safe in a selector as they are.
      const selector = `[data-message-id="${wanted.messageId}"] [data-action="delete"]`;
      (log.current?.querySelector<HTMLElement>(selector) ?? log.current)?.focus();
    } else if (shrank && (document.activeElement === document.body || document.activeElement === null)) {
      log.current?.focus();
    }
  }, [pending]);

  return {
    noticeRef,
    toUndo: () => {
      intent.current = { to: 'undo' };
    },
    toMessage: (messageId: string) => {
      intent.current = { to: 'message', messageId };
    },
  };
}
