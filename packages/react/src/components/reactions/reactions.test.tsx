import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFakeResizeObserver } from '../../test-support/fake-resize-observer';
import { renderWithMock } from '../../test-support/render-with-mock';
import { StreamChat } from '../chat/stream-chat';
import { LiveStreamPlayer } from '../player/live-stream-player';
import { Reactions } from './reactions';
import { ReactionsOverlay } from './reactions-overlay';

const overlay = () => document.querySelector('.onair-reactions-overlay') as HTMLElement;
const floatingEmoji = () =>
  [...overlay().querySelectorAll('.onair-reactions-overlay__item')].map((item) => item.textContent);

function mockReducedMotion(reduce: boolean) {
  vi.stubGlobal(
    'matchMedia',
    vi.fn((query: string) => ({
      matches: reduce && query === '(prefers-reduced-motion: reduce)',
      media: query,
      addEventListener: () => {},
      removeEventListener: () => {},
    })),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

function renderReactions() {
  return renderWithMock(
    <>
      <LiveStreamPlayer>
        <ReactionsOverlay />
      </LiveStreamPlayer>
      <Reactions showCounts />
    </>,
    { server: { audio: false }, provider: { initialVideoId: 'sunset' } },
  );
}

const waitForReady = () =>
  waitFor(() => expect(document.querySelector('.onair-reactions')?.getAttribute('data-state')).toBe('ready'));

describe('<Reactions> and <ReactionsOverlay>', () => {
  it('labels a button per allowed emoji, disabled until the room opens', async () => {
    renderReactions();
    const heart = screen.getByRole('button', { name: 'React with heart' }) as HTMLButtonElement;
    expect(heart.disabled).toBe(true);
    await waitForReady();
    expect(heart.disabled).toBe(false);
    const names = ['heart', 'thumbs up', 'laughter', 'surprise', 'applause', 'fire'];
    expect(screen.getAllByRole('button', { name: /^React with / })).toEqual(
      names.map((name) => screen.getByRole('button', { name: `React with ${name}` })),
    );
    expect(screen.getByRole('group', { name: 'Reactions' })).toBeTruthy();
  });

  it('sends a reaction on click and floats it at once', async () => {
    const user = userEvent.setup();
    const { server } = renderReactions();
    await waitForReady();
    await user.click(screen.getByRole('button', { name: 'React with fire' }));
    expect(server.messagesOfType('reaction')).toEqual([{ type: 'reaction', emoji: '🔥' }]);
    expect(floatingEmoji()).toEqual(['🔥']);
    expect(overlay().querySelector('[data-own]')).not.toBeNull();
    // The server's batch holds the same reaction: it must not float a second time, but it is counted.
    await waitFor(() => expect(screen.getByRole('button', { name: /^React with fire\s*1$/ })).toBeTruthy());
    expect(floatingEmoji()).toEqual(['🔥']);
  });

  it('floats the emoji of an incoming batch over the picture, aria-hidden, at their positions', async () => {
    const { server } = renderReactions();
    await waitForReady();
    server.react('❤️', 3, { x: 0.25, y: 0.5 });
    await waitFor(() => expect(floatingEmoji()).toEqual(['❤️', '❤️', '❤️']));
    expect(overlay().getAttribute('aria-hidden')).toBe('true');
    expect(overlay().closest('.onair-player')).not.toBeNull();
    const item = overlay().querySelector('.onair-reactions-overlay__item') as HTMLElement;
    expect(item.style.left).toBe('25%');
    expect(item.style.top).toBe('50%');
    expect(overlay().getAttribute('data-count')).toBe('3');
  });

  it('bounds the emoji on screen', async () => {
    const { server } = renderWithMock(<ReactionsOverlay max={4} />, {
      server: { audio: false },
      provider: { initialVideoId: 'sunset' },
    });
    await waitFor(() => expect(server.messagesOfType('select')).toHaveLength(1));
    server.react('👏', 500);
    await waitFor(() => expect(floatingEmoji()).toHaveLength(4));
  });

  it('marks data-reduced-motion when the reader prefers reduced motion', async () => {
    mockReducedMotion(true);
    renderReactions();
    expect(overlay().hasAttribute('data-reduced-motion')).toBe(true);
  });

  it('animates (no data-reduced-motion) when the reader has no such preference', async () => {
    mockReducedMotion(false);
    renderReactions();
    expect(overlay().hasAttribute('data-reduced-motion')).toBe(false);
  });

  it('shows a burst\u2019s "some were dropped" refusal by the reaction buttons, not in the chat', async () => {
    const user = userEvent.setup();
    const { server } = renderWithMock(
      <>
        <Reactions />
        <StreamChat displayName="Cy" />
      </>,
      {
        server: { audio: false, room: { reactionLimit: { burst: 3, perSecond: 0.001 } } },
        provider: { initialVideoId: 'sunset' },
      },
    );
    await waitForReady();
    const heart = screen.getByRole('button', { name: 'React with heart' });
    for (let i = 0; i < 5; i++) await user.click(heart);
    const picker = document.querySelector('.onair-reactions') as HTMLElement;
    await waitFor(() => expect(picker.hasAttribute('data-notice')).toBe(true));
    const notice = within(picker).getByRole('status');
    expect(notice.textContent).toContain('Too many reactions; some were dropped.');
    expect(server.messagesOfType('reaction')).toHaveLength(5);
    const chat = document.querySelector('.onair-chat') as HTMLElement;
    expect(chat.querySelector('.onair-chat__error')).toBeNull();
    expect(chat.textContent).not.toContain('dropped');
    await user.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    expect(picker.hasAttribute('data-notice')).toBe(false);
  });

  it('lets the notice go by itself after noticeMs', async () => {
    const user = userEvent.setup();
    renderWithMock(<Reactions noticeMs={300} />, {
      server: { audio: false, room: { reactionLimit: { burst: 1, perSecond: 0.001 } } },
      provider: { initialVideoId: 'sunset' },
    });
    await waitForReady();
    const fire = screen.getByRole('button', { name: 'React with fire' });
    await user.click(fire);
    await user.click(fire);
    const picker = document.querySelector('.onair-reactions') as HTMLElement;
    await waitFor(() => expect(picker.hasAttribute('data-notice')).toBe(true));
    await waitFor(() => expect(picker.hasAttribute('data-notice')).toBe(false));
  });

  it('reflows to one column when its own box is 480 px or narrower (data-layout)', () => {
    const resize = installFakeResizeObserver();
    try {
      resize.setInitialWidth(390);
      renderWithMock(<Reactions />, { server: { audio: false } });
      const picker = document.querySelector('.onair-reactions') as HTMLElement;
      expect(picker.getAttribute('data-layout')).toBe('narrow');
      act(() => resize.resizeTo(1280));
      expect(picker.getAttribute('data-layout')).toBe('wide');
    } finally {
      resize.restore();
    }
  });

  it('has no axe violations with emoji floating', async () => {
    const user = userEvent.setup();
    const { container } = renderReactions();
    await waitForReady();
    await user.click(screen.getByRole('button', { name: 'React with heart' }));
    expect((await axe.run(container)).violations).toEqual([]);
  });
});
