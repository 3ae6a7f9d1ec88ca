import { ErrorCode } from '@onair/protocol';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { MockRoomOptions } from '../../mock';
import { installFakeResizeObserver } from '../../test-support/fake-resize-observer';
import { renderWithMock } from '../../test-support/render-with-mock';
import { StreamChat } from './stream-chat';

const HISTORY: MockRoomOptions['history'] = [
  { id: 'h1', displayName: 'Ann', text: 'Hello everyone' },
  { id: 'h2', displayName: 'Bo', text: 'Nice shot' },
];

function renderChat(room: MockRoomOptions = {}, props: Parameters<typeof StreamChat>[0] = {}) {
  return renderWithMock(<StreamChat displayName="Cy" {...props} />, {
    server: { room, audio: false },
    provider: { initialVideoId: 'sunset' },
  });
}

const log = () => screen.getByRole('log', { name: 'Chat messages' });
const input = () => screen.getByRole('textbox', { name: 'Chat message' }) as HTMLInputElement;
const lines = () => within(log()).queryAllByRole('listitem');
const waitForOpen = () =>
  waitFor(() => expect(document.querySelector('.onair-chat')?.getAttribute('data-state')).toBe('open'));

/** A page that can take the chat away while the provider stays. */
function ClosableChat() {
  const [open, setOpen] = useState(true);
  return (
    <>
      {open && <StreamChat deleteUndoMs={60_000} />}
      <button type="button" onClick={() => setOpen(false)}>
        Close chat
      </button>
    </>
  );
}

