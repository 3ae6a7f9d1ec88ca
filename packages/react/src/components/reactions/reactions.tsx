import { type HTMLAttributes, useEffect, useRef } from 'react';
import type { LiveStreamClient } from '../../client/live-stream-client';
import { useContainerLayout } from '../../hooks/internal/use-container-layout';
import { useReactions } from '../../hooks/use-reactions';
import { VISUALLY_HIDDEN } from '../visually-hidden';
import { REACTION_NAMES } from './reaction-names';

export interface ReactionsProps extends Omit<HTMLAttributes<HTMLFieldSetElement>, 'children'> {
  /** Default: the client of the nearest `<LiveStreamProvider>`. */
  client?: LiveStreamClient;
  /** Accessible name of the group. Default "Reactions". */
  label?: string;
  /** Words for emoji in the button labels ("React with …"); merged over the defaults. */
  names?: Readonly<Record<string, string>>;
  /** Show how many of each reaction the room sent since joining. Default false. */
  showCounts?: boolean;
  /** How long a refusal ("some were dropped") stays by the buttons before it goes by itself. Default 5 000 ms. */
  noticeMs?: number;
}

/**
 * The reaction picker: one labelled button per emoji the server accepts. Pair it with `<ReactionsOverlay>`
 * to see them float. `data-state` on the root: `waiting` (no room yet: buttons disabled) · `ready`;
 * `data-layout` `narrow` · `wide` (its own width); `data-notice` while a refusal of this viewer's reactions (a
 * burst over the server's limit) shows beside the buttons.
 */
export function Reactions({
  client,
  label = 'Reactions',
  names,
  showCounts = false,
  noticeMs = 5_000,
  className,
  ...rest
}: ReactionsProps) {
  const { reactions, enabled, react, counts, notice, dismissNotice } = useReactions(client);
  const root = useRef<HTMLFieldSetElement>(null);
  const layout = useContainerLayout(root);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(dismissNotice, noticeMs);
    return () => clearTimeout(timer);
  }, [notice, dismissNotice, noticeMs]);

  return (
    <fieldset
      ref={root}
      {...rest}
      className={className ? `onair-reactions ${className}` : 'onair-reactions'}
      data-state={enabled ? 'ready' : 'waiting'}
      data-layout={layout}
      data-notice={notice ? '' : undefined}
    >
      <legend style={VISUALLY_HIDDEN}>{label}</legend>
      <div className="onair-reactions__buttons">
        {reactions.map((emoji) => {
          const count = counts[emoji] ?? 0;
          const name = `React with ${names?.[emoji] ?? REACTION_NAMES[emoji] ?? emoji}`;
          // The name comes from the content, so a visible count is part of it ("React with heart 250"): WCAG
          // 2.5.3, label in name, which an aria-label beside visible text would break.
          return (
            <button
              key={emoji}
              type="button"
              className="onair-button onair-reactions__button"
              data-emoji={emoji}
              disabled={!enabled}
              onClick={() => react(emoji)}
            >
              <span aria-hidden="true">{emoji}</span>
              <span style={VISUALLY_HIDDEN}>{name}</span>
              {showCounts && count > 0 && <span className="onair-reactions__count"> {count}</span>}
            </button>
          );
        })}
      </div>
      {/* Always rendered, so a screen reader hears the notice when it fills this existing live region. */}
      <p className="onair-reactions__notice" role="status">
        {notice && (
          <>
            <span className="onair-reactions__notice-text">{sentenceOf(notice.message)}</span>{' '}
            <button type="button" className="onair-button onair-button--text" onClick={dismissNotice}>
              Dismiss
            </button>
          </>
        )}
      </p>
    </fieldset>
  );
}

/** The server's words ("too many reactions; some were dropped") as a sentence. */
function sentenceOf(message: string): string {
  const capital = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
