import { useEffect, useState } from 'react';

/**
 * How long a card waits before asking again for a thumbnail that failed. The server answers a thumbnail it cannot
 * make now with 503 and `Retry-After: 2` (a grab under load, an ffmpeg restarting); an `<img>` cannot read the
 * header, so the card waits at least that long.
 */
export const THUMBNAIL_RETRY_DELAY_MS = 2_500;

/** The same URL with a query parameter the server ignores, so the browser loads it again. */
function retryUrl(url: string): string | null {
  if (url.startsWith('data:') || url.startsWith('blob:')) return null; // Would fail the same way again.
  return `${url}${url.includes('?') ? '&' : '?'}retry=1`;
}

type Attempt = 'first' | 'waiting' | 'retry' | 'failed';

/**
 * A selector card's thumbnail that retries once, `THUMBNAIL_RETRY_DELAY_MS` after a failed load, and is replaced
 * by an empty box of the same size (`data-failed`) if that fails too, never a broken-image icon for the page's
 * life. Keyed by its URL where it is used, so a new URL starts over.
 */
export function RetryingThumbnail({ src }: { src: string }) {
  const [attempt, setAttempt] = useState<Attempt>('first');
  const retrySrc = retryUrl(src);

  useEffect(() => {
    if (attempt !== 'waiting') return;
    const timer = setTimeout(() => setAttempt('retry'), THUMBNAIL_RETRY_DELAY_MS);
    return () => clearTimeout(timer);
  }, [attempt]);

  if (attempt === 'failed' || attempt === 'waiting') {
    return <span className="onair-selector__thumbnail" data-failed="" aria-hidden="true" />;
  }
  return (
    <img
      className="onair-selector__thumbnail"
      src={attempt === 'retry' && retrySrc ? retrySrc : src}
      alt=""
      loading="lazy"
      decoding="async"
      onError={() => setAttempt(attempt === 'first' && retrySrc !== null ? 'waiting' : 'failed')}
    />
  );
}
