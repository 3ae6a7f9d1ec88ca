import { describe, expect, it } from 'vitest';
import type { EncodedFrame } from '../ladder/frames';
import { MAX_AUDIO_LAG_MS, MediaSender, type MediaSocket } from './media-sender';
import { SendWindow } from './send-window';

/** A socket whose backlog grows with every send until the test drains it: a viewer that stopped reading. */
class StalledSocket implements MediaSocket {
  bufferedAmount = 0;
  readonly sent: Buffer[] = [];
  send(data: Buffer): void {
    this.sent.push(data);
    this.bufferedAmount += data.length;
  }
}

const CAP = 100_000;

function video(sequence: number, bytes = 1_000): EncodedFrame {
  return { message: Buffer.alloc(bytes), sequence, timestamp: sequence * 33 };
}

describe('MediaSender', () => {
  it('skips video once the ack window is full, and sends the newest frame once an ack frees a slot', () => {
    const socket = new StalledSocket();
    const window = new SendWindow(2);
    const sender = new MediaSender(socket, window, CAP);
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
    const sender = new MediaSender(socket, new SendWindow(1), CAP);
    sender.sendVideo(video(0));
    expect(sender.sendVideo(video(1))).toBe('window-full');
    expect(sender.sendAudio(Buffer.alloc(500))).toBe(true);
    expect(sender.counters.audioSent).toBe(1);
  });

  it('drops video, not audio, above half the byte cap', () => {
    const socket = new StalledSocket();
    socket.bufferedAmount = CAP / 2;
    const sender = new MediaSender(socket, new SendWindow(10), CAP);
    expect(sender.sendVideo(video(0))).toBe('backpressure');
    expect(sender.sendAudio(Buffer.alloc(500))).toBe(true);
  });

  it('bounds the memory of a viewer that stopped reading: even audio stops at the byte cap', () => {
    const socket = new StalledSocket();
    const sender = new MediaSender(socket, new SendWindow(1_000), CAP);
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
    const sender = new MediaSender(socket, window, CAP);
    sender.sendVideo(video(0));
    now = MAX_AUDIO_LAG_MS - 1;
    expect(sender.sendAudio(Buffer.alloc(500))).toBe(true);
    now = MAX_AUDIO_LAG_MS + 1;
    expect(sender.sendAudio(Buffer.alloc(500))).toBe(false);
    window.ack(0);
    expect(sender.sendAudio(Buffer.alloc(500))).toBe(true);
    expect(sender.counters).toMatchObject({ audioSent: 2, audioDropped: 1 });
  });
});
