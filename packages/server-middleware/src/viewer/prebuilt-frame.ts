/** RFC 6455 §5.2 opcodes of the two data frames. */
const OPCODES = { text: 0x1, binary: 0x2 } as const;
export type FrameKind = keyof typeof OPCODES;

/** Frames built so far, by message and kind: kept exactly as long as the message itself is. */
const built: Record<FrameKind, WeakMap<Buffer, Buffer>> = { text: new WeakMap(), binary: new WeakMap() };

/**
 * The complete WebSocket frame of a message, header and payload in one Buffer (RFC 6455 §5.2: FIN, the opcode,
 * unmasked as a server's frames are, payload length in 7, 7+16 or 7+64 bits), built on the first call and the
 * same Buffer for every later call with the same message. A video frame, an audio chunk or a room event goes to
 * every viewer of its rung, codec or room: framing it once makes each viewer's send one write of a shared
 * Buffer, where `ws.send` builds a header per viewer and writes header and payload apart.
 */
export function prebuiltFrame(message: Buffer, kind: FrameKind = 'binary'): Buffer {
  const cache = built[kind];
  const known = cache.get(message);
  if (known) return known;
  const length = message.byteLength;
  const headerBytes = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerBytes + length);
  frame[0] = 0x80 | OPCODES[kind];
  if (headerBytes === 2) frame[1] = length;
  else if (headerBytes === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    // 64-bit length, most significant bit 0: a Buffer never holds 2^53 bytes.
    frame.writeUIntBE(0, 2, 2);
    frame.writeUIntBE(length, 4, 6);
  }
  message.copy(frame, headerBytes);
  cache.set(message, frame);
  return frame;
}
