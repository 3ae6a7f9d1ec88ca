import {
  AUDIO_FORMAT,
  type AudioCodec,
  type AudioSocketOffer,
  MAX_CLIENT_MESSAGE_BYTES,
  OPUS_FORMAT,
  PROTOCOL_VERSION,
  type StreamMessage,
  type WelcomeMessage,
} from '@onair/protocol';
import type { Channel } from '../channel/channel';
import type { ChannelFormat } from '../channel/output-format';
import type { ChannelRung } from '../ladder/rung-plan';
import { ladderQualities } from '../options/ladder-option';
import type { ResolvedOptions } from '../options/live-stream-options';

/**
 * The answer to a good hello: what the player needs to decode, report and acknowledge, and where its audio socket
 * is when it asked for one.
 */
export function welcomeMessage(options: ResolvedOptions, audioSocket?: AudioSocketOffer): WelcomeMessage {
  return {
    type: 'welcome',
    protocolVersion: PROTOCOL_VERSION,
    ladder: ladderQualities(options.ladder),
    feedbackIntervalMs: options.feedbackIntervalMs,
    ackWindow: options.ackWindow,
    maxClientMessageBytes: MAX_CLIENT_MESSAGE_BYTES,
    ...(audioSocket ? { audioSocket } : {}),
  };
}

/** Announces the channel a viewer is now on; the media messages after it belong to it. */
export function streamMessage(
  channel: Channel,
  format: ChannelFormat,
  viewerFps: number,
  rung: number,
  audioChunkMs: number,
  audioCodec: AudioCodec | null,
  rungs: readonly ChannelRung[],
  rungKbps: readonly number[],
): StreamMessage {
  const channelTime = channel.now();
  return {
    type: 'stream',
    videoId: channel.id,
    width: format.width,
    height: format.height,
    fps: format.fps,
    viewerFps,
    audio:
      !format.hasAudio || audioCodec === null
        ? null
        : audioCodec === 'opus'
          ? {
              codec: 'opus',
              sampleRate: OPUS_FORMAT.sampleRate,
              channels: AUDIO_FORMAT.channels,
              chunkMs: audioChunkMs,
            }
          : {
              codec: 'pcm',
              sampleRate: AUDIO_FORMAT.sampleRate,
              channels: AUDIO_FORMAT.channels,
              sampleFormat: AUDIO_FORMAT.sampleFormat,
              chunkMs: audioChunkMs,
            },
    channelTime,
    position: channel.positionAt(channelTime),
    duration: format.durationSec,
    rung,
    rungs: rungs.map(({ width, height, quality, label, modelKbps }, index) => ({
      width,
      height,
      quality,
      // Whole kbit/s: an estimate, and a shorter message.
      kbps: Math.round(rungKbps[index] ?? modelKbps),
      label,
    })),
  };
}
