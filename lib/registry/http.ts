/**
 * One HTTP exchange over node's http/https with keep-alive agents: no auth, no retries (those live
 * in reghttp.ts). Request bodies may be streams; the response body is handed back unread so blob
 * downloads can be piped straight into uploads. Requests go through HTTP_PROXY / HTTPS_PROXY
 * unless NO_PROXY says otherwise (lib/core/proxy.ts): plain HTTP as absolute-URI requests, TLS
 * through a CONNECT tunnel.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { ProxyAgents } from '../core/proxy-agents';
import { proxySettingsFromEnv, redactProxyUrl, type ProxySettings } from '../core/proxy';
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
  /** proxies; default: HTTP_PROXY / HTTPS_PROXY / NO_PROXY of this process */
  proxy?: ProxySettings;
}

export class HttpTransport {
  private readonly agents: ProxyAgents;
  private readonly idleTimeoutMs: number;
  private readonly userAgent: string;

  constructor(options: HttpTransportOptions = {}) {
    this.agents = new ProxyAgents(options.proxy ?? proxySettingsFromEnv(process.env), { maxSockets: options.maxSockets ?? 16 });
    this.idleTimeoutMs = options.idleTimeoutMs ?? 120_000;
    this.userAgent = options.userAgent ?? 'jcrkit';
  }

  send(request: HttpRequest): Promise<HttpResponse> {
    const { url, body } = request;
    const isHttps = url.protocol === 'https:';
    const agent = this.agents.agentFor(url, { insecureTls: request.insecureTls });
    const proxy = this.agents.proxyFor(url);
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
        { method: request.method, headers, agent, signal: request.signal, ...(isHttps && request.insecureTls ? { rejectUnauthorized: false } : {}) },
        (res) => {
          if (settled) {
            res.destroy();
            return;
          }
          settled = true;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, url, body: res });
        },
      );
      if (proxy && isHttps) {
        // https-proxy-agent replays a refused CONNECT's response as if the registry had sent it;
        // name the proxy instead, so a 403 from it is not read as the registry denying access.
        req.once('proxyConnect', (connect: { statusCode: number; statusText?: string }) => {
          if (connect.statusCode === 200) return;
          const err = new RegistryError('network', `proxy ${redactProxyUrl(proxy.host)} refused to tunnel to ${url.host} (CONNECT answered ${connect.statusCode}${connect.statusText ? ` ${connect.statusText}` : ''})`, {
            retryable: connect.statusCode >= 500,
            status: connect.statusCode,
          });
          fail(err);
          req.destroy(err);
        });
      }
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
    this.agents.close();
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
