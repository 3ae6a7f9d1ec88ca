import type { ChatEntry } from '../../client/room/room-snapshot';

export interface ChatMessageItemProps {
  entry: ChatEntry;
  canModerate: boolean;
  pinned: boolean;
  formatTime: (sentAt: number) => string;
  onRetry(clientId: string): void;
  onDelete(entry: ChatEntry): void;
  onPin(messageId: string): void;
  onUnpin(): void;
}

/**
 * One line of chat: who, when, what, where it is on its way, and the moderator's buttons (the stylesheet shows
 * them on hover and focus, and always on a touch screen, which has no hover).
 */
export function ChatMessageItem({
  entry,
  canModerate,
  pinned,
  formatTime,
  onRetry,
  onDelete,
  onPin,
  onUnpin,
}: ChatMessageItemProps) {
  const { displayName, status, clientId } = entry;
  return (
    <li
      className="onair-chat__message"
      data-status={status}
      data-own={entry.own ? '' : undefined}
      data-pinned={pinned ? '' : undefined}
      data-message-id={status === 'sent' ? entry.id : undefined}
    >
      <span className="onair-chat__name">{displayName}</span>{' '}
      <time className="onair-chat__time" dateTime={new Date(entry.sentAt).toISOString()}>
        {formatTime(entry.sentAt)}
      </time>
      <p className="onair-chat__text">{entry.text}</p>
      {status === 'pending' && <span className="onair-chat__status">Sending…</span>}
      {status === 'failed' && clientId && (
        <span className="onair-chat__status">
          Not sent —{' '}
          <button type="button" className="onair-button onair-chat__retry" onClick={() => onRetry(clientId)}>
            Retry
          </button>
          {entry.error && <span className="onair-chat__reason"> {entry.error}</span>}
        </span>
      )}
      {canModerate && status === 'sent' && (
        <span className="onair-chat__actions">
          <button
            type="button"
            className="onair-button onair-chat__action"
            data-action={pinned ? 'unpin' : 'pin'}
            aria-label={`${pinned ? 'Unpin' : 'Pin'} message from ${displayName}`}
            onClick={() => (pinned ? onUnpin() : onPin(entry.id))}
          >
            {pinned ? 'Unpin' : 'Pin'}
          </button>
          <button
            type="button"
            className="onair-button onair-chat__action"
            data-action="delete"
            aria-label={`Delete message from ${displayName}`}
            onClick={() => onDelete(entry)}
          >
            Delete
          </button>
        </span>
      )}
    </li>
  );
}
