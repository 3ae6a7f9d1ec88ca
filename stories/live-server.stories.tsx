import { LiveStreamPlayer, LiveStreamProvider, type TransportMode, VideoSelector } from '@onair/react';
import type { Meta, StoryObj } from '@storybook/react-vite';

interface LiveServerPageProps {
  /** Where a real OnAir server is mounted, e.g. the demo of `npm start`. */
  url: string;
  /** HLS needs a server started with it (`npm start -- --hls`). */
  transportMode: TransportMode;
}

function LiveServerPage({ url, transportMode }: LiveServerPageProps) {
  return (
    <LiveStreamProvider url={url}>
      <div style={{ display: 'grid', gap: '1rem', maxWidth: 720 }}>
        <LiveStreamPlayer transportMode={transportMode} defaultShowStats />
        <VideoSelector />
      </div>
    </LiveStreamProvider>
  );
}

/**
 * For manual checks against a running server (`npm start`, then open this story). Left out of the story
 * tests (`!test`): they run without a server, on the mock transport.
 */
const meta = {
  title: 'Manual/Live server',
  component: LiveServerPage,
  tags: ['!test'],
  args: { url: 'http://127.0.0.1:3000/live', transportMode: 'ws' },
  argTypes: { url: { control: 'text' }, transportMode: { control: 'radio', options: ['ws', 'hls', 'auto'] } },
} satisfies Meta<typeof LiveServerPage>;

export default meta;

export const LiveServer: StoryObj<typeof meta> = {};
