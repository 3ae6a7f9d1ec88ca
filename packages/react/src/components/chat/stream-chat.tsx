import type { HTMLAttributes } from 'react';
import { useRef } from 'react';
import type { LiveStreamClient } from '../../client/live-stream-client';
import { useStreamChat } from '../../hooks/use-stream-chat';
import { ChatComposer } from './chat-composer';
import { ChatMessageItem } from './chat-message-item';
import { PinnedMessage } from './pinned-message';
import { useStickToBottom } from './use-stick-to-bottom';

export interface StreamChatProps extends Omit<HTMLAttributes<HTMLElement>, 'children'> {
  /** Default: the client of the nearest `<LiveStreamProvider>`. */
  client?: LiveStreamClient;
  /** Accessible name of the chat region. Default "Chat". */
  label?: string;
  /** Name sent with this viewer's messages (the host's authorize hook may override it). */
  displayName?: string;
  /** Shown while the room has no messages. Default "No messages yet". */
  emptyMessage?: string;
  /** Default "Say something…". */
  placeholder?: string;
  /** Label of the input (visually hidden). Default "Chat message". */
  inputLabel?: string;
  /** Time shown beside each message. Default: hours and minutes in the reader's locale. */
  formatTime?: (sentAt: number) => string;
}

const defaultFormatTime = (sentAt: number) =>
  new Date(sentAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * The chat of the selected video: the pinned message, a `role="log"` live region of messages that follows new
 * ones until the reader scrolls up (then a "New messages" button), and the input. State on the root:
 * `data-state` (`waiting` · `open` · `read-only`) and `data-role`.
 */
export function StreamChat({
  client,
  label = 'Chat',
  displayName,
  emptyMessage = 'No messages yet',
  placeholder = 'Say something…',
  inputLabel = 'Chat message',
  formatTime = defaultFormatTime,
  className,
  ...rest
}: StreamChatProps) {
  const chat = useStreamChat(client);
  const log = useRef<HTMLDivElement>(null);
  const last = chat.messages.at(-1);
  const { unseen, onScroll, jumpToBottom } = useStickToBottom(log, last && `${last.id}:${last.status}`);
  const state = chat.canChat ? 'open' : chat.joined ? 'read-only' : 'waiting';

  return (
    <section
      aria-label={label}
      {...rest}
      className={className ? `onair-chat ${className}` : 'onair-chat'}
      data-state={state}
      data-role={chat.role ?? undefined}
    >
      {chat.pinned && (
        <PinnedMessage message={chat.pinned} canModerate={chat.canModerate} onUnpin={chat.unpin} />
      )}
      <div
        ref={log}
        className="onair-chat__log"
        role="log"
        aria-live="polite"
        aria-label="Chat messages"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
        tabIndex={0}
        onScroll={onScroll}
      >
        {chat.messages.length === 0 ? (
          <p className="onair-chat__empty">{emptyMessage}</p>
        ) : (
          <ol className="onair-chat__list">
            {chat.messages.map((entry) => (
              <ChatMessageItem
                key={entry.clientId && entry.own ? `own:${entry.clientId}` : entry.id}
                entry={entry}
                canModerate={chat.canModerate}
                pinned={chat.pinned?.id === entry.id}
                formatTime={formatTime}
                onRetry={chat.retry}
                onDelete={chat.remove}
                onPin={chat.pin}
                onUnpin={chat.unpin}
              />
            ))}
          </ol>
        )}
      </div>
      {unseen && (
        <button type="button" className="onair-button onair-chat__jump" onClick={jumpToBottom}>
          New messages
        </button>
      )}
      {chat.error && (
        <p className="onair-chat__error" role="alert">
          {chat.error.message}{' '}
          <button type="button" className="onair-button onair-button--text" onClick={chat.clearError}>
            Dismiss
          </button>
        </p>
      )}
      <ChatComposer chat={chat} displayName={displayName} placeholder={placeholder} inputLabel={inputLabel} />
    </section>
  );
}
