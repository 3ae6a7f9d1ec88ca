import { AUDIO_FORMAT, decodeMediaMessage, encodeMessage, PROTOCOL_VERSION } from '@onair/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCanvasPicture } from './canvas-picture';
import { MockServer } from './mock-server';
import { defaultMockVideos } from './mock-videos';
import { BEEP_MS, beepChunk, sampleJpeg } from './sample-media';

afterEach(() => {
  vi.useRealTimers();
});

/** Loudest sample of a chunk (s16le, interleaved). */
function peak(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let max = 0;
  for (let offset = 0; offset < bytes.byteLength; offset += AUDIO_FORMAT.bytesPerSample)
    max = Math.max(max, Math.abs(view.getInt16(offset, true)));
  return max;
}

/** Connects a client to `server`, selects `videoId` and collects the media it is sent for `ms`. */
function mediaOf(server: MockServer, videoId: string, ms: number) {
  const media: ReturnType<typeof decodeMediaMessage>[] = [];
  const connection = server.accept('/live/ws', {
    onOpen: () => {
      connection.send(encodeMessage({ type: 'hello', protocolVersion: PROTOCOL_VERSION }));
      connection.send(encodeMessage({ type: 'select', videoId }));
    },
    onMessage: (data) => {
      if (typeof data !== 'string') media.push(decodeMediaMessage(data));
    },
    onClose: () => {},
    onError: () => {},
  });
  vi.advanceTimersByTime(ms);
  server.close();
  return media.flatMap((result) => (result.ok ? [result.value] : []));
}

describe('the mock\u2019s media', () => {
  it('beeps for the first BEEP_MS of each second of the channel clock, and only hums in between', () => {
    const rate = AUDIO_FORMAT.sampleRate;
    const beep = beepChunk(5_000, BEEP_MS);
    const between = beepChunk(5_000 + BEEP_MS, 1_000 - BEEP_MS);
    expect(beep.byteLength).toBe(
      (rate * BEEP_MS * AUDIO_FORMAT.channels * AUDIO_FORMAT.bytesPerSample) / 1000,
    );
    expect(peak(beep)).toBeGreaterThan(5_000);
    expect(peak(between)).toBeGreaterThan(0);
    expect(peak(between)).toBeLessThan(1_000);
  });

  it('sends the frames its `picture` gives, with the video and the channel time, and the still sample for undefined', () => {
    vi.useFakeTimers({ now: 10_000 });
    const calls: Array<[string, number, number]> = [];
    const drawn = new Uint8Array([0xff, 0xd8, 1, 2, 3]);
    const server = new MockServer({
      audio: false,
      picture: (video, index, timestamp) => {
        calls.push([video.id, index, timestamp]);
        return calls.length === 1 ? undefined : drawn;
      },
    });
    const frames = mediaOf(server, 'sunset', 200).filter((message) => message.kind === 'video');
    expect(frames.length).toBeGreaterThan(2);
    expect(calls[0]?.slice(0, 2)).toEqual(['sunset', 1]);
    expect(calls[0]?.[2]).toBeGreaterThanOrEqual(10_000);
    expect(frames[0]?.payload).toEqual(sampleJpeg(1));
    expect(frames[1]?.payload).toEqual(drawn);
  });

  it('sends the beep as its sound when asked', () => {
    vi.useFakeTimers({ now: 20_000 });
    const server = new MockServer({ sound: 'beep', audioChunkMs: 20 });
    const audio = mediaOf(server, 'ocean', 1_000).filter((message) => message.kind === 'audio');
    expect(audio.length).toBeGreaterThan(10);
    for (const chunk of audio) expect(chunk.payload).toEqual(beepChunk(chunk.timestamp, 20));
  });

  it('draws no picture where there is no canvas (jsdom), leaving the still sample', async () => {
    const picture = createCanvasPicture();
    const [video] = defaultMockVideos();
    expect(picture(video!, 0, 0)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(picture(video!, 0, 40)).toBeUndefined();
  });
});
