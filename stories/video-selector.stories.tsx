import { LiveStreamClient, VideoSelector } from '@onair/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, waitFor } from 'storybook/test';
import { mockServer, NEVER_MS, onMockServer } from './mock-stream';
import { atPhoneWidth, overflowsPhoneWidth } from './phone-width';
import { waitForDataState } from './player-state';

const meta = {
  title: 'Components/VideoSelector',
  component: VideoSelector,
  args: { label: 'Videos', emptyMessage: 'No videos', onSelect: fn() },
  render: (args) => (
    <div style={{ maxWidth: 640 }}>
      <VideoSelector {...args} />
    </div>
  ),
} satisfies Meta<typeof VideoSelector>;

export default meta;
type Story = StoryObj<typeof meta>;

function selectorRoot(canvasElement: HTMLElement): HTMLElement {
  const root = canvasElement.querySelector<HTMLElement>('.onair-selector');
  if (!root) throw new Error('the selector did not render its root');
  return root;
}

/** The socket has not opened, so the catalog has not arrived. */
export const Loading: Story = {
  ...onMockServer({ server: { openDelayMs: NEVER_MS } }),
  play: async ({ canvas, canvasElement }) => {
    await waitForDataState(selectorRoot(canvasElement), 'loading');
    await expect(canvas.getByRole('status')).toHaveTextContent('Loading videos…');
  },
};

/** The mock's catalog: three channels, each live (a loop on the server's clock), so each says "LIVE". */
export const List: Story = {
  ...onMockServer(),
  play: async ({ canvas, canvasElement }) => {
    await waitForDataState(selectorRoot(canvasElement), 'ready');
    const options = canvas.getAllByRole('option');
    await expect(options.map((option) => option.dataset.videoId)).toEqual(['ocean', 'sunset', 'forest-cam']);
    // Roving focus: exactly one option is in the tab order.
    await expect(options.filter((option) => option.tabIndex === 0)).toHaveLength(1);
    await expect(options.map((option) => option.querySelector('.onair-selector__live')?.textContent)).toEqual(
      ['LIVE', 'LIVE', 'LIVE'],
    );
  },
};

/** A server with nothing to show. */
export const Empty: Story = {
  ...onMockServer({ server: { videos: [] } }),
  args: { emptyMessage: 'Nothing on air right now' },
  play: async ({ canvas, canvasElement }) => {
    await waitForDataState(selectorRoot(canvasElement), 'empty');
    await expect(canvas.getByRole('status')).toHaveTextContent('Nothing on air right now');
  },
};

/**
 * No socket and the HTTP fallback (`GET <url>/videos`) fails. The selector gets its own client here, the
 * explicit-client form of every hook, so the story controls that client's `fetch`.
 */
export const ErrorState: Story = {
  name: 'Error',
  loaders: [
    () => ({
      client: new LiveStreamClient({
        url: '/live',
        fetch: () => Promise.resolve(new Response('unavailable', { status: 503 })),
      }),
    }),
  ],
  render: (args, { loaded }) => (
    <div style={{ maxWidth: 640 }}>
      <VideoSelector {...args} client={loaded.client as LiveStreamClient} />
    </div>
  ),
  play: async ({ canvas, canvasElement }) => {
    await waitForDataState(selectorRoot(canvasElement), 'error');
    await expect(canvas.getByRole('status')).toHaveTextContent(
      /^Could not load videos: GET \S*\/live\/videos answered 503$/,
    );
  },
};

/** Picking a video marks it (`data-selected`, `aria-selected`) and tells the server. */
export const Selected: Story = {
  ...onMockServer(),
  play: async (context) => {
    const { args, canvas, canvasElement, userEvent } = context;
    await waitForDataState(selectorRoot(canvasElement), 'ready');
    const sunset = canvas.getByRole('option', { name: /Sunset/ });
    await userEvent.click(sunset);
    await expect(sunset).toHaveAttribute('data-selected');
    await expect(sunset).toHaveAttribute('aria-selected', 'true');
    await expect(canvas.getByRole('option', { name: /Ocean/ })).not.toHaveAttribute('data-selected');
    await expect(args.onSelect).toHaveBeenCalledWith(expect.objectContaining({ id: 'sunset' }));
    await waitFor(() =>
      expect(mockServer(context).messagesOfType('select').at(-1)).toMatchObject({ videoId: 'sunset' }),
    );
  },
};

/**
 * Focus and selection look different: the selected card has an accent border and "✓ Playing"; the focused one
 * a ring in the text colour outside it, with a gap. Here "Sunset" plays and focus is on "Forest camera".
 */
export const SelectedAndFocused: Story = {
  name: 'Selected and focused',
  ...onMockServer({ provider: { initialVideoId: 'sunset' } }),
  play: async ({ canvas, canvasElement, userEvent }) => {
    await waitForDataState(selectorRoot(canvasElement), 'ready');
    const sunset = canvas.getByRole('option', { name: /Sunset/ });
    await waitFor(() => expect(sunset).toHaveAttribute('aria-selected', 'true'));
    await userEvent.tab();
    await userEvent.keyboard('{ArrowDown}');
    const forest = canvas.getByRole('option', { name: /Forest camera/ });
    await expect(document.activeElement).toBe(forest);
    const focused = getComputedStyle(forest);
    const selected = getComputedStyle(sunset);
    await expect(focused.outlineStyle).toBe('solid');
    await expect(selected.outlineStyle).toBe('none');
    await expect(selected.borderTopColor).not.toBe(focused.borderTopColor);
    await expect(sunset.querySelector('.onair-selector__playing')).toHaveTextContent('Playing');
  },
};

/** A phone: one column of rows, thumbnail first, nothing wider than the screen. */
export const Phone: Story = {
  ...atPhoneWidth(onMockServer({ provider: { initialVideoId: 'ocean' } })),
  play: async ({ canvasElement }) => {
    const root = selectorRoot(canvasElement);
    await waitForDataState(root, 'ready');
    await waitFor(() => expect(root).toHaveAttribute('data-layout', 'narrow'));
    await expect(overflowsPhoneWidth(root)).toBe(false);
    const [first, second] = [...root.querySelectorAll<HTMLElement>('[role="option"]')];
    // One column: each option below the one before, not beside it.
    await expect(second!.getBoundingClientRect().top).toBeGreaterThanOrEqual(
      first!.getBoundingClientRect().bottom,
    );
  },
};
