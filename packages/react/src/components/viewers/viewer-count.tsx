import type { HTMLAttributes } from 'react';
import type { LiveStreamClient } from '../../client/live-stream-client';
import { useViewerCount } from '../../hooks/use-viewer-count';

export interface ViewerCountProps extends Omit<HTMLAttributes<HTMLSpanElement>, 'children'> {
  /** Default: the client of the nearest `<LiveStreamProvider>`. */
  client?: LiveStreamClient;
  /** Number formatting locale. Default "en-US" (the same on server and client, so hydration matches). */
  locale?: string;
}

/**
 * "1,234 watching". A status that does not announce itself (`aria-live="off"`): a count that changes every
 * few seconds would interrupt a screen reader; its label reads in full when reached. `data-state`:
 * `unknown` until the server reports a count, then `counted`; `data-count` holds the number.
 */
export function ViewerCount({ client, locale = 'en-US', className, ...rest }: ViewerCountProps) {
  const { count } = useViewerCount(client);
  const number = count === null ? '–' : new Intl.NumberFormat(locale).format(count);
  const label =
    count === null
      ? 'Viewer count not available yet'
      : `${number} ${count === 1 ? 'person' : 'people'} watching`;
  return (
    <span
      role="status"
      aria-live="off"
      aria-label={label}
      {...rest}
      className={className ? `onair-viewers ${className}` : 'onair-viewers'}
      data-state={count === null ? 'unknown' : 'counted'}
      data-count={count ?? undefined}
    >
      <span className="onair-viewers__dot" aria-hidden="true" />
      <span className="onair-viewers__text" aria-hidden="true">
        {number} watching
      </span>
    </span>
  );
}
