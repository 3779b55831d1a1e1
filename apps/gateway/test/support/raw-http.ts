/**
 * HTTP/1.1 over a plain socket, for the tests that need what a client
 * library hides: a keep-alive connection kept open between requests, a
 * request sent in pieces (half its headers, or its body later), and whether
 * the server closed the connection.
 */
import net from 'node:net';

export interface RawResponse {
  status: number;
  /** Lower-case names; the last value of a repeated header. */
  headers: Record<string, string>;
  body: string;
}

export interface RawConnection {
  write(text: string): void;
  /** The next final (non-1xx) response on this connection; rejects if the connection closes first. */
  nextResponse(): Promise<RawResponse>;
  /** Resolves once the server sent `100 Continue`: it has read this request's headers and started handling it. */
  continued(): Promise<void>;
  /** Resolves when the connection has closed (either side). */
  closed: Promise<void>;
  isClosed(): boolean;
  destroy(): void;
}

export function rawConnection(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    let buffer = Buffer.alloc(0);
    let closed = false;
    let continues = 0;
    const responses: RawResponse[] = [];
    const waiters: { resolve: (r: RawResponse) => void; reject: (e: Error) => void }[] = [];
    const continueWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
    let onClosed: () => void = () => undefined;
    const closedPromise = new Promise<void>((resolveClosed) => (onClosed = resolveClosed));

    function deliver() {
      while (waiters.length && responses.length) waiters.shift()!.resolve(responses.shift()!);
      while (continueWaiters.length && continues > 0) {
        continues -= 1;
        continueWaiters.shift()!.resolve();
      }
    }

    /** Takes one complete response off the buffer, or returns false if more bytes are needed. */
    function parseOne(): boolean {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return false;
      const [statusLine, ...lines] = buffer.subarray(0, headerEnd).toString('latin1').split('\r\n');
      const status = Number(statusLine!.split(' ')[1]);
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        // Repeated headers (several Set-Cookie lines) keep the first; the session cookie is sent first.
        headers[name] ??= line.slice(colon + 1).trim();
      }
      let rest = buffer.subarray(headerEnd + 4);
      if (status >= 100 && status < 200) {
        buffer = rest;
        continues += 1;
        return true;
      }
      let body: Buffer;
      if (headers['transfer-encoding']?.includes('chunked')) {
        const parts: Buffer[] = [];
        for (;;) {
          const lineEnd = rest.indexOf('\r\n');
          if (lineEnd < 0) return false;
          const size = parseInt(rest.subarray(0, lineEnd).toString('latin1'), 16);
          if (rest.length < lineEnd + 2 + size + 2) return false;
          parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
          rest = rest.subarray(lineEnd + 2 + size + 2);
          if (size === 0) break;
        }
        body = Buffer.concat(parts);
      } else {
        const length = Number(headers['content-length'] ?? 0);
        if (rest.length < length) return false;
        body = rest.subarray(0, length);
        rest = rest.subarray(length);
      }
      buffer = rest;
      responses.push({ status, headers, body: body.toString('utf8') });
      return true;
    }

    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (parseOne());
      deliver();
    });
    socket.on('close', () => {
      closed = true;
      const error = new Error('connection closed before a response');
      for (const waiter of waiters.splice(0)) waiter.reject(error);
      for (const waiter of continueWaiters.splice(0)) waiter.reject(error);
      onClosed();
    });
    // A reset shows as a close; the tests ask whether the connection closed, not how.
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.setNoDelay(true);
      resolve({
        write: (text) => void socket.write(text),
        nextResponse: () =>
          new Promise((resolveResponse, rejectResponse) => {
            if (responses.length) return resolveResponse(responses.shift()!);
            if (closed) return rejectResponse(new Error('connection closed before a response'));
            waiters.push({ resolve: resolveResponse, reject: rejectResponse });
          }),
        continued: () =>
          new Promise((resolveContinue, rejectContinue) => {
            if (continues > 0) {
              continues -= 1;
              return resolveContinue();
            }
            if (closed) return rejectContinue(new Error('connection closed before 100 Continue'));
            continueWaiters.push({ resolve: resolveContinue, reject: rejectContinue });
          }),
        closed: closedPromise,
        isClosed: () => closed,
        destroy: () => socket.destroy(),
      });
    });
    socket.once('error', reject);
  });
}

/** The request line and headers of a request, without the blank line that ends them. */
export function requestHead(method: string, path: string, headers: Record<string, string | number> = {}): string {
  const lines = [
    `${method} ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
