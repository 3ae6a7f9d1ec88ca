import { ViewerCount } from '@onair/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { mockServer, NEVER_MS, onMockServer } from './mock-stream';
import { atPhoneWidth, overflowsPhoneWidth } from './phone-width';
import { waitForDataState } from './player-state';

const meta = {
  title: 'Components/ViewerCount',
  component: ViewerCount,
  args: { locale: 'en-US' },
} satisfies Meta<typeof ViewerCount>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Before the server reports a count. */
export const Waiting: Story = {
  ...onMockServer({ server: { openDelayMs: NEVER_MS } }),
  play: async ({ canvas }) => {
    const count = canvas.getByRole('status');
    await waitForDataState(count, 'unknown');
    await expect(count).toHaveAccessibleName('Viewer count not available yet');
  },
};

/** Just you: the label says "person", not "people". */
export const Small: Story = {
  ...onMockServer({ server: { room: { viewers: 1 } } }),
  play: async ({ canvas }) => {
    const count = canvas.getByRole('status');
    await waitForDataState(count, 'counted');
    await expect(count).toHaveAccessibleName('1 person watching');
  },
};

/** A crowd, formatted for the locale, and the count follows what the server reports. */
export const Crowded: Story = {
  ...onMockServer({ server: { room: { viewers: 1_234_567 } } }),
  play: async (context) => {
    const count = context.canvas.getByRole('status');
    await waitForDataState(count, 'counted');
    await expect(count).toHaveAccessibleName('1,234,567 people watching');
    await expect(count).toHaveTextContent('1,234,567 watching');
    mockServer(context).setViewers(1_250_000);
    await waitFor(() => expect(count).toHaveAttribute('data-count', '1250000'));
  },
};

/** A phone: a big count still fits on one line in the phone's width. */
export const Phone: Story = {
  ...atPhoneWidth(onMockServer({ server: { room: { viewers: 1_234_567 } } })),
  play: async ({ canvas }) => {
    const count = canvas.getByRole('status');
    await waitForDataState(count, 'counted');
    await expect(overflowsPhoneWidth(count)).toBe(false);
  },
};
