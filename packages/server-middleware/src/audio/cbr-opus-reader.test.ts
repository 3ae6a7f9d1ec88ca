import { describe, expect, it } from 'vitest';
import { CbrOpusReader } from './cbr-opus-reader';
import { SINE_CBR_OPUS } from './sine-cbr.fixture';

const read = (reader: CbrOpusReader, chunks: Buffer[]) =>
  chunks.flatMap((chunk) => {
    const result = reader.push(chunk);
    if (!result.ok) throw new Error(result.error);
    return result.packets;
  });

describe('CbrOpusReader', () => {
  it("cuts ffmpeg's hard-CBR output into its 160-byte packets", () => {
    const packets = read(new CbrOpusReader(160, 960), [SINE_CBR_OPUS]);
    expect(packets.map((packet) => packet.length)).toEqual([160, 160, 160, 160, 160, 160]);
    expect(Buffer.concat(packets).equals(SINE_CBR_OPUS)).toBe(true);
  });

  it('keeps a packet cut across reads until its end comes, in any split', () => {
    const bytes = [...SINE_CBR_OPUS].map((byte) => Buffer.from([byte]));
    const packets = read(new CbrOpusReader(160, 960), bytes);
    expect(Buffer.concat(packets).equals(SINE_CBR_OPUS)).toBe(true);
    const uneven = read(new CbrOpusReader(160, 960), [
      SINE_CBR_OPUS.subarray(0, 250),
      SINE_CBR_OPUS.subarray(250),
    ]);
    expect(uneven).toHaveLength(6);
  });

  it('refuses packets of another length or duration than asked for, saying where', () => {
    expect(new CbrOpusReader(80, 960).push(SINE_CBR_OPUS)).toEqual({
      ok: false,
      error: 'the encoder wrote something other than 80-byte Opus packets of 960 samples (at byte 80)',
    });
    expect(new CbrOpusReader(160, 480).push(SINE_CBR_OPUS).ok).toBe(false);
    expect(new CbrOpusReader(160, 960).push(Buffer.from('OggS'.repeat(40))).ok).toBe(false);
  });
});
