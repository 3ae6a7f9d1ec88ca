import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useLiveStreamContext } from '../../hooks/live-stream-context';
import { useStreamChat } from '../../hooks/use-stream-chat';
import { useVideoCatalog } from '../../hooks/use-video-catalog';
import { HLS_CLIENT_OPTIONS, hlsCatalog } from '../../test-support/client-fixture';
import { FakeHls, stubMediaPlayback } from '../../test-support/fake-hls';
import { renderWithMock } from '../../test-support/render-with-mock';
import { LiveStreamPlayer } from '../player/live-stream-player';

function CatalogProbe() {
  const { videos } = useVideoCatalog();
  return <p data-testid="catalog">{videos.map((video) => video.id).join(',')}</p>;
}

function ChatProbe() {
  const chat = useStreamChat();
  const client = useLiveStreamContext();
  return (
    <>
      <button type="button" disabled={!chat.canChat} onClick={() => client.sendChat('anyone?')}>
        Send
      </button>
      <p data-testid="status">{chat.messages.map((message) => message.status).join(',')}</p>
    </>
  );
}

beforeEach(() => {
  FakeHls.reset();
  stubMediaPlayback();
});

afterEach(() => vi.restoreAllMocks());

describe('<LiveStreamProvider>', () => {
  it('gives its client the fetch it was given', async () => {
    const fetchStub = vi.fn(HLS_CLIENT_OPTIONS.fetch);
    renderWithMock(<CatalogProbe />, { provider: { autoConnect: false, fetch: fetchStub } });
    await waitFor(() => expect(screen.getByTestId('catalog').textContent).toBe('ocean,sunset,forest-cam'));
    expect(fetchStub).toHaveBeenCalledWith('/live/videos', expect.anything());
  });

  it('gives its client the room limits it was given', async () => {
    renderWithMock(<ChatProbe />, {
      server: { room: { acks: false } },
      provider: { initialVideoId: 'sunset', room: { chatAckTimeoutMs: 50 } },
    });
    const send = screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement;
    await waitFor(() => expect(send.disabled).toBe(false));
    act(() => send.click());
    expect(screen.getByTestId('status').textContent).toBe('pending');
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('failed'));
  });

  it('gives its client the auto fallback and the hls.js loader it was given', async () => {
    const loadHls = vi.fn(HLS_CLIENT_OPTIONS.loadHls);
    renderWithMock(<LiveStreamPlayer />, {
      server: { openDelayMs: 1_000_000_000, videos: hlsCatalog() },
      provider: {
        initialVideoId: 'ocean',
        transportMode: 'auto',
        autoFallback: { timeoutMs: 50 },
        fetch: HLS_CLIENT_OPTIONS.fetch,
        loadHls,
      },
    });
    const player = screen.getByRole('region', { name: 'Live video' });
    await waitFor(() => expect(player.getAttribute('data-transport')).toBe('hls'));
    await waitFor(() => expect(FakeHls.latest().source).toBe('/live/hls/ocean/master.m3u8'));
    expect(loadHls).toHaveBeenCalled();
  });
});
