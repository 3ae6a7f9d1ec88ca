import type { ChatMessage } from '@onair/protocol';

export interface PinnedMessageProps {
  message: ChatMessage;
  canModerate: boolean;
  onUnpin(): void;
}

/** The pinned message, held above the log so it stays in view however far the chat scrolls. */
export function PinnedMessage({ message, canModerate, onUnpin }: PinnedMessageProps) {
  return (
    <div className="onair-chat__pinned" role="note" aria-label="Pinned message">
      <span className="onair-chat__pin-badge">Pinned</span>
      <span className="onair-chat__name">{message.displayName}</span>
      <p className="onair-chat__text">{message.text}</p>
      {canModerate && (
        <button
          type="button"
          className="onair-button onair-chat__action"
          data-action="unpin"
          onClick={onUnpin}
        >
          Unpin
        </button>
      )}
    </div>
  );
}
