import {
  LiveStreamPlayer,
  LiveStreamProvider,
  Reactions,
  ReactionsOverlay,
  StreamChat,
  type TransportMode,
  VideoSelector,
  ViewerCount,
} from '@onair/react';
import '@onair/react/styles.css';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import './demo.css';

/**
 * `?transport=hls` (or `ws`, `auto`) opens the page on that transport, so a link (or a browser test timing the
 * first frame from navigation) needs no click; the player's Settings still switch afterwards.
 */
function initialTransportMode(): TransportMode {
  const asked = new URLSearchParams(location.search).get('transport');
  return asked === 'hls' || asked === 'auto' ? asked : 'ws';
}

/** The server that serves the page says where OnAir is mounted (`onair serve --mount`); the demo uses /live. */
function liveUrl(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="onair-url"]')?.content || '/live';
}

function DemoPage() {
  const [url] = useState(liveUrl);
  // The initial mode only: the player's own Settings menu switches transport (issue 12: no second picker).
  const [transportMode] = useState<TransportMode>(initialTransportMode);
  return (
    <LiveStreamProvider url={url}>
      <header className="demo-header">
        <h1>OnAir demo</h1>
        <p>Every viewer sees the same moment: open this page twice and compare the clocks.</p>
      </header>
      <main className="demo-layout">
        <VideoSelector />
        <div className="demo-stage">
          <LiveStreamPlayer transportMode={transportMode}>
            <ReactionsOverlay />
          </LiveStreamPlayer>
          <div className="demo-stage__bar">
            <ViewerCount />
            <Reactions />
          </div>
        </div>
        {/* No displayName: viewers choose theirs in the chat, kept across reloads (issue 12). */}
        <StreamChat className="demo-chat" />
      </main>
    </LiveStreamProvider>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html lost its #root element');
createRoot(root).render(
  <StrictMode>
    <DemoPage />
  </StrictMode>,
);
