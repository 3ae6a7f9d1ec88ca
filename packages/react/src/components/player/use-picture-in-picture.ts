import { type RefObject, useCallback, useEffect, useState } from 'react';

export interface PictureInPictureTargets {
  /** The WebSocket picture: streamed with `captureStream()` into `sourceVideo`, which goes into the window. */
  canvas: RefObject<HTMLCanvasElement | null>;
  /** The hidden `<video>` the canvas is captured into. */
  sourceVideo: RefObject<HTMLVideoElement | null>;
  /** The HLS picture: its own `<video>` goes into the window. */
  video: RefObject<HTMLVideoElement | null>;
}

export interface PictureInPicture {
  /** The browser has picture-in-picture for this path (false on the server and before the first effect). */
  supported: boolean;
  active: boolean;
  toggle(): void;
}

/**
 * Whether this browser can put the path's picture in a picture-in-picture window: the video element's own PiP
 * (`document.pictureInPictureEnabled`), and for the canvas `HTMLCanvasElement.captureStream`. Firefox has neither
 * API (its PiP is a browser button on videos), Safari on iPhone has no `captureStream` on canvases before 17.
 */
export function pictureInPictureSupported(hls: boolean): boolean {
  if (typeof document === 'undefined' || !document.pictureInPictureEnabled) return false;
  if (typeof HTMLVideoElement.prototype.requestPictureInPicture !== 'function') return false;
  return hls || typeof HTMLCanvasElement.prototype.captureStream === 'function';
}

/**
 * Picture-in-picture for both paths with the video element's PiP API. The canvas path captures the canvas into a
 * hidden muted `<video>` and puts that in the window (the Document PiP API would move the whole player, controls
 * included, but Chromium alone has it); the sound keeps playing from the page's AudioContext. HLS puts its own
 * `<video>` in the window, sound included.
 */
export function usePictureInPicture(hls: boolean, targets: PictureInPictureTargets): PictureInPicture {
  const [supported, setSupported] = useState(false);
  const [active, setActive] = useState(false);

  useEffect(() => setSupported(pictureInPictureSupported(hls)), [hls]);

  // The videos to listen to mount with the path (`hls`) and with support (the canvas path's hidden source).
  // biome-ignore lint/correctness/useExhaustiveDependencies: hls and supported say when those refs change
  useEffect(() => {
    const elements = [targets.sourceVideo.current, targets.video.current].filter(
      (element): element is HTMLVideoElement => element !== null,
    );
    const update = () => setActive(elements.some((element) => document.pictureInPictureElement === element));
    for (const element of elements) {
      element.addEventListener('enterpictureinpicture', update);
      element.addEventListener('leavepictureinpicture', update);
    }
    update();
    return () => {
      for (const element of elements) {
        element.removeEventListener('enterpictureinpicture', update);
        element.removeEventListener('leavepictureinpicture', update);
      }
    };
  }, [hls, supported, targets]);

  const toggle = useCallback(() => {
    if (document.pictureInPictureElement) {
      void document.exitPictureInPicture().catch(() => {});
      return;
    }
    void enter(hls, targets).catch(() => setActive(false));
  }, [hls, targets]);

  return { supported, active, toggle };
}

async function enter(hls: boolean, targets: PictureInPictureTargets): Promise<void> {
  if (hls) {
    await targets.video.current?.requestPictureInPicture();
    return;
  }
  const canvas = targets.canvas.current;
  const video = targets.sourceVideo.current;
  if (!canvas || !video) return;
  if (!video.srcObject) video.srcObject = canvas.captureStream();
  // The window needs the video's metadata. A muted video plays without a gesture, and the click's activation
  // outlives this wait (5 s in Chromium).
  await video.play();
  await video.requestPictureInPicture();
}
