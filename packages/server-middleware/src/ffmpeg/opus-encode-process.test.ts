import { describe, expect, it } from 'vitest';
import { opusEncodeArgs, opusPacketBytes, spawnOpusEncodeProcess } from './opus-encode-process';

const spec = { sampleRate: 48_000, channels: 2, kbps: 64, frameMs: 20 };

describe('opusEncodeArgs', () => {
  it('reads raw PCM from stdin without probing and writes raw hard-CBR Opus packets to stdout, each at once', () => {
    const args = opusEncodeArgs(spec).join(' ');
    expect(args).toContain('-probesize 32 -analyzeduration 0 -f s16le -ar 48000 -ac 2 -i pipe:0');
    expect(args).toContain('-map 0:a -c:a libopus -b:a 64k -vbr off');
    expect(args).toContain('-frame_duration 20 -flush_packets 1 -f data pipe:1');
    expect(opusPacketBytes(spec)).toBe(160);
    // `nobuffer` makes ffmpeg drop the first 1 024 samples it probed.
    expect(args).not.toContain('nobuffer');
  });
});

describe('spawnOpusEncodeProcess', () => {
  it('ends a binary that cannot run as an error value, and takes writes after without throwing', async () => {
    const child = spawnOpusEncodeProcess('/nonexistent/ffmpeg', spec);
    child.input.write(Buffer.alloc(19_200));
    const exit = await child.exited;
    expect(exit.error?.message).toMatch(/ENOENT/);
    expect(child.isRunning).toBe(false);
    child.input.write(Buffer.alloc(19_200));
  });
});
