import { describe, expect, it } from 'vitest';
import { FlvSplitter } from './flv-splitter';
import { FLV_HEADER, flvTag, scriptData } from './flv-tag';

describe('flvTag', () => {
  it('writes tags the FLV splitter reads back, with 32-bit times', () => {
    const video = flvTag(9, 0x01020304, Buffer.from([0x17, 0x01, 0, 0, 0, 0xaa]));
    const pieces = new FlvSplitter().push(Buffer.concat([FLV_HEADER, video]));
    expect(pieces[1]).toEqual({ kind: 'media', bytes: video, keyframe: true, timeMs: 0x01020304 });
  });
});

describe('scriptData', () => {
  it('strips the @setDataFrame an RTMP publisher puts before onMetaData, and leaves a file tag as it is', () => {
    const onMetaData = Buffer.from([0x02, 0x00, 0x0a, ...Buffer.from('onMetaData'), 0x08]);
    const published = Buffer.concat([
      Buffer.from([0x02, 0x00, 0x0d]),
      Buffer.from('@setDataFrame'),
      onMetaData,
    ]);
    expect(scriptData(published).equals(onMetaData)).toBe(true);
    expect(scriptData(onMetaData).equals(onMetaData)).toBe(true);
  });
});
