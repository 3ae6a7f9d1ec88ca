import { OPUS_SAMPLE_RATE } from './opus-packet';

/** One Opus packet placed on the channel clock. */
export interface TimedPacket {
  data: Buffer;
  /** Channel time (ms) of its first decoded sample, the encoder's pre-skip taken out. */
  timestamp: number;
  /** Samples (48 kHz) it decodes to. */
  samples: number;
}

/** The packets of one audio message: back to back from `timestamp`, with no gap between them. */
export interface PacketGroup {
  timestamp: number;
  samples: number;
  packets: Buffer[];
}

/** Packets further apart than this on the clock than their durations say belong to different messages. */
const CONTIGUOUS_TOLERANCE_MS = 1;

/**
 * Groups packets into messages of about `chunkMs` (PROTOCOL.md: a message's header carries only its first
 * packet's time, so the packets of one message must follow each other without a gap). A group is complete
 * once it holds `chunkMs`; `flush()` hands out a shorter one when no more packets are coming soon, so the
 * encoder's own delay is not doubled by waiting for the next chunk of PCM.
 */
export class OpusGrouper {
  private group: PacketGroup | null = null;
  private readonly targetSamples: number;

  constructor(chunkMs: number) {
    this.targetSamples = (chunkMs * OPUS_SAMPLE_RATE) / 1000;
  }

  get isEmpty(): boolean {
    return this.group === null;
  }

  /** Returns the groups completed by `packet` (none, one, or two when it starts a new timeline). */
  push(packet: TimedPacket): PacketGroup[] {
    const done: PacketGroup[] = [];
    const group = this.group;
    if (group !== null && !follows(group, packet)) {
      done.push(group);
      this.group = null;
    }
    if (this.group === null) {
      this.group = { timestamp: packet.timestamp, samples: packet.samples, packets: [packet.data] };
    } else {
      this.group.samples += packet.samples;
      this.group.packets.push(packet.data);
    }
    if (this.group.samples >= this.targetSamples) {
      done.push(this.group);
      this.group = null;
    }
    return done;
  }

  /** The group under way, however short; null when there is none. */
  flush(): PacketGroup | null {
    const group = this.group;
    this.group = null;
    return group;
  }
}

function follows(group: PacketGroup, packet: TimedPacket): boolean {
  const end = group.timestamp + (group.samples * 1000) / OPUS_SAMPLE_RATE;
  return Math.abs(packet.timestamp - end) <= CONTIGUOUS_TOLERANCE_MS;
}
