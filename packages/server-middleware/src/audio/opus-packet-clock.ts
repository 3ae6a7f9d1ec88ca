import type { OggPage } from './ogg-reader';
import type { TimedPacket } from './opus-grouper';
import { isOpusTags, type OpusHead, opusPacketSamples, readOpusHead } from './opus-packet';
import type { PcmTimeline } from './pcm-timeline';

export type ClockResult = { ok: true; packets: TimedPacket[] } | { ok: false; error: string };

/**
 * Puts the audio packets of an Ogg Opus stream on the channel clock. The two header packets (OpusHead, then
 * OpusTags; RFC 7845 §5) are read and not passed on. A page's granule position says where its last packet ends
 * in decoded samples, pre-skip included: the packets before it are counted back from there by their own
 * durations, so samples the encoder dropped or padded never shift the times. Decoded sample n is input sample
 * n − preSkip, which the timeline places on the channel clock.
 */
export class OpusPacketClock {
  private head: OpusHead | null = null;
  private tagsSeen = false;
  /** Decoded samples (pre-skip included) up to the end of the last packet handed out. */
  private decoded = 0;

  constructor(private readonly timeline: PcmTimeline) {}

  page(page: OggPage): ClockResult {
    const audio: { data: Buffer; samples: number }[] = [];
    for (const packet of page.packets) {
      if (this.head === null) {
        this.head = readOpusHead(packet);
        if (this.head === null) return { ok: false, error: 'the first Ogg packet is not an OpusHead' };
      } else if (!this.tagsSeen) {
        if (!isOpusTags(packet)) return { ok: false, error: 'the second Ogg packet is not OpusTags' };
        this.tagsSeen = true;
      } else {
        const samples = opusPacketSamples(packet);
        if (samples === null) return { ok: false, error: 'the encoder wrote a packet that is not Opus' };
        audio.push({ data: packet, samples });
      }
    }
    if (audio.length === 0 || this.head === null) return { ok: true, packets: [] };

    const total = audio.reduce((sum, packet) => sum + packet.samples, 0);
    // The last page's granule may cut its packet short (end trimming): count on from the previous page there.
    let start =
      page.granulePosition !== null && !page.endOfStream ? page.granulePosition - total : this.decoded;
    const { preSkip } = this.head;
    const packets: TimedPacket[] = [];
    for (const { data, samples } of audio) {
      const timestamp = this.timeline.timeAt(start - preSkip);
      if (timestamp !== null) packets.push({ data, timestamp, samples });
      start += samples;
    }
    this.decoded = start;
    this.timeline.forgetBefore(start - preSkip);
    return { ok: true, packets };
  }
}
