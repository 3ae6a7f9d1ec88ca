import { type HTMLAttributes, useEffect, useRef } from 'react';
import { type UseBroadcastOptions, useBroadcast } from '../../hooks/use-broadcast';
import { VISUALLY_HIDDEN } from '../visually-hidden';

export interface StreamBroadcasterProps
  extends UseBroadcastOptions,
    Omit<HTMLAttributes<HTMLElement>, 'children'> {}

const STATUS_TEXT = {
  idle: 'Not live',
  previewing: 'Preview',
  connecting: 'Connecting…',
  live: 'LIVE',
  reconnecting: 'Reconnecting…',
  ended: 'Ended',
  error: 'Error',
} as const;

function formatElapsed(ms: number | null): string {
  if (ms === null) return '0:00';
  const seconds = Math.floor(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/**
 * A broadcaster's panel: the preview, camera and microphone pickers (they switch while live), the source (camera or
 * screen), camera and microphone toggles, Go live / End, the elapsed time and the viewer count. State for styling:
 * `data-status` (idle, previewing, connecting, live, reconnecting, ended, error), `data-video` and `data-audio`
 * (`on`/`off`).
 */
export function StreamBroadcaster(props: StreamBroadcasterProps) {
  const { url, streamId, streamKey, source, width, height, frameRate, capture, session, className, ...rest } =
    props;
  const broadcast = useBroadcast({
    url,
    streamId,
    streamKey,
    source,
    width,
    height,
    frameRate,
    capture,
    session,
  });
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (video.current) video.current.srcObject = broadcast.preview;
  }, [broadcast.preview]);
  const live = broadcast.status === 'live' || broadcast.status === 'reconnecting';
  const busy = broadcast.status === 'connecting';
  const problem = broadcast.error?.message ?? broadcast.captureError;
  return (
    <section
      aria-label="Broadcast"
      {...rest}
      className={className ? `onair-broadcaster ${className}` : 'onair-broadcaster'}
      data-status={broadcast.status}
      data-video={broadcast.videoEnabled ? 'on' : 'off'}
      data-audio={broadcast.audioEnabled ? 'on' : 'off'}
    >
      <video
        ref={video}
        className="onair-broadcaster-preview"
        autoPlay
        muted
        playsInline
        aria-label="Preview"
      />
      <div className="onair-broadcaster-bar">
        <span className="onair-broadcaster-status" role="status">
          {STATUS_TEXT[broadcast.status]}
        </span>
        <span className="onair-broadcaster-elapsed">
          <span style={VISUALLY_HIDDEN}>Time live: </span>
          {formatElapsed(broadcast.elapsedMs)}
        </span>
        <span className="onair-broadcaster-viewers">
          {broadcast.viewers === null ? '–' : broadcast.viewers} watching
        </span>
      </div>
      <div className="onair-broadcaster-controls">
        <label>
          Source
          <select
            value={broadcast.source}
            onChange={(event) => void broadcast.setSource(event.target.value as 'camera' | 'screen')}
          >
            <option value="camera">Camera</option>
            <option value="screen">Screen</option>
          </select>
        </label>
        <label>
          Camera
          <select
            value={broadcast.cameraId ?? ''}
            disabled={broadcast.source !== 'camera' || broadcast.devices.cameras.length === 0}
            onChange={(event) => void broadcast.setCamera(event.target.value)}
          >
            {broadcast.cameraId === null && <option value="">Default</option>}
            {broadcast.devices.cameras.map((device, index) => (
              <option key={device.deviceId} value={device.deviceId}>
                {device.label || `Camera ${index + 1}`}
              </option>
            ))}
          </select>
        </label>
        <label>
          Microphone
          <select
            value={broadcast.microphoneId ?? ''}
            disabled={broadcast.devices.microphones.length === 0}
            onChange={(event) => void broadcast.setMicrophone(event.target.value)}
          >
            {broadcast.microphoneId === null && <option value="">Default</option>}
            {broadcast.devices.microphones.map((device, index) => (
              <option key={device.deviceId} value={device.deviceId}>
                {device.label || `Microphone ${index + 1}`}
              </option>
            ))}
          </select>
        </label>
        <button type="button" aria-pressed={!broadcast.videoEnabled} onClick={broadcast.toggleVideo}>
          {broadcast.videoEnabled ? 'Camera off' : 'Camera on'}
        </button>
        <button type="button" aria-pressed={!broadcast.audioEnabled} onClick={broadcast.toggleAudio}>
          {broadcast.audioEnabled ? 'Mute' : 'Unmute'}
        </button>
        {broadcast.status === 'idle' && (
          <button type="button" onClick={() => void broadcast.startPreview()}>
            Preview
          </button>
        )}
        {live || busy ? (
          <button type="button" className="onair-broadcaster-end" onClick={broadcast.end}>
            End
          </button>
        ) : (
          <button
            type="button"
            className="onair-broadcaster-go-live"
            disabled={broadcast.status === 'ended'}
            onClick={() => void broadcast.goLive()}
          >
            Go live
          </button>
        )}
      </div>
      {problem && (
        <p className="onair-broadcaster-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
