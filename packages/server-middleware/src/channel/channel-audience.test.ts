import { describe, expect, it } from 'vitest';
import type { EncodedFrame, RawFrame } from '../ladder/frames';
import { ChannelAudience, type ChannelViewer } from './channel-audience';

const SOURCE = { width: 8, height: 8, fps: 30 };

function viewer() {
  const frames: { frame: EncodedFrame; catchUp: boolean }[] = [];
  const member: ChannelViewer = {
    receiveVideo: (frame, catchUp) => frames.push({ frame, catchUp }),
    receiveAudio: () => {},
    channelReady: () => {},
    channelFailed: () => {},
  };
  return { member, frames };
}

function setup() {
  const scaled: number[] = [];
  const encoded: [number, number][] = [];
  const audience = new ChannelAudience({
    // Two qualities at 4 px, one at the source's 8.
    rungs: [
      { height: 4, quality: 30 },
      { height: 4, quality: 60 },
      { height: null, quality: 50 },
    ],
    encode: async (raw: RawFrame, quality: number) => {
      encoded.push([raw.height, quality]);
      return Buffer.from([quality]);
    },
    scale: async (raw: RawFrame, width: number, height: number) => {
      scaled.push(height);
      return { ...raw, width, height, data: Buffer.alloc(width * height * 3) };
    },
    maxEncodesInFlight: 2,
    onEncodeError: (error) => {
      throw error;
    },
    // Audio is channel-audience-audio.test.ts's.
    opus: { add: () => {}, remove: () => true, push: () => {} },
  });
  return { audience, scaled, encoded };
}

const raw = (): RawFrame => ({ data: Buffer.alloc(8 * 8 * 3), width: 8, height: 8, timestamp: 0 });
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ChannelAudience', () => {
  it('scales each frame once for two viewers on two rungs of the same height', async () => {
    const { audience, scaled, encoded } = setup();
    audience.configure(SOURCE);
    const [a, b] = [viewer(), viewer()];
    audience.join(a.member, 0);
    audience.join(b.member, 1);
    for (let i = 0; i < 4; i++) {
      audience.pushFrame(raw());
      await settle();
      await settle();
    }
    expect(scaled).toEqual([4, 4, 4, 4]);
    expect(encoded.filter(([, quality]) => quality === 30)).toHaveLength(4);
    expect(encoded.filter(([, quality]) => quality === 60)).toHaveLength(4);
    expect(audience.scaleCounts().get(4)).toBe(4);
  });

  it('switches a viewer between frames: the frame it already has is not sent again at the new rung', async () => {
    const { audience } = setup();
    audience.configure(SOURCE);
    const a = viewer();
    audience.join(a.member, 0);
    audience.pushFrame(raw());
    await settle();
    await settle();
    expect(a.frames.map(({ frame }) => frame.sequence)).toEqual([0]);
    audience.setRung(a.member, 2);
    await settle();
    await settle();
    expect(a.frames).toHaveLength(1);
    audience.pushFrame(raw());
    await settle();
    await settle();
    expect(a.frames.map(({ frame }) => frame.sequence)).toEqual([0, 1]);
  });

  it('places viewers who joined before the size was known once the ladder is planned', () => {
    const { audience } = setup();
    const a = viewer();
    audience.join(a.member, 9);
    expect(audience.rungs).toBeNull();
    expect(audience.configure(SOURCE).map((rung) => rung.label)).toEqual(['4p', '4p · high', '8p']);
    expect(audience.activeRungs()).toEqual([2]);
    expect([audience.encodes(0), audience.encodes(2)]).toEqual([false, true]);
  });
});
