import { act, fireEvent, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  RetryingThumbnail,
  THUMBNAIL_RETRIES,
  THUMBNAIL_RETRY_DELAY_MS,
  THUMBNAIL_RETRY_JITTER,
  thumbnailRetryDelay,
} from './retrying-thumbnail';

describe('<RetryingThumbnail>', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  const image = (container: HTMLElement) => container.querySelector('img');
  const fail = (container: HTMLElement) => fireEvent.error(image(container) as HTMLImageElement);
  /** The longest a wait before retry `retry` can be. */
  const longest = (retry: number) =>
    THUMBNAIL_RETRY_DELAY_MS * 2 ** (retry - 1) * (1 + THUMBNAIL_RETRY_JITTER);

  it('asks again after a delay for a thumbnail that failed (a 503 under load), and shows it once it loads', () => {
    const { container } = render(<RetryingThumbnail src="/live/videos/a/thumbnail.jpg" />);
    fail(container);
    // Meanwhile an empty box of the same size, not a broken image.
    expect(image(container)).toBeNull();
    expect(container.querySelector('.onair-selector__thumbnail[data-retrying]')).not.toBeNull();
    act(() => vi.advanceTimersByTime(longest(1)));
    expect(image(container)?.getAttribute('src')).toBe('/live/videos/a/thumbnail.jpg?retry=1');
    fireEvent.load(image(container) as HTMLImageElement);
    expect(container.querySelector('[data-retrying], [data-failed]')).toBeNull();
  });

  it(`retries ${THUMBNAIL_RETRIES} times, each wait twice the one before, then keeps an empty box for good`, () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { container } = render(<RetryingThumbnail src="/thumb.jpg?w=320" />);
    for (let retry = 1; retry <= THUMBNAIL_RETRIES; retry++) {
      fail(container);
      const wait = THUMBNAIL_RETRY_DELAY_MS * 2 ** (retry - 1);
      act(() => vi.advanceTimersByTime(wait - 1));
      expect(image(container), `still waiting before retry ${retry}`).toBeNull();
      act(() => vi.advanceTimersByTime(1));
      expect(image(container)?.getAttribute('src')).toBe(`/thumb.jpg?w=320&retry=${retry}`);
    }
    fail(container);
    act(() => vi.advanceTimersByTime(longest(THUMBNAIL_RETRIES + 1) * 10));
    expect(image(container)).toBeNull();
    expect(container.querySelector('.onair-selector__thumbnail[data-failed]')).not.toBeNull();
  });

  it('spreads the retries of cards that failed together', () => {
    expect(thumbnailRetryDelay(1, () => 0)).toBe(THUMBNAIL_RETRY_DELAY_MS);
    expect(thumbnailRetryDelay(1, () => 1)).toBe(THUMBNAIL_RETRY_DELAY_MS * (1 + THUMBNAIL_RETRY_JITTER));
    expect(thumbnailRetryDelay(3, () => 0)).toBe(THUMBNAIL_RETRY_DELAY_MS * 4);
  });

  it('does not retry a data: URL, which would fail the same way', () => {
    const { container } = render(<RetryingThumbnail src="data:image/jpeg;base64,AAAA" />);
    fail(container);
    expect(container.querySelector('[data-failed]')).not.toBeNull();
    act(() => vi.advanceTimersByTime(longest(1)));
    expect(image(container)).toBeNull();
  });
});
