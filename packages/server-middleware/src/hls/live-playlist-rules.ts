/** A media segment as a client sees it: its media sequence number and everything that identifies it. */
export interface ListedSegment {
  sequence: number;
  uri: string;
  duration: number;
  /** `EXT-X-DISCONTINUITY` precedes it. */
  discontinuity: boolean;
  /** URI of the `EXT-X-MAP` in effect; null when none. */
  map: string | null;
}

export interface LivePlaylist {
  targetDuration: number;
  mediaSequence: number;
  discontinuitySequence: number;
  segments: ListedSegment[];
}

const tagValue = (line: string, tag: string) =>
  line.startsWith(`#${tag}:`) ? line.slice(tag.length + 2) : null;

/** Reads a media playlist as a client would; throws on one a client must reject (RFC 8216 §4). */
export function readLivePlaylist(text: string): LivePlaylist {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines[0] !== '#EXTM3U') throw new Error('not a playlist: no #EXTM3U');
  let targetDuration: number | null = null;
  let mediaSequence = 0;
  let discontinuitySequence = 0;
  let map: string | null = null;
  let duration: number | null = null;
  let discontinuity = false;
  const segments: ListedSegment[] = [];
  for (const line of lines.slice(1)) {
    const target = tagValue(line, 'EXT-X-TARGETDURATION');
    const media = tagValue(line, 'EXT-X-MEDIA-SEQUENCE');
    const disc = tagValue(line, 'EXT-X-DISCONTINUITY-SEQUENCE');
    const mapTag = tagValue(line, 'EXT-X-MAP');
    const inf = tagValue(line, 'EXTINF');
    if (target !== null) targetDuration = Number(target);
    else if (media !== null) mediaSequence = Number(media);
    else if (disc !== null) discontinuitySequence = Number(disc);
    else if (mapTag !== null) map = /URI="([^"]+)"/.exec(mapTag)?.[1] ?? null;
    else if (inf !== null) duration = Number.parseFloat(inf);
    else if (line === '#EXT-X-DISCONTINUITY') discontinuity = true;
    else if (!line.startsWith('#')) {
      if (duration === null || !Number.isFinite(duration)) throw new Error(`${line}: no EXTINF before it`);
      segments.push({ sequence: mediaSequence + segments.length, uri: line, duration, discontinuity, map });
      duration = null;
      discontinuity = false;
    }
  }
  if (targetDuration === null || !Number.isInteger(targetDuration)) {
    throw new Error('no integer EXT-X-TARGETDURATION');
  }
  return { targetDuration, mediaSequence, discontinuitySequence, segments };
}

const totalDuration = (playlist: LivePlaylist) =>
  playlist.segments.reduce((sum, segment) => sum + segment.duration, 0);

const identity = (segment: ListedSegment) =>
  `${segment.discontinuity ? 'discontinuity ' : ''}${segment.uri} (${segment.duration}s, map ${segment.map})`;

/** What one playlist breaks on its own: every EXTINF, rounded, within the target duration (§4.3.3.1). */
export function playlistProblems(playlist: LivePlaylist): string[] {
  const problems: string[] = [];
  for (const segment of playlist.segments) {
    if (Math.round(segment.duration) > playlist.targetDuration) {
      problems.push(
        `${segment.uri}: EXTINF ${segment.duration} rounds above TARGETDURATION ${playlist.targetDuration}`,
      );
    }
  }
  if (playlist.segments.some((segment) => segment.map !== null) && playlist.segments[0]?.map === null) {
    problems.push('the first segment has no EXT-X-MAP in effect');
  }
  return problems;
}

/**
 * What `next`, a reload of `previous`, breaks of §6.2.1–6.2.2: the server may only append segments, remove them
 * from the head (the media sequence advancing by exactly the number removed, the discontinuity sequence by the
 * discontinuities removed) and must not remove one if that leaves less than three target durations; the
 * target duration never changes. A reload that shares no segment with the one before (a player that waited past
 * a whole window) can only be checked for sequences that moved on far enough.
 */
export function successionProblems(previous: LivePlaylist, next: LivePlaylist): string[] {
  const problems: string[] = [];
  if (next.targetDuration !== previous.targetDuration) {
    problems.push(`TARGETDURATION changed from ${previous.targetDuration} to ${next.targetDuration}`);
  }
  const removed = next.mediaSequence - previous.mediaSequence;
  if (removed < 0) {
    return [...problems, `MEDIA-SEQUENCE went back from ${previous.mediaSequence} to ${next.mediaSequence}`];
  }
  const gone = previous.segments.slice(0, removed);
  const discontinuitiesGone = gone.filter((segment) => segment.discontinuity).length;
  const expectedDiscontinuity = previous.discontinuitySequence + discontinuitiesGone;
  if (removed > previous.segments.length) {
    if (next.discontinuitySequence < expectedDiscontinuity) {
      problems.push(
        `DISCONTINUITY-SEQUENCE ${next.discontinuitySequence} after every segment left, expected at least ${expectedDiscontinuity}`,
      );
    }
  } else {
    if (next.discontinuitySequence !== expectedDiscontinuity) {
      problems.push(
        `DISCONTINUITY-SEQUENCE ${next.discontinuitySequence}, expected ${expectedDiscontinuity} (${discontinuitiesGone} discontinuities removed)`,
      );
    }
    const kept = previous.segments.slice(removed);
    kept.forEach((segment, index) => {
      const now = next.segments[index];
      if (now === undefined) {
        problems.push(`segment ${segment.sequence} (${segment.uri}) removed from the end, not the head`);
      } else if (identity(now) !== identity(segment)) {
        problems.push(`segment ${segment.sequence} changed from ${identity(segment)} to ${identity(now)}`);
      }
    });
  }
  if (removed > 0 && totalDuration(next) < 3 * next.targetDuration) {
    problems.push(
      `segments removed leaving ${totalDuration(next).toFixed(3)}s, under three target durations (${3 * next.targetDuration}s)`,
    );
  }
  return problems;
}

/**
 * Every problem in successive reloads of one live playlist: each on its own, each against the one before, and
 * across all of them no URI standing for two different segments (a file overwritten under a player's feet).
 */
export function livePlaylistProblems(texts: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, ListedSegment>();
  let previous: LivePlaylist | null = null;
  texts.forEach((text, index) => {
    let playlist: LivePlaylist;
    try {
      playlist = readLivePlaylist(text);
    } catch (error) {
      problems.push(`playlist ${index}: ${(error as Error).message}`);
      return;
    }
    const add = (problem: string) => problems.push(`playlist ${index}: ${problem}`);
    playlistProblems(playlist).forEach(add);
    if (previous !== null) successionProblems(previous, playlist).forEach(add);
    for (const segment of playlist.segments) {
      const before = seen.get(segment.uri);
      if (before !== undefined && (before.sequence !== segment.sequence || before.map !== segment.map)) {
        add(`${segment.uri} is segment ${segment.sequence} but was segment ${before.sequence} before`);
      }
      seen.set(segment.uri, segment);
    }
    previous = playlist;
  });
  return problems;
}
