import { type AudioCodec, OPUS_FORMAT } from '@onair/protocol';

/** What the player offers in `hello.audioCodecs`: known at once, or after the browser answered. */
export type AudioCodecOffer = readonly AudioCodec[] | Promise<readonly AudioCodec[]>;

/** The part of WebCodecs the check needs, so a test can stand in for the browser. */
export interface AudioDecoderProbe {
  isConfigSupported(config: AudioDecoderConfig): Promise<AudioDecoderSupport>;
}

const PCM_ONLY: readonly AudioCodec[] = Object.freeze(['pcm']);
const OPUS_FIRST: readonly AudioCodec[] = Object.freeze(['opus', 'pcm']);

/**
 * The audio codecs this browser can decode, preferred first: Opus when WebCodecs' `AudioDecoder` says it decodes
 * 48 kHz stereo Opus, PCM always. WebCodecs exists only in secure contexts, so a page on plain http from a LAN
 * address gets PCM (played by the scheduled path). Synchronous when there is no `AudioDecoder` at all (jsdom, old
 * browsers), so `hello` goes out at once there.
 */
export function detectAudioCodecs(
  decoder: AudioDecoderProbe | undefined = typeof AudioDecoder === 'function' ? AudioDecoder : undefined,
): AudioCodecOffer {
  if (!decoder || typeof decoder.isConfigSupported !== 'function') return PCM_ONLY;
  return decoder
    .isConfigSupported({ codec: 'opus', sampleRate: OPUS_FORMAT.sampleRate, numberOfChannels: 2 })
    .then(
      (support) => (support.supported ? OPUS_FIRST : PCM_ONLY),
      () => PCM_ONLY,
    );
}

let cached: AudioCodecOffer | null = null;

/** `detectAudioCodecs()` once per page: the answer does not change, and every reconnect's hello needs it. */
export function browserAudioCodecs(): AudioCodecOffer {
  if (cached === null) {
    const offer = detectAudioCodecs();
    cached = offer;
    if (!Array.isArray(offer)) {
      void (offer as Promise<readonly AudioCodec[]>).then((codecs) => {
        cached = codecs;
      });
    }
  }
  return cached;
}
