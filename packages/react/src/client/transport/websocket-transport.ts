import type { Transport, TransportConnection, TransportHandlers } from './transport';

/** The default transport: the browser's WebSocket, with binary messages as ArrayBuffers (no Blob round trip). */
export function createWebSocketTransport(): Transport {
  return {
    name: 'ws',
    open(url: string, handlers: TransportHandlers): TransportConnection {
      const socket = new WebSocket(url);
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => handlers.onOpen();
      socket.onmessage = (event: MessageEvent) => {
        const data: unknown = event.data;
        if (typeof data === 'string') handlers.onMessage(data);
        else if (data instanceof ArrayBuffer) handlers.onMessage(new Uint8Array(data));
      };
      socket.onerror = () => handlers.onError(new Error(`WebSocket error on ${url}`));
      socket.onclose = (event: CloseEvent) => handlers.onClose({ code: event.code, reason: event.reason });
      return {
        send(data) {
          if (socket.readyState === WebSocket.OPEN) socket.send(data as string | Uint8Array<ArrayBuffer>);
        },
        close(code = 1000, reason = '') {
          if (socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED) return;
          socket.close(code, reason);
        },
      };
    },
  };
}
