import { basename, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VIDEO_ID_PATTERN } from '@onair/protocol';
import type { LiveFeed } from './live-feed';
import { isValidVideoId, slugifyVideoId } from './video-id';

/** A video as the host lists it: a file path, or an object for anything ffmpeg reads. */
export type VideoInput = string | VideoInputObject;

export interface VideoInputObject {
  /** Stable id used in URLs and messages (`VIDEO_ID_PATTERN`). Default: slug of the file name or input. */
  id?: string;
  /** Shown in pickers. Default: the file name without its extension, else the id. */
  title?: string;
  /**
   * What ffmpeg reads: a file path (looped on the epoch timeline), a URL (`rtsp://`, `srt://`, `http://`), a
   * device, or a filter graph with `format: 'lavfi'` (e.g. `testsrc2=size=640x360:rate=30`).
   */
  input: string;
  /** ffmpeg input format (`-f`), e.g. `'lavfi'` or `'v4l2'`. Omit for files and URLs. */
  format?: string;
  /** Extra ffmpeg input options placed before `-i`, e.g. `['-rtsp_transport', 'tcp']`. */
  inputOptions?: readonly string[];
}

/**
 * - `file`: a local file, probed at start-up, seeked to the epoch position and looped, paced to real time.
 * - `generated`: a lavfi graph, endless, paced to real time (ffmpeg would otherwise render it flat out).
 * - `live`: a URL or device that already runs at real time; probed in the background, neither looped nor paced.
 * - `broadcast`: a stream pushed to the server (browser, OBS), read from a `LiveFeed` on ffmpeg's stdin; live too.
 */
export type SourceKind = 'file' | 'generated' | 'live' | 'broadcast';

/** Inputs that arrive at real time by themselves: never looped, never paced, never restarted to shed load. */
export function isRealTime(kind: SourceKind): boolean {
  return kind === 'live' || kind === 'broadcast';
}

export interface VideoSource {
  id: string;
  title: string;
  /** Absolute path for files; otherwise the input as given. */
  input: string;
  format: string | null;
  inputOptions: readonly string[];
  kind: SourceKind;
  /** How error messages name this video: `videos[1] ("clips/b.mkv")`. */
  label: string;
  /** What a `broadcast` reads (its `input` is then `pipe:0` and its `format` the feed's container). */
  feed?: LiveFeed;
}

/** A broadcast as a channel source: ffmpeg reads the feed's container on stdin. */
export function broadcastSource(broadcast: { id: string; title: string; feed: LiveFeed }): VideoSource {
  const { id, title, feed } = broadcast;
  if (!isValidVideoId(id)) throw new TypeError(`broadcastSource: id must match ${String(VIDEO_ID_PATTERN)}`);
  return {
    id,
    title,
    input: 'pipe:0',
    format: feed.container,
    inputOptions: Object.freeze([]),
    kind: 'broadcast',
    label: `broadcast "${id}"`,
    feed,
  };
}

const URL_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;

function classify(input: string, format: string | null): { kind: SourceKind; input: string } {
  if (format === 'lavfi') return { kind: 'generated', input };
  if (format !== null) return { kind: 'live', input };
  const scheme = URL_SCHEME.exec(input)?.[1]?.toLowerCase();
  if (scheme === 'file') return { kind: 'file', input: fileURLToPath(input) };
  // A one-letter "scheme" is a Windows drive (C:\videos\a.mp4), not a URL.
  if (scheme !== undefined && scheme.length > 1) return { kind: 'live', input };
  return { kind: 'file', input: resolve(input) };
}

function defaultId(kind: SourceKind, input: string): string {
  if (kind === 'file') return slugifyVideoId(basename(input, extname(input)));
  return slugifyVideoId(input.replace(/^[A-Za-z][A-Za-z0-9+.-]+:\/\//, ''));
}

/**
 * Checks one video input and fills in its id and title; `where` names it in errors (`videos[1]`, `streams.create`).
 * Throws a `TypeError` naming what is wrong.
 */
export function normalizeVideoInput(entry: unknown, where: string): VideoSource {
  if (typeof entry !== 'string' && (typeof entry !== 'object' || entry === null)) {
    throw new TypeError(
      `liveStream: ${where} must be a path or an object with an "input", got ${String(entry)}`,
    );
  }
  const object: Partial<VideoInputObject> = typeof entry === 'string' ? { input: entry } : entry;
  if (typeof object.input !== 'string' || object.input.trim() === '') {
    throw new TypeError(`liveStream: ${where}.input must be a non-empty string`);
  }
  if (
    object.format !== undefined &&
    (typeof object.format !== 'string' || !/^[A-Za-z0-9_,-]+$/.test(object.format))
  ) {
    throw new TypeError(`liveStream: ${where}.format must be an ffmpeg format name such as "lavfi"`);
  }
  if (
    object.inputOptions !== undefined &&
    (!Array.isArray(object.inputOptions) || object.inputOptions.some((option) => typeof option !== 'string'))
  ) {
    throw new TypeError(`liveStream: ${where}.inputOptions must be an array of strings`);
  }
  if (object.id !== undefined && !isValidVideoId(object.id)) {
    throw new TypeError(`liveStream: ${where}.id must match ${String(VIDEO_ID_PATTERN)}`);
  }
  if (object.title !== undefined && (typeof object.title !== 'string' || object.title.length > 500)) {
    throw new TypeError(`liveStream: ${where}.title must be a string of at most 500 characters`);
  }

  const format = object.format ?? null;
  const { kind, input } = classify(object.input, format);
  const id = object.id ?? defaultId(kind, input);
  const title = object.title ?? (kind === 'file' ? basename(input, extname(input)) : id);
  return {
    id,
    title,
    input,
    format,
    inputOptions: Object.freeze([...(object.inputOptions ?? [])]),
    kind,
    label: `${where} (${JSON.stringify(object.input)})`,
  };
}

/** Checks the host's list and gives every video a unique id. Throws at start-up, never later. */
export function normalizeVideoInputs(videos: unknown): VideoSource[] {
  if (!Array.isArray(videos) || videos.length === 0) {
    throw new TypeError('liveStream: videos must be a non-empty array of paths or { input } objects');
  }
  const sources = videos.map((entry, index) => normalizeVideoInput(entry, `videos[${index}]`));
  const seen = new Map<string, number>();
  sources.forEach((source, index) => {
    const first = seen.get(source.id);
    if (first !== undefined) {
      throw new Error(
        `liveStream: videos[${first}] and videos[${index}] both have the id "${source.id}"; give one an explicit id`,
      );
    }
    seen.set(source.id, index);
  });
  return sources;
}
