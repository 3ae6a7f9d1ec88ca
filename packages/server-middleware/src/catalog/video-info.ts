import type { VideoInfo } from '@onair/protocol';
import type { Channel } from '../channel/channel';

/**
 * A stream's catalog entry from its channel, or, with no channel (not on air), from its id and title alone. `basePath` is where the middleware is mounted ('' at the root, '/live'), so the
 * thumbnail and HLS URLs work from any page of the host; `hlsUrl` is null when HLS is off. Sizes read 0 until a background probe has read the input.
 */
export function videoInfo(
  stream: { id: string; title: string },
  channel: Channel | null,
  basePath: string,
  hls: boolean,
): VideoInfo {
  const format = channel?.format;
  const base = basePath.replace(/\/+$/, '');
  const id = encodeURIComponent(stream.id);
  return {
    id: stream.id,
    title: stream.title,
    duration: format?.durationSec ?? null,
    width: format?.width ?? 0,
    height: format?.height ?? 0,
    fps: format?.fps ?? 0,
    hasAudio: format?.hasAudio ?? false,
    thumbnailUrl: `${base}/videos/${id}/thumbnail.jpg`,
    hlsUrl: hls && channel ? `${base}/hls/${id}/master.m3u8` : null,
  };
}
