import type { HlsRendition } from './renditions';

/**
 * The master playlist of a channel (RFC 8216 §4.3.4.2), written by us rather than by ffmpeg's
 * `-master_pl_name` so every variant carries BANDWIDTH, AVERAGE-BANDWIDTH, RESOLUTION, FRAME-RATE and CODECS.
 * Lowest rendition first: players that start on the first variant start fast.
 */
export function masterPlaylist(renditions: readonly HlsRendition[]): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const rendition of renditions) {
    lines.push(
      '#EXT-X-STREAM-INF:' +
        [
          `BANDWIDTH=${rendition.bandwidth}`,
          `AVERAGE-BANDWIDTH=${rendition.averageBandwidth}`,
          `RESOLUTION=${rendition.width}x${rendition.height}`,
          `FRAME-RATE=${rendition.fps.toFixed(3)}`,
          `CODECS="${rendition.codecs}"`,
        ].join(','),
      `${rendition.name}/index.m3u8`,
    );
  }
  return `${lines.join('\n')}\n`;
}
