import { act, fireEvent, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RetryingThumbnail, THUMBNAIL_RETRY_DELAY_MS } from './retrying-thumbnail';

describe('<RetryingThumbnail>', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const image = (container: HTMLElement) => container.querySelector('img');

  it('asks again once, after a delay, for a thumbnail that failed (a 503 under load)', () => {
    const { container } = render(<RetryingThumbnail src="/live/videos/a/thumbnail.jpg" />);
    fireEvent.error(image(container) as HTMLImageElement);
    // Meanwhile an empty box of the same size, not a broken image.
    expect(image(container)).toBeNull();
    expect(container.querySelector('[data-failed]')).not.toBeNull();
    act(() => vi.advanceTimersByTime(THUMBNAIL_RETRY_DELAY_MS));
    expect(image(container)?.getAttribute('src')).toBe('/live/videos/a/thumbnail.jpg?retry=1');
    fireEvent.load(image(container) as HTMLImageElement);
    expect(container.querySelector('[data-failed]')).toBeNull();
  });

  it('gives up after the retry fails: an empty box for good', () => {
    const { container } = render(<RetryingThumbnail src="/thumb.jpg?w=320" />);
    fireEvent.error(image(container) as HTMLImageElement);
    act(() => vi.advanceTimersByTime(THUMBNAIL_RETRY_DELAY_MS));
    expect(image(container)?.getAttribute('src')).toBe('/thumb.jpg?w=320&retry=1');
    fireEvent.error(image(container) as HTMLImageElement);
    act(() => vi.advanceTimersByTime(THUMBNAIL_RETRY_DELAY_MS * 10));
    expect(image(container)).toBeNull();
    expect(container.querySelector('.onair-selector__thumbnail[data-failed]')).not.toBeNull();
  });

  it('does not retry a data: URL, which would fail the same way', () => {
    const { container } = render(<RetryingThumbnail src="data:image/jpeg;base64,AAAA" />);
    fireEvent.error(image(container) as HTMLImageElement);
    act(() => vi.advanceTimersByTime(THUMBNAIL_RETRY_DELAY_MS));
    expect(image(container)).toBeNull();
  });
});
