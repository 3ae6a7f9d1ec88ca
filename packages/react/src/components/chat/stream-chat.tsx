import type { HTMLAttributes } from 'react';
import { useRef } from 'react';
import type { LiveStreamClient } from '../../client/live-stream-client';
import { useContainerLayout } from '../../hooks/internal/use-container-layout';
import { useDisplayName } from '../../hooks/use-display-name';
import { useStreamChat } from '../../hooks/use-stream-chat';
import { ChatComposer } from './chat-composer';
import { ChatMessageItem } from './chat-message-item';
import { ChatName } from './chat-name';
import { DeleteUndoNotice } from './delete-undo-notice';
import { PinnedMessage } from './pinned-message';
import { useFocusAfterDelete } from './use-focus-after-delete';
import { useStickToBottom } from './use-stick-to-bottom';
import { useUndoableDelete } from './use-undoable-delete';

export interface StreamChatProps extends Omit<HTMLAttributes<HTMLElement>, 'children'> {
  /** Default: the client of the nearest `<LiveStreamProvider>`. */
  client?: LiveStreamClient;
  /** Accessible name of the chat region. Default "Chat". */
  label?: string;
  /**
   * The host's name for this viewer (a signed-in user's): sent with each message, and the viewer cannot
   * change it. Without it the viewer chooses one ("Change"), kept in `localStorage` (the host's authorize hook
   * may still override it on the server).
   */
  displayName?: string;
  /** The `localStorage` key of the name the viewer chooses. Default `'onair:display-name'`. */
  displayNameStorageKey?: string;
  /** How long a moderator can undo a Delete before it is sent. 0 sends at once. Default 5 000 ms. */
  deleteUndoMs?: number;
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
 * ones until the reader scrolls up (then a "New messages" button), the name this viewer writes under, and the
 * input. State on the root: `data-state` (`waiting` · `open` · `read-only`), `data-role`, and `data-layout`
 * (`narrow` at ≤ 480 px of its own width · `wide`).
 */
export function StreamChat({
  client,
  label = 'Chat',
  displayName: hostName,
  displayNameStorageKey,
  deleteUndoMs = 5_000,
  emptyMessage = 'No messages yet',
  placeholder = 'Say something…',
  inputLabel = 'Chat message',
  formatTime = defaultFormatTime,
  className,
  ...rest
}: StreamChatProps) {
  const chat = useStreamChat(client);
  const displayName = useDisplayName({ hostName, storageKey: displayNameStorageKey });
  const root = useRef<HTMLElement>(null);
  const layout = useContainerLayout(root);
  const log = useRef<HTMLDivElement>(null);
  const deletes = useUndoableDelete(chat.remove, deleteUndoMs);
  const focus = useFocusAfterDelete(log, deletes.pending);
  const hidden = new Set(deletes.pending.map((item) => item.messageId));
  const shown = hidden.size === 0 ? chat.messages : chat.messages.filter((entry) => !hidden.has(entry.id));
  const last = chat.messages.at(-1);
  const { unseen, onScroll, jumpToBottom } = useStickToBottom(log, last && `${last.id}:${last.status}`);
  const state = chat.canChat ? 'open' : chat.joined ? 'read-only' : 'waiting';

  return (
    <section
      ref={root}
      aria-label={label}
      {...rest}
      className={className ? `onair-chat ${className}` : 'onair-chat'}
      data-state={state}
      data-role={chat.role ?? undefined}
      data-layout={layout}
    >
      {chat.pinned && !hidden.has(chat.pinned.id) && (
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
        {shown.length === 0 ? (
          <p className="onair-chat__empty">{emptyMessage}</p>
        ) : (
          <ol className="onair-chat__list">
            {shown.map((entry) => (
              <ChatMessageItem
                key={entry.clientId && entry.own ? `own:${entry.clientId}` : entry.id}
                entry={entry}
                canModerate={chat.canModerate}
                pinned={chat.pinned?.id === entry.id}
                formatTime={formatTime}
                onRetry={chat.retry}
                onDelete={(target) => {
                  focus.toUndo();
                  deletes.schedule(target);
                }}
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
      {chat.canModerate && (
        <DeleteUndoNotice
          regionRef={focus.noticeRef}
          pending={deletes.pending}
          undoSeconds={Math.round(deleteUndoMs / 1000)}
          onUndo={(messageId) => {
            focus.toMessage(messageId);
            deletes.undo(messageId);
          }}
        />
      )}
      {chat.error && (
        <p className="onair-chat__error" role="alert">
          {chat.error.message}{' '}
          <button type="button" className="onair-button onair-button--text" onClick={chat.clearError}>
            Dismiss
          </button>
        </p>
      )}
      {chat.canChat && <ChatName displayName={displayName} />}
      <ChatComposer
        chat={chat}
        displayName={displayName.name}
        placeholder={placeholder}
        inputLabel={inputLabel}
      />
    </section>
  );
}
