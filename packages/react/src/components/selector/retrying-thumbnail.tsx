import { useEffect, useState } from 'react';

/**
 * How long a card waits before asking again for a thumbnail that failed, the first time. The server answers a
 * thumbnail it cannot make now with 503 and `Retry-After: 2` (a grab under load, an ffmpeg restarting); an `<img>`
 * cannot read the header, so the card waits at least that long. Each later wait is twice the one before.
 */
export const THUMBNAIL_RETRY_DELAY_MS = 2_500;

/** How many times a card asks again before it settles for an empty box: waits of 2.5, 5 and 10 s (plus jitter). */
export const THUMBNAIL_RETRIES = 3;

/**
 * Up to this fraction is added to each wait at random: the cards of a page fail together when the server is busy,
 * and would otherwise all come back in the same instant, which is what made it fail.
 */
export const THUMBNAIL_RETRY_JITTER = 0.5;

/** The wait before retry `retry` (1-based), jitter included. */
export function thumbnailRetryDelay(retry: number, random: () => number = Math.random): number {
  return THUMBNAIL_RETRY_DELAY_MS * 2 ** (retry - 1) * (1 + THUMBNAIL_RETRY_JITTER * random());
}

/** The same URL with a query parameter the server ignores, so the browser loads it again. */
function retryUrl(url: string, retry: number): string {
  return `${url}${url.includes('?') ? '&' : '?'}retry=${retry}`;
}

/** A data: or blob: URL would fail the same way again. */
function isRetryable(url: string): boolean {
  return !url.startsWith('data:') && !url.startsWith('blob:');
}

interface Attempt {
  /** 0 for the first load, then 1 … `THUMBNAIL_RETRIES`. */
  retry: number;
  phase: 'loading' | 'waiting' | 'failed';
}

/**
 * A selector card's thumbnail that asks again after a failed load, `THUMBNAIL_RETRIES` times with a doubling
 * wait, and shows an empty box of the same size meanwhile (`data-retrying`) and after the last failure
 * (`data-failed`): never a broken-image icon for the page's life (issue 11). Keyed by its URL where it is used, so
 * a new URL starts over.
 */
export function RetryingThumbnail({ src }: { src: string }) {
  const [attempt, setAttempt] = useState<Attempt>({ retry: 0, phase: 'loading' });

  useEffect(() => {
    if (attempt.phase !== 'waiting') return;
    const next = attempt.retry + 1;
    const timer = setTimeout(() => setAttempt({ retry: next, phase: 'loading' }), thumbnailRetryDelay(next));
    return () => clearTimeout(timer);
  }, [attempt]);

  if (attempt.phase !== 'loading') {
    const state = attempt.phase === 'waiting' ? { 'data-retrying': '' } : { 'data-failed': '' };
    return <span className="onair-selector__thumbnail" {...state} aria-hidden="true" />;
  }
  const canRetry = attempt.retry < THUMBNAIL_RETRIES && isRetryable(src);
  return (
    <img
      className="onair-selector__thumbnail"
      src={attempt.retry === 0 ? src : retryUrl(src, attempt.retry)}
      alt=""
      loading="lazy"
      decoding="async"
      onError={() => setAttempt({ retry: attempt.retry, phase: canRetry ? 'waiting' : 'failed' })}
    />
  );
}
