import { type VideoInfo, VideoInfoSchema } from '@onair/protocol';

/**
 * `GET <url>/videos`: the catalog over HTTP, for when the socket cannot give it (not connected yet, or the
 * connection is down). Every entry goes through the protocol's own schema, via its Standard Schema interface,
 * so the HTTP path trusts the server's JSON no more than the socket path does.
 */
export async function fetchCatalog(fetchImpl: typeof fetch, url: string): Promise<VideoInfo[]> {
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { accept: 'application/json' } });
  } catch {
    // fetch rejects with a bare "Failed to fetch" for both: the Fetch standard hides which it was from the page.
    throw new Error(
      `GET ${url} failed: the browser blocked the request or the network failed ` +
        '(a server on another origin must allow this page with CORS headers)',
    );
  }
  if (!response.ok) {
    const reason = await serverReason(response);
    throw new Error(`GET ${url} answered ${response.status}${reason ? `: ${reason}` : ''}`);
  }
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

/** The `message` of the server's JSON error body (`{ error: { code, message } }`), if there is one. */
async function serverReason(response: Response): Promise<string | null> {
  try {
    const message = ((await response.json()) as { error?: { message?: unknown } }).error?.message;
    return typeof message === 'string' && message !== '' ? message : null;
  } catch {
    return null;
  }
}

function describeIssues(result: unknown): string {
  const issues = (result as { issues?: readonly { message: string }[] }).issues;
  return issues?.[0]?.message ?? 'invalid';
}
