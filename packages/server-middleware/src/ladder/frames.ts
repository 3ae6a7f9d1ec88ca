/** One raw rgb24 frame, on air at `timestamp` (channel clock). */
export interface RawFrame {
  data: Buffer;
  width: number;
  height: number;
  timestamp: number;
}

/** A raw frame with its channel sequence number (monotonic, never wraps in practice; the wire keeps 32 bits). */
export interface LadderFrame extends RawFrame {
  sequence: number;
}

/** A frame ready to send: the complete binary message (header + JPEG), built once for every viewer of a rung. */
export interface EncodedFrame {
  message: Buffer;
  sequence: number;
  timestamp: number;
}
