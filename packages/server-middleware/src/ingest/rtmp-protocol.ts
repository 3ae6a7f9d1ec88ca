/**
 * The RTMP protocol engine this package uses: node-media-server's (Apache-2.0), its `Rtmp` class alone (handshake,
 * chunk streams, AMF commands), run inside our own `net.Server`. Not its `NodeMediaServer`: that one keeps its
 * state in a process-wide singleton, exits the process when its port is taken, writes a store to `./data`,
 * starts an HTTP admin server, and has no way to refuse a publish before it starts (Node-Media-Server issue #667).
 *
 * node-media-server is an optional peer dependency, loaded on the first `rtmpIngest()`; the class is an internal
 * file of the package, so the version is pinned (`~4.4.3`) and `rtmp-ingest` tests exercise it end to end.
 */

/** A message as the engine hands it over: FLV tag type (8 audio, 9 video, 18 data), time, and payload. */
export interface RtmpMessage {
  codec_type: number;
  dts: number;
  size: number;
  /** The engine's reusable buffer: valid for `size` bytes, and only until the callback returns. */
  data: Buffer;
}

/** The `publish` command's arguments, as the engine decodes them. */
export interface RtmpPublishCommand {
  streamName?: unknown;
}

/** What this package uses of node-media-server's `Rtmp` class. */
export interface RtmpProtocol {
  onOutputCallback: (bytes: Buffer) => void;
  onPacketCallback: (message: RtmpMessage) => void;
  onConnectCallback: (request: unknown) => void;
  onPushCallback: () => void;
  onPlayCallback: () => void;
  /** Returns an error string, or null; may also throw on malformed input. */
  parserData(bytes: Buffer): string | null;
  /** The engine's own handler; replaced on each instance so a publish is authorised before it starts. */
  onPublish: (command: RtmpPublishCommand) => void;
  onPlay: (command: unknown) => void;
  respondPublish(): void;
  sendStatusMessage(streamId: number, level: string, code: string, description: string): void;
  streamApp?: unknown;
  streamName?: string;
  streamId?: number;
  parserPacket: { header: { stream_id: number } };
}

type RtmpProtocolClass = new () => RtmpProtocol;

/** The module path inside node-media-server; a variable, so bundlers and TypeScript leave the optional peer alone. */
const RTMP_MODULE = 'node-media-server/src/protocol/rtmp.js';

let loading: Promise<RtmpProtocolClass> | null = null;

/** Loads the engine once; rejects with a message saying what to install when the peer is missing. */
export function loadRtmpProtocol(): Promise<RtmpProtocolClass> {
  loading ??= import(RTMP_MODULE).then(
    (module: { default?: unknown }) => {
      const engine = module.default;
      if (typeof engine !== 'function') throw new Error(`${RTMP_MODULE} is not the expected class`);
      return engine as RtmpProtocolClass;
    },
    (error: Error) => {
      loading = null;
      throw new Error(
        `rtmpIngest needs the optional peer dependency node-media-server (~4.4.3): npm install node-media-server@~4.4.3 (${error.message})`,
      );
    },
  );
  return loading;
}
