import { LiveStreamPlayer, LiveStreamProvider, type UseLiveStreamResult, useLiveStream } from '@onair/react';
import { createMockTransport } from '@onair/react/mock';

export function Player() {
  return (
    <LiveStreamProvider url="/live" transport={createMockTransport()}>
      <LiveStreamPlayer />
    </LiveStreamProvider>
  );
}
export type Result = UseLiveStreamResult;
export const hook = useLiveStream;