describe('<StreamChat>', () => {
  it('renders the history in a polite role="log" with name, time and text', async () => {
    renderChat({ history: HISTORY });
    await waitFor(() => expect(lines()).toHaveLength(2));
    expect(log().getAttribute('aria-live')).toBe('polite');
    const first = lines()[0]!;
    expect(first.querySelector('.onair-chat__name')?.textContent).toBe('Ann');
    expect(first.querySelector('.onair-chat__text')?.textContent).toBe('Hello everyone');
    expect(first.querySelector('time')?.getAttribute('dateTime')).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('shows the empty state, and waits with a disabled input until the room opens', async () => {
    renderChat();
    expect(document.querySelector('.onair-chat')?.getAttribute('data-state')).toBe('waiting');
    expect(input().disabled).toBe(true);
    await waitForOpen();
    expect(input().disabled).toBe(false);
    expect(within(log()).getByText('No messages yet')).toBeTruthy();
  });

  it('sends chat-send on Enter, shows the message as pending at once, then as sent', async () => {
    const user = userEvent.setup();
    const { server } = renderWithMock(<StreamChat displayName="Cy" />, {
      // Long enough that the pending state is still there when a busy machine gets to look at it.
      server: { latencyMs: 1_000, audio: false },
      provider: { initialVideoId: 'sunset' },
    });
    await waitForOpen();
    await user.type(input(), 'Hi there{Enter}');
    expect(input().value).toBe('');
    expect(lines()[0]?.getAttribute('data-status')).toBe('pending');
    expect(within(lines()[0]!).getByText('Sending…')).toBeTruthy();
    await waitFor(() => expect(lines()[0]?.getAttribute('data-status')).toBe('sent'));
    const sends = server.messagesOfType('chat-send');
    expect(sends).toEqual([
      { type: 'chat-send', clientId: expect.any(String), text: 'Hi there', displayName: 'Cy' },
    ]);
    expect(server.chatHistory('sunset').map((message) => message.text)).toEqual(['Hi there']);
    expect(lines()).toHaveLength(1);
  });

  it('sends with the Send button too', async () => {
    const user = userEvent.setup();
    const { server } = renderChat();
    await waitForOpen();
    await user.type(input(), 'clicked');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(server.messagesOfType('chat-send')).toHaveLength(1));
  });

  it('shows "Not sent — Retry" for a refused message, and Retry resends it with the same clientId', async () => {
    const user = userEvent.setup();
    const { server } = renderChat();
    await waitForOpen();
    server.refuseNextChat(ErrorCode.RateLimited, 'Too many messages; wait a moment.');
    await user.type(input(), 'again{Enter}');
    await waitFor(() => expect(lines()[0]?.getAttribute('data-status')).toBe('failed'));
    expect(lines()[0]?.textContent).toContain('Not sent — Retry');
    expect(lines()[0]?.textContent).toContain('Too many messages; wait a moment.');
    await user.click(within(lines()[0]!).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(lines()[0]?.getAttribute('data-status')).toBe('sent'));
    const [first, second] = server.messagesOfType('chat-send');
    expect(second?.clientId).toBe(first?.clientId);
    expect(server.chatHistory('sunset')).toHaveLength(1);
  });

  it('counts the remaining characters in code points', async () => {
    const user = userEvent.setup();
    renderChat({ maxChatLength: 10 });
    await waitForOpen();
    const remaining = () => document.querySelector('.onair-chat__remaining');
    expect(remaining()?.textContent).toBe('10 characters left');
    await user.type(input(), 'hey 🔥');
    expect(remaining()?.textContent).toBe('5 characters left');
    expect(input().getAttribute('aria-describedby')).toBe(remaining()?.id);
  });

  it('refuses over-long and empty input client-side, with an explanation, sending nothing', async () => {
    const user = userEvent.setup();
    const { server } = renderChat({ maxChatLength: 5 });
    await waitForOpen();
    await user.type(input(), 'too long{Enter}');
    expect(screen.getByRole('alert').textContent).toBe(
      'Messages can be at most 5 characters; this one has 8.',
    );
    expect(document.querySelector('.onair-chat__remaining')?.hasAttribute('data-over')).toBe(true);
    expect(input().getAttribute('aria-invalid')).toBe('true');
    expect(input().value).toBe('too long');
    await user.clear(input());
    await user.type(input(), '   {Enter}');
    expect(screen.getByRole('alert').textContent).toBe('Type a message first.');
    expect(server.messagesOfType('chat-send')).toEqual([]);
    expect(lines()).toHaveLength(0);
  });

  it('gives moderators labelled delete and pin buttons that send chat-delete and chat-pin', async () => {
    const user = userEvent.setup();
    const { server } = renderChat({ role: 'moderator', history: HISTORY }, { deleteUndoMs: 0 });
    await waitFor(() => expect(lines()).toHaveLength(2));
    await user.click(screen.getByRole('button', { name: 'Pin message from Bo' }));
    await waitFor(() =>
      expect(server.messagesOfType('chat-pin')).toEqual([{ type: 'chat-pin', messageId: 'h2' }]),
    );
    const pinned = await screen.findByRole('note', { name: 'Pinned message' });
    expect(pinned.textContent).toContain('Nice shot');
    await user.click(screen.getByRole('button', { name: 'Unpin message from Bo' }));
    await waitFor(() =>
      expect(server.messagesOfType('chat-pin').at(-1)).toEqual({ type: 'chat-pin', messageId: null }),
    );
    await waitFor(() => expect(screen.queryByRole('note')).toBeNull());
    await user.click(screen.getByRole('button', { name: 'Delete message from Ann' }));
    await waitFor(() => expect(lines()).toHaveLength(1));
    await waitFor(() =>
      expect(server.messagesOfType('chat-delete')).toEqual([{ type: 'chat-delete', messageId: 'h1' }]),
    );
    expect(document.querySelector('.onair-chat')?.getAttribute('data-role')).toBe('moderator');
  });

  it('hides a deleted message at once but sends the delete only after the undo time, moving focus to Undo', async () => {
    const user = userEvent.setup();
    const { server } = renderChat({ role: 'moderator', history: HISTORY }, { deleteUndoMs: 600 });
    await waitFor(() => expect(lines()).toHaveLength(2));
    await user.click(screen.getByRole('button', { name: 'Delete message from Ann' }));
    expect(lines()).toHaveLength(1);
    const undo = screen.getByRole('button', { name: 'Undo deleting the message from Ann' });
    expect(document.activeElement).toBe(undo);
    expect(screen.getByRole('status').textContent).toContain('Message from Ann deleted.');
    expect(server.messagesOfType('chat-delete')).toEqual([]);
    await waitFor(() =>
      expect(server.messagesOfType('chat-delete')).toEqual([{ type: 'chat-delete', messageId: 'h1' }]),
    );
    await waitFor(() => expect(screen.queryByRole('button', { name: /^Undo/ })).toBeNull());
    expect(server.chatHistory('sunset').map((message) => message.id)).toEqual(['h2']);
  });

  it('Undo brings the message back and sends nothing, with focus on its Delete again', async () => {
    const user = userEvent.setup();
    const { server } = renderChat({ role: 'moderator', history: HISTORY }, { deleteUndoMs: 1_500 });
    await waitFor(() => expect(lines()).toHaveLength(2));
    await user.click(screen.getByRole('button', { name: 'Delete message from Bo' }));
    expect(lines()).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Undo deleting the message from Bo' }));
    expect(lines()).toHaveLength(2);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete message from Bo' }));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(server.messagesOfType('chat-delete')).toEqual([]);
    expect(lines()).toHaveLength(2);
  });

  it('sends a delete still waiting when the chat goes away (the moderator meant it)', async () => {
    const user = userEvent.setup();
    const { server } = renderWithMock(<ClosableChat />, {
      server: { room: { role: 'moderator', history: HISTORY }, audio: false },
      provider: { initialVideoId: 'sunset' },
    });
    await waitFor(() => expect(lines()).toHaveLength(2));
    await user.click(screen.getByRole('button', { name: 'Delete message from Ann' }));
    expect(server.messagesOfType('chat-delete')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Close chat' }));
    await waitFor(() =>
      expect(server.messagesOfType('chat-delete')).toEqual([{ type: 'chat-delete', messageId: 'h1' }]),
    );
  });

  it('keeps the moderator buttons of every message, the first included, out from under the pinned note', async () => {
    renderChat({ role: 'moderator', history: HISTORY, pinnedId: 'h1' });
    await waitFor(() => expect(lines()).toHaveLength(2));
    const pinned = screen.getByRole('note', { name: 'Pinned message' });
    // The note is a sibling before the log, never inside it or over it: the stylesheet gives it its own row.
    expect(pinned.parentElement).toBe(log().parentElement);
    expect(pinned.compareDocumentPosition(log()) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(within(lines()[0]!).getByRole('button', { name: 'Unpin message from Ann' })).toBeTruthy();
  });

  it('shows a chatter no moderation buttons, but the pinned message', async () => {
    renderChat({ role: 'chatter', history: HISTORY, pinnedId: 'h1' });
    await waitFor(() => expect(lines()).toHaveLength(2));
    expect(screen.getByRole('note', { name: 'Pinned message' }).textContent).toContain('Hello everyone');
    expect(screen.queryByRole('button', { name: /^(Delete|Pin|Unpin)/ })).toBeNull();
  });

  it('lets a viewer read but not write', async () => {
    renderChat({ role: 'viewer', history: HISTORY });
    await waitFor(() =>
      expect(document.querySelector('.onair-chat')?.getAttribute('data-state')).toBe('read-only'),
    );
    expect(input().disabled).toBe(true);
    expect(input().placeholder).toBe('You can read this chat but not write in it.');
  });

  it('follows new messages at the bottom, and stops (offering "New messages") once the reader scrolls up', async () => {
    const user = userEvent.setup();
    const { server } = renderChat({ history: HISTORY });
    await waitFor(() => expect(lines()).toHaveLength(2));
    // jsdom has no layout: give the log a geometry, with 100 px more content per message.
    const element = log();
    let scrollTop = 0;
    Object.defineProperty(element, 'clientHeight', { configurable: true, get: () => 200 });
    Object.defineProperty(element, 'scrollHeight', {
      configurable: true,
      get: () => 100 * lines().length + 200,
    });
    Object.defineProperty(element, 'scrollTop', {
      configurable: true,
      get: () => scrollTop,
      set: (value: number) => {
        scrollTop = value;
      },
    });
    server.say('third', { displayName: 'Di' });
    await waitFor(() => expect(lines()).toHaveLength(3));
    expect(scrollTop).toBe(500);

    scrollTop = 100;
    fireEvent.scroll(element);
    server.say('fourth', { displayName: 'Di' });
    await waitFor(() => expect(lines()).toHaveLength(4));
    expect(scrollTop).toBe(100);
    const jump = screen.getByRole('button', { name: 'New messages' });
    await user.click(jump);
    expect(scrollTop).toBe(600);
    expect(screen.queryByRole('button', { name: 'New messages' })).toBeNull();
    server.say('fifth', { displayName: 'Di' });
    await waitFor(() => expect(lines()).toHaveLength(5));
    expect(scrollTop).toBe(700);
  });

  it('shows other viewers\u2019 messages and deletions as they come', async () => {
    const { server } = renderChat({ history: HISTORY });
    await waitFor(() => expect(lines()).toHaveLength(2));
    const message = server.say('from afar', { displayName: 'Ed' });
    await waitFor(() => expect(lines()).toHaveLength(3));
    server.deleteMessage(message.id);
    await waitFor(() => expect(lines()).toHaveLength(2));
  });

  it('reflows to one column in a phone-sized box (data-layout="narrow")', async () => {
    const resize = installFakeResizeObserver();
    try {
      resize.setInitialWidth(342);
      renderChat();
      const root = document.querySelector('.onair-chat') as HTMLElement;
      expect(root.getAttribute('data-layout')).toBe('narrow');
      act(() => resize.resizeTo(900));
      expect(root.getAttribute('data-layout')).toBe('wide');
    } finally {
      resize.restore();
    }
  });

  it('has no axe violations: empty, busy, moderator with a pinned and a failed message', async () => {
    const user = userEvent.setup();
    const empty = renderChat();
    await waitForOpen();
    expect((await axe.run(empty.container)).violations).toEqual([]);
    empty.unmount();

    const busy = renderChat({ role: 'moderator', history: HISTORY, pinnedId: 'h2' });
    await waitFor(() => expect(lines()).toHaveLength(2));
    busy.server.refuseNextChat();
    await user.type(input(), 'nope{Enter}');
    await waitFor(() => expect(lines()[2]?.getAttribute('data-status')).toBe('failed'));
    await user.type(input(), '{Enter}');
    expect((await axe.run(busy.container)).violations).toEqual([]);
  });
});
