import {
  LiveStreamPlayer,
  LiveStreamProvider,
  Reactions,
  StreamChat,
  type TransportMode,
  VideoSelector,
} from '@onair/react';
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
        <Reactions />
        <VideoSelector />
        <StreamChat />
      </div>
    </LiveStreamProvider>
  );
}

/**
 * For manual checks against a running server (`npm start`, then open this story). The server's URL is the
 * story's `url` control: the Controls panel, or `&args=url:…` in the story's address; its first value is
 * `STORYBOOK_ONAIR_URL` when set (`STORYBOOK_ONAIR_URL=http://127.0.0.1:4000/live npm run storybook`), else the
 * demo's default. Left out of the story tests (`!test`): they run without a server, on the mock transport.
 */
const meta = {
  title: 'Manual/Live server',
  component: LiveServerPage,
  tags: ['!test'],
  args: {
    url:
      (import.meta as { env?: Record<string, string | undefined> }).env?.STORYBOOK_ONAIR_URL ??
      'http://127.0.0.1:3000/live',
    transportMode: 'ws',
  },
  argTypes: { url: { control: 'text' }, transportMode: { control: 'radio', options: ['ws', 'hls', 'auto'] } },
} satisfies Meta<typeof LiveServerPage>;

export default meta;

export const LiveServer: StoryObj<typeof meta> = {};
