import { type VideoInfo, VideoInfoSchema } from '@onair/protocol';

/**
 * `GET <url>/videos`: the catalog over HTTP, for when the socket cannot give it (not connected yet, or the
 * connection is down). Every entry goes through the protocol's own schema, via its Standard Schema interface,
 * so the HTTP path trusts the server's JSON no more than the socket path does.
 */
export async function fetchCatalog(fetchImpl: typeof fetch, url: string): Promise<VideoInfo[]> {
  const response = await fetchImpl(url, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  const body: unknown = await response.json();
  if (!Array.isArray(body)) throw new Error(`GET ${url} did not return a list of videos`);
  return body.map((entry, index) => {
    const result = VideoInfoSchema['~standard'].validate(entry);
    if (result instanceof Promise || result.issues) {
      throw new Error(`GET ${url}: entry ${index} is not a video (${describeIssues(result)})`);
    }
    return result.value;
  });
}

function describeIssues(result: unknown): string {
  const issues = (result as { issues?: readonly { message: string }[] }).issues;
  return issues?.[0]?.message ?? 'invalid';
}
