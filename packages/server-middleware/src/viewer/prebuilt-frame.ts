/** Frames built so far, by message: kept exactly as long as the message itself is. */
const built = new WeakMap<Buffer, Buffer>();

/**
 * The complete WebSocket frame of a binary media message, header and payload in one Buffer (RFC 6455 §5.2: FIN,
 * opcode 2, unmasked as a server's frames are, payload length in 7, 7+16 or 7+64 bits), built on the first call
 * and the same Buffer for every later call with the same message. A video frame or an audio chunk goes to every
 * viewer of its rung or codec: framing it once makes each viewer's send one write of a shared Buffer, where
 * `ws.send` builds a header per viewer and writes header and payload apart.
 */
export function prebuiltFrame(message: Buffer): Buffer {
  const known = built.get(message);
  if (known) return known;
  const length = message.byteLength;
  const headerBytes = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerBytes + length);
  frame[0] = 0x82;
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
  built.set(message, frame);
  return frame;
}
