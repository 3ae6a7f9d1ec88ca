// How long ffmpeg holds the first frame of a broadcast read on stdin, as the channel's decoder reads it.
// A live encoder (-re) makes FLV (H.264/AAC, as RTMP delivers it) or WebM (VP8/Opus, as a browser sends it) from
// its first byte; the decoder gets the bytes as they come, with the decoder's filter graph and outputs. Prints the
// time from the encoder's first byte to the decoder's first raw frame byte.
//   node scripts/broadcast-startup.mjs flv|webm [runs] [-- decoder input options, e.g. -analyzeduration 100000]
// Without options after `--`, the decoder's own (BROADCAST_INPUT_OPTIONS in ffmpeg/feed-input.ts) are not added:
// pass them to compare.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ffmpeg = process.env.FFMPEG_PATH ?? require('@ffmpeg-installer/ffmpeg').path;
const argv = process.argv.slice(2);
const split = argv.indexOf('--');
const [container = 'flv', runs = '3'] = split === -1 ? argv : argv.slice(0, split);
const inputOptions = split === -1 ? [] : argv.slice(split + 1);
const codecs =
  container === 'flv'
    ? [
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-tune',
        'zerolatency',
        '-g',
        '30',
        '-c:a',
        'aac',
        '-f',
        'flv',
      ]
    : [
        ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '400k', '-g', '30'],
        ...['-c:a', 'libopus', '-f', 'webm', '-live', '1'],
      ];
const graph =
  '[0:v:0]fps=30,scale=320:240,setsar=1,format=rgb24[vout];' +
  '[0:a:0]aresample=48000:async=1:first_pts=0,aformat=sample_fmts=s16:sample_rates=48000:channel_layouts=stereo[aout]';

function once() {
  const encoder = spawn(
    ffmpeg,
    [
      ...['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '15', ...codecs, 'pipe:1'],
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const decoder = spawn(
    ffmpeg,
    [
      ...['-hide_banner', '-nostdin', '-loglevel', 'error', ...inputOptions, '-f', container, '-i', 'pipe:0'],
      ...['-filter_complex', graph, '-map', '[vout]', '-f', 'rawvideo', 'pipe:1'],
      ...['-map', '[aout]', '-f', 's16le', 'pipe:3'],
    ],
    { stdio: ['pipe', 'pipe', 'ignore', 'pipe'] },
  );
  let firstByte = 0;
  encoder.stdout.on('data', (chunk) => {
    firstByte ||= performance.now();
    decoder.stdin.write(chunk);
  });
  decoder.stdin.on('error', () => {});
  decoder.stdio[3].resume();
  return new Promise((resolve) => {
    decoder.stdout.once('data', () => {
      resolve(performance.now() - firstByte);
      encoder.kill('SIGKILL');
      decoder.kill('SIGKILL');
    });
  });
}

const times = [];
for (let run = 0; run < Number(runs); run++) times.push(Math.round(await once()));
times.sort((a, b) => a - b);
console.log(
  `${container} ${inputOptions.join(' ') || '(ffmpeg defaults)'}: first frame after ${times.join(', ')} ms ` +
    `(median ${times[Math.floor(times.length / 2)]} ms)`,
);
