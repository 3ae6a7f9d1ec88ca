import net, { type AddressInfo } from 'node:net';

export interface ThrottledProxy {
  /** `ws://127.0.0.1:<proxy port>/live/ws` for a host's `wsUrl`. */
  url(wsUrl: string): string;
  /** Bytes per second the server's side may send now (changeable while running). */
  rate: number;
  close(): Promise<void>;
}

/** Bytes the proxy holds for a slow client before it stops reading the server: the "router" queue. */
const QUEUE_BYTES = 32 * 1024;
const TICK_MS = 10;

/**
 * A TCP proxy that lets the server's bytes through to the client at `rate` bytes per second (the client's bytes
 * go straight through): a narrow downlink for one viewer, made in user space. When its small queue is full it
 * stops reading the server, so TCP backpressure and late acks reach the server as they would from a real link.
 */
export async function throttledProxy(targetPort: number, bytesPerSecond: number): Promise<ThrottledProxy> {
  const sockets = new Set<net.Socket>();
  const proxy: ThrottledProxy = {
    rate: bytesPerSecond,
    url: (wsUrl) => wsUrl.replace(/:\d+\//, `:${(server.address() as AddressInfo).port}/`),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    const queue: Buffer[] = [];
    let queued = 0;
    let credit = 0;
    upstream.on('data', (chunk: Buffer) => {
      queue.push(chunk);
      queued += chunk.length;
      if (queued > QUEUE_BYTES) upstream.pause();
    });
    const timer = setInterval(() => {
      credit = Math.min(credit + (proxy.rate * TICK_MS) / 1000, proxy.rate / 10);
      while (queue.length > 0 && credit > 0) {
        const head = queue[0]!;
        const take = Math.min(head.length, Math.floor(credit) || 1);
        client.write(head.subarray(0, take));
        credit -= take;
        queued -= take;
        if (take === head.length) queue.shift();
        else queue[0] = head.subarray(take);
      }
      if (queued <= QUEUE_BYTES / 2 && upstream.isPaused()) upstream.resume();
    }, TICK_MS);
    const end = () => {
      clearInterval(timer);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return proxy;
}
