/** A rendition playlist as one ffmpeg run wrote it: the segments it has completed, in order. */
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

/** One segment of a playlist we serve. */
export interface ServedSegment {
  uri: string;
  duration: number;
  /** Unix ms at which the segment starts on the channel's live timeline. */
  programDateTime: number;
  /** Its timestamps do not follow the segment before it (a new packager run): `EXT-X-DISCONTINUITY`. */
  discontinuity: boolean;
  /** The init section it needs, written as `EXT-X-MAP` when it differs from the one before it. */
  initUri: string | null;
}

export interface ServedPlaylist {
  targetDuration: number;
  mediaSequence: number;
  discontinuitySequence: number;
  segments: readonly ServedSegment[];
}

/**
 * The playlist text we serve, with `EXT-X-PROGRAM-DATE-TIME` on each segment from the epoch clock (ffmpeg's own
 * `program_date_time` flag stamps the packager's start time truncated to the second, which is off the live
 * timeline by up to a second plus start-up). Never `EXT-X-ENDLIST`: the channel goes on across restarts.
 * `EXT-X-MAP` follows `EXT-X-DISCONTINUITY` where a run's init section starts (RFC 8216 §4.3.2.5).
 * `EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES` offers blocking reloads (`delivery-directives.ts`); players that do
 * not know the tag ignore it (§4.1), and it sets no HOLD-BACK, so theirs stays three target durations.
 */
export function renderMediaPlaylist(playlist: ServedPlaylist): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${playlist.targetDuration}`,
    `#EXT-X-MEDIA-SEQUENCE:${playlist.mediaSequence}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${playlist.discontinuitySequence}`,
    '#EXT-X-INDEPENDENT-SEGMENTS',
    '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES',
  ];
  let initUri: string | null = null;
  for (const segment of playlist.segments) {
    if (segment.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    if (segment.initUri !== null && segment.initUri !== initUri)
      lines.push(`#EXT-X-MAP:URI="${segment.initUri}"`);
    initUri = segment.initUri;
    lines.push(
      `#EXT-X-PROGRAM-DATE-TIME:${new Date(segment.programDateTime).toISOString()}`,
      `#EXTINF:${segment.duration.toFixed(6)},`,
      segment.uri,
    );
  }
  return `${lines.join('\n')}\n`;
}
