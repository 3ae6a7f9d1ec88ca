/** An FLV tag (FLV spec 10.1, E.4.1): 11-byte header, the data, and the PreviousTagSize after it. */
export function flvTag(type: number, timeMs: number, data: Buffer): Buffer {
  const tag = Buffer.alloc(11 + data.length + 4);
  tag[0] = type;
  tag.writeUIntBE(data.length, 1, 3);
  const time = Math.max(0, Math.floor(timeMs)) >>> 0;
  tag.writeUIntBE(time & 0xffffff, 4, 3);
  tag[7] = time >>> 24;
  data.copy(tag, 11);
  tag.writeUInt32BE(11 + data.length, 11 + data.length);
  return tag;
}

/** The FLV file header with audio and video flagged, and PreviousTagSize0. */
export const FLV_HEADER = Buffer.from([0x46, 0x4c, 0x56, 0x01, 0x05, 0, 0, 0, 9, 0, 0, 0, 0]);

const SET_DATA_FRAME = Buffer.from([0x02, 0x00, 0x0d, ...Buffer.from('@setDataFrame', 'latin1')]);

/**
 * A publisher's data message as an FLV script tag's data: RTMP publishers send `@setDataFrame onMetaData {...}`,
 * a file holds `onMetaData {...}` (what ffmpeg's FLV reader looks for).
 */
export function scriptData(payload: Buffer): Buffer {
  return payload.subarray(0, SET_DATA_FRAME.length).equals(SET_DATA_FRAME)
    ? payload.subarray(SET_DATA_FRAME.length)
    : payload;
}
