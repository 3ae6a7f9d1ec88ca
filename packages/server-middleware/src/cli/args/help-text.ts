import { DEFAULT_VIDEO_BUFFER_MS } from '@onair/protocol';

export const COMMAND_NAMES = ['serve', 'watch'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export const TOOL_HELP = `Usage: onair <command> [options]

Live video for any Express server: a complete server with the demo page, and a headless viewer.

Commands:
  serve <videos...>   Stream video files (or any ffmpeg input) with the OnAir demo page
  watch <url>         Connect to an OnAir server as a headless viewer and print stats each second

Options:
  -h, --help          Show this help (or \`onair <command> --help\`)
  -v, --version       Show the version

Exit codes: 0 success, 1 failure at run time, 2 bad command line.
`;

export const COMMAND_HELP: Record<CommandName, string> = {
  serve: `Usage: onair serve <videos...> [options]

Serves each video as a live channel (looped on one timeline: every viewer sees the same moment), with the
demo page at / and the OnAir API at the mount path. Stop with Ctrl-C (SIGINT) or SIGTERM.

Arguments:
  <videos...>          Video files, or any input ffmpeg reads (rtsp://, srt://, ...); at least one

Options:
  -p, --port <n>       Port to listen on, 0 for any free port (default 3000)
      --host <addr>    Address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
      --mount <path>   Where the API lives: <path>/videos, <path>/ws (default /live)
      --hls            Also offer HLS (H.264/AAC segments) at the mount path
      --max-fps <n>    Highest frame rate a channel outputs, 1-120 (default 30)
      --max-height <n> Scale taller videos down to this height, 16-4320 (default: source size)
      --id <id>        Id of a video in URLs (letters, digits, "-", "_"); repeat it: the nth --id names the
                       nth video, later videos keep the id made from their file name
      --title <text>   Title shown in the picker; repeatable in order like --id
  -h, --help           Show this help

Examples:
  onair serve news.mp4 sport.mkv --port 8080
  onair serve a/clip.mp4 b/clip.mp4 --id morning --id evening --title "Morning show"
`,
  watch: `Usage: onair watch <url> [options]

Connects to an OnAir server over WebSocket like a player does (hello, select, a cumulative ack every
ackWindow/4 frames, feedback from a simulated ${DEFAULT_VIDEO_BUFFER_MS} ms jitter buffer) and prints, each
second: frames per second, rung and JPEG quality, latency (now minus the frame's on-air time; needs clocks in
sync) and bitrate.

Arguments:
  <url>                The server's mount URL, e.g. http://127.0.0.1:3000/live (its WebSocket is <url>/ws); given
                       another URL of the server (the page \`onair serve\` prints), watch looks for the mount
                       the page names, then /live

Options:
      --video <id>     Video to watch (default: the first of the catalog)
      --seconds <n>    Stop after n seconds and exit 0 (default: run until Ctrl-C)
      --json           Print one JSON object per line instead of text
  -h, --help           Show this help

Example:
  onair watch http://127.0.0.1:3000/live --seconds 10 --json
`,
};
