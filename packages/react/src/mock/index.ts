export { type CanvasPictureOptions, createCanvasPicture, type MockPicture } from './canvas-picture';
export type { MockServerOptions } from './mock-options';
export type { MockChatLine, MockRoomOptions } from './mock-room-options';
export { createMockTransport, MockServer, type MockServerState, type MockTransport } from './mock-server';
export { defaultMockVideos } from './mock-videos';
export { BEEP_MS, beepChunk, sampleJpeg, sampleJpegDataUrl, toneChunk } from './sample-media';
