import * as v from 'valibot';
import { VideoIdSchema } from './catalog';
import { ErrorMessageSchema } from './server-messages';

/**
 * The audio socket (PROTOCOL.md, "The audio socket"): a second WebSocket of one viewer that carries its sound
 * alone, so no video queued or being retransmitted on the viewer socket holds the sound back. A client that says
 * `hello.audioSocket: true` gets `welcome.audioSocket` and may open it; until it is open, and whenever it is not,
 * the sound comes on the viewer socket as before.
 */

/**
 * On the audio socket, before the first audio chunk of each stream: the chunks that follow belong to `videoId`,
 * the stream the viewer socket's `stream` message of that id started.
 */
export const AudioStreamSchema = v.object({
  type: v.literal('audio-stream'),
  videoId: VideoIdSchema,
});
export type AudioStreamMessage = v.InferOutput<typeof AudioStreamSchema>;

/** Every text message the server sends on the audio socket. */
export const AudioSocketMessageSchema = v.variant('type', [AudioStreamSchema, ErrorMessageSchema]);
export type AudioSocketMessage = v.InferOutput<typeof AudioSocketMessageSchema>;
