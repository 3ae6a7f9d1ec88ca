/**
 * PCM s16le interleaved → float32 interleaved in [-1, 1). Reads through a DataView: the payload is a view into
 * the WebSocket message at whatever byte offset the header left, and an Int16Array would need 2-byte alignment
 * (and the platform's endianness). A trailing odd byte is ignored.
 */
export function pcmS16leToFloat32(bytes: Uint8Array): Float32Array<ArrayBuffer> {
  const count = bytes.byteLength >> 1;
  const out = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * 2);
  for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true) / 32768;
  return out;
}
