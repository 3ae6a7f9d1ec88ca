import { spawn } from 'node:child_process';
import { findMediaTool } from '../../fixtures/media-tools';
import { type RawResponse, rawGet } from './http-get';

/** The numbers a rendition playlist lists, and its header values. */
export interface ListedPlaylist {
  mediaSequence: number;
  discontinuitySequence: number;
  numbers: number[];
  programDateTimes: number[];
  initUri: string | null;
}

export function readPlaylist(response: RawResponse): ListedPlaylist {
  const text = response.body.toString('utf8');
  const header = (tag: string) => Number(new RegExp(`^#${tag}:(\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return {
    mediaSequence: header('EXT-X-MEDIA-SEQUENCE'),
    discontinuitySequence: header('EXT-X-DISCONTINUITY-SEQUENCE'),
    numbers: [...text.matchAll(/^seg-(\d+)\.m4s$/gm)].map((match) => Number(match[1])),
    programDateTimes: [...text.matchAll(/^#EXT-X-PROGRAM-DATE-TIME:(.+)$/gm)].map((match) =>
      Date.parse(match[1] ?? ''),
    ),
    initUri: /^#EXT-X-MAP:URI="([^"]+)"$/m.exec(text)?.[1] ?? null,
  };
}

export async function fetchPlaylist(origin: string, path: string): Promise<ListedPlaylist> {
  const response = await rawGet(origin, path);
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${response.body.toString()}`);
  return readPlaylist(response);
}

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs ffmpeg or ffprobe (the same binaries the middleware finds) to the end, killed after `timeoutMs`. */
export function runMediaTool(
  tool: 'ffmpeg' | 'ffprobe',
  args: string[],
  timeoutMs: number,
): Promise<ToolRun> {
  const child = spawn(findMediaTool(tool), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
