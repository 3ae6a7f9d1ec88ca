import { LiveStreamClient, VideoSelector } from '@onair/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, waitFor } from 'storybook/test';
import { mockServer, NEVER_MS, onMockServer } from './mock-stream';
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

/** The mock's catalog: a file with audio, a long file, an endless camera ("Live"). */
export const List: Story = {
  ...onMockServer(),
  play: async ({ canvas, canvasElement }) => {
    await waitForDataState(selectorRoot(canvasElement), 'ready');
    const options = canvas.getAllByRole('option');
    await expect(options.map((option) => option.dataset.videoId)).toEqual(['ocean', 'sunset', 'forest-cam']);
    // Roving focus: exactly one option is in the tab order.
    await expect(options.filter((option) => option.tabIndex === 0)).toHaveLength(1);
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
