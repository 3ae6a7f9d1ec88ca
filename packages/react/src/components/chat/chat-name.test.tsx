import { MAX_DISPLAY_NAME_LENGTH } from '@onair/protocol';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { DISPLAY_NAME_STORAGE_KEY } from '../../client/room/display-name';
import { renderWithMock } from '../../test-support/render-with-mock';
import { StreamChat, type StreamChatProps } from './stream-chat';

afterEach(() => localStorage.clear());

function renderChat(props: StreamChatProps = {}) {
  return renderWithMock(<StreamChat {...props} />, {
    server: { audio: false },
    provider: { initialVideoId: 'sunset' },
  });
}

const waitForOpen = () =>
  waitFor(() => expect(document.querySelector('.onair-chat')?.getAttribute('data-state')).toBe('open'));
const identity = () => document.querySelector('.onair-chat__identity') as HTMLElement;
const input = () => screen.getByRole('textbox', { name: 'Chat message' });

describe('<StreamChat> display name', () => {
  it('gives a first-time viewer a Guest name, kept in localStorage so a reload keeps it', async () => {
    const first = renderChat();
    await waitForOpen();
    const name = identity().querySelector('.onair-chat__own-name')?.textContent ?? '';
    expect(name).toMatch(/^Guest-[0-9a-f]{4}$/);
    expect(localStorage.getItem(DISPLAY_NAME_STORAGE_KEY)).toBe(name);
    first.unmount();

    // A reload: a new client and a new chat read the same name back.
    const user = userEvent.setup();
    const { server } = renderChat();
    await waitForOpen();
    expect(identity().querySelector('.onair-chat__own-name')?.textContent).toBe(name);
    await user.type(input(), 'hello{Enter}');
    await waitFor(() => expect(server.messagesOfType('chat-send')[0]?.displayName).toBe(name));
  });

  it('lets the viewer choose a name with "Change", sends with it, and keeps it across a reload', async () => {
    const user = userEvent.setup();
    const first = renderChat();
    await waitForOpen();
    await user.click(screen.getByRole('button', { name: /^Change your name/ }));
    const field = screen.getByRole('textbox', { name: 'Your name' });
    expect(document.activeElement).toBe(field);
    await user.clear(field);
    await user.type(field, '  Ada Lovelace  {Enter}');
    expect(identity().textContent).toContain('Chatting as Ada Lovelace');
    // Focus goes back to where it was, the Change button.
    expect(document.activeElement).toBe(
      screen.getByRole('button', { name: 'Change your name, Ada Lovelace' }),
    );
    expect(localStorage.getItem(DISPLAY_NAME_STORAGE_KEY)).toBe('Ada Lovelace');
    await user.type(input(), 'hi{Enter}');
    await waitFor(() =>
      expect(first.server.messagesOfType('chat-send')[0]?.displayName).toBe('Ada Lovelace'),
    );
    first.unmount();

    renderChat();
    await waitForOpen();
    expect(identity().textContent).toContain('Chatting as Ada Lovelace');
  });

  it('refuses an empty or over-long name with the reason, and Escape leaves the name as it was', async () => {
    const user = userEvent.setup();
    localStorage.setItem(DISPLAY_NAME_STORAGE_KEY, 'Bo');
    renderChat();
    await waitForOpen();
    await user.click(screen.getByRole('button', { name: 'Change your name, Bo' }));
    const field = screen.getByRole('textbox', { name: 'Your name' });
    await user.clear(field);
    await user.type(field, '   {Enter}');
    expect(screen.getByRole('alert').textContent).toBe('Type a name first.');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    await user.type(field, `${'x'.repeat(MAX_DISPLAY_NAME_LENGTH + 1)}{Enter}`);
    expect(screen.getByRole('alert').textContent).toBe(
      `Names can be at most ${MAX_DISPLAY_NAME_LENGTH} characters; this one has ${MAX_DISPLAY_NAME_LENGTH + 1}.`,
    );
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('textbox', { name: 'Your name' })).toBeNull();
    expect(identity().textContent).toContain('Chatting as Bo');
    expect(localStorage.getItem(DISPLAY_NAME_STORAGE_KEY)).toBe('Bo');
  });

  it('uses the host\u2019s displayName over the stored one, with no way to change it', async () => {
    const user = userEvent.setup();
    localStorage.setItem(DISPLAY_NAME_STORAGE_KEY, 'Chosen');
    const { server } = renderChat({ displayName: 'Signed-in Sam' });
    await waitForOpen();
    expect(identity().textContent).toBe('Chatting as Signed-in Sam');
    expect(within(identity()).queryByRole('button')).toBeNull();
    await user.type(input(), 'hey{Enter}');
    await waitFor(() => expect(server.messagesOfType('chat-send')[0]?.displayName).toBe('Signed-in Sam'));
    expect(localStorage.getItem(DISPLAY_NAME_STORAGE_KEY)).toBe('Chosen');
  });

  it('keeps the name under the host\u2019s storage key when given one', async () => {
    localStorage.setItem('my-site:name', 'Kept');
    renderChat({ displayNameStorageKey: 'my-site:name' });
    await waitForOpen();
    expect(identity().textContent).toContain('Chatting as Kept');
  });

  it('has no axe violations while the name is being changed', async () => {
    const user = userEvent.setup();
    const { container } = renderChat();
    await waitForOpen();
    await user.click(screen.getByRole('button', { name: /^Change your name/ }));
    expect((await axe.run(container)).violations).toEqual([]);
  });
});
