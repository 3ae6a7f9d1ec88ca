import {
  AUDIO_FORMAT,
  MAX_CLIENT_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  type StreamMessage,
  type WelcomeMessage,
} from '@onair/protocol';
import type { Channel } from '../channel/channel';
import type { ChannelFormat } from '../channel/output-format';
import type { ResolvedOptions } from '../options/live-stream-options';

/** The answer to a good hello: what the player needs to decode, report and acknowledge. */
export function welcomeMessage(options: ResolvedOptions): WelcomeMessage {
  return {
    type: 'welcome',
    protocolVersion: PROTOCOL_VERSION,
    ladder: [...options.ladder],
    feedbackIntervalMs: options.feedbackIntervalMs,
    ackWindow: options.ackWindow,
    maxClientMessageBytes: MAX_CLIENT_MESSAGE_BYTES,
  };
}

/** Announces the channel a viewer is now on; the media messages after it belong to it. */
export function streamMessage(
  channel: Channel,
  format: ChannelFormat,
  viewerFps: number,
  rung: number,
  audioChunkMs: number,
): StreamMessage {
  const channelTime = channel.now();
  return {
    type: 'stream',
    videoId: channel.id,
    width: format.width,
    height: format.height,
    fps: format.fps,
    viewerFps,
    audio: format.hasAudio
      ? {
          codec: 'pcm',
          sampleRate: AUDIO_FORMAT.sampleRate,
          channels: AUDIO_FORMAT.channels,
          sampleFormat: AUDIO_FORMAT.sampleFormat,
          chunkMs: audioChunkMs,
        }
      : null,
    channelTime,
    position: channel.positionAt(channelTime),
    duration: format.durationSec,
    rung,
    rungs: [],
  };
}
