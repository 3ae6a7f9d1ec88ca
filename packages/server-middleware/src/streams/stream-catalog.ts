import type { RecordingInfo, VideoInfo } from '@onair/protocol';
import { videoInfo } from '../catalog/video-info';
import type { StreamChannels } from './stream-channels';
import type { StreamRegistry } from './stream-registry';

/**
 * The catalog: every stream but the cancelled ones, in creation order, with its status. A stream on air is
 * described by its channel; one that is not (scheduled, ended, live but not fed yet) by its record, with a
 * size of 0 and no HLS. An ended stream whose recording is ready is on air again, as its replay.
 */
export function streamCatalog(
  registry: StreamRegistry,
  { channels, packagers }: StreamChannels,
  basePath: string,
  recordingOf: (id: string) => RecordingInfo | null = () => null,
): VideoInfo[] {
  return registry.list({ status: ['scheduled', 'live', 'ended'] }).map((stream) => {
    const channel = channels.get(stream.id);
    const entry = videoInfo(stream, channel ?? null, basePath, packagers !== null);
    const recording = recordingOf(stream.id);
    return {
      ...entry,
      status: stream.status,
      scheduledAt: stream.scheduledAt,
      ...(recording ? { recording } : {}),
    };
  });
}
