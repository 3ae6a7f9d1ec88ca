import { type RefObject, useState } from 'react';
import { useIsomorphicLayoutEffect } from './use-isomorphic-layout-effect';

/**
 * At or below this width (CSS px of the component's own box, not the window) the chat, reactions and selector
 * lay out in one column (issue 12: a phone is ~390 px wide, and a sidebar on a desktop can be as narrow).
 */
export const NARROW_LAYOUT_MAX_WIDTH = 480;

export type ContainerLayout = 'narrow' | 'wide';

/**
 * `narrow` or `wide` from the element's own width, followed with a ResizeObserver, for the root's
 * `data-layout`: the stylesheet and a host's own CSS select on it, the way a container query would, and tests
 * can read it. Undefined before the first measure (and on the server, and without ResizeObserver), so markup
 * rendered on the server matches the first render in the browser.
 */
export function useContainerLayout(ref: RefObject<HTMLElement | null>): ContainerLayout | undefined {
  const [layout, setLayout] = useState<ContainerLayout | undefined>(undefined);
  useIsomorphicLayoutEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const measure = (width: number) => {
      // A box with no width (display: none, not laid out yet) says nothing about the space it will get.
      if (width > 0) setLayout(width <= NARROW_LAYOUT_MAX_WIDTH ? 'narrow' : 'wide');
    };
    measure(element.getBoundingClientRect().width);
    const observer = new ResizeObserver((entries) => {
      const entry = entries.at(-1);
      if (entry) measure(entry.contentBoxSize?.[0]?.inlineSize ?? entry.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return layout;
}
