import type { VideoInfo } from '@onair/protocol';

/**
 * The catalog with its server-relative URLs (thumbnails, HLS playlists) made loadable from this page: a server on
 * another origin gives paths relative to itself, not to the page.
 */
export function withAssetUrls(
  videos: readonly VideoInfo[],
  assetUrl: (path: string) => string,
): readonly VideoInfo[] {
  return Object.freeze(
    videos.map((video) => ({
      ...video,
      thumbnailUrl: assetUrl(video.thumbnailUrl),
      ...(video.hlsUrl ? { hlsUrl: assetUrl(video.hlsUrl) } : {}),
    })),
  );
}
