import { CliFailure } from '../cli-error';

/** Where `onair serve` and the README mount OnAir when nothing else says. */
const WELL_KNOWN_MOUNT = '/live';
/** The tag the demo page (`onair serve`'s `/`) names its mount in. */
const MOUNT_META = /<meta\s+name="onair-url"\s+content="([^"]*)"/i;
const PROBE_TIMEOUT_MS = 5_000;

function withPath(url: URL, pathname: string): URL {
  const next = new URL(url.href);
  next.pathname = pathname;
  next.hash = '';
  return next;
}

const trimmed = (pathname: string) => pathname.replace(/\/+$/, '');

type Probe = 'mount' | 'not-a-mount' | 'unreachable';

/** `<mount>/videos` answers as only a mount does: the catalog, or a refusal of the host's `authorize` hook. */
async function probe(candidate: URL): Promise<Probe> {
  const catalog = withPath(candidate, `${trimmed(candidate.pathname)}/videos`);
  let response: Response;
  try {
    response = await fetch(catalog, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  } catch {
    return 'unreachable';
  }
  if (response.status === 401 || response.status === 403) return 'mount';
  if (!response.ok) return 'not-a-mount';
  const body: unknown = await response.json().catch(() => null);
  return Array.isArray(body) ? 'mount' : 'not-a-mount';
}

const isMount = async (candidate: URL) => (await probe(candidate)) === 'mount';

async function advertisedMount(page: URL): Promise<URL | undefined> {
  try {
    const response = await fetch(page, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (!response.ok || !response.headers.get('content-type')?.includes('html')) return undefined;
    const match = MOUNT_META.exec(await response.text());
    if (match?.[1] === undefined) return undefined;
    const advertised = new URL(match[1], page);
    advertised.search = page.search;
    return advertised;
  } catch {
    return undefined;
  }
}

/**
 * The OnAir mount behind `url`: the URL itself when it is one, else the mount the page at `url` advertises
 * (the `onair-url` tag of the demo page `onair serve` prints), else `/live` on the same server. An http(s) URL
 * is probed through `<mount>/videos`; a ws(s) URL is taken as given. Nothing found: a `CliFailure` that says
 * what was tried and what to pass instead.
 */
export async function findMount(url: URL): Promise<URL> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return url;
  // Unreachable: the WebSocket attempt that follows says why (refused, unknown host) better than a probe can.
  const given = await probe(url);
  if (given !== 'not-a-mount') return url;
  const advertised = await advertisedMount(url);
  if (advertised && (await isMount(advertised))) return advertised;
  const wellKnown = withPath(url, WELL_KNOWN_MOUNT);
  const atWellKnown = trimmed(url.pathname) === WELL_KNOWN_MOUNT;
  if (!atWellKnown && (await isMount(wellKnown))) return wellKnown;
  const tried = [`${withPath(url, `${trimmed(url.pathname)}/videos`).href} is not a catalog`];
  if (!atWellKnown) tried.push(`nor is ${wellKnown.href}/videos`);
  throw new CliFailure(
    `no OnAir mount at ${url.href}: ${tried.join(', ')}, and the page names none. Give the URL of the path the ` +
      `host app mounts liveStream() at (the path passed to app.use()): onair watch ${url.origin}/<mount path>`,
  );
}
