import { describe, expect, it } from 'vitest';
import { detectAudioCodecs } from './audio-codec-support';

const answering = (supported: boolean | Error) => ({
  isConfigSupported: async (config: AudioDecoderConfig) => {
    if (supported instanceof Error) throw supported;
    return { supported, config };
  },
});

describe('detectAudioCodecs', () => {
  it('offers PCM only, at once, where there is no AudioDecoder (not a secure context, jsdom, old browsers)', () => {
    expect(detectAudioCodecs(undefined)).toEqual(['pcm']);
  });

  it('offers Opus first when the decoder says it decodes 48 kHz stereo Opus', async () => {
    const asked: AudioDecoderConfig[] = [];
    const probe = {
      isConfigSupported: async (config: AudioDecoderConfig) => {
        asked.push(config);
        return { supported: true, config };
      },
    };
    expect(await detectAudioCodecs(probe)).toEqual(['opus', 'pcm']);
    expect(asked).toEqual([{ codec: 'opus', sampleRate: 48_000, numberOfChannels: 2 }]);
  });

  it('offers PCM only when the decoder says no, or the check throws', async () => {
    expect(await detectAudioCodecs(answering(false))).toEqual(['pcm']);
    expect(await detectAudioCodecs(answering(new TypeError('bad config')))).toEqual(['pcm']);
  });
});
