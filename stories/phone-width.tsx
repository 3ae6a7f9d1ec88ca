import type { ReactNode } from 'react';

/** An iPhone 12–15's CSS width: the box the issue 12 review found the kit breaking in. */
export const PHONE_WIDTH_PX = 390;

/**
 * Renders the story in a phone-wide box (a decorator, so it works at any Storybook viewport and in the story
 * tests, whose browser window is wider). The components lay out by their own width (`data-layout`), so this
 * is what a phone shows.
 */
export const withPhoneWidth = (Story: () => ReactNode) => (
  <div data-phone-width style={{ width: PHONE_WIDTH_PX, maxWidth: '100%' }}>
    <Story />
  </div>
);

/** Nothing in `root` is wider than the phone box: no sideways scrolling. */
export function overflowsPhoneWidth(root: HTMLElement): boolean {
  const box = root.closest<HTMLElement>('[data-phone-width]') ?? root;
  return root.scrollWidth > box.clientWidth + 1;
}

/** A story's mock server (`onMockServer(…)`) with the phone box inside its provider. */
export function atPhoneWidth<T extends { decorators: unknown[] }>(story: T): T {
  return { ...story, decorators: [withPhoneWidth, ...story.decorators] };
}
