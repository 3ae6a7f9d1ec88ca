import { StreamBroadcaster, type StreamBroadcasterProps } from '@onair/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, userEvent, waitFor } from 'storybook/test';
import { type BroadcastScript, installFakeCapture, mockBroadcastSession } from './mock-broadcast';
import { overflowsPhoneWidth, withPhoneWidth } from './phone-width';

// The camera page's panel without a server or a camera (`mock-broadcast.ts`): a canvas stands in for the camera,
// and a scripted socket answers as the server would.

/** The panel with a fresh mock session per render, following `script`. */
function ScriptedBroadcaster({ script, ...props }: StreamBroadcasterProps & { script: BroadcastScript }) {
  const [session] = useState(() => mockBroadcastSession(script));
  return <StreamBroadcaster {...props} session={session} />;
}

const meta = {
  title: 'Components/StreamBroadcaster',
  component: ScriptedBroadcaster,
  args: {
    url: '/live',
    streamId: 'morning-show',
    streamKey: 'story-key',
    script: { kind: 'live', viewers: 42, liveForMs: 65_000 },
  },
  beforeEach: () => installFakeCapture(),
} satisfies Meta<typeof ScriptedBroadcaster>;

export default meta;
type Story = StoryObj<typeof meta>;

// The mock answers at once, but the story tests share two cores with everything else.
const TIMEOUT_MS = 5_000;

async function showsStatus(root: HTMLElement, status: string, text: string): Promise<void> {
  const panel = root.querySelector('.onair-broadcaster') as HTMLElement;
  await waitFor(() => expect(panel).toHaveAttribute('data-status', status), { timeout: TIMEOUT_MS });
  await expect(panel.querySelector('[role="status"]')).toHaveTextContent(text);
}

/** Before anything: the camera is closed, the stream not live. */
export const Idle: Story = {
  play: async ({ canvas, canvasElement }) => {
    await showsStatus(canvasElement, 'idle', 'Not live');
    await expect(canvas.getByRole('button', { name: 'Go live' })).toBeEnabled();
    await expect(canvas.getByRole('button', { name: 'Preview' })).toBeEnabled();
  },
};

/** The camera open in the preview, not yet live; its devices listed by name. */
export const Previewing: Story = {
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Preview' }));
    await showsStatus(canvasElement, 'previewing', 'Preview');
    await waitFor(() => expect(canvas.getByRole('option', { name: 'Studio camera' })).toBeInTheDocument(), {
      timeout: TIMEOUT_MS,
    });
    await expect(canvas.getByRole('option', { name: 'Desk microphone' })).toBeInTheDocument();
  },
};

/** Live for a minute, with the viewer count and the elapsed time from the server's status. */
export const Live: Story = {
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Go live' }));
    await showsStatus(canvasElement, 'live', 'LIVE');
    await waitFor(() => expect(canvas.getByText('42 watching')).toBeInTheDocument(), { timeout: TIMEOUT_MS });
    await expect(canvasElement.querySelector('.onair-broadcaster-elapsed')).toHaveTextContent(/1:0\d$/);
    await expect(canvas.getByRole('button', { name: 'End' })).toBeEnabled();
  },
};

/** The socket dropped while live: the stream goes on while the page reconnects. */
export const Reconnecting: Story = {
  args: { script: { kind: 'drop', viewers: 7, liveForMs: 600_000 } },
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Go live' }));
    await showsStatus(canvasElement, 'reconnecting', 'Reconnecting…');
    await expect(canvas.getByRole('button', { name: 'End' })).toBeEnabled();
  },
};

/** The host ended the stream: it cannot go live again. */
export const Ended: Story = {
  args: { script: { kind: 'ended' } },
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Go live' }));
    await showsStatus(canvasElement, 'ended', 'Ended');
    await expect(canvas.getByRole('button', { name: 'Go live' })).toBeDisabled();
  },
};

/** A wrong key: the server's reason is shown as an alert. */
export const Refused: Story = {
  args: { script: { kind: 'refused' } },
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Go live' }));
    await showsStatus(canvasElement, 'error', 'Error');
    await expect(canvas.getByRole('alert')).toHaveTextContent('unknown stream or wrong stream key');
  },
};

/** Live on a phone: the whole panel fits the phone's width. */
export const Phone: Story = {
  decorators: [withPhoneWidth],
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Go live' }));
    await showsStatus(canvasElement, 'live', 'LIVE');
    const panel = canvasElement.querySelector('.onair-broadcaster') as HTMLElement;
    await expect(overflowsPhoneWidth(panel)).toBe(false);
  },
};
