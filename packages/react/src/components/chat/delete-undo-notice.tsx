import type { Ref } from 'react';
import type { PendingDelete } from './use-undoable-delete';

export interface DeleteUndoNoticeProps {
  pending: readonly PendingDelete[];
  undoSeconds: number;
  onUndo(messageId: string): void;
  /** The region, for moving focus to its newest Undo (a prop, not `ref`: React 18 passes no `ref` to functions). */
  regionRef?: Ref<HTMLDivElement>;
}

/**
 * "Message from Ann deleted · Undo", one line per delete still waiting, in a polite live region that is always
 * rendered (a region added with its text is often not announced).
 */
export function DeleteUndoNotice({ pending, undoSeconds, onUndo, regionRef }: DeleteUndoNoticeProps) {
  return (
    <div ref={regionRef} className="onair-chat__undo" role="status" data-count={pending.length}>
      {pending.map(({ messageId, displayName }) => (
        <p key={messageId} className="onair-chat__undo-item" data-message-id={messageId}>
          <span>
            Message from {displayName} deleted. It goes in {undoSeconds} s unless you undo.
          </span>{' '}
          <button
            type="button"
            className="onair-button onair-button--text onair-chat__undo-button"
            aria-label={`Undo deleting the message from ${displayName}`}
            onClick={() => onUndo(messageId)}
          >
            Undo
          </button>
        </p>
      ))}
    </div>
  );
}
