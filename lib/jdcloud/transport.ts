/**
 * The one HTTP exchange the client needs, behind a function type so tests and other runtimes can
 * swap it. The default uses node's http/https directly (no dependency, exact control of headers).
 */
import * as http from 'http';
import * as https from 'https';

export interface TransportRequest {
  readonly method: string;
  readonly url: string;
  /** Lower-case names; includes `host`, which must go out unchanged because it is signed. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Aborted when the client's per-attempt timeout fires. */
  readonly signal: AbortSignal;
}

export interface TransportResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

/** Resolves with any HTTP response (including 4xx/5xx); rejects only when there is none. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

export interface NodeHttpTransportOptions {
  /**
   * The agent for each request, e.g. one that goes through HTTPS_PROXY (lib/core/proxy-agents.ts,
   * injected by the CLI). Injected rather than imported so the in-cluster refresher bundle, which
   * also uses this client, does not carry a proxy library.
   */
  agentFor?: (url: URL) => http.Agent | undefined;
}

/** A transport on node's http/https modules. */
export function createNodeHttpTransport(options: NodeHttpTransportOptions = {}): Transport {
  return (request) => nodeRequest(request, options.agentFor);
}

/** Default transport on node's http/https modules, with node's global agents (no proxy). */
export const nodeHttpTransport: Transport = (request) => nodeRequest(request, undefined);

function nodeRequest(request: TransportRequest, agentFor: NodeHttpTransportOptions['agentFor']): Promise<TransportResponse> {
  return new Promise<TransportResponse>((resolve, reject) => {
    const url = new URL(request.url);
    const lib = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
    const agent = agentFor?.(url);
    const req = lib.request(url, { method: request.method, headers, signal: request.signal, ...(agent ? { agent } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const responseHeaders: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

/**
 * Adapter for a WHATWG `fetch` (e.g. the global one). `host` is dropped from the headers because
 * fetch derives it from the URL — the same `host[:port]` value the client signed.
 */
export function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async (request) => {
    const { host: _host, ...headers } = request.headers;
    const res = await fetchImpl(request.url, {
      method: request.method,
      headers,
      body: request.body,
      signal: request.signal,
    });
    const responseHeaders: Record<string, string | undefined> = {};
    res.headers.forEach((value, name) => {
      responseHeaders[name.toLowerCase()] = value;
    });
    return { status: res.status, headers: responseHeaders, body: await res.text() };
  };
}
