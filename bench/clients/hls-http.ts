import { request } from 'node:http';

export interface HlsResponse {
  status: number;
  body: Buffer;
  /** `performance.now()` when the last byte arrived. */
  doneAt: number;
  /** Request start to last byte, ms. */
  ms: number;
}

/** A GET on a fresh connection, timed from the call to the last byte. */
export function hlsGet(url: string): Promise<HlsResponse> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const doneAt = performance.now();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), doneAt, ms: doneAt - started });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export interface ListedSegment {
  number: number;
  uri: string;
  durationMs: number;
  /** Unix ms of the segment's start on the live timeline (EXT-X-PROGRAM-DATE-TIME). */
  programDateTime: number;
}

export function listedSegments(playlist: string): ListedSegment[] {
  const segments: ListedSegment[] = [];
  let programDateTime = Number.NaN;
  let durationMs = Number.NaN;
  for (const line of playlist.split('\n')) {
    if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) programDateTime = Date.parse(line.slice(25));
    else if (line.startsWith('#EXTINF:')) durationMs = Number.parseFloat(line.slice(8)) * 1000;
    else if (/^seg-\d+\.m4s$/.test(line)) {
      segments.push({ number: Number(line.slice(4, -4)), uri: line, durationMs, programDateTime });
    }
  }
  return segments;
}

/** Rendition playlist paths of a master playlist, lowest first as the server lists them. */
export function renditionPaths(master: string): string[] {
  return master.split('\n').filter((line) => line.endsWith('/index.m3u8'));
}
