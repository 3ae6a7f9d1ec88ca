import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  BroadcastSession,
  type BroadcastSessionOptions,
  type BroadcastSessionState,
  type BroadcastStatus,
} from '../client/broadcast/broadcast-session';
import {
  type BroadcastSource,
  type CaptureChoice,
  type CaptureDevices,
  listCaptureDevices,
  openCapture,
  stopCapture,
} from '../client/broadcast/capture';
import { resolveEndpoints } from '../client/connection/endpoints';

export interface UseBroadcastOptions {
  /** The server's mount, as for `<LiveStreamProvider url>` ("/live", or an absolute URL). */
  url: string;
  /** The stream to broadcast into and its key, as `POST <mount>/streams` returned them. */
  streamId: string;
  streamKey: string;
  /** Where the picture comes from at first. Default `camera`. */
  source?: BroadcastSource;
  /** Asked of the camera or screen. Default 1280x720 at 30 fps. */
  width?: number;
  height?: number;
  frameRate?: number;
  /**
   * Where the picture and sound come from instead of the camera or screen (a canvas's `captureStream()`, a
   * processed camera): called with the choice each time the hook would open a capture (preview, Go live, a device
   * or source switched). Return a new stream each time: the hook stops the previous one's tracks. Default
   * `getUserMedia` / `getDisplayMedia`.
   */
  capture?: (choice: CaptureChoice) => Promise<MediaStream>;
  /** Stand-ins for tests: the session's socket and recorder. */
  session?: Pick<BroadcastSessionOptions, 'createSocket' | 'createRecorder' | 'isTypeSupported'>;
}

export interface UseBroadcastResult extends Omit<BroadcastSessionState, 'status'> {
  /** `previewing`: the camera is open, not yet live. */
  status: BroadcastStatus | 'previewing';
  /** The stream to show in a preview `<video>` (muted); null before `startPreview()`. */
  preview: MediaStream | null;
  /** Why the camera or screen could not be opened (`NotAllowedError`…); null when it could. */
  captureError: string | null;
  devices: CaptureDevices;
  source: BroadcastSource;
  cameraId: string | null;
  microphoneId: string | null;
  videoEnabled: boolean;
  audioEnabled: boolean;
  /** Time since the stream went live, ms; null when not live. */
  elapsedMs: number | null;
  startPreview(): Promise<void>;
  goLive(): Promise<void>;
  end(): void;
  toggleVideo(): void;
  toggleAudio(): void;
  setCamera(deviceId: string): Promise<void>;
  setMicrophone(deviceId: string): Promise<void>;
  setSource(source: BroadcastSource): Promise<void>;
}

const NO_DEVICES: CaptureDevices = { cameras: [], microphones: [] };

/**
 * A broadcast from this page: the camera (or screen) with a preview, device choice that works while live (a new
 * capture, and the session starts a new container with it), camera and microphone toggles (the track is disabled:
 * black picture or silence, the stream goes on), Go live and End, the elapsed time and the viewer count.
 */
