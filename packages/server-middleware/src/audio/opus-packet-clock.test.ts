import { describe, expect, it } from 'vitest';
import { OggReader } from './ogg-reader';
import { OpusPacketClock } from './opus-packet-clock';
import { PcmTimeline } from './pcm-timeline';
import { SINE_OGG_OPUS } from './sine-ogg.fixture';

function pagesOf(bytes: Buffer) {
  const read = new OggReader().push(bytes);
  if (!read.ok) throw new Error(read.error);
  return read.pages;
}

describe('OpusPacketClock', () => {
  it('times the packets ffmpeg wrote on the channel clock, pre-skip taken out, headers left out', () => {
    const timeline = new PcmTimeline(48_000);
    // The fixture's 4 800 samples went in as one chunk at channel time 1 000.
    timeline.add(4800, 1000);
    const clock = new OpusPacketClock(timeline);
    const packets = pagesOf(SINE_OGG_OPUS).flatMap((page) => {
      const timed = clock.page(page);
      if (!timed.ok) throw new Error(timed.error);
      return timed.packets;
    });
    // Packet k decodes samples [960k, 960k + 960); decoded sample n is input sample n − 312.
    expect(packets.map((p) => p.timestamp)).toEqual(
      [0, 1, 2, 3, 4, 5].map((k) => 1000 + (960 * k - 312) / 48),
    );
    expect(packets.map((p) => p.samples)).toEqual([960, 960, 960, 960, 960, 960]);
    expect(packets[0]?.data.length).toBe(297);
  });

  it('trusts the granule over its own count: samples ffmpeg dropped do not shift what follows', () => {
    const timeline = new PcmTimeline(48_000);
    timeline.add(48_000, 0);
    const clock = new OpusPacketClock(timeline);
    const [head, tags, first, second] = pagesOf(SINE_OGG_OPUS);
    for (const page of [head, tags, first]) clock.page(page!);
    // As if ffmpeg had dropped 1 024 input samples before the second packet.
    const timed = clock.page({ ...second!, granulePosition: (second!.granulePosition as number) + 1024 });
    expect(timed.ok && timed.packets[0]?.timestamp).toBe((960 + 1024 - 312) / 48);
  });

  it('gives an error value when the stream does not open with OpusHead and OpusTags', () => {
    const [head, tags, audio] = pagesOf(SINE_OGG_OPUS);
    const noHead = new OpusPacketClock(new PcmTimeline(48_000));
    expect(noHead.page(audio!).ok).toBe(false);
    const noTags = new OpusPacketClock(new PcmTimeline(48_000));
    noTags.page(head!);
    expect(noTags.page(audio!).ok).toBe(false);
    const fine = new OpusPacketClock(new PcmTimeline(48_000));
    expect([head, tags, audio].map((page) => fine.page(page!).ok)).toEqual([true, true, true]);
  });

  it('gives an error value for a packet that is not Opus', () => {
    const [head, tags] = pagesOf(SINE_OGG_OPUS);
    const clock = new OpusPacketClock(new PcmTimeline(48_000));
    clock.page(head!);
    clock.page(tags!);
    expect(clock.page({ granulePosition: 960, endOfStream: false, packets: [Buffer.alloc(0)] }).ok).toBe(
      false,
    );
  });
});
