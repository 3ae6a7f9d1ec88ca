import type { HTMLAttributes } from 'react';
import type { LiveStreamClient } from '../../client/live-stream-client';
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
}

/**
 * The reaction picker: one labelled button per emoji the server accepts. Pair it with `<ReactionsOverlay>`
 * to see them float. `data-state` on the root: `waiting` (no room yet: buttons disabled) · `ready`.
 */
export function Reactions({
  client,
  label = 'Reactions',
  names,
  showCounts = false,
  className,
  ...rest
}: ReactionsProps) {
  const { reactions, enabled, react, counts } = useReactions(client);
  return (
    <fieldset
      {...rest}
      className={className ? `onair-reactions ${className}` : 'onair-reactions'}
      data-state={enabled ? 'ready' : 'waiting'}
    >
      <legend style={VISUALLY_HIDDEN}>{label}</legend>
      {reactions.map((emoji) => {
        const count = counts[emoji] ?? 0;
        const name = `React with ${names?.[emoji] ?? REACTION_NAMES[emoji] ?? emoji}`;
        // The name comes from the content, so a visible count is part of it ("React with heart 250"): WCAG 2.5.3,
        // label in name, which an aria-label beside visible text would break.
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
    </fieldset>
  );
}
