import net from 'node:net';

/** Larger than the kernel's usual 64 KB so a backlog is drained in fewer reads. */
const SHARED_READ_BUFFER = Buffer.alloc(256 * 1024);

/**
 * A TCP connection whose reads land in one buffer shared by every such socket (Node's `onread`): a read
 * allocates nothing and no stream machinery runs per chunk. `onData` gets a view of that buffer, valid only
 * until it returns: anything kept must be copied.
 */
export function connectWithSharedReads(
  host: string,
  port: number,
  onData: (chunk: Buffer) => void,
): net.Socket {
  return net.connect({
    host,
    port,
    noDelay: true,
    onread: {
      buffer: SHARED_READ_BUFFER,
      callback: (bytes) => {
        onData(SHARED_READ_BUFFER.subarray(0, bytes));
        return true;
      },
    },
  });
}
