import { decodeMediaMessage } from '@onair/protocol';
import { describe, expect, it, type Mock, vi } from 'vitest';
import type { OpusTrack } from '../audio/opus-track';
import { ChannelAudience, type ChannelViewer } from './channel-audience';

type FakeViewer = { [Name in keyof ChannelViewer]: Mock<ChannelViewer[Name]> };

function viewer(): FakeViewer {
  return {
    receiveVideo: vi.fn<ChannelViewer['receiveVideo']>(),
    receiveAudio: vi.fn<ChannelViewer['receiveAudio']>(),
    channelReady: vi.fn<ChannelViewer['channelReady']>(),
    channelFailed: vi.fn<ChannelViewer['channelFailed']>(),
  };
}

function setup() {
  const opus = {
    add: vi.fn<OpusTrack['add']>(),
    remove: vi.fn<OpusTrack['remove']>(() => true),
    push: vi.fn<OpusTrack['push']>(),
  };
  const audience = new ChannelAudience({
    rungs: [
      { height: null, quality: 40 },
      { height: null, quality: 80 },
    ],
    encode: async () => Buffer.from('jpeg'),
    maxEncodesInFlight: 2,
    onEncodeError: () => {},
    opus,
  });
  return { audience, opus };
}

const chunk = { pcm: Buffer.alloc(19_200, 1), timestamp: 700 };

describe('ChannelAudience audio', () => {
  it('frames PCM once for its PCM viewers and hands the chunk to the Opus track for the others', () => {
    const { audience, opus } = setup();
    const [pcmA, pcmB, opusViewer] = [viewer(), viewer(), viewer()];
    audience.join(pcmA, 0);
    audience.join(pcmB, 1, 'pcm');
    audience.join(opusViewer, 0, 'opus');
    expect(opus.add).toHaveBeenCalledExactlyOnceWith(opusViewer);
    audience.pushAudio(chunk);
    expect(opus.push).toHaveBeenCalledWith(chunk);
    expect(opusViewer.receiveAudio).not.toHaveBeenCalled();
    const message = pcmA.receiveAudio.mock.calls[0]?.[0] as Buffer;
    expect(pcmB.receiveAudio.mock.calls[0]?.[0]).toBe(message);
    const decoded = decodeMediaMessage(message);
    expect(decoded.ok && decoded.value).toMatchObject({ kind: 'audio', timestamp: 700, rungOrChannels: 2 });
    expect(decoded.ok && decoded.value.payload.byteLength).toBe(19_200);
  });

  it('lets an Opus viewer go from the Opus track when it leaves, and only then', () => {
    const { audience, opus } = setup();
    const [pcm, opusViewer] = [viewer(), viewer()];
    audience.join(pcm, 0);
    audience.join(opusViewer, 0, 'opus');
    audience.leave(pcm);
    expect(opus.remove).not.toHaveBeenCalled();
    audience.leave(opusViewer);
    expect(opus.remove).toHaveBeenCalledExactlyOnceWith(opusViewer);
  });

  it('frames no PCM while every viewer takes Opus', () => {
    const { audience, opus } = setup();
    const opusViewer = viewer();
    audience.join(opusViewer, 0, 'opus');
    audience.pushAudio(chunk);
    expect(opus.push).toHaveBeenCalledOnce();
    expect(opusViewer.receiveAudio).not.toHaveBeenCalled();
  });
});
