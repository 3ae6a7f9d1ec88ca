import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveStreamClient } from '../client/live-stream-client';
import { LiveStreamProvider } from '../components/provider/live-stream-provider';
import { createMockTransport } from '../mock';
import { createTestClient } from '../test-support/client-fixture';
import { renderWithMock } from '../test-support/render-with-mock';
import { useLiveStreamContext, useMaybeLiveStreamContext } from './live-stream-context';
import { useLiveStream } from './use-live-stream';
import { useVideoCatalog } from './use-video-catalog';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

function RootProbe() {
  const { rootProps, togglePlay } = useLiveStream();
  return <button type="button" {...rootProps} data-testid="root" onClick={togglePlay} />;
}

function CatalogProbe() {
  const { videos: list, loading, error } = useVideoCatalog();
  return <p data-testid="catalog">{loading ? 'loading' : (error ?? list.map((v) => v.id).join(','))}</p>;
}

describe('context hooks', () => {
  it('throw a clear error outside the provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const message = /must be inside <LiveStreamProvider url="…">, or be given a `client`/;
    expect(() => renderHook(() => useLiveStreamContext())).toThrow(message);
    expect(() => renderHook(() => useLiveStream())).toThrow(message);
    expect(() => renderHook(() => useVideoCatalog())).toThrow(message);
  });

  it('return undefined outside the provider in the "maybe" form', () => {
    expect(renderHook(() => useMaybeLiveStreamContext()).result.current).toBeUndefined();
  });

  it('give the provider client inside the provider', () => {
    const transport = createMockTransport();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <LiveStreamProvider url="/live" transport={transport} autoConnect={false}>
        {children}
      </LiveStreamProvider>
    );
    const { result } = renderHook(() => useLiveStreamContext(), { wrapper });
    expect(result.current).toBeInstanceOf(LiveStreamClient);
  });

  it('accept an explicit client without any provider', async () => {
    const { client } = createTestClient({ initialVideoId: null });
    const { result } = renderHook(() => useLiveStream(client));
    expect(result.current.status).toBe('idle');
    act(() => client.connect());
    await waitFor(() => expect(result.current.connected).toBe(true));
    act(() => client.close());
  });
});

describe('useLiveStream', () => {
  it('returns ready-to-spread root props that follow the state', () => {
    renderWithMock(<RootProbe />, { provider: { initialVideoId: 'sunset' } });
    const root = screen.getByTestId('root');
    expect(root.getAttribute('data-state')).toBe('connecting');
    expect(root.getAttribute('data-transport')).toBe('mock');
    expect(root.hasAttribute('data-paused')).toBe(false);
    act(() => root.click());
    expect(root.hasAttribute('data-paused')).toBe(true);
  });
});

describe('useVideoCatalog', () => {
  const videos = [
    {
      id: 'a',
      title: 'A',
      duration: 10,
      width: 640,
      height: 360,
      fps: 25,
      hasAudio: false,
      thumbnailUrl: '/live/videos/a/thumbnail.jpg',
    },
  ];

  it('takes the catalog from the socket without an HTTP request when connecting', async () => {
    const fetchSpy = vi.fn();
    vi.stubGlobal('fetch', fetchSpy);
    renderWithMock(<CatalogProbe />);
    await waitFor(() => expect(screen.getByTestId('catalog').textContent).toBe('ocean,sunset,forest-cam'));
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('falls back to GET <url>/videos when not connected', async () => {
    const fetchSpy = vi.fn(async () => new Response(JSON.stringify(videos)));
    vi.stubGlobal('fetch', fetchSpy);
    render(
      <LiveStreamProvider url="/live" transport={createMockTransport()} autoConnect={false}>
        <CatalogProbe />
      </LiveStreamProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('catalog').textContent).toBe('a'));
    expect(fetchSpy).toHaveBeenCalledWith('/live/videos', expect.anything());
  });

  it('reports a failed HTTP catalog as an error', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('nope', { status: 503 })),
    );
    render(
      <LiveStreamProvider url="/live" transport={createMockTransport()} autoConnect={false}>
        <CatalogProbe />
      </LiveStreamProvider>,
    );
    await waitFor(() =>
      expect(screen.getByTestId('catalog').textContent).toBe('GET /live/videos answered 503'),
    );
  });
});
