import { describe, expect, it } from 'vitest';
import type { EncodedFrame } from '../ladder/frames';
import { LinkMeter } from './link-meter';
import { MAX_AUDIO_LAG_MS, MediaSender, type MediaSocket, VIDEO_QUEUE_MS } from './media-sender';
import { SendWindow } from './send-window';

/** A socket whose backlog grows with every send until the test drains it: a viewer that stopped reading. */
class StalledSocket implements MediaSocket {
  bufferedAmount = 0;
  readonly sent: Buffer[] = [];
  /** Set to make the socket refuse media, as `ViewerSocket` does while control messages wait. */
  refusing = false;
  sendMedia(data: Buffer): boolean {
    if (this.refusing) return false;
    this.sent.push(data);
    this.bufferedAmount += data.length;
    return true;
  }
}

const CAP = 100_000;

function video(sequence: number, bytes = 1_000): EncodedFrame {
  return { message: Buffer.alloc(bytes), sequence, timestamp: sequence * 33 };
}

/** An audio socket that takes what it is given while open, and refuses when told to (its buffer full). */
class FakeAudioSocket extends StalledSocket {
  isOpen = true;
}

describe('MediaSender', () => {
  it('sends the sound on the audio socket while it is open, whatever waits on the viewer socket, and back there after', () => {
    const viewer = new StalledSocket();
    viewer.bufferedAmount = CAP;
    const audio = new FakeAudioSocket();
    const sender = new MediaSender(viewer, new SendWindow(4), new LinkMeter(), CAP);
    sender.useAudioSocket(audio);
    expect(sender.sendAudio(Buffer.alloc(300))).toBe(true);
    expect([audio.sent.length, viewer.sent.length]).toEqual([1, 0]);
    audio.refusing = true;
    expect(sender.sendAudio(Buffer.alloc(300))).toBe(false);
    expect(sender.counters).toMatchObject({ audioSent: 1, audioDropped: 1 });

    // Closing: the viewer socket takes the sound at once, under its own bounds.
    audio.isOpen = false;
    viewer.bufferedAmount = 0;
    expect(sender.sendAudio(Buffer.alloc(300))).toBe(true);
    expect([audio.sent.length, viewer.sent.length]).toEqual([1, 1]);
    sender.useAudioSocket(null);
    expect(sender.hasAudioSocket).toBe(false);
  });

  it('skips video once the ack window is full, and sends the newest frame once an ack frees a slot', () => {
    const socket = new StalledSocket();
    const window = new SendWindow(2);
    const sender = new MediaSender(socket, window, new LinkMeter(), CAP);
    expect([0, 1, 2, 3].map((sequence) => sender.sendVideo(video(sequence)))).toEqual([
      'sent',
      'sent',
      'window-full',
      'window-full',
    ]);
    window.ack(0);
    expect(sender.sendVideo(video(4))).toBe('sent');
    expect(sender.counters).toMatchObject({ framesSent: 3, framesSkipped: 2 });
  });

  it('keeps sending audio while the video window is full', () => {
    const socket = new StalledSocket();
    const sender = new MediaSender(socket, new SendWindow(1), new LinkMeter(), CAP);
    sender.sendVideo(video(0));
    expect(sender.sendVideo(video(1))).toBe('window-full');
    expect(sender.sendAudio(Buffer.alloc(500))).toBe(true);
    expect(sender.counters.audioSent).toBe(1);
  });

  it('drops video, not audio, above half the byte cap', () => {
    const socket = new StalledSocket();
    socket.bufferedAmount = CAP / 2;
    const sender = new MediaSender(socket, new SendWindow(10), new LinkMeter(), CAP);
    expect(sender.sendVideo(video(0))).toBe('backpressure');
    expect(sender.sendAudio(Buffer.alloc(500))).toBe(true);
  });

  it('bounds the memory of a viewer that stopped reading: even audio stops at the byte cap', () => {
    const socket = new StalledSocket();
    const sender = new MediaSender(socket, new SendWindow(1_000), new LinkMeter(), CAP);
    const chunk = Buffer.alloc(19_224);
    for (let i = 0; i < 1_000; i++) {
      sender.sendAudio(chunk);
      sender.sendVideo(video(i, 20_000));
    }
    expect(socket.bufferedAmount).toBeLessThan(CAP + chunk.length);
    expect(sender.counters.audioDropped).toBeGreaterThan(900);
  });

  it('stops audio for a viewer more than MAX_AUDIO_LAG_MS behind, and resumes once it catches up', () => {
    let now = 0;
    const socket = new StalledSocket();
    const window = new SendWindow(10, () => now);
    const sender = new MediaSender(socket, window, new LinkMeter(), CAP);
    sender.sendVideo(video(0));
    sender.sendVideo(video(1));
    now = MAX_AUDIO_LAG_MS - 1;
    expect(sender.sendAudio(Buffer.alloc(500))).toBe(true);
    now = MAX_AUDIO_LAG_MS + 1;
    expect(sender.sendAudio(Buffer.alloc(500))).toBe(false);
    window.ack(1);
    expect(sender.sendAudio(Buffer.alloc(500))).toBe(true);
    expect(sender.counters).toMatchObject({ audioSent: 2, audioDropped: 1 });
  });

  it('yields video first when the pipe queues, while audio keeps flowing', () => {
    let now = 0;
    const socket = new StalledSocket();
    const window = new SendWindow(10, () => now);
    const link = new LinkMeter({}, () => now);
    const sender = new MediaSender(socket, window, link, CAP);
    expect([0, 1, 2].map((sequence) => sender.sendVideo(video(sequence)))).toEqual(['sent', 'sent', 'sent']);
    now = VIDEO_QUEUE_MS + 1;
    expect(sender.sendVideo(video(3))).toBe('congested');
    expect(sender.sendAudio(Buffer.alloc(500))).toBe(true);
    // The link, not the sender, set the rate: the throughput it measures now is the link's.
    window.ack(2);
    link.acked(3_000, now);
    now += 600;
    window.sent(4, 1_000);
    now += 100;
    link.acked(window.ack(4)!.bytes, 100);
    expect(link.sample()?.limited).toBe(true);
  });

  it('keeps enough frames in flight for the player to ack (every ackWindow/4) however long they take', () => {
    let now = 0;
    const socket = new StalledSocket();
    const window = new SendWindow(8, () => now);
    const sender = new MediaSender(socket, window, new LinkMeter({}, () => now), CAP);
    sender.sendVideo(video(0));
    now = 5_000;
    // The player acks every second frame: with one in flight it would never ack, and nothing would move again.
    expect(sender.sendVideo(video(1))).toBe('sent');
    // Frame 1, the one the ack waits for, has just gone out: nothing is queued yet.
    expect(sender.sendVideo(video(2))).toBe('sent');
    now += VIDEO_QUEUE_MS + 1;
    expect(sender.sendVideo(video(3))).toBe('congested');
  });

  it('does not read a low frame rate as queueing: the oldest frame waits for the ones the player acks with', () => {
    let now = 0;
    const socket = new StalledSocket();
    // Window 16: the player acks every fourth frame. At 5 fps on a steady 250 ms path, each ack comes after the
    // next frame has gone out, when the oldest frame in flight is 800 ms old: none of it is queueing.
    const window = new SendWindow(16, () => now);
    const link = new LinkMeter({}, () => now);
    const sender = new MediaSender(socket, window, link, CAP);
    link.acked(1_000, 250);
    const acks: { at: number; sequence: number }[] = [];
    for (let sequence = 0; sequence < 40; sequence++, now += 200) {
      while (acks[0] && acks[0].at <= now) {
        const acked = window.ack((acks.shift() as { sequence: number }).sequence);
        if (acked) link.acked(acked.bytes, acked.delayMs);
      }
      expect(sender.sendVideo(video(sequence))).toBe('sent');
      if (sequence % 4 === 3) acks.push({ at: now + 250, sequence });
    }
    // When the frame the ack waits for is stuck, it is congestion still.
    now += 250 + VIDEO_QUEUE_MS + 1;
    expect(sender.sendVideo(video(40))).toBe('congested');
  });

  it("measures queueing from the link's base delay, so a long but steady path is not congestion", () => {
    let now = 0;
    const socket = new StalledSocket();
    const window = new SendWindow(10, () => now);
    const link = new LinkMeter({}, () => now);
    const sender = new MediaSender(socket, window, link, CAP);
    link.acked(1_000, 250);
    sender.sendVideo(video(0));
    sender.sendVideo(video(1));
    now = 250 + VIDEO_QUEUE_MS - 10;
    expect(sender.sendVideo(video(2))).toBe('sent');
    now = 250 + VIDEO_QUEUE_MS + 10;
    expect(sender.sendVideo(video(3))).toBe('congested');
    now = 250 + MAX_AUDIO_LAG_MS - 10;
    expect(sender.sendAudio(Buffer.alloc(500))).toBe(true);
    now = 250 + MAX_AUDIO_LAG_MS + 10;
    expect(sender.sendAudio(Buffer.alloc(500))).toBe(false);
  });

  it('counts media the socket refused (control messages wait ahead of it) as skipped, never as in flight', () => {
    const socket = new StalledSocket();
    const window = new SendWindow(10);
    const sender = new MediaSender(socket, window, new LinkMeter(), CAP);
    socket.refusing = true;
    expect(sender.sendVideo(video(0))).toBe('backpressure');
    expect(sender.sendAudio(Buffer.alloc(500))).toBe(false);
    expect(window.inFlight).toBe(0);
    expect(sender.counters).toMatchObject({ framesSent: 0, framesSkipped: 1, audioSent: 0, audioDropped: 1 });
  });
});
