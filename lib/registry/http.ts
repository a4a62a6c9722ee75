/**
 * One HTTP exchange over node's http/https with keep-alive agents: no auth, no retries (those live
 * in reghttp.ts). Request bodies may be streams; the response body is handed back unread so blob
 * downloads can be piped straight into uploads.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { RegistryError } from './errors';

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Record<string, string | number>;
  /** A Buffer is sent with Content-Length; a stream is piped (set `content-length` yourself if known). */
  body?: Buffer | Readable;
  signal?: AbortSignal;
  /** accept any TLS certificate (`--insecure` against a self-signed HTTPS registry) */
  insecureTls?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  url: URL;
  /** unread body; callers must consume or destroy it so the socket is freed */
  body: http.IncomingMessage;
}

export interface HttpTransportOptions {
  /** sockets per host; a little above the blob concurrency so manifest calls don't queue behind blobs */
  maxSockets?: number;
  /** socket idle timeout; a registry that stops sending for this long is treated as a dropped connection */
  idleTimeoutMs?: number;
  userAgent?: string;
}

export class HttpTransport {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly insecureHttpsAgent: https.Agent;
  private readonly idleTimeoutMs: number;
  private readonly userAgent: string;

  constructor(options: HttpTransportOptions = {}) {
    const maxSockets = options.maxSockets ?? 16;
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets });
    this.insecureHttpsAgent = new https.Agent({ keepAlive: true, maxSockets, rejectUnauthorized: false });
    this.idleTimeoutMs = options.idleTimeoutMs ?? 120_000;
    this.userAgent = options.userAgent ?? 'jcrkit';
  }

  send(request: HttpRequest): Promise<HttpResponse> {
    const { url, body } = request;
    const isHttps = url.protocol === 'https:';
    const agent = isHttps ? (request.insecureTls ? this.insecureHttpsAgent : this.httpsAgent) : this.httpAgent;
    const headers: Record<string, string | number> = { 'user-agent': this.userAgent, ...request.headers };
    if (Buffer.isBuffer(body)) headers['content-length'] = body.length;

    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false;
      // The body stream's own error (e.g. a digest mismatch) is the real cause; the request error
      // that follows when we tear the socket down is just "socket hang up".
      let bodyError: Error | undefined;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        reject(bodyError ?? err);
      };

      const req = (isHttps ? https : http).request(
        url,
        { method: request.method, headers, agent, signal: request.signal },
        (res) => {
          if (settled) {
            res.destroy();
            return;
          }
          settled = true;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, url, body: res });
        },
      );
      req.setTimeout(this.idleTimeoutMs, () => {
        const err = new Error(`no data from ${url.host} for ${Math.round(this.idleTimeoutMs / 1000)}s`) as NodeJS.ErrnoException;
        err.code = 'ETIMEDOUT';
        req.destroy(err);
      });
      req.on('error', (err) => setImmediate(() => fail(err)));

      if (body === undefined) {
        req.end();
      } else if (Buffer.isBuffer(body)) {
        req.end(body);
      } else {
        body.once('error', (err) => {
          bodyError ??= err;
        });
        pipeline(body, req, (err) => {
          if (err) {
            bodyError ??= err;
            req.destroy(err);
          }
        });
      }
    });
  }

  /** Close idle keep-alive sockets so a CLI run (or a test) can exit promptly. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    this.insecureHttpsAgent.destroy();
  }
}

/** Read a (small) response body fully; refuses more than `limit` bytes so a bad server can't exhaust memory. */
export async function readBody(res: Readable, limit = 8 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      res.destroy();
      throw new RegistryError('unsupported', `registry response is larger than the ${limit} bytes allowed for it`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Consume and drop a body we don't need, keeping the keep-alive socket reusable. */
export async function discardBody(res: http.IncomingMessage): Promise<void> {
  res.resume();
  await new Promise<void>((resolve) => {
    if (res.complete || res.destroyed) resolve();
    else {
      res.once('end', resolve);
      res.once('close', resolve);
      res.once('error', () => resolve());
    }
  });
}

/** A response header as one string: the first value when the server repeated it. */
export function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
