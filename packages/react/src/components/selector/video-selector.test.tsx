import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { describe, expect, it, vi } from 'vitest';
import { NARROW_LAYOUT_MAX_WIDTH } from '../../hooks/internal/use-container-layout';
import { defaultMockVideos } from '../../mock';
import { installFakeResizeObserver } from '../../test-support/fake-resize-observer';
import { renderWithMock } from '../../test-support/render-with-mock';
import { VideoSelector } from './video-selector';

describe('<VideoSelector>', () => {
  it('lists the catalog with titles, thumbnails and "LIVE" (every channel loops on the server clock), never a duration', async () => {
    renderWithMock(<VideoSelector />, { provider: { initialVideoId: null } });
    const options = await screen.findAllByRole('option');
    expect(options.map((option) => option.querySelector('.onair-selector__title')?.textContent)).toEqual([
      'Ocean',
      'Sunset',
      'Forest camera',
    ]);
    expect(options.map((option) => option.querySelector('.onair-selector__live')?.textContent)).toEqual([
      'LIVE',
      'LIVE',
      'LIVE',
    ]);
    // The loop length ("9:56") is no length to watch: it is kept for hosts as data, not shown.
    expect(options.map((option) => option.textContent)).toEqual([
      'OceanLIVE',
      'SunsetLIVE',
      'Forest cameraLIVE',
    ]);
    expect(options.map((option) => option.getAttribute('data-loop-seconds'))).toEqual(['596', '3723', null]);
    expect(options[0]!.querySelector('img')?.getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/);
    expect(screen.getByRole('listbox', { name: 'Videos' })).toBeTruthy();
  });

  it('marks the selected option with a visible "Playing" badge, not by colour alone', async () => {
    renderWithMock(<VideoSelector />, { provider: { initialVideoId: 'sunset' } });
    const sunset = await screen.findByRole('option', { name: /Sunset/ });
    await waitFor(() => expect(sunset.hasAttribute('data-selected')).toBe(true));
    expect(sunset.querySelector('.onair-selector__playing')?.textContent).toBe('✓ Playing');
    expect(
      screen.getByRole('option', { name: /Ocean/ }).querySelector('.onair-selector__playing'),
    ).toBeNull();
  });

  it('lays out by its own width: data-layout narrow at 480 px and below, wide above', async () => {
    const resize = installFakeResizeObserver();
    try {
      resize.setInitialWidth(390);
      const { container } = renderWithMock(<VideoSelector />);
      const root = container.querySelector('.onair-selector') as HTMLElement;
      expect(root.getAttribute('data-layout')).toBe('narrow');
      act(() => resize.resizeTo(NARROW_LAYOUT_MAX_WIDTH + 1));
      expect(root.getAttribute('data-layout')).toBe('wide');
      act(() => resize.resizeTo(NARROW_LAYOUT_MAX_WIDTH));
      expect(root.getAttribute('data-layout')).toBe('narrow');
    } finally {
      resize.restore();
    }
  });

  it('shows the status of each stream as a badge and updates it when the server pushes the catalog', async () => {
    const { server } = renderWithMock(<VideoSelector />, { provider: { initialVideoId: null } });
    await screen.findAllByRole('option');
    expect(document.querySelector('.onair-selector__status')).toBeNull();
    const videos = defaultMockVideos().map((video, index) => ({
      ...video,
      status: (['scheduled', 'live', 'ended'] as const)[index],
    }));
    server.push({ type: 'catalog', videos });
    await waitFor(() =>
      expect(
        screen
          .getAllByRole('option')
          .map((option) => [
            option.getAttribute('data-status'),
            option.querySelector('.onair-selector__status, .onair-selector__live')?.textContent,
          ]),
      ).toEqual([
        ['scheduled', 'Scheduled'],
        ['live', 'LIVE'],
        ['ended', 'Ended'],
      ]),
    );
    // The ended broadcast's recording is ready: it offers its replay.
    const recording = { state: 'ready', bytes: 1_000_000, durationSec: 60 } as const;
    server.push({
      type: 'catalog',
      videos: videos.map((video, index) => (index === 2 ? { ...video, recording } : video)),
    });
    await waitFor(() => expect(screen.getAllByRole('option')[2]?.textContent).toContain('Replay'));
    expect(screen.getAllByRole('option')[2]?.hasAttribute('data-replay')).toBe(true);
    server.push({ type: 'catalog', videos: videos.slice(1) });
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(2));
  });

  it('sends select for the clicked video and marks it selected', async () => {
    const onSelect = vi.fn();
    const { server } = renderWithMock(<VideoSelector onSelect={onSelect} />, {
      provider: { initialVideoId: null },
    });
    const sunset = await screen.findByRole('option', { name: /Sunset/ });
    expect(sunset.hasAttribute('data-selected')).toBe(false);
    await userEvent.click(sunset);
    await waitFor(() =>
      expect(server.messagesOfType('select')).toEqual([{ type: 'select', videoId: 'sunset' }]),
    );
    expect(sunset.hasAttribute('data-selected')).toBe(true);
    expect(sunset.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('option', { name: /Ocean/ }).getAttribute('aria-selected')).toBe('false');
    expect(onSelect).toHaveBeenCalledWith(expect.objectContaining({ id: 'sunset' }));
  });

  it('moves focus with the arrow keys (one tab stop) and selects with Enter', async () => {
    const user = userEvent.setup();
    const { server } = renderWithMock(<VideoSelector />, { provider: { initialVideoId: 'ocean' } });
    const options = await screen.findAllByRole('option');
    expect(options.map((option) => option.tabIndex)).toEqual([0, -1, -1]);
    await user.tab();
    expect(document.activeElement).toBe(options[0]);
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(options[1]);
    expect(options.map((option) => option.tabIndex)).toEqual([-1, 0, -1]);
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(document.activeElement).toBe(options[2]);
    await user.keyboard('{Home}');
    expect(document.activeElement).toBe(options[0]);
    await user.keyboard('{End}{Enter}');
    await waitFor(() => expect(server.messagesOfType('select').at(-1)?.videoId).toBe('forest-cam'));
    expect(options[2]!.hasAttribute('data-selected')).toBe(true);
  });

  it('shows the loading state before the catalog arrives', () => {
    renderWithMock(<VideoSelector />);
    expect(screen.getByRole('status').textContent).toBe('Loading videos…');
    expect(document.querySelector('.onair-selector')?.getAttribute('data-state')).toBe('loading');
  });

  it('says so when the catalog is empty', async () => {
    renderWithMock(<VideoSelector emptyMessage="Nothing on air" />, { server: { videos: [] } });
    expect(await screen.findByText('Nothing on air')).toBeTruthy();
  });

  it('passes className and data attributes through to its root', async () => {
    const { container } = renderWithMock(<VideoSelector className="mine" data-testid="picker" />);
    const root = container.querySelector('.onair-selector');
    expect(root?.className).toBe('onair-selector mine');
    expect(root?.getAttribute('data-testid')).toBe('picker');
  });

  it('has no axe violations', async () => {
    const { container } = renderWithMock(<VideoSelector />);
    await screen.findAllByRole('option');
    const results = await axe.run(container);
    expect(results.violations).toEqual([]);
  });
});
