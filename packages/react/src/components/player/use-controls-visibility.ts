import { type FocusEvent, type PointerEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';

/** How long the controls stay after the last movement while the picture plays (YouTube and Vidstack: 2–3 s). */
export const CONTROLS_HIDE_DELAY_MS = 3_000;

export interface ControlsVisibilityOptions {
  /** Playing (not paused): only then do the controls hide. */
  playing: boolean;
  /** Something the viewer opened (the settings menu) holds them too. */
  held: boolean;
  hideAfterMs: number;
}

/** Handlers for the player's root: movement reveals, leaving hides, keyboard focus inside holds. */
export interface ControlsVisibilityRootHandlers {
  onPointerMove(event: PointerEvent<HTMLElement>): void;
  onPointerDown(event: PointerEvent<HTMLElement>): void;
  onPointerLeave(event: PointerEvent<HTMLElement>): void;
  onKeyDownCapture(): void;
  onFocus(event: FocusEvent<HTMLElement>): void;
  onBlur(event: FocusEvent<HTMLElement>): void;
}

export interface ControlsVisibility {
  visible: boolean;
  /** Shows them and starts the countdown again (a tap on a hidden bar, a key press). */
  reveal(): void;
  rootHandlers: ControlsVisibilityRootHandlers;
  /** For the control bar: a pointer resting on it holds the controls. */
  barHandlers: { onPointerEnter(): void; onPointerLeave(): void };
}

/**
 * Auto-hiding controls: shown on movement, hidden `hideAfterMs` after the last one while the picture plays, and
 * held while paused, while the pointer rests on the bar, while keyboard focus is inside the player (a mouse
 * click that focuses the player does not hold them: the pointer's own movement does), and while a menu is open.
 * A mouse leaving the player hides them at once, as in the YouTube player.
 */
export function useControlsVisibility({ playing, held, hideAfterMs }: ControlsVisibilityOptions) {
  const [active, setActive] = useState(true);
  const [hovering, setHovering] = useState(false);
  const [keyboardFocus, setKeyboardFocus] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pointerFocus = useRef(false);

  const reveal = useCallback(() => {
    setActive(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setActive(false), hideAfterMs);
  }, [hideAfterMs]);

  useEffect(() => () => clearTimeout(timer.current), []);

  // Pausing or closing a menu shows the controls for a full countdown when playing starts again.
  const holding = !playing || held || hovering || keyboardFocus;
  const wasHolding = useRef(holding);
  useEffect(() => {
    if (wasHolding.current && !holding) reveal();
    wasHolding.current = holding;
  }, [holding, reveal]);

  const rootHandlers = useMemo<ControlsVisibilityRootHandlers>(
    () => ({
      onPointerMove: (event) => {
        // A touch drag is not a hover: a tap reveals (see the gestures), a finger sliding the volume is on the bar.
        if (event.pointerType !== 'touch') reveal();
      },
      onPointerDown: () => {
        pointerFocus.current = true;
      },
      onPointerLeave: (event) => {
        if (event.pointerType !== 'mouse') return;
        clearTimeout(timer.current);
        setActive(false);
      },
      onKeyDownCapture: () => {
        pointerFocus.current = false;
        reveal();
      },
      onFocus: () => {
        if (!pointerFocus.current) setKeyboardFocus(true);
      },
      onBlur: (event) => {
        const next = event.relatedTarget as Node | null;
        if (!next || !event.currentTarget.contains(next)) setKeyboardFocus(false);
      },
    }),
    [reveal],
  );

  const barHandlers = useMemo(
    () => ({ onPointerEnter: () => setHovering(true), onPointerLeave: () => setHovering(false) }),
    [],
  );

  return { visible: active || holding, reveal, rootHandlers, barHandlers } satisfies ControlsVisibility;
}
