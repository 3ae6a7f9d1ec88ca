import type { VideoInfo } from '@onair/protocol';
import type { Channel } from '../channel/channel';

/**
 * A channel's catalog entry. `basePath` is where the middleware is mounted ('' at the root, '/live'), so the
 * thumbnail URL works from any page of the host. Sizes read 0 until a background probe has read the input.
 */
export function videoInfo(channel: Channel, basePath: string): VideoInfo {
  const format = channel.format;
  return {
    id: channel.id,
    title: channel.source.title,
    duration: format?.durationSec ?? null,
    width: format?.width ?? 0,
    height: format?.height ?? 0,
    fps: format?.fps ?? 0,
    hasAudio: format?.hasAudio ?? false,
    thumbnailUrl: `${basePath.replace(/\/+$/, '')}/videos/${encodeURIComponent(channel.id)}/thumbnail.jpg`,
  };
}
