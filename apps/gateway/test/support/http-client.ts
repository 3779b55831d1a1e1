/**
 * A tiny HTTP client for the portal server: one fresh connection per request
 * (no keep-alive pool), so "is the server still accepting connections?" has a
 * plain answer.
 */
import http from 'node:http';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = unknown>(): T;
}

export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: options.method ?? 'GET', headers: { connection: 'close', ...options.headers }, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body,
            json: <T>() => JSON.parse(body) as T,
          });
        });
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** The portal's request header, sent by its own pages and never by a cross-site form. */
export const PORTAL_HEADERS = { 'x-portal-request': '1', 'content-type': 'application/json' };

/** A tRPC mutation over HTTP, input in the request body (superjson envelope). */
export function trpcMutation(
  baseUrl: string,
  path: string,
  input: unknown,
  headers: Record<string, string> = PORTAL_HEADERS,
) {
  return httpRequest(`${baseUrl}/trpc/${path}`, { method: 'POST', headers, body: JSON.stringify({ json: input }) });
}

/** One batched tRPC request calling `path` once per input, as the browser's client batches calls. */
export function trpcBatch(
  baseUrl: string,
  path: string,
  inputs: unknown[],
  headers: Record<string, string> = PORTAL_HEADERS,
) {
  const body = Object.fromEntries(inputs.map((input, index) => [index, { json: input }]));
  return httpRequest(`${baseUrl}/trpc/${inputs.map(() => path).join(',')}?batch=1`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
}

/** A tRPC query over HTTP, input in the query string as the client sends it. */
export function trpcQuery(
  baseUrl: string,
  path: string,
  input: unknown,
  headers: Record<string, string> = PORTAL_HEADERS,
) {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  return httpRequest(`${baseUrl}/trpc/${path}${query}`, { headers });
}

export interface TrpcErrorBody {
  error: {
    json: {
      message: string;
      code: number;
      data: { code: string; httpStatus: number; messageKey: string; fieldErrors?: Record<string, string> };
    };
  };
}
