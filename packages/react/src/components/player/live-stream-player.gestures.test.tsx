import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultMockVideos } from '../../mock/mock-videos';
import { renderWithMock } from '../../test-support/render-with-mock';
import { LiveStreamPlayer } from './live-stream-player';
import { DOUBLE_CLICK_WAIT_MS } from './use-picture-gestures';

// Issue 12: the gestures of a modern player (click, double-click, tap, arrows, auto-hiding controls,
// picture-in-picture) and the state they leave on the root as data attributes.

const root = () => screen.getByRole('region', { name: 'Live video' });
const picture = () => screen.getByRole('img', { name: /^Live video/ });
const volume = () => (screen.getByRole('slider', { name: 'Volume' }) as HTMLInputElement).value;
const waitForState = (state: string) =>
  waitFor(() => expect(root().getAttribute('data-state')).toBe(state), { timeout: 3_000 });
const waitForControls = (state: 'visible' | 'hidden') =>
  waitFor(() => expect(root().getAttribute('data-controls')).toBe(state), { timeout: 3_000 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  vi.restoreAllMocks();
  for (const name of ['requestFullscreen', 'requestPictureInPicture'])
    Reflect.deleteProperty(HTMLElement.prototype, name);
  Reflect.deleteProperty(HTMLVideoElement.prototype, 'requestPictureInPicture');
  Reflect.deleteProperty(HTMLCanvasElement.prototype, 'captureStream');
  Reflect.deleteProperty(document, 'pictureInPictureEnabled');
  Reflect.deleteProperty(document, 'pictureInPictureElement');
});

describe('<LiveStreamPlayer> gestures', () => {
  it('pauses on a click on the picture and plays on the next, once no second click follows', async () => {
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    await waitForState('live');
    fireEvent.click(picture(), { detail: 1 });
    expect(root().hasAttribute('data-paused')).toBe(false);
    await waitFor(() => expect(root().hasAttribute('data-paused')).toBe(true));
    fireEvent.click(picture(), { detail: 1 });
    await waitFor(() => expect(root().hasAttribute('data-paused')).toBe(false));
  });

  it('goes fullscreen on a double-click, without pausing in between', async () => {
    const requestFullscreen = vi.fn(() => Promise.resolve());
    HTMLElement.prototype.requestFullscreen = requestFullscreen;
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    await waitForState('live');
    fireEvent.click(picture(), { detail: 1 });
    fireEvent.click(picture(), { detail: 2 });
    fireEvent.doubleClick(picture(), { detail: 2 });
    expect(requestFullscreen).toHaveBeenCalledTimes(1);
    expect(requestFullscreen.mock.contexts[0]).toBe(root());
    await sleep(DOUBLE_CLICK_WAIT_MS * 2);
    expect(root().hasAttribute('data-paused')).toBe(false);
  });

  it('on touch, a tap on hidden controls reveals them and the next tap pauses', async () => {
    // A long delay, so the controls a tap revealed are still there for the next tap however slow the machine;
    // a mouse leaving the player hides them at once.
    renderWithMock(<LiveStreamPlayer controlsHideDelayMs={60_000} />, {
      provider: { initialVideoId: 'sunset' },
    });
    await waitForState('live');
    fireEvent.pointerLeave(root(), { pointerType: 'mouse' });
    await waitForControls('hidden');
    fireEvent.pointerUp(picture(), { pointerType: 'touch' });
    fireEvent.click(picture(), { detail: 1 });
    expect(root().getAttribute('data-controls')).toBe('visible');
    await sleep(DOUBLE_CLICK_WAIT_MS * 2);
    expect(root().hasAttribute('data-paused')).toBe(false);
    fireEvent.pointerUp(picture(), { pointerType: 'touch' });
    fireEvent.click(picture(), { detail: 1 });
    await waitFor(() => expect(root().hasAttribute('data-paused')).toBe(true));
  });

  it('changes the volume with Up and Down, and leaves the arrows to a focused slider', async () => {
    const user = userEvent.setup();
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    root().focus();
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(volume()).toBe('80');
    await user.keyboard('{ArrowUp}');
    expect(volume()).toBe('90');
    await user.keyboard('m');
    expect(root().hasAttribute('data-muted')).toBe(true);
    // From what is heard: up from muted is 10 %, and unmutes.
    await user.keyboard('{ArrowUp}');
    expect(root().hasAttribute('data-muted')).toBe(false);
    expect(volume()).toBe('10');
    const slider = screen.getByRole('slider', { name: 'Volume' });
    slider.focus();
    const event = new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true, cancelable: true });
    slider.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(false);
  });

  it('unmutes to an audible volume when the slider sat at 0', async () => {
    const user = userEvent.setup();
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    fireEvent.change(screen.getByRole('slider', { name: 'Volume' }), { target: { value: '0' } });
    await user.click(screen.getByRole('button', { name: 'Mute' }));
    await user.click(screen.getByRole('button', { name: 'Unmute' }));
    expect(volume()).toBe('50');
  });
});

