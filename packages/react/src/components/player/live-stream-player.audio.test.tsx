import { DEFAULT_AUDIO_CHUNK_MS } from '@onair/protocol';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithMock } from '../../test-support/render-with-mock';
import { LiveStreamPlayer } from './live-stream-player';

// jsdom has no Web Audio: these stand-ins behave like a browser whose autoplay policy holds a new
// AudioContext suspended until a user gesture resumes it.
const workletMessages: unknown[] = [];

class FakeAudioContext {
  state: AudioContextState = 'suspended';
  onstatechange: (() => void) | null = null;
  currentTime = 0;
  baseLatency = 0;
  outputLatency = 0;
  destination = {};
  audioWorklet = { addModule: vi.fn(async () => {}) };
  constructor(readonly options: AudioContextOptions) {}
  createGain() {
    return { gain: { value: 1 }, connect: vi.fn() };
  }
  async resume() {
    this.state = 'running';
    this.onstatechange?.();
  }
  async close() {
    this.state = 'closed';
  }
}

class FakeAudioWorkletNode {
  port = { postMessage: (message: unknown) => workletMessages.push(message), onmessage: null };
  connect = vi.fn();
  disconnect = vi.fn();
}

beforeEach(() => {
  workletMessages.length = 0;
  vi.stubGlobal('AudioContext', FakeAudioContext);
  vi.stubGlobal('AudioWorkletNode', FakeAudioWorkletNode);
  vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:worklet');
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('<LiveStreamPlayer> audio', () => {
  it('offers "click to enable sound" while autoplay blocks audio, and feeds PCM once enabled', async () => {
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'ocean' } });
    const unblock = await screen.findByRole('button', { name: 'Click to enable sound' }, { timeout: 3_000 });
    const root = screen.getByRole('region', { name: 'Live video' });
    expect(root.hasAttribute('data-audio-blocked')).toBe(true);
    await userEvent.click(unblock);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Click to enable sound' })).toBeNull());
    expect(root.hasAttribute('data-audio-blocked')).toBe(false);
    await waitFor(() => expect(workletMessages.length).toBeGreaterThan(0));
    const push = workletMessages.find(
      (message): message is { type: string; samples: Float32Array; timestamp: number } =>
        (message as { type: string }).type === 'push',
    );
    // A chunk (40 ms) of 48 kHz stereo: 3 840 interleaved float samples, within [-1, 1].
    expect(push?.samples).toBeInstanceOf(Float32Array);
    expect(push?.samples.length).toBe(((48_000 * DEFAULT_AUDIO_CHUNK_MS) / 1000) * 2);
    expect(Math.max(...Array.from(push!.samples, Math.abs))).toBeLessThanOrEqual(1);
  });

  it('creates the AudioContext at the stream rate so the browser does not resample', async () => {
    const created: AudioContextOptions[] = [];
    vi.stubGlobal(
      'AudioContext',
      class extends FakeAudioContext {
        constructor(options: AudioContextOptions) {
          super(options);
          created.push(options);
        }
      },
    );
    renderWithMock(<LiveStreamPlayer />, { provider: { initialVideoId: 'ocean' } });
    await screen.findByRole('button', { name: 'Click to enable sound' }, { timeout: 3_000 });
    expect(created).toEqual([{ sampleRate: 48_000, latencyHint: 'interactive' }]);
  });
});
