/** What a broadcaster sends: a camera, or a shared screen (with the microphone for sound). */
export type BroadcastSource = 'camera' | 'screen';

export interface CaptureChoice {
  source: BroadcastSource;
  /** A `deviceId` from `listCaptureDevices()`; null or absent: the browser's default. */
  cameraId?: string | null;
  microphoneId?: string | null;
  /** Asked of the camera or screen; the browser may give less. Default 1280x720 at 30 fps. */
  width?: number;
  height?: number;
  frameRate?: number;
}

export interface CaptureDevices {
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
}

const device = (id: string | null | undefined) => (id ? { deviceId: { exact: id } } : {});

/**
 * Opens the camera and microphone (`getUserMedia`), or the screen (`getDisplayMedia`) with the microphone added:
 * one stream of at most one video and one audio track, ready for `MediaRecorder`. Rejects as the browser does
 * (`NotAllowedError` when the person refuses).
 */
export async function openCapture(choice: CaptureChoice): Promise<MediaStream> {
  const video = { width: { ideal: choice.width ?? 1280 }, height: { ideal: choice.height ?? 720 } };
  const frameRate = { ideal: choice.frameRate ?? 30 };
  const audio = { ...device(choice.microphoneId), echoCancellation: true, noiseSuppression: true };
  const media = navigator.mediaDevices;
  if (choice.source === 'camera') {
    return media.getUserMedia({ video: { ...video, frameRate, ...device(choice.cameraId) }, audio });
  }
  const screen = await media.getDisplayMedia({ video: { ...video, frameRate }, audio: false });
  try {
    const microphone = await media.getUserMedia({ audio, video: false });
    return new MediaStream([...screen.getVideoTracks(), ...microphone.getAudioTracks()]);
  } catch {
    // A screen without sound is still a broadcast.
    return screen;
  }
}

/** Cameras and microphones; their labels are empty until the page has been allowed to use one. */
export async function listCaptureDevices(): Promise<CaptureDevices> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: devices.filter((info) => info.kind === 'videoinput'),
    microphones: devices.filter((info) => info.kind === 'audioinput'),
  };
}

/** Ends every track: the camera light goes off. */
export function stopCapture(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
