import {
  LiveStreamPlayer,
  Reactions,
  ReactionsOverlay,
  StreamChat,
  VideoSelector,
  ViewerCount,
} from '@onair/react';
import type { Decorator, Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { busyChatHistory } from './chat-history';
import { mockServer, onMockServer } from './mock-stream';
import { waitForDataState } from './player-state';
import './watch-page.css';

/** The whole kit on one page, the way an app composes it: one provider, every component inside. */
function WatchPageLayout() {
  return (
    <div className="watch-page">
      <header className="watch-page__header">
        <h1>OnAir</h1>
        <p>Every viewer sees the same moment.</p>
        <ViewerCount />
      </header>
      <main className="watch-page__layout">
        <VideoSelector label="Channels" />
        <div className="watch-page__stage">
          <LiveStreamPlayer>
            <ReactionsOverlay />
          </LiveStreamPlayer>
          <Reactions />
        </div>
        <StreamChat displayName="You" />
      </main>
    </div>
  );
}

const meta = {
  title: 'Pages/Watch page',
  component: WatchPageLayout,
  parameters: { layout: 'fullscreen' },
  ...onMockServer({
    server: { latencyMs: 20, room: { history: busyChatHistory(15), pinnedId: 'h1', viewers: 2_481 } },
  }),
} satisfies Meta<typeof WatchPageLayout>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Picking a channel switches the picture and the chat room with it (each video has its own room). */
export const WatchPage: Story = {
  play: async (context) => {
    const { canvas, userEvent } = context;
    const player = canvas.getByRole('region', { name: 'Live video' });
    await waitForDataState(player, 'live');
    await userEvent.click(canvas.getByRole('option', { name: /Forest camera/ }));
    await waitFor(
      () => expect(canvas.getByRole('img', { name: 'Live video: Forest camera' })).toBeVisible(),
      {
        timeout: 5_000,
      },
    );
    await waitForDataState(player, 'live');
    const log = canvas.getByRole('log', { name: 'Chat messages' });
    await userEvent.type(canvas.getByRole('textbox', { name: 'Chat message' }), 'Hi from the forest{Enter}');
    await waitFor(() =>
      expect(within(log).getByText('Hi from the forest').closest('li')).toHaveAttribute(
        'data-status',
        'sent',
      ),
    );
    const rooms = mockServer(context);
    await expect(rooms.chatHistory('forest-cam').map((message) => message.text)).toContain(
      'Hi from the forest',
    );
    await expect(rooms.chatHistory('ocean').map((message) => message.text)).not.toContain(
      'Hi from the forest',
    );
  },
};

/** A fixed-width box around the page: the page is a CSS container, so it lays out by this width. */
const width =
  (pixels: number): Decorator =>
  (Story) => (
    <div style={{ width: pixels }}>
      <Story />
    </div>
  );

/** The player's box and what it holds: nothing wider than the box, the settings button inside it. */
async function expectPlayerFits(player: HTMLElement, minWidth: number) {
  const box = player.getBoundingClientRect();
  await expect(box.width).toBeGreaterThanOrEqual(minWidth);
  const picture = player.querySelector('.onair-player__canvas') as HTMLElement;
  await expect(picture.getBoundingClientRect().width).toBeLessThanOrEqual(box.width);
  const settings = player.querySelector('[data-control="settings"]') as HTMLElement;
  await expect(settings.getBoundingClientRect().right).toBeLessThanOrEqual(box.right + 0.5);
}

/**
 * A 1000 px window (issue 12: the three columns left the player 456 px, its quality menu cut to "Au"): the chat
 * goes under the player, which takes the rest of the width beside the channels.
 */
export const At1000px: Story = {
  name: 'At 1000 px',
  decorators: [width(1000)],
  play: async ({ canvas }) => {
    const player = canvas.getByRole('region', { name: 'Live video' });
    await waitForDataState(player, 'live');
    await expectPlayerFits(player, 600);
    const chat = canvas.getByRole('log', { name: 'Chat messages' });
    await expect(chat.getBoundingClientRect().top).toBeGreaterThan(player.getBoundingClientRect().bottom);
  },
};

/** A phone (390 px): one column, the player first, then the chat, then the channels. */
export const Phone: Story = {
  decorators: [width(390)],
  play: async ({ canvas }) => {
    const player = canvas.getByRole('region', { name: 'Live video' });
    await waitForDataState(player, 'live');
    await expectPlayerFits(player, 300);
    const chat = canvas.getByRole('log', { name: 'Chat messages' });
    const channels = canvas.getByRole('listbox', { name: 'Channels' });
    await expect(chat.getBoundingClientRect().top).toBeGreaterThan(player.getBoundingClientRect().bottom);
    await expect(channels.getBoundingClientRect().top).toBeGreaterThan(chat.getBoundingClientRect().top);
  },
};
