import type { ServerMessageMap } from '@onair/protocol';
import { expect } from 'vitest';
import { waitForMessage } from './social';
import type { TestViewer } from './test-viewer';

/**
 * Selects `videoId` on `viewer`, waits for its `stream` message and `frames` pictures, and checks that the picture
 * moves: the test pattern changes every frame, so the JPEGs' ends differ. Resolves with the `stream` message.
 */
export async function watchMovingPicture(
  viewer: TestViewer,
  videoId: string,
  frames: number,
  timeoutMs: number,
): Promise<ServerMessageMap['stream']> {
  viewer.send({ type: 'select', videoId });
  const started = await waitForMessage(viewer, 'stream', (message) => message.videoId === videoId, timeoutMs);
  const pictures = await viewer.collectVideo(frames, timeoutMs);
  expect(
    new Set(pictures.map((frame) => frame.bytes.subarray(-2000).toString('base64'))).size,
  ).toBeGreaterThan(1);
  return started;
}
