import { StreamChat } from '@onair/react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { busyChatHistory } from './chat-history';
import { mockServer, onMockServer } from './mock-stream';
import { atPhoneWidth, overflowsPhoneWidth } from './phone-width';
import { waitForDataState } from './player-state';

const meta = {
  title: 'Components/StreamChat',
  component: StreamChat,
  // A storage key of the stories' own, so choosing a name here leaves the demo's alone.
  args: { label: 'Chat', displayNameStorageKey: 'onair-storybook:display-name' },
  render: (args) => (
    <div style={{ maxWidth: 560, height: 440, display: 'grid' }}>
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
    // Hidden at once, sent once the undo time has passed without Undo.
    await waitFor(() => expect(within(log).getAllByRole('listitem')).toHaveLength(5));
    await expect(document.activeElement).toHaveAccessibleName(/^Undo deleting the message from/);
    await waitFor(
      () =>
        expect(
          mockServer(context)
            .chatHistory('ocean')
            .map((message) => message.id),
        ).not.toContain('h6'),
      { timeout: 10_000 },
    );
  },
};

/** Delete waits a few seconds with an Undo; Undo brings the message back and nothing is sent. */
export const DeleteWithUndo: Story = {
  name: 'Delete with undo',
  ...onMockServer({ server: { room: { role: 'moderator', history: busyChatHistory(4) } } }),
  args: { deleteUndoMs: 30_000 },
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    await waitForDataState(chatRoot(canvasElement), 'open');
    const log = canvas.getByRole('log', { name: 'Chat messages' });
    await waitFor(() => expect(within(log).getAllByRole('listitem')).toHaveLength(4));
    const first = within(log).getAllByRole('listitem')[0]!;
    const author = first.querySelector('.onair-chat__name')?.textContent ?? '';
    await userEvent.click(within(first).getByRole('button', { name: `Delete message from ${author}` }));
    await waitFor(() => expect(within(log).getAllByRole('listitem')).toHaveLength(3));
    await userEvent.click(canvas.getByRole('button', { name: `Undo deleting the message from ${author}` }));
    await waitFor(() => expect(within(log).getAllByRole('listitem')).toHaveLength(4));
    await expect(mockServer(context).messagesOfType('chat-delete')).toEqual([]);
    // The story rests with a delete waiting, to show the notice.
    await userEvent.click(within(log).getAllByRole('listitem')[1]!.querySelector('[data-action="delete"]')!);
    await expect(canvas.getByRole('status')).toHaveTextContent(/deleted/);
  },
};

/**
 * The server refuses a message (rate limit): it stays in the log, marked "Not sent", with Retry (which sends
 * it again with the same clientId; the unit tests press it). The story rests in that failed state.
 */
export const FailedMessage: Story = {
  name: 'Failed message with retry',
  ...onMockServer({ server: { room: { history: busyChatHistory(3) } } }),
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    await waitForDataState(chatRoot(canvasElement), 'open');
    mockServer(context).refuseNextChat();
    await userEvent.type(canvas.getByRole('textbox', { name: 'Chat message' }), 'Too fast?{Enter}');
    const line = () => canvas.getByText('Too fast?').closest('li');
    await waitFor(() => expect(line()).toHaveAttribute('data-status', 'failed'));
    await expect(within(line()!).getByRole('button', { name: 'Retry' })).toBeVisible();
    await expect(line()).toHaveTextContent('Not sent');
  },
};

/** "Chatting as …, Change": the viewer picks a name, kept in localStorage for the next visit. */
export const ChooseName: Story = {
  name: 'Choose a display name',
  ...onMockServer({ server: { room: { history: busyChatHistory(3) } } }),
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    localStorage.removeItem('onair-storybook:display-name');
    await waitForDataState(chatRoot(canvasElement), 'open');
    await userEvent.click(canvas.getByRole('button', { name: /^Change your name/ }));
    const field = canvas.getByRole('textbox', { name: 'Your name' });
    await userEvent.clear(field);
    await userEvent.type(field, 'Grace{Enter}');
    await expect(canvasElement.querySelector('.onair-chat__identity')).toHaveTextContent('Chatting as Grace');
    await expect(localStorage.getItem('onair-storybook:display-name')).toBe('Grace');
    await userEvent.type(canvas.getByRole('textbox', { name: 'Chat message' }), 'Hello{Enter}');
    await waitFor(() =>
      expect(mockServer(context).messagesOfType('chat-send')[0]).toMatchObject({ displayName: 'Grace' }),
    );
  },
};

/** A host that knows who is watching names them: the name shows, with no way to change it. */
export const HostName: Story = {
  name: 'Name set by the host',
  ...onMockServer(),
  args: { displayName: 'Signed-in Sam' },
  play: async ({ canvas, canvasElement }) => {
    await waitForDataState(chatRoot(canvasElement), 'open');
    await expect(canvasElement.querySelector('.onair-chat__identity')).toHaveTextContent(
      'Chatting as Signed-in Sam',
    );
    await expect(canvas.queryByRole('button', { name: /^Change your name/ })).toBeNull();
  },
};

/** A phone: one column, the input on a row of its own, nothing wider than the screen. */
export const Phone: Story = {
  ...atPhoneWidth(
    onMockServer({ server: { room: { role: 'moderator', history: busyChatHistory(8), pinnedId: 'h2' } } }),
  ),
  play: async ({ canvasElement }) => {
    const root = chatRoot(canvasElement);
    await waitForDataState(root, 'open');
    await waitFor(() => expect(root).toHaveAttribute('data-layout', 'narrow'));
    await expect(overflowsPhoneWidth(root)).toBe(false);
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
