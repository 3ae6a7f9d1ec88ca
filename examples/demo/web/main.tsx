import { LiveStreamPlayer, LiveStreamProvider, VideoSelector } from '@onair/react';
import '@onair/react/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './demo.css';

function DemoPage() {
  return (
    <LiveStreamProvider url="/live">
      <header className="demo-header">
        <h1>OnAir demo</h1>
        <p>Every viewer sees the same moment: open this page twice and compare the clocks.</p>
      </header>
      <main className="demo-layout">
        <VideoSelector />
        <LiveStreamPlayer />
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
