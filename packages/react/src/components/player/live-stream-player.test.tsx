import { ErrorCode } from '@onair/protocol';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { StrictMode, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TransportMode } from '../../client/state/transport-mode';
import { defaultMockVideos } from '../../mock/mock-videos';
import { renderWithMock } from '../../test-support/render-with-mock';
import { LiveStreamPlayer } from './live-stream-player';

const root = () => screen.getByRole('region', { name: 'Live video' });
const overlayText = () => root().querySelector('.onair-player__message')?.textContent ?? null;
const waitForState = (state: string) =>
  waitFor(() => expect(root().getAttribute('data-state')).toBe(state), { timeout: 3_000 });

/** A page that still passes the old prop, and changes it: the deprecation warns once all the same. */
function PlayerWithOldProp() {
  const [mode, setMode] = useState<TransportMode>('hls');
  return (
    <>
      <LiveStreamPlayer transport={mode} />
      <button type="button" onClick={() => setMode('ws')}>
        WebSocket
      </button>
    </>
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('<LiveStreamPlayer>', () => {
  it('goes from connecting to live', async () => {
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    expect(root().getAttribute('data-state')).toBe('connecting');
    expect(overlayText()).toBe('Connecting…');
    expect(root().getAttribute('data-transport')).toBe('mock');
    await waitForState('live');
    expect(overlayText()).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Live');
    expect(screen.getByRole('img', { name: 'Live video: Sunset' })).toBeTruthy();
  });

  it('toggles play/pause and mute, with labels that say what the button does', async () => {
    const user = userEvent.setup();
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    await waitForState('live');
    expect(root().hasAttribute('data-paused')).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    expect(root().hasAttribute('data-paused')).toBe(true);
    expect(screen.getByRole('status').textContent).toBe('Paused');
    await user.click(screen.getByRole('button', { name: 'Play' }));
    expect(root().hasAttribute('data-paused')).toBe(false);
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Mute' }));
    expect(root().hasAttribute('data-muted')).toBe(true);
    expect((screen.getByRole('slider', { name: 'Volume' }) as HTMLInputElement).value).toBe('0');
    await user.click(screen.getByRole('button', { name: 'Unmute' }));
    expect(root().hasAttribute('data-muted')).toBe(false);
    expect((screen.getByRole('slider', { name: 'Volume' }) as HTMLInputElement).value).toBe('100');
  });

  it('answers the keyboard shortcuts: space and k, m, f', async () => {
    const user = userEvent.setup();
    const requestFullscreen = vi.fn(() => Promise.resolve());
    HTMLElement.prototype.requestFullscreen = requestFullscreen;
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    root().focus();
    await user.keyboard('k');
    expect(root().hasAttribute('data-paused')).toBe(true);
    await user.keyboard(' ');
    expect(root().hasAttribute('data-paused')).toBe(false);
    await user.keyboard('m');
    expect(root().hasAttribute('data-muted')).toBe(true);
    await user.keyboard('f');
    expect(requestFullscreen).toHaveBeenCalledTimes(1);
    expect(requestFullscreen.mock.contexts[0]).toBe(root());
    Reflect.deleteProperty(HTMLElement.prototype, 'requestFullscreen');
  });

  it('lets space on a focused button act once, not twice', async () => {
    const user = userEvent.setup();
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    screen.getByRole('button', { name: 'Pause' }).focus();
    await user.keyboard(' ');
    expect(root().hasAttribute('data-paused')).toBe(true);
  });

  it('changes the volume with the slider', async () => {
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    const slider = screen.getByRole('slider', { name: 'Volume' }) as HTMLInputElement;
    fireEvent.change(slider, { target: { value: '40' } });
    expect(slider.value).toBe('40');
    expect(slider.getAttribute('aria-valuetext')).toBe('40%');
  });

  it('shows the stats readout with live numbers', async () => {
    const user = userEvent.setup();
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const toggle = screen.getByRole('button', { name: 'Show statistics' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await user.click(toggle);
    expect(screen.getByRole('button', { name: 'Hide statistics' }).getAttribute('aria-expanded')).toBe(
      'true',
    );
    const stat = (key: string) => document.querySelector(`[data-stat="${key}"] dd`)?.textContent ?? '';
    await waitFor(() => expect(Number(stat('fps'))).toBeGreaterThan(10), { timeout: 3_000 });
    expect(stat('quality')).toBe('480p (rung 2)');
    expect(stat('buffer')).toMatch(/^\d+ ms$/);
    expect(stat('latency')).toMatch(/^\d+ ms$/);
    expect(Number(stat('bitrate').replace(' kbps', ''))).toBeGreaterThan(0);
  });

  it('offers the ladder in a quality menu and sends the choice', async () => {
    const user = userEvent.setup();
    const { server } = renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const menu = await screen.findByRole('combobox', { name: 'Quality' });
    expect(
      within(menu)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['Auto (480p)', '240p', '360p', '480p', '720p', '1080p']);
    await user.selectOptions(menu, '1080p');
    await waitFor(() => expect(server.messagesOfType('quality')).toEqual([{ type: 'quality', rung: 4 }]));
    await user.selectOptions(menu, 'auto');
    await waitFor(() =>
      expect(server.messagesOfType('quality').at(-1)).toEqual({ type: 'quality', rung: 'auto' }),
    );
  });

  it('shows buffering when the server holds frames back', async () => {
    const { server } = renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    await waitForState('live');
    server.setState('buffering');
    await waitForState('buffering');
    expect(overlayText()).toBe('Buffering…');
  });

  it('renders the error state with the server message and a way to try again', async () => {
    const { server } = renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    await waitForState('live');
    server.sendError(ErrorCode.Unauthorized, 'viewer token expired', true);
    await waitForState('error');
    expect(overlayText()).toBe('Error: viewer token expired');
    expect(screen.getByRole('status').textContent).toBe('Error: viewer token expired');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitForState('live');
    expect(server.connectionCount).toBe(2);
  });

  it('shows reconnecting when the connection drops', async () => {
    const { server } = renderWithMock(<LiveStreamPlayer />, {
      provider: { initialVideoId: 'sunset', reconnect: { initialDelayMs: 50, jitter: 0 } },
    });
    await waitForState('live');
    server.disconnect();
    await waitForState('reconnecting');
    expect(overlayText()).toBe('Connection lost. Reconnecting…');
    await waitForState('live');
  });

  it('survives StrictMode mounting the provider twice (connect, close, connect)', async () => {
    const { server } = renderWithMock(
      <StrictMode>
        <LiveStreamPlayer />
      </StrictMode>,
      { provider: { initialVideoId: 'sunset' } },
    );
    await waitForState('live');
    expect(server.connected).toBe(true);
    expect(server.messagesOfType('hello').length).toBeLessThanOrEqual(2);
  });

  it('passes className, data and aria props through to its root', () => {
    renderWithMock(
      <LiveStreamPlayer className="mine" data-testid="tv" aria-describedby="help" label="Channel" />,
    );
    const region = screen.getByRole('region', { name: 'Channel' });
    expect(region.className).toBe('onair-player mine');
    expect(region.getAttribute('data-testid')).toBe('tv');
    expect(region.getAttribute('aria-describedby')).toBe('help');
  });

  it('has no axe violations while live, with the stats and the settings open', async () => {
    const { container } = renderWithMock(<LiveStreamPlayer defaultShowStats />, {
      provider: { initialVideoId: 'sunset' },
    });
    await waitForState('live');
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    const results = await axe.run(container);
    expect(results.violations).toEqual([]);
  });

  it('has no axe violations in the error state', async () => {
    const { container, server } = renderWithMock(<LiveStreamPlayer />, {
      provider: { initialVideoId: 'nope' },
    });
    await waitForState('error');
    expect(server.messagesOfType('select')).toEqual([{ type: 'select', videoId: 'nope' }]);
    const results = await axe.run(container);
    expect(results.violations).toEqual([]);
  });

  it('throws a clear error outside the provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<LiveStreamPlayer />)).toThrow(/inside <LiveStreamProvider/);
  });

  it('still takes the old transport prop for a release, warning once per mounted player', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    renderWithMock(<PlayerWithOldProp />, { provider: { initialVideoId: 'sunset' } });
    await waitFor(() => expect(root().getAttribute('data-transport')).toBe('hls'));
    await userEvent.click(screen.getByRole('button', { name: 'WebSocket' }));
    await waitFor(() => expect(root().getAttribute('data-transport')).toBe('mock'));
    const deprecations = warn.mock.calls.filter(([message]) => String(message).includes('transportMode'));
    expect(deprecations).toEqual([
      [
        'OnAir: <LiveStreamPlayer transport> is deprecated and will be removed; use transportMode (same values).',
      ],
    ]);
  });

  it('warns about nothing with transportMode', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    renderWithMock(<LiveStreamPlayer transportMode="ws" />, { provider: { initialVideoId: 'sunset' } });
    await waitForState('live');
    expect(warn).not.toHaveBeenCalled();
  });

  it('says how far behind live it is past the live threshold, and the badge jumps back to live', async () => {
    const user = userEvent.setup();
    // A threshold of 0 ms: any distance counts as behind, so the badge must turn into the jump button.
    renderWithMock(<LiveStreamPlayer defaultShowStats />, {
      provider: { initialVideoId: 'sunset', liveThresholdMs: 0 },
    });
    await waitForState('live');
    const jump = await screen.findByRole('button', { name: /behind live: jump to live/ }, { timeout: 3_000 });
    expect(root().getAttribute('data-live-edge')).toBe('false');
    expect(jump.textContent).toMatch(/^\u2212\d+ s$/);
    const behind = document.querySelector('[data-stat="behind-live"] dd')?.textContent ?? '';
    expect(behind).toMatch(/^\d+ ms$/);
    await user.click(jump);
    expect(root().getAttribute('data-state')).not.toBe('error');
  });

  it('is at the live edge with the default threshold', async () => {
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    await waitForState('live');
    await waitFor(() => expect(root().getAttribute('data-live-edge')).toBe('true'), { timeout: 3_000 });
    expect(screen.getByText('LIVE').hasAttribute('data-live')).toBe(true);
  });

  it('shows an ended stream as ended, then offers its replay once the catalog says the recording is ready', async () => {
    const user = userEvent.setup();
    const { server } = renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    await waitForState('live');
    server.push({ type: 'stream-status', videoId: 'sunset', status: 'ended' });
    await waitFor(() => expect(overlayText()).toBe('This stream has ended'));
    expect(screen.queryByRole('button', { name: 'Watch the replay' })).toBeNull();

    const catalog = defaultMockVideos().map((video) =>
      video.id === 'sunset'
        ? {
            ...video,
            status: 'ended' as const,
            recording: { state: 'ready' as const, bytes: 1000, durationSec: 12 },
          }
        : video,
    );
    server.push({ type: 'catalog', videos: catalog });
    const replay = await screen.findByRole('button', { name: 'Watch the replay' });
    const selects = server.messagesOfType('select').length;
    await user.click(replay);
    await waitFor(() => expect(server.messagesOfType('select').length).toBe(selects + 1));
    expect(server.messagesOfType('select').at(-1)?.videoId).toBe('sunset');
    await waitForState('live');
    expect(screen.queryByRole('button', { name: 'Watch the replay' })).toBeNull();
  });
});
