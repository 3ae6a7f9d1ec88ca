import { StreamChat } from '@onair/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { busyChatHistory } from './chat-history';
import { mockServer, onMockServer } from './mock-stream';
import { waitForDataState } from './player-state';

const meta = {
  title: 'Components/StreamChat',
  component: StreamChat,
  args: { label: 'Chat', displayName: 'You' },
  render: (args) => (
    <div style={{ maxWidth: 380, height: 420, display: 'grid' }}>
      <StreamChat {...args} />
    </div>
  ),
} satisfies Meta<typeof StreamChat>;

export default meta;
type Story = StoryObj<typeof meta>;

function chatRoot(canvasElement: HTMLElement): HTMLElement {
  const root = canvasElement.querySelector<HTMLElement>('.onair-chat');
  if (!root) throw new Error('the chat did not render its root');
  return root;
}

/** A room nobody has written in yet. Typing and Enter sends, and the message shows in the log. */
export const Empty: Story = {
  ...onMockServer(),
  play: async ({ canvas, canvasElement, userEvent }) => {
    await waitForDataState(chatRoot(canvasElement), 'open');
    const log = canvas.getByRole('log', { name: 'Chat messages' });
    await expect(log).toHaveTextContent('No messages yet');
    await userEvent.type(canvas.getByRole('textbox', { name: 'Chat message' }), 'Hello, everyone{Enter}');
    await waitFor(() =>
      expect(within(log).getByText('Hello, everyone').closest('li')).toHaveAttribute('data-status', 'sent'),
    );
    await expect(canvas.getByRole('textbox', { name: 'Chat message' })).toHaveValue('');
  },
};

/** Forty messages of history, and others keep writing: the log follows the newest. */
export const BusyChat: Story = {
  ...onMockServer({ server: { room: { history: busyChatHistory(40), viewers: 318 } } }),
  play: async (context) => {
    const { canvas, canvasElement } = context;
    await waitForDataState(chatRoot(canvasElement), 'open');
    const log = canvas.getByRole('log', { name: 'Chat messages' });
    await waitFor(() => expect(within(log).getAllByRole('listitem')).toHaveLength(40));
    mockServer(context).say('Just joined, what did I miss?', { displayName: 'Yukihiro' });
    await waitFor(() => expect(within(log).getAllByRole('listitem')).toHaveLength(41));
    await expect(within(log).getByText('Just joined, what did I miss?')).toBeVisible();
  },
};

/** A moderator sees Pin and Delete on every message; pinning holds the message above the log. */
export const Moderator: Story = {
  ...onMockServer({ server: { room: { role: 'moderator', history: busyChatHistory(6) } } }),
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    const root = chatRoot(canvasElement);
    await waitForDataState(root, 'open');
    await expect(root).toHaveAttribute('data-role', 'moderator');
    const log = canvas.getByRole('log', { name: 'Chat messages' });
    // Moderation must work from the keyboard: from the log, Tab reaches the first message's buttons.
    log.focus();
    await userEvent.tab();
    await expect(document.activeElement).toHaveAccessibleName('Pin message from Ada');
    await userEvent.keyboard('{Enter}');
    await waitFor(() =>
      expect(canvas.getByRole('note', { name: 'Pinned message' })).toHaveTextContent('Ada'),
    );
    const last = within(log).getAllByRole('listitem').at(-1)!;
    await userEvent.click(within(last).getByRole('button', { name: /^Delete message from/ }));
    await waitFor(() => expect(within(log).getAllByRole('listitem')).toHaveLength(5));
    await expect(
      mockServer(context)
        .chatHistory('ocean')
        .map((message) => message.id),
    ).not.toContain('h6');
  },
};

/** The server refuses a message (rate limit): it stays in the log, marked, with Retry, which sends it again. */
export const FailedMessage: Story = {
  name: 'Failed message with retry',
  ...onMockServer({ server: { room: { history: busyChatHistory(3) } } }),
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    await waitForDataState(chatRoot(canvasElement), 'open');
    mockServer(context).refuseNextChat();
    await userEvent.type(canvas.getByRole('textbox', { name: 'Chat message' }), 'Too fast?{Enter}');
    const line = async () => canvas.getByText('Too fast?').closest('li');
    await waitFor(async () => expect(await line()).toHaveAttribute('data-status', 'failed'));
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }));
    await waitFor(async () => expect(await line()).toHaveAttribute('data-status', 'sent'));
  },
};

const PINNED_HISTORY = busyChatHistory(12);

/** A message pinned by a moderator shows to everyone, above the log. */
export const Pinned: Story = {
  ...onMockServer({ server: { room: { history: PINNED_HISTORY, pinnedId: 'h3' } } }),
  play: async ({ canvas, canvasElement }) => {
    await waitForDataState(chatRoot(canvasElement), 'open');
    const pinned = canvas.getByRole('note', { name: 'Pinned message' });
    await expect(pinned).toHaveTextContent(PINNED_HISTORY[2]!.text);
    // A chatter may read the pin but not take it down.
    await expect(within(pinned).queryByRole('button', { name: 'Unpin' })).toBeNull();
  },
};

/** A viewer without the right to write reads along; the input says why it is closed. */
export const ReadOnly: Story = {
  ...onMockServer({ server: { room: { role: 'viewer', history: busyChatHistory(5) } } }),
  play: async ({ canvas, canvasElement }) => {
    await waitForDataState(chatRoot(canvasElement), 'read-only');
    await expect(canvas.getByRole('textbox', { name: 'Chat message' })).toBeDisabled();
  },
};
