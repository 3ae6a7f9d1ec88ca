import { type MouseEvent, type PointerEvent, useEffect, useMemo, useRef } from 'react';

/**
 * How long a click on the picture waits for a second one before it pauses: a double-click is fullscreen alone,
 * and a live stream paused and played again in between would jump to the live edge and restart its sound.
 */
export const DOUBLE_CLICK_WAIT_MS = 250;

export interface PictureGestureActions {
  togglePlay(): void;
  toggleFullscreen(): void;
  /** Whether the controls show now: a tap on a hidden bar only reveals them. */
  controlsVisible(): boolean;
  revealControls(): void;
}

/** Spread on the picture (canvas or video). */
export interface PictureGestureHandlers {
  onPointerUp(event: PointerEvent<HTMLElement>): void;
  onClick(event: MouseEvent<HTMLElement>): void;
  onDoubleClick(event: MouseEvent<HTMLElement>): void;
}

/**
 * The picture's gestures, as in the YouTube and Vidstack players: a click toggles pause (once no second click
 * follows within `DOUBLE_CLICK_WAIT_MS`), a double-click toggles fullscreen, and on touch a tap first reveals
 * hidden controls, the next one pauses.
 */
export function usePictureGestures(actions: PictureGestureActions): PictureGestureHandlers {
  const latest = useRef(actions);
  latest.current = actions;
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const tapRevealed = useRef(false);

  useEffect(() => () => clearTimeout(pending.current), []);

  return useMemo<PictureGestureHandlers>(
    () => ({
      onPointerUp: (event) => {
        tapRevealed.current = event.pointerType === 'touch' && !latest.current.controlsVisible();
        if (tapRevealed.current) latest.current.revealControls();
      },
      onClick: (event) => {
        if (tapRevealed.current) {
          tapRevealed.current = false;
          return;
        }
        clearTimeout(pending.current);
        if (event.detail > 1) return;
        pending.current = setTimeout(() => latest.current.togglePlay(), DOUBLE_CLICK_WAIT_MS);
      },
      onDoubleClick: () => {
        clearTimeout(pending.current);
        latest.current.toggleFullscreen();
      },
    }),
    [],
  );
}
