import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from './constants';
import { decodeBroadcastClientMessage, decodeBroadcastServerMessage } from './json-codec';

const hello = {
  type: 'broadcast-hello',
  protocolVersion: PROTOCOL_VERSION,
  streamId: 'my-show',
  key: 'k'.repeat(32),
  mimeType: 'video/webm;codecs=vp8,opus',
};

describe('the broadcast socket messages', () => {
  it('accept a hello with the container types MediaRecorder names, and the end', () => {
    for (const mimeType of ['video/webm', 'video/webm;codecs=vp8,opus', 'video/webm; codecs="vp9,opus"']) {
      expect(decodeBroadcastClientMessage(JSON.stringify({ ...hello, mimeType })).ok).toBe(true);
    }
    expect(decodeBroadcastClientMessage('{"type":"broadcast-end"}').ok).toBe(true);
    const container = { type: 'broadcast-container', mimeType: 'video/webm;codecs=vp9,opus' };
    expect(decodeBroadcastClientMessage(JSON.stringify(container)).ok).toBe(true);
  });

  it('refuse a hello with another container, an empty or over-long key, or a bad stream id', () => {
    for (const bad of [
      { mimeType: 'video/mp4' },
      { mimeType: 'text/html' },
      { key: '' },
      { key: 'k'.repeat(201) },
      { streamId: '../x' },
    ]) {
      const decoded = decodeBroadcastClientMessage(JSON.stringify({ ...hello, ...bad }));
      expect(decoded.ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it('read what the server sends a broadcaster, errors included', () => {
    const messages = [
      {
        type: 'broadcast-welcome',
        protocolVersion: 1,
        streamId: 'my-show',
        maxChunkBytes: 1024,
        resumed: false,
      },
      { type: 'broadcast-status', viewers: 3, startedAt: 1_700_000_000_000, receivedBytes: 12_345 },
      { type: 'broadcast-ended', reason: 'removed' },
      { type: 'error', code: 'ONAIR_FORBIDDEN', message: 'wrong key', fatal: true },
    ];
    for (const message of messages) {
      expect(decodeBroadcastServerMessage(JSON.stringify(message)).ok, message.type).toBe(true);
    }
  });
});
