import { type RefObject, useCallback, useRef, useState } from 'react';
import { useIsomorphicLayoutEffect } from '../../hooks/internal/use-isomorphic-layout-effect';

// Within this many pixels of the end counts as "at the bottom": sub-pixel scroll positions and a last line
// half in view should not stop following.
const BOTTOM_SLACK_PX = 24;

/**
 * Follows new content at the end of a scroll container while the reader is at the bottom, and stops as soon
 * as they scroll up to read: then new content only raises `unseen` (for a "New messages" button) until they
 * jump back or scroll down themselves.
 */
export function useStickToBottom(container: RefObject<HTMLElement | null>, lastKey: string | undefined) {
  const following = useRef(true);
  const [unseen, setUnseen] = useState(false);

  const onScroll = useCallback(() => {
    const element = container.current;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK_PX;
    following.current = atBottom;
    if (atBottom) setUnseen(false);
  }, [container]);

  const jumpToBottom = useCallback(() => {
    const element = container.current;
    if (element) element.scrollTop = element.scrollHeight;
    following.current = true;
    setUnseen(false);
  }, [container]);

  // A new last message (or a change of its status) is what re-runs it.
  useIsomorphicLayoutEffect(() => {
    const element = container.current;
    if (!element || lastKey === undefined) return;
    if (following.current) element.scrollTop = element.scrollHeight;
    else setUnseen(true);
  }, [container, lastKey]);

  return { unseen, onScroll, jumpToBottom };
}
