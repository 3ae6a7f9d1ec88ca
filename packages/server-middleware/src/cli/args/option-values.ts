import { VIDEO_ID_PATTERN } from '@onair/protocol';
import { UsageError } from '../cli-error';
import type { CommandName } from './help-text';

/** An integer from the command line: digits only, so `3e3`, `0x10`, `12abc` and `''` are refused. */
function parseInteger(command: CommandName, flag: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got "${text}"`, command);
  }
  return value;
}

/** `--max-fps`: the bounds of `liveStream`'s `maxFps`, fractions allowed (29.97). */
export function parseMaxFps(text: string): number {
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 1 && value <= 120)) {
    throw new UsageError(`--max-fps must be a number from 1 to 120, got "${text}"`, 'serve');
  }
  return value;
}

/** `--max-height`: the bounds of `liveStream`'s `maxHeight`. */
export function parseMaxHeight(text: string): number {
  return parseInteger('serve', '--max-height', text, 16, 4320);
}

/** `--id`: what `liveStream` accepts as a video id. */
export function parseServeId(text: string): string {
  if (!VIDEO_ID_PATTERN.test(text)) {
    throw new UsageError(
      `--id must be a video id (letters, digits, "-" and "_", up to 128), got "${text}"`,
      'serve',
    );
  }
  return text;
}

export function parsePort(text: string): number {
  return parseInteger('serve', '--port', text, 0, 65_535);
}

/** A day at most: longer runs leave `--seconds` out and stop with Ctrl-C. */
export function parseSeconds(text: string): number {
  return parseInteger('watch', '--seconds', text, 1, 86_400);
}

const MOUNT_SEGMENT = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/;

/**
 * A literal path of plain segments (the middleware wants no route parameters, and the page embeds it): a
 * trailing slash is dropped, `/` alone is refused because the page itself lives at the root.
 */
export function parseMount(text: string): string {
  const mount = text.replace(/\/+$/, '');
  const segments = mount.split('/').slice(1);
  if (!mount.startsWith('/') || segments.length === 0 || !segments.every((s) => MOUNT_SEGMENT.test(s))) {
    throw new UsageError(
      `--mount must be a path like /live (letters, digits, "-", "_", "~", "." in each segment; not "/"), got "${text}"`,
      'serve',
    );
  }
  return mount;
}

export function parseHost(text: string): string {
  if (text.trim() === '' || /\s/.test(text)) {
    throw new UsageError(`--host must be an address like 127.0.0.1 or 0.0.0.0, got "${text}"`, 'serve');
  }
  return text;
}

export function parseVideoId(text: string): string {
  if (!VIDEO_ID_PATTERN.test(text)) {
    throw new UsageError(
      `--video must be a video id (letters, digits, "-" and "_", up to 128), got "${text}"`,
      'watch',
    );
  }
  return text;
}

/** The mount URL as given (http, https, ws or wss), without a trailing slash. */
export function parseMountUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `<url> must be an absolute URL like http://127.0.0.1:3000/live, got "${text}"`,
      'watch',
    );
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
    throw new UsageError(`<url> must use http, https, ws or wss, got "${url.protocol}"`, 'watch');
  }
  return url;
}
