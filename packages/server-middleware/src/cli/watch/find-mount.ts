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

/** `<mount>/videos` answers as only a mount does: the catalog, or a refusal of the host's `authorize` hook. */
async function isMount(candidate: URL): Promise<boolean> {
  const catalog = withPath(candidate, `${trimmed(candidate.pathname)}/videos`);
  try {
    const response = await fetch(catalog, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (response.status === 401 || response.status === 403) return true;
    if (!response.ok) return false;
    return Array.isArray(await response.json());
  } catch {
    return false;
  }
}

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
  if (await isMount(url)) return url;
  const advertised = await advertisedMount(url);
  if (advertised && (await isMount(advertised))) return advertised;
  const wellKnown = withPath(url, WELL_KNOWN_MOUNT);
  if (trimmed(url.pathname) !== WELL_KNOWN_MOUNT && (await isMount(wellKnown))) return wellKnown;
  const tried = withPath(url, `${trimmed(url.pathname)}/videos`);
  throw new CliFailure(
    `no OnAir mount at ${url.href}: ${tried.href} is not a catalog, and neither the page nor ${wellKnown.origin}${WELL_KNOWN_MOUNT} ` +
      'names one. Give the URL of the path the host app mounts liveStream() at, e.g. ' +
      `onair watch ${wellKnown.origin}/<mount path> (the path passed to app.use()).`,
  );
}
