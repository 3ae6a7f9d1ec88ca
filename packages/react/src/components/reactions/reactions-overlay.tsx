import type { CSSProperties, HTMLAttributes } from 'react';
import type { LiveStreamClient } from '../../client/live-stream-client';
import { usePrefersReducedMotion } from '../../hooks/use-prefers-reduced-motion';
import { useReactions } from '../../hooks/use-reactions';

export interface ReactionsOverlayProps extends Omit<HTMLAttributes<HTMLDivElement>, 'children'> {
  /** Default: the client of the nearest `<LiveStreamProvider>`. */
  client?: LiveStreamClient;
  /** Most emoji on screen at once (the newest win). Default: the client's bound (30). */
  max?: number;
  /** Fade in place instead of floating up. Default: the reader's `prefers-reduced-motion`. */
  reducedMotion?: boolean;
}

/**
 * Emoji floating up over the picture: put it inside `<LiveStreamPlayer>` (or any positioned box; it fills
 * it). Decorative (`aria-hidden`): the reactions are not content a screen reader should recite. Under reduced
 * motion each emoji fades in place, marked `data-reduced-motion` on the root.
 */
export function ReactionsOverlay({ client, max, reducedMotion, className, ...rest }: ReactionsOverlayProps) {
  const { floating } = useReactions(client);
  const prefersReducedMotion = usePrefersReducedMotion();
  const still = reducedMotion ?? prefersReducedMotion;
  const shown = max === undefined ? floating : floating.slice(-Math.max(0, max));
  return (
    <div
      aria-hidden="true"
      {...rest}
      className={className ? `onair-reactions-overlay ${className}` : 'onair-reactions-overlay'}
      data-reduced-motion={still ? '' : undefined}
      data-count={shown.length}
    >
      {shown.map((item) => (
        <span
          key={item.key}
          className="onair-reactions-overlay__item"
          data-own={item.own ? '' : undefined}
          style={{ left: `${item.x * 100}%`, top: `${item.y * 100}%` } as CSSProperties}
        >
          {item.emoji}
        </span>
      ))}
    </div>
  );
}
