import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaptureChoice } from '../client/broadcast/capture';
import { useBroadcast } from './use-broadcast';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A stream of one video track, as a canvas's `captureStream()` gives; enough of it for the hook. */
function fakeStream(name: string) {
  const track = { kind: 'video', enabled: true, stopped: false, stop: vi.fn() };
  track.stop.mockImplementation(() => {
    track.stopped = true;
  });
  const stream = {
    name,
    getTracks: () => [track],
    getVideoTracks: () => [track],
    getAudioTracks: () => [],
  };
  return { stream: stream as unknown as MediaStream, track };
}

/** The session's socket: opens at once; records the recorder's stream when the server welcomes it. */
function fakeSession() {
  const recorded: MediaStream[] = [];
  const sockets: { onopen: (() => void) | null; onmessage: ((event: { data: string }) => void) | null }[] =
    [];
  return {
    recorded,
    sockets,
    options: {
      isTypeSupported: () => true,
      createSocket: () => {
        const socket = { binaryType: '', readyState: 1, onopen: null, onmessage: null, send: vi.fn() };
        sockets.push(socket);
        return socket as unknown as WebSocket;
      },
      createRecorder: (stream: MediaStream) => {
        recorded.push(stream);
        return Object.assign(new EventTarget(), {
          state: 'recording',
          start: vi.fn(),
          stop: vi.fn(),
        }) as never;
      },
    },
  };
}

describe('useBroadcast with a capture of its own', () => {
  it('broadcasts the stream `capture` gives instead of opening the camera, and stops it on a switch', async () => {
    const getUserMedia = vi.fn();
    vi.stubGlobal('navigator', { mediaDevices: { getUserMedia, enumerateDevices: async () => [] } });
    const canvas = fakeStream('canvas');
    const next = fakeStream('next');
    const capture = vi.fn<(choice: CaptureChoice) => Promise<MediaStream>>();
    capture.mockResolvedValueOnce(canvas.stream).mockResolvedValueOnce(next.stream);
    const session = fakeSession();
    const { result } = renderHook(() =>
      useBroadcast({
        url: 'http://server.test/live',
        streamId: 'show',
        streamKey: 'key',
        width: 1280,
        height: 720,
        frameRate: 30,
        capture,
        session: session.options,
      }),
    );

    await act(() => result.current.goLive());
    expect(getUserMedia).not.toHaveBeenCalled();
    expect(capture).toHaveBeenCalledWith({
      source: 'camera',
      cameraId: null,
      microphoneId: null,
      width: 1280,
      height: 720,
      frameRate: 30,
    });
    expect(result.current.preview).toBe(canvas.stream);
    const socket = session.sockets[0];
    act(() => {
      socket?.onopen?.();
      socket?.onmessage?.({
        data: JSON.stringify({
          type: 'broadcast-welcome',
          protocolVersion: 1,
          streamId: 'show',
          maxChunkBytes: 1 << 20,
          resumed: false,
        }),
      });
    });
    expect(result.current.status).toBe('live');
    expect(session.recorded).toEqual([canvas.stream]);

    await act(() => result.current.setSource('screen'));
    expect(capture).toHaveBeenLastCalledWith(expect.objectContaining({ source: 'screen' }));
    expect(result.current.preview).toBe(next.stream);
    expect(canvas.track.stopped).toBe(true);
    expect(next.track.stopped).toBe(false);
  });
});