export function useBroadcast(options: UseBroadcastOptions): UseBroadcastResult {
  const { url, streamId, streamKey } = options;
  const [source, setSourceState] = useState<BroadcastSource>(options.source ?? 'camera');
  const [cameraId, setCameraId] = useState<string | null>(null);
  const [microphoneId, setMicrophoneId] = useState<string | null>(null);
  const [preview, setPreview] = useState<MediaStream | null>(null);
  const [captureError, setCaptureError] = useState<string | null>(null);
  const [devices, setDevices] = useState<CaptureDevices>(NO_DEVICES);
  const [videoEnabled, setVideoEnabled] = useState(true);
  const [audioEnabled, setAudioEnabled] = useState(true);
  const [session, setSession] = useState<BroadcastSessionState | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const sessionRef = useRef<BroadcastSession | null>(null);
  const previewRef = useRef<MediaStream | null>(null);
  const enabledRef = useRef({ video: true, audio: true });
  const sessionOptions = options.session;
  const captureRef = useRef(options.capture);
  captureRef.current = options.capture;
  const size = { width: options.width, height: options.height, frameRate: options.frameRate };
  const sizeKey = JSON.stringify(size);

  const capture = useCallback(
    async (choice: { source: BroadcastSource; cameraId: string | null; microphoneId: string | null }) => {
      let stream: MediaStream;
      try {
        const open = captureRef.current ?? openCapture;
        stream = await open({ ...choice, ...(JSON.parse(sizeKey) as typeof size) });
      } catch (error) {
        setCaptureError(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        return null;
      }
      setCaptureError(null);
      for (const track of stream.getVideoTracks()) track.enabled = enabledRef.current.video;
      for (const track of stream.getAudioTracks()) track.enabled = enabledRef.current.audio;
      stopCapture(previewRef.current);
      previewRef.current = stream;
      setPreview(stream);
      sessionRef.current?.replaceStream(stream);
      setDevices(await listCaptureDevices().catch(() => NO_DEVICES));
      return stream;
    },
    [sizeKey],
  );

  const startPreview = useCallback(async () => {
    if (!previewRef.current) await capture({ source, cameraId, microphoneId });
  }, [capture, source, cameraId, microphoneId]);

  const goLive = useCallback(async () => {
    const stream = previewRef.current ?? (await capture({ source, cameraId, microphoneId }));
    if (!stream || sessionRef.current) return;
    const ingestUrl = resolveEndpoints(
      url,
      typeof location === 'undefined' ? undefined : location.href,
    ).ingestUrl;
    if (!ingestUrl) return;
    const created = new BroadcastSession({
      ...sessionOptions,
      url: ingestUrl,
      streamId,
      streamKey,
      onChange: setSession,
    });
    sessionRef.current = created;
    created.start(stream);
  }, [capture, source, cameraId, microphoneId, url, streamId, streamKey, sessionOptions]);

  const end = useCallback(() => {
    sessionRef.current?.end();
    sessionRef.current = null;
    stopCapture(previewRef.current);
    previewRef.current = null;
    setPreview(null);
  }, []);

  const toggle = useCallback((kind: 'video' | 'audio') => {
    const enabled = !enabledRef.current[kind];
    enabledRef.current = { ...enabledRef.current, [kind]: enabled };
    const tracks =
      kind === 'video' ? previewRef.current?.getVideoTracks() : previewRef.current?.getAudioTracks();
    for (const track of tracks ?? []) track.enabled = enabled;
    (kind === 'video' ? setVideoEnabled : setAudioEnabled)(enabled);
  }, []);

  const setCamera = useCallback(
    async (deviceId: string) => {
      setCameraId(deviceId);
      if (previewRef.current && source === 'camera')
        await capture({ source, cameraId: deviceId, microphoneId });
    },
    [capture, source, microphoneId],
  );
  const setMicrophone = useCallback(
    async (deviceId: string) => {
      setMicrophoneId(deviceId);
      if (previewRef.current) await capture({ source, cameraId, microphoneId: deviceId });
    },
    [capture, source, cameraId],
  );
  const setSource = useCallback(
    async (next: BroadcastSource) => {
      setSourceState(next);
      if (previewRef.current) await capture({ source: next, cameraId, microphoneId });
    },
    [capture, cameraId, microphoneId],
  );

  const live = session?.status === 'live';
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [live]);

  // Leaving the page (or unmounting) stops sending and the camera, without ending the stream: the server ends it
  // once its grace time passes with no broadcaster back.
  useEffect(
    () => () => {
      sessionRef.current?.close();
      stopCapture(previewRef.current);
    },
    [],
  );

  return useMemo(() => {
    const state = session ?? {
      status: 'idle' as const,
      error: null,
      viewers: null,
      startedAt: null,
      sentBytes: 0,
      mimeType: null,
    };
    const status = state.status === 'idle' && preview ? 'previewing' : state.status;
    return {
      ...state,
      status,
      preview,
      captureError,
      devices,
      source,
      cameraId,
      microphoneId,
      videoEnabled,
      audioEnabled,
      elapsedMs:
        state.status === 'live' && state.startedAt !== null ? Math.max(0, now - state.startedAt) : null,
      startPreview,
      goLive,
      end,
      toggleVideo: () => toggle('video'),
      toggleAudio: () => toggle('audio'),
      setCamera,
      setMicrophone,
      setSource,
    };
  }, [
    session,
    preview,
    captureError,
    devices,
    source,
    cameraId,
    microphoneId,
    videoEnabled,
    audioEnabled,
    now,
    startPreview,
    goLive,
    end,
    toggle,
    setCamera,
    setMicrophone,
    setSource,
  ]);
}
