/** A rendition playlist as ffmpeg wrote it, reduced to what we serve. */
export interface MediaPlaylist {
  targetDuration: number;
  mediaSequence: number;
  /** The `EXT-X-MAP` URI (the fMP4 init segment). */
  initUri: string | null;
  segments: { number: number; duration: number; uri: string }[];
}

const SEGMENT_URI = /^seg-(\d{1,15})\.m4s$/;

/**
 * Reads ffmpeg's playlist; null when it is not a complete one (ffmpeg may be rewriting it) or lists nothing.
 * Segment numbers come from the file names, which ffmpeg numbers from `-start_number`.
 */
export function parseMediaPlaylist(text: string): MediaPlaylist | null {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines[0] !== '#EXTM3U') return null;
  let targetDuration = 0;
  let mediaSequence: number | null = null;
  let initUri: string | null = null;
  let pendingDuration: number | null = null;
  const segments: MediaPlaylist['segments'] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith('#EXT-X-TARGETDURATION:')) targetDuration = Number(line.slice(22));
    else if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) mediaSequence = Number(line.slice(22));
    else if (line.startsWith('#EXT-X-MAP:')) initUri = /URI="([^"]+)"/.exec(line)?.[1] ?? null;
    else if (line.startsWith('#EXTINF:')) pendingDuration = Number.parseFloat(line.slice(8));
    else if (!line.startsWith('#')) {
      const match = SEGMENT_URI.exec(line);
      if (!match || pendingDuration === null || !Number.isFinite(pendingDuration)) return null;
      segments.push({ number: Number(match[1]), duration: pendingDuration, uri: line });
      pendingDuration = null;
    }
  }
  if (segments.length === 0 || mediaSequence === null || pendingDuration !== null) return null;
  return { targetDuration: Math.max(1, Math.ceil(targetDuration)), mediaSequence, initUri, segments };
}

export interface RenderContext {
  /** Unix ms at which segment `number` starts on the channel's live timeline. */
  programDateTime(number: number): number;
  /** Packager runs before this one: each restart starts its timestamps again. */
  discontinuitySequence: number;
  /**
   * Put before every segment and init URI: `../480p/` serves another rendition's media under this rendition's
   * playlist URL (a rendition the packager has shed). Default none.
   */
  uriPrefix?: string;
}

/**
 * The playlist we serve: ffmpeg's segments with `EXT-X-PROGRAM-DATE-TIME` on each, from the epoch clock.
 * ffmpeg's own `program_date_time` flag stamps the packager's start time truncated to the second, which is off
 * the live timeline by up to a second plus start-up. Never `EXT-X-ENDLIST`: a stopping ffmpeg writes one, but the
 * channel goes on (a restart continues it with higher numbers).
 */
export function renderMediaPlaylist(playlist: MediaPlaylist, context: RenderContext): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${playlist.targetDuration}`,
    `#EXT-X-MEDIA-SEQUENCE:${playlist.mediaSequence}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${context.discontinuitySequence}`,
    '#EXT-X-INDEPENDENT-SEGMENTS',
  ];
  const prefix = context.uriPrefix ?? '';
  if (playlist.initUri !== null) lines.push(`#EXT-X-MAP:URI="${prefix}${playlist.initUri}"`);
  for (const segment of playlist.segments) {
    lines.push(
      `#EXT-X-PROGRAM-DATE-TIME:${new Date(context.programDateTime(segment.number)).toISOString()}`,
      `#EXTINF:${segment.duration.toFixed(6)},`,
      `${prefix}${segment.uri}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
