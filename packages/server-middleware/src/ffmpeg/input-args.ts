import type { VideoSource } from '../source/video-source';
import { feedInputOptions } from './feed-input';

/** The `-i` part of a command that reads a channel's input, and how many inputs it opens. */
interface ChannelInputArgs {
  args: string[];
  inputCount: 1 | 2;
}

/**
 * Inputs for a channel on its live timeline. A file is looped; other inputs are read once as given.
 *
 * `-ss` together with `-stream_loop` on one input loops back to the wrong place (checked with the bundled 2018
 * build), so a seeked file is opened twice: one pass from the seek point, then an endless loop from 0, joined by
 * the concat filter (`concatChains`). The second input is only read once the first has ended.
 */
function channelInputArgs(
  source: VideoSource,
  seekSec: number | null,
  decoderOptions: readonly string[],
): ChannelInputArgs {
  const options = [...feedInputOptions(source), ...decoderOptions];
  if (source.kind !== 'file') {
    const format = source.format === null ? [] : ['-f', source.format];
    return { args: [...options, ...format, '-i', source.input], inputCount: 1 };
  }
  const loop = [...options, '-stream_loop', '-1', '-i', source.input];
  if (seekSec === null) return { args: loop, inputCount: 1 };
  return {
    args: [...options, '-ss', seekSec.toFixed(3), '-i', source.input, ...loop],
    inputCount: 2,
  };
}

/**
 * The start of every command that reads a channel: quiet, no stdin, the inputs (each with `decoderOptions`), and
 * the filter graph `graph` builds for their count. The caller adds the outputs.
 */
export function channelGraphArgs(
  source: VideoSource,
  seekSec: number | null,
  graph: (inputCount: 1 | 2) => string,
  decoderOptions: readonly string[] = [],
): string[] {
  const { args: inputs, inputCount } = channelInputArgs(source, seekSec, decoderOptions);
  return ['-hide_banner', '-nostdin', '-loglevel', 'error', ...inputs, '-filter_complex', graph(inputCount)];
}

/** Filter chains that join the inputs of `channelInputArgs`, and the pads that carry the joined streams. */
export function concatChains(
  inputCount: 1 | 2,
  audio: boolean,
): { chains: string[]; video: string; audio: string } {
  if (inputCount === 1) return { chains: [], video: '[0:v:0]', audio: '[0:a:0]' };
  const pads = audio ? '[0:v:0][0:a:0][1:v:0][1:a:0]' : '[0:v:0][1:v:0]';
  const outputs = audio ? '[vcat][acat]' : '[vcat]';
  return {
    chains: [`${pads}concat=n=2:v=1:a=${audio ? 1 : 0}${outputs}`],
    video: '[vcat]',
    audio: '[acat]',
  };
}
