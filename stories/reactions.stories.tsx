import { LiveStreamPlayer, Reactions, ReactionsOverlay } from '@onair/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { mockServer, onMockServer } from './mock-stream';
import { atPhoneWidth, overflowsPhoneWidth } from './phone-width';
import { waitForDataState } from './player-state';

const meta = {
  title: 'Components/Reactions',
  component: Reactions,
  args: { label: 'Reactions', showCounts: false },
  // The picker beside a player with the overlay inside it, where the emoji float.
  render: (args) => (
    <div style={{ display: 'grid', gap: '0.75rem', maxWidth: 640 }}>
      <LiveStreamPlayer>
        <ReactionsOverlay />
      </LiveStreamPlayer>
      <Reactions {...args} />
    </div>
  ),
} satisfies Meta<typeof Reactions>;

export default meta;
type Story = StoryObj<typeof meta>;

function pickerRoot(canvasElement: HTMLElement): HTMLElement {
  const root = canvasElement.querySelector<HTMLElement>('.onair-reactions');
  if (!root) throw new Error('the picker did not render its root');
  return root;
}

/** One labelled button per emoji the server accepts; a press sends the reaction and floats it at once. */
export const Picker: Story = {
  ...onMockServer(),
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    await waitForDataState(pickerRoot(canvasElement), 'ready');
    await userEvent.click(canvas.getByRole('button', { name: 'React with heart' }));
    await waitFor(() => expect(mockServer(context).messagesOfType('reaction')).toHaveLength(1));
    await expect(mockServer(context).messagesOfType('reaction')[0]).toMatchObject({ emoji: '❤️' });
    const overlay = canvasElement.querySelector('.onair-reactions-overlay');
    await expect(overlay?.querySelector('[data-own]')).toHaveTextContent('❤️');
  },
};

/**
 * A crowd reacting: hundreds per batch arrive as counts plus a few samples, so the overlay stays bounded
 * however many people press.
 */
export const ManyReactions: Story = {
  ...onMockServer(),
  args: { showCounts: true },
  play: async (context) => {
    const { canvas, canvasElement } = context;
    await waitForDataState(pickerRoot(canvasElement), 'ready');
    await waitForDataState(canvas.getByRole('region', { name: 'Live video' }), 'live');
    const server = mockServer(context);
    server.react('🔥', 400);
    server.react('❤️', 250);
    server.react('👏', 120);
    // A visible count is part of the button's name (label in name).
    await waitFor(() => expect(canvas.getByRole('button', { name: 'React with fire 400' })).toBeTruthy());
    await expect(canvas.getByRole('button', { name: 'React with heart 250' })).toHaveTextContent('250');
    const overlay = canvasElement.querySelector<HTMLElement>('.onair-reactions-overlay');
    await waitFor(() => expect(Number(overlay?.dataset.count)).toBeGreaterThan(0));
    await expect(Number(overlay?.dataset.count)).toBeLessThanOrEqual(30);
  },
};

/**
 * A burst over the server's limit (here 3, then hardly any): the excess is dropped, and the refusal shows by
 * the buttons that caused it, not in the chat.
 */
export const BurstOverLimit: Story = {
  name: 'Burst over the rate limit',
  ...onMockServer({ server: { room: { reactionLimit: { burst: 3, perSecond: 0.01 } } } }),
  args: { noticeMs: 60_000 },
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    const root = pickerRoot(canvasElement);
    await waitForDataState(root, 'ready');
    const fire = canvas.getByRole('button', { name: 'React with fire' });
    for (let i = 0; i < 5; i++) await userEvent.click(fire);
    await waitFor(() => expect(root).toHaveAttribute('data-notice'));
    await expect(root.querySelector('[role="status"]')).toHaveTextContent(
      'Too many reactions; some were dropped.',
    );
  },
};

/** A phone: the buttons share the width in one row, the notice under them. */
export const Phone: Story = {
  ...atPhoneWidth(onMockServer()),
  play: async ({ canvasElement }) => {
    const root = pickerRoot(canvasElement);
    await waitForDataState(root, 'ready');
    await waitFor(() => expect(root).toHaveAttribute('data-layout', 'narrow'));
    await expect(overflowsPhoneWidth(root)).toBe(false);
  },
};
