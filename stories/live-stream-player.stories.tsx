import { ErrorCode } from '@onair/protocol';
import { LiveStreamPlayer } from '@onair/react';
import { defaultMockVideos } from '@onair/react/mock';
import type { Decorator, Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { mockServer, mockStreamLoader, NEVER_MS, withMockStream } from './mock-stream';
import { waitForDataState } from './player-state';

// The live region repeats the overlay's sentence for screen readers; the assertions look at what is seen.
const OVERLAY = { selector: '.onair-player__message' };

const meta = {
  title: 'Components/LiveStreamPlayer',
  component: LiveStreamPlayer,
  decorators: [withMockStream],
  loaders: [mockStreamLoader()],
  args: { label: 'Live video', defaultShowStats: false, showQualityMenu: true },
  // The mock server speaks the WebSocket protocol only: the mode stays `ws` here (see Manual/Live server for HLS),
  // and `transport` is the deprecated old name of `transportMode`.
  argTypes: { transportMode: { control: false }, transport: { table: { disable: true } } },
  parameters: { layout: 'padded' },
  render: (args) => (
    <div style={{ maxWidth: 720 }}>
      <LiveStreamPlayer {...args} />
    </div>
  ),
} satisfies Meta<typeof LiveStreamPlayer>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The socket has not opened yet: spinner and "Connecting…". */
export const Connecting: Story = {
  loaders: [mockStreamLoader({ server: { openDelayMs: NEVER_MS } })],
  play: async ({ canvas }) => {
    const player = canvas.getByRole('region', { name: 'Live video' });
    await waitForDataState(player, 'connecting');
    await expect(canvas.getByText('Connecting…', OVERLAY)).toBeVisible();
  },
};

/** Frames flow from the in-memory server: the LIVE badge lights up and the transport shows as `mock`. */
export const Live: Story = {
  play: async ({ canvas }) => {
    const player = canvas.getByRole('region', { name: 'Live video' });
    await waitForDataState(player, 'live');
    await expect(player).toHaveAttribute('data-transport', 'mock');
    await expect(canvas.getByText('LIVE')).toHaveAttribute('data-live');
    await expect(canvas.getByRole('img', { name: 'Live video: Ocean' })).toBeVisible();
  },
};

/** The server holds frames back after the stream started: the buffer runs dry. */
export const Buffering: Story = {
  play: async (context) => {
    const player = context.canvas.getByRole('region', { name: 'Live video' });
    await waitForDataState(player, 'live');
    mockServer(context).setState('buffering');
    await waitForDataState(player, 'buffering');
    await expect(context.canvas.getByText('Buffering…', OVERLAY)).toBeVisible();
  },
};

/** The network drops and the server refuses new connections: the client retries with backoff. */
export const Reconnecting: Story = {
  play: async (context) => {
    const player = context.canvas.getByRole('region', { name: 'Live video' });
    await waitForDataState(player, 'live');
    const server = mockServer(context);
    server.refuseConnections(true);
    server.disconnect();
    await waitForDataState(player, 'reconnecting');
    await expect(context.canvas.getByText('Connection lost. Reconnecting…', OVERLAY)).toBeVisible();
  },
};

/** The server's channel fails: the message and a way to try again. */
export const ErrorState: Story = {
  name: 'Error',
  play: async (context) => {
    const player = context.canvas.getByRole('region', { name: 'Live video' });
    await waitForDataState(player, 'live');
    mockServer(context).sendError(ErrorCode.ChannelFailed, 'the decoder crashed');
    await waitForDataState(player, 'error');
    await expect(context.canvas.getByText('Error: the decoder crashed', OVERLAY)).toBeVisible();
    await expect(context.canvas.getByRole('button', { name: 'Try again' })).toBeEnabled();
  },
};

/**
 * The stream being watched ends (`stream-status`), and a moment later the catalog says its recording is ready:
 * the overlay says so and offers the replay; choosing it plays the replay.
 */
export const EndedWithReplay: Story = {
  name: 'Ended, replay offered',
  play: async (context) => {
    const player = context.canvas.getByRole('region', { name: 'Live video' });
    await waitForDataState(player, 'live');
    const server = mockServer(context);
    const videoId = 'ocean';
    server.push({ type: 'stream-status', videoId, status: 'ended' });
    await waitFor(() => expect(player).toHaveAttribute('data-off-air', 'ended'));
    await expect(context.canvas.getByText('This stream has ended', OVERLAY)).toBeVisible();
    const videos = defaultMockVideos().map((video) =>
      video.id === videoId
        ? {
            ...video,
            status: 'ended' as const,
            recording: { state: 'ready' as const, bytes: 1, durationSec: 60 },
          }
        : video,
    );
    server.push({ type: 'catalog', videos });
    await expect(await context.canvas.findByRole('button', { name: 'Watch the replay' })).toBeEnabled();
  },
};

/** The statistics readout, open from the start: fps, quality, buffer, latency, bitrate, drops, decode. */
export const StatsOpen: Story = {
  args: { defaultShowStats: true },
  play: async ({ canvas, userEvent }) => {
    const player = canvas.getByRole('region', { name: 'Live video' });
    await waitForDataState(player, 'live');
    await userEvent.click(canvas.getByRole('button', { name: 'Settings' }));
    await expect(canvas.getByRole('button', { name: 'Hide statistics' })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
    // Once frames are on screen the latency row holds a number of milliseconds, not the placeholder.
    const latency = player.querySelector('[data-stat="latency"] dd');
    await waitFor(() => expect(latency?.textContent).toMatch(/^\d+ ms$/), { timeout: 5_000 });
  },
};

/** The viewer picks a rung in the quality menu (in Settings): the client asks the server to lock it. */
export const LockedQuality: Story = {
  play: async (context) => {
    const { canvas, userEvent } = context;
    const player = canvas.getByRole('region', { name: 'Live video' });
    await waitForDataState(player, 'live');
    await userEvent.click(canvas.getByRole('button', { name: 'Settings' }));
    const menu = canvas.getByRole('combobox', { name: 'Quality' });
    await userEvent.selectOptions(menu, '240p');
    await waitFor(() =>
      expect(mockServer(context).messagesOfType('quality')).toContainEqual({ type: 'quality', rung: 0 }),
    );
    await waitFor(() => expect(menu).toHaveValue('0'));
  },
};

/** A phone's width (390 px, 16 px margins) around whatever the story renders. */
const phoneWidth: Decorator = (Story) => (
  <div style={{ width: 390, boxSizing: 'border-box', padding: 16 }}>
    <Story />
  </div>
);

/**
 * At a phone's width: the picture and the bar inside the 358 px box (issue 12: they were 437 px and the right
 * fifth was cut off), the slider gone, Settings holding quality and statistics.
 */
export const Phone: Story = {
  decorators: [phoneWidth],
  play: async ({ canvas, userEvent }) => {
    const player = canvas.getByRole('region', { name: 'Live video' });
    await waitForDataState(player, 'live');
    const box = player.getBoundingClientRect();
    await expect(box.width).toBeLessThanOrEqual(358);
    const picture = canvas.getByRole('img', { name: 'Live video: Ocean' });
    await expect(picture.getBoundingClientRect().width).toBeLessThanOrEqual(box.width);
    for (const name of ['Pause', 'Mute', 'Settings', 'Full screen']) {
      const control = canvas.getByRole('button', { name }).getBoundingClientRect();
      await expect(control.right).toBeLessThanOrEqual(box.right + 0.5);
    }
    await userEvent.click(canvas.getByRole('button', { name: 'Settings' }));
    await expect(canvas.getByRole('combobox', { name: 'Quality' })).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Show statistics' })).toBeVisible();
  },
};

/** The controls hide while the picture plays (here after 1 s) and come back when the pointer moves. */
export const ControlsHide: Story = {
  args: { controlsHideDelayMs: 1_000 },
  play: async ({ canvas }) => {
    const player = canvas.getByRole('region', { name: 'Live video' });
    await waitForDataState(player, 'live');
    await waitFor(() => expect(player).toHaveAttribute('data-controls', 'hidden'), { timeout: 5_000 });
    player.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, pointerType: 'mouse' }));
    await waitFor(() => expect(player).toHaveAttribute('data-controls', 'visible'));
  },
};