describe('<LiveStreamPlayer> controls', () => {
  it('hides the controls while playing after the delay, and shows them again on movement', async () => {
    renderWithMock(<LiveStreamPlayer controlsHideDelayMs={150} />, {
      provider: { initialVideoId: 'sunset' },
    });
    await waitForState('live');
    expect(root().getAttribute('data-controls')).toBe('visible');
    await waitForControls('hidden');
    fireEvent.pointerMove(root(), { pointerType: 'mouse' });
    expect(root().getAttribute('data-controls')).toBe('visible');
    await waitForControls('hidden');
  });

  it('keeps them while paused, while the pointer rests on the bar and while keyboard focus is inside', async () => {
    const user = userEvent.setup();
    renderWithMock(<LiveStreamPlayer controlsHideDelayMs={100} />, {
      provider: { initialVideoId: 'sunset' },
    });
    await waitForState('live');
    const bar = root().querySelector('.onair-player__controls') as HTMLElement;
    fireEvent.pointerEnter(bar);
    await sleep(300);
    expect(root().getAttribute('data-controls')).toBe('visible');
    fireEvent.pointerLeave(bar);
    await waitForControls('hidden');

    await user.keyboard('{Tab}');
    expect(document.activeElement).toBe(root());
    await sleep(300);
    expect(root().getAttribute('data-controls')).toBe('visible');
    await user.keyboard('k');
    expect(root().hasAttribute('data-paused')).toBe(true);
    act(() => root().blur());
    await sleep(300);
    expect(root().getAttribute('data-controls')).toBe('visible');
  });

  it('keeps the settings behind a button: Escape closes them and gives focus back', async () => {
    const user = userEvent.setup();
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    const settings = screen.getByRole('button', { name: 'Settings' });
    expect(settings.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByRole('combobox', { name: 'Quality' })).toBeNull();
    await user.click(settings);
    expect(settings.getAttribute('aria-expanded')).toBe('true');
    const group = screen.getByRole('group', { name: 'Settings' });
    expect(settings.getAttribute('aria-controls')).toBe(group.id);
    await screen.findByRole('combobox', { name: 'Quality' });
    // The mock's videos have no HLS rendition: no transport to choose.
    expect(screen.queryByRole('combobox', { name: 'Transport' })).toBeNull();
    screen.getByRole('button', { name: 'Show statistics' }).focus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('group', { name: 'Settings' })).toBeNull();
    expect(document.activeElement).toBe(settings);
  });

  it('offers the transport in the settings when the video has an HLS rendition', async () => {
    const user = userEvent.setup();
    const videos = defaultMockVideos().map((video) => ({
      ...video,
      hlsUrl: `/live/hls/${video.id}/master.m3u8`,
    }));
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' }, server: { videos } });
    await waitForState('live');
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    const transport = screen.getByRole('combobox', { name: 'Transport' }) as HTMLSelectElement;
    expect([...transport.options].map((option) => option.textContent)).toEqual(['WebSocket', 'HLS', 'Auto']);
    expect(transport.value).toBe('ws');
    await user.selectOptions(transport, 'auto');
    expect(transport.value).toBe('auto');
  });

  it('closes the settings on a press outside them', async () => {
    const user = userEvent.setup();
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    expect(screen.getByRole('group', { name: 'Settings' })).toBeTruthy();
    fireEvent.pointerDown(document.body);
    expect(screen.queryByRole('group', { name: 'Settings' })).toBeNull();
  });
});

describe('<LiveStreamPlayer> picture-in-picture', () => {
  it('offers none where the browser has no picture-in-picture', async () => {
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    await waitForState('live');
    expect(screen.queryByRole('button', { name: 'Picture-in-picture' })).toBeNull();
  });

  it('captures the canvas into a hidden video and puts that in the window, marked data-pip', async () => {
    const stream = { id: 'captured' } as unknown as MediaStream;
    const captureStream = vi.fn(() => stream);
    let pipElement: Element | null = null;
    const requestPictureInPicture = vi.fn(function (this: HTMLVideoElement) {
      pipElement = this;
      this.dispatchEvent(new Event('enterpictureinpicture'));
      return Promise.resolve({} as PictureInPictureWindow);
    });
    Object.defineProperty(document, 'pictureInPictureEnabled', { value: true, configurable: true });
    Object.defineProperty(document, 'pictureInPictureElement', { get: () => pipElement, configurable: true });
    HTMLCanvasElement.prototype.captureStream = captureStream;
    HTMLVideoElement.prototype.requestPictureInPicture = requestPictureInPicture;
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    const user = userEvent.setup();
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    await waitForState('live');
    const button = root().querySelector('[data-control="pip"]') as HTMLButtonElement;
    expect(button.getAttribute('aria-label')).toBe('Picture-in-picture');
    await user.click(button);
    await waitFor(() => expect(root().hasAttribute('data-pip')).toBe(true));
    expect(captureStream.mock.contexts[0]).toBe(picture());
    const source = root().querySelector('.onair-player__pip-source') as HTMLVideoElement;
    expect(requestPictureInPicture.mock.contexts[0]).toBe(source);
    expect(source.srcObject).toBe(stream);
    expect(source.muted).toBe(true);
    expect(button.getAttribute('aria-label')).toBe('Exit picture-in-picture');
  });
});

describe('<LiveStreamPlayer> reconnecting', () => {
  it('keeps the last frame: the canvas keeps its size while the stream is gone', async () => {
    const { server } = renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'sunset' } });
    await waitForState('live');
    const canvas = picture();
    const width = canvas.getAttribute('width');
    expect(width).not.toBeNull();
    server.refuseConnections(true);
    server.disconnect();
    await waitForState('reconnecting');
    expect(picture()).toBe(canvas);
    expect(canvas.getAttribute('width')).toBe(width);
    expect(root().querySelector('.onair-player__overlay')?.getAttribute('data-overlay')).toBe('reconnecting');
  });
});
