import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import type { ReactElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveStreamClient } from '../../client/live-stream-client';
import type { LiveStreamClientOptions } from '../../client/options';
import type { Transport } from '../../client/transport/transport';
import { createWebSocketTransport } from '../../client/transport/websocket-transport';
import type { MockServerOptions } from '../../mock';
import { createTestClient, HLS_CLIENT_OPTIONS, hlsCatalog } from '../../test-support/client-fixture';
import { FakeHls, stubMediaPlayback, TWO_LEVELS } from '../../test-support/fake-hls';
import { renderWithMock } from '../../test-support/render-with-mock';
import { StreamChat } from '../chat/stream-chat';
import { ViewerCount } from '../viewers/viewer-count';
import { LiveStreamPlayer } from './live-stream-player';

const root = () => screen.getByRole('region', { name: 'Live video' });
const waitForAttribute = (name: string, value: string) =>
  waitFor(() => expect(root().getAttribute(name)).toBe(value), { timeout: 3_000 });

/** A WebSocket URL that refuses every connection, as a server without the socket (or a proxy that drops it). */
const refusingTransport: Transport = {
  name: 'ws',
  open(_url, handlers) {
    setTimeout(() => handlers.onClose({ code: 1006, reason: 'refused' }), 1);
    return { send() {}, close() {} };
  },
};

/**
 * Renders `ui` with an HLS-ready client and connects it. With `serverOptions` the socket goes to an in-memory
 * server; without, it is jsdom's WebSocket, which never connects here.
 */
function renderWithClient(
  ui: (client: LiveStreamClient) => ReactElement,
  options: Partial<LiveStreamClientOptions>,
  serverOptions?: MockServerOptions,
) {
  const socket = serverOptions ? {} : { transport: createWebSocketTransport() };
  const { client, server } = createTestClient(
    { ...HLS_CLIENT_OPTIONS, ...socket, ...options },
    serverOptions,
  );
  render(ui(client));
  act(() => client.connect());
  return { client, server };
}

beforeEach(() => {
  FakeHls.reset();
  stubMediaPlayback();
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('<LiveStreamPlayer transportMode="hls">', () => {
  it('plays the selected video\'s hlsUrl into a <video>, marked data-transport="hls"', async () => {
    renderWithClient((client) => <LiveStreamPlayer client={client} transportMode="hls" />, {
      initialVideoId: 'sunset',
    });
    expect(root().getAttribute('data-transport')).toBe('hls');
    await waitFor(() => expect(FakeHls.instances).toHaveLength(1));
    const hls = FakeHls.latest();
    expect(hls.source).toBe('/live/hls/sunset/master.m3u8');
    expect(hls.media).toBe(root().querySelector('video.onair-player__video'));
    expect(root().querySelector('canvas')).toBeNull();
    expect(root().getAttribute('data-state')).toBe('connecting');
    act(() => {
      hls.manifest(TWO_LEVELS);
      hls.media?.dispatchEvent(new Event('playing'));
    });
    await waitForAttribute('data-state', 'live');
    expect(screen.getByRole('status').textContent).toBe('Live');
  });

  it('offers Auto and each rendition, and sets hls.currentLevel from the choice', async () => {
    const user = userEvent.setup();
    renderWithClient((client) => <LiveStreamPlayer client={client} transportMode="hls" />, {
      initialVideoId: 'ocean',
    });
    await waitFor(() => expect(FakeHls.instances).toHaveLength(1));
    const hls = FakeHls.latest();
    act(() => hls.manifest(TWO_LEVELS));
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const menu = await screen.findByRole('combobox', { name: 'Quality' });
    expect(
      within(menu)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['Auto', '240p', '360p']);
    await user.selectOptions(menu, '360p');
    expect(hls.currentLevel).toBe(1);
    expect((menu as HTMLSelectElement).value).toBe('1');
    await user.selectOptions(menu, 'Auto');
    expect(hls.currentLevel).toBe(-1);
  });

  it('shows an error when the video is not offered over HLS', async () => {
    renderWithClient((client) => <LiveStreamPlayer client={client} transportMode="hls" />, {
      initialVideoId: 'forest-cam',
    });
    await waitForAttribute('data-state', 'error');
    expect(root().querySelector('.onair-player__message')?.textContent).toBe(
      'Error: "Forest camera" is not offered over HLS',
    );
    expect(FakeHls.instances).toHaveLength(0);
    expect((await axe.run(document.body)).violations).toEqual([]);
  });
});

describe('chat and viewer count beside an HLS player', () => {
  it('chats over the socket while the picture comes from HLS', async () => {
    const user = userEvent.setup();
    const { server } = renderWithClient(
      (client) => (
        <>
          <LiveStreamPlayer client={client} transportMode="hls" />
          <StreamChat client={client} />
          <ViewerCount client={client} />
        </>
      ),
      { initialVideoId: 'sunset' },
      { videos: hlsCatalog(), room: { viewers: 3 } },
    );
    await waitFor(() => expect(FakeHls.latest().source).toBe('/live/hls/sunset/master.m3u8'));
    const input = await screen.findByRole('textbox', { name: 'Chat message' });
    await waitFor(() => expect((input as HTMLInputElement).disabled).toBe(false));
    await user.type(input, 'chat beside HLS');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    const log = screen.getByRole('log', { name: 'Chat messages' });
    await waitFor(() => expect(log.textContent).toContain('chat beside HLS'));
    await waitFor(() =>
      expect(server.chatHistory('sunset').map((message) => message.text)).toEqual(['chat beside HLS']),
    );
    await screen.findByLabelText('3 people watching');
    expect(root().getAttribute('data-transport')).toBe('hls');
    expect(server.videoFramesSent).toBe(0);
  });
});

describe('<LiveStreamPlayer transportMode="auto">', () => {
  it('falls back to HLS when the WebSocket refuses its first connections', async () => {
    renderWithClient((client) => <LiveStreamPlayer client={client} transportMode="auto" />, {
      transport: refusingTransport,
      initialVideoId: 'ocean',
      reconnect: { initialDelayMs: 10, jitter: 0 },
    });
    expect(root().getAttribute('data-transport')).toBe('ws');
    await waitForAttribute('data-transport', 'hls');
    await waitFor(() => expect(FakeHls.latest().source).toBe('/live/hls/ocean/master.m3u8'));
  });

  it('stays on the WebSocket when it connects', async () => {
    renderWithMock(<LiveStreamPlayer transportMode="auto" />, { provider: { initialVideoId: 'sunset' } });
    await waitForAttribute('data-state', 'live');
    expect(root().getAttribute('data-transport')).toBe('mock');
    expect(FakeHls.instances).toHaveLength(0);
  });

  it('keeps trying the WebSocket when the video has no HLS to fall back on', async () => {
    renderWithClient((client) => <LiveStreamPlayer client={client} transportMode="auto" />, {
      transport: refusingTransport,
      initialVideoId: 'forest-cam',
      reconnect: { initialDelayMs: 10, jitter: 0 },
    });
    await waitForAttribute('data-state', 'reconnecting');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(root().getAttribute('data-transport')).toBe('ws');
    expect(root().getAttribute('data-state')).toBe('reconnecting');
  });
});
