import { type RefObject, useCallback, useEffect, useState } from 'react';

interface VendorFullscreen {
  webkitRequestFullscreen?: () => void;
  webkitExitFullscreen?: () => void;
  webkitFullscreenElement?: Element | null;
}

function fullscreenElement(): Element | null {
  return (
    document.fullscreenElement ?? (document as Document & VendorFullscreen).webkitFullscreenElement ?? null
  );
}

/** Fullscreen of one element, with the prefixed API Safari on iPad still needs. */
export function useFullscreen(target: RefObject<HTMLElement | null>) {
  const [fullscreen, setFullscreen] = useState(false);

  useEffect(() => {
    const update = () =>
      setFullscreen(fullscreenElement() !== null && fullscreenElement() === target.current);
    document.addEventListener('fullscreenchange', update);
    document.addEventListener('webkitfullscreenchange', update);
    return () => {
      document.removeEventListener('fullscreenchange', update);
      document.removeEventListener('webkitfullscreenchange', update);
    };
  }, [target]);

  const requestFullscreen = useCallback(() => {
    const element = target.current as (HTMLElement & VendorFullscreen) | null;
    if (!element) return;
    if (typeof element.requestFullscreen === 'function') void element.requestFullscreen().catch(() => {});
    else element.webkitRequestFullscreen?.();
  }, [target]);

  const exitFullscreen = useCallback(() => {
    if (!fullscreenElement()) return;
    if (typeof document.exitFullscreen === 'function') void document.exitFullscreen().catch(() => {});
    else (document as Document & VendorFullscreen).webkitExitFullscreen?.();
  }, []);

  const toggleFullscreen = useCallback(() => {
    if (fullscreenElement() === target.current) exitFullscreen();
    else requestFullscreen();
  }, [target, exitFullscreen, requestFullscreen]);

  return { fullscreen, requestFullscreen, exitFullscreen, toggleFullscreen };
}
