import { buildVitePage } from '../../test/e2e/vite-page';

const PAGE_HTML = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Broadcast bench</title></head>
  <body><main id="root"></main><script type="module" src="./main.tsx"></script></body>
</html>`;

/**
 * `?mode=broadcast&id=…&key=…&size=1280x720`: our `<StreamBroadcaster>` at that size (default) and 30 fps, whose
 * capture is the picture clock
 * (`window.__onairClockStream`, from `CLOCK_STREAM_SCRIPT` added as an init script) instead of the camera.
 * `?id=…`: our `<LiveStreamPlayer>` on that stream over WebSocket, its stats readout open.
 */
const PAGE_SCRIPT = `
import { createRoot } from 'react-dom/client';
import { LiveStreamPlayer, LiveStreamProvider, StreamBroadcaster } from '@onair/react';
import '@onair/react/styles.css';
const query = new URLSearchParams(location.search);
const root = createRoot(document.getElementById('root'));
const [width, height] = (query.get('size') ?? '1280x720').split('x').map(Number);
const clock = () => Promise.resolve(window.__onairClockStream(30, width, height));
if (query.get('mode') === 'broadcast') {
  root.render(
    <StreamBroadcaster url="/live" streamId={query.get('id')} streamKey={query.get('key')}
      width={width} height={height} frameRate={30} capture={clock} />,
  );
} else {
  root.render(
    <LiveStreamProvider url="/live" initialVideoId={query.get('id')}>
      <LiveStreamPlayer defaultShowStats />
    </LiveStreamProvider>,
  );
}
`;

/** Builds the broadcast bench page (Vite, from the packages' sources); returns its folder. */
export const buildBroadcastPage = (): Promise<string> =>
  buildVitePage('bench-broadcast-page', PAGE_HTML, PAGE_SCRIPT);
