import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../fixtures/fixture-files';
import { type RunningHost, startHost } from './helpers/host-app';
import { received, sleep, waitForMessage } from './helpers/social';
import { TestViewer } from './helpers/test-viewer';

/** A player that plays HLS takes only the room from the socket: `select` with `media: false`. */
describe('a viewer that selects with media: false', () => {
  let host: RunningHost;
  const open: TestViewer[] = [];
  const connect = async () => {
    const viewer = await TestViewer.connect(host.wsUrl);
    open.push(viewer);
    return viewer;
  };
  const channel = (id: string) => {
    const found = host.live.stats().channels.find((entry) => entry.id === id);
    if (!found) throw new Error(`no channel "${id}" in the stats`);
    return found;
  };

  beforeAll(async () => {
    host = await startHost(
      [
        { id: 'main', input: fixturePath('videoOnly') },
        { id: 'quiet', input: fixturePath('videoOnly') },
      ],
      { viewerCountIntervalMs: 100 },
    );
  });

  afterAll(async () => {
    for (const viewer of open) viewer.close();
    await host?.close();
  });

  it('joins the room, chats and is counted, without starting the decoder or getting media', async () => {
    const hlsViewer = await connect();
    hlsViewer.send({ type: 'select', videoId: 'quiet', media: false });
    const room = await hlsViewer.next('room');
    expect(room).toMatchObject({ streamId: 'quiet', canChat: true, viewers: 1 });

    hlsViewer.send({ type: 'chat-send', clientId: 'h-1', text: 'watching on HLS' });
    expect((await hlsViewer.next('chat-ack')).message).toMatchObject({
      streamId: 'quiet',
      text: 'watching on HLS',
    });

    await sleep(500);
    expect(channel('quiet')).toMatchObject({
      viewers: 0,
      framesIn: 0,
      decoder: { running: false, pid: null },
    });
    expect(['starting', 'running']).not.toContain(channel('quiet').state);
    expect(host.live.stats().sessions.find((session) => session.videoId === 'quiet')).toMatchObject({
      inFlight: 0,
      framesSent: 0,
      audioSent: 0,
    });
    expect(hlsViewer.video).toHaveLength(0);
    expect(hlsViewer.audio).toHaveLength(0);
    expect(received(hlsViewer, 'stream')).toHaveLength(0);
    expect(received(hlsViewer, 'quality-changed')).toHaveLength(0);
  });

  it('shares the room with a media viewer: both counted, chat both ways, media only to the media viewer', async () => {
    const hlsViewer = await connect();
    hlsViewer.send({ type: 'select', videoId: 'main', media: false });
    await hlsViewer.next('room');

    const wsViewer = await connect();
    wsViewer.send({ type: 'select', videoId: 'main' });
    await wsViewer.next('stream');
    const wsRoom = await waitForMessage(wsViewer, 'room');
    expect(wsRoom.viewers).toBe(2);
    await waitForMessage(hlsViewer, 'viewers', (event) => event.count === 2);
    await wsViewer.collectVideo(3);
    // The decoder runs for the media viewer alone.
    expect(channel('main').viewers).toBe(1);

    wsViewer.send({ type: 'chat-send', clientId: 'w-1', text: 'from the socket player' });
    await waitForMessage(
      hlsViewer,
      'chat-message',
      (event) => event.message.text === 'from the socket player',
    );
    hlsViewer.send({ type: 'chat-send', clientId: 'h-2', text: 'from the HLS player' });
    await waitForMessage(wsViewer, 'chat-message', (event) => event.message.text === 'from the HLS player');

    expect(hlsViewer.video).toHaveLength(0);
    expect(hlsViewer.audio).toHaveLength(0);
    expect(received(hlsViewer, 'stream')).toHaveLength(0);

    hlsViewer.close();
    await waitForMessage(wsViewer, 'viewers', (event) => event.count === 1);
  });

  it('gets the stream and media once it selects again without media: false', async () => {
    const viewer = await connect();
    viewer.send({ type: 'select', videoId: 'main', media: false });
    await viewer.next('room');
    const from = viewer.messages.length;
    viewer.send({ type: 'select', videoId: 'main' });
    expect((await viewer.next('stream', from)).videoId).toBe('main');
    expect((await viewer.collectVideo(2)).length).toBe(2);
  });
});
