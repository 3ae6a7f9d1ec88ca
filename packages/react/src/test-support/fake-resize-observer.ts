import { vi } from 'vitest';

/**
 * jsdom has no layout and no ResizeObserver: this one reports the width a test gives, for components that
 * lay out by their own width (`data-layout`). `resizeTo(width)` tells every observed element it is that wide.
 */
export function installFakeResizeObserver() {
  const observed = new Map<Element, ResizeObserverCallback>();
  let width = 0;
  class FakeResizeObserver {
    constructor(private readonly callback: ResizeObserverCallback) {}
    observe(element: Element) {
      observed.set(element, this.callback);
    }
    unobserve(element: Element) {
      observed.delete(element);
    }
    disconnect() {
      for (const [element, callback] of observed) if (callback === this.callback) observed.delete(element);
    }
  }
  vi.stubGlobal('ResizeObserver', FakeResizeObserver);
  const rect = vi
    .spyOn(HTMLElement.prototype, 'getBoundingClientRect')
    .mockImplementation(
      () => ({ width, height: 0, x: 0, y: 0, top: 0, left: 0, right: width, bottom: 0 }) as DOMRect,
    );
  return {
    setInitialWidth(value: number) {
      width = value;
    },
    resizeTo(value: number) {
      width = value;
      for (const [element, callback] of observed) {
        const entry = {
          target: element,
          contentRect: { width: value } as DOMRectReadOnly,
          contentBoxSize: [{ inlineSize: value, blockSize: 0 }],
        } as unknown as ResizeObserverEntry;
        callback([entry], {} as ResizeObserver);
      }
    },
    restore() {
      rect.mockRestore();
      vi.unstubAllGlobals();
    },
  };
}
