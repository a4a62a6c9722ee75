/**
 * An HTTP proxy in front of a test registry that logs every request and injects faults on demand:
 * error statuses, dropped connections, corrupted or truncated bodies. The Host header is passed
 * through, so the registry builds upload URLs that point back at the proxy.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';

export interface ProxiedRequest {
  method: string;
  /** path and query, e.g. `/v2/app/blobs/uploads/?mount=…` */
  path: string;
  /** the request's Content-Type, e.g. a manifest PUT's media type */
  contentType?: string;
}

export type Fault =
  /** answer with this status without asking the registry */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** drop the connection without answering */
  | { kind: 'reset' }
  /** forward, but flip one byte in the middle of the response body */
  | { kind: 'corrupt' }
  /** forward half the body, then end cleanly (`end`, no Content-Length) or cut the socket (`close`) */
  | { kind: 'truncate'; mode: 'end' | 'close' }
  /** answer 307 to the same path on another origin (as registries do for blobs in object storage) */
  | { kind: 'redirect'; origin: string }
  /** forward, replacing response headers */
  | { kind: 'headers'; set: Record<string, string> }
  /** forward the status and headers, then send no body until the client gives up */
  | { kind: 'stall' };

export interface FaultRule {
  match: (request: ProxiedRequest) => boolean;
  fault: Fault;
  /** how many more requests this rule may hit */
  remaining: number;
  hits: number;
}

export interface LoggedRequest extends ProxiedRequest {
  status?: number;
  fault?: Fault['kind'];
  /** whether an Authorization header came with the request (never its value) */
  authorization: boolean;
  /** when the request arrived and when its response finished (ms, monotonic) */
  start: number;
  end?: number;
}

export interface FaultProxy {
  host: string;
  url: string;
  log: LoggedRequest[];
  addFault(match: (request: ProxiedRequest) => boolean, fault: Fault, times?: number): FaultRule;
  clearFaults(): void;
  clearLog(): void;
  /** requests that could change registry state */
  writes(): LoggedRequest[];
  /** most matching requests that were in progress at the same moment */
  peakConcurrency(match: (request: LoggedRequest) => boolean): number;
  stop(): Promise<void>;
}

class FlipMiddleByte extends Transform {
  private seen = 0;
  constructor(private readonly at: number) {
    super();
  }
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    if (this.at >= this.seen && this.at < this.seen + chunk.length) {
      chunk = Buffer.from(chunk);
      chunk[this.at - this.seen] ^= 0xff;
    }
    this.seen += chunk.length;
    cb(null, chunk);
  }
}

export async function startFaultProxy(target: { port: number }): Promise<FaultProxy> {
  const rules: FaultRule[] = [];
  const log: LoggedRequest[] = [];

  const server = http.createServer((req, res) => {
    const entry: LoggedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', contentType: req.headers['content-type'], authorization: !!req.headers.authorization, start: performance.now() };
    log.push(entry);
    res.on('close', () => {
      entry.end = performance.now();
    });
    const rule = rules.find((r) => r.remaining > 0 && r.match(entry));
    if (rule) {
      rule.remaining--;
      rule.hits++;
      entry.fault = rule.fault.kind;
    }
    const fault = rule?.fault;
    if (fault?.kind === 'status') {
      entry.status = fault.status;
      // Read the whole request first, as a registry does before failing an upload; answering
      // mid-body would turn the status into a connection reset, depending on timing.
      req.resume();
      req.on('end', () => {
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        res.end(fault.body ?? JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'injected fault' }] }));
      });
      return;
    }
    if (fault?.kind === 'redirect') {
      entry.status = 307;
      req.resume();
      res.writeHead(307, { location: `${fault.origin}${req.url}`, 'content-length': '0' });
      res.end();
      return;
    }
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    const upstream = http.request(
      { host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        entry.status = up.statusCode;
        const headers = { ...up.headers, ...(fault?.kind === 'headers' ? fault.set : {}) };
        const length = Number(up.headers['content-length'] ?? 0);
        if (fault?.kind === 'stall') {
          res.writeHead(up.statusCode ?? 502, headers);
          res.flushHeaders();
          up.pause();
          res.on('close', () => up.destroy());
          return;
        }
        if (fault?.kind === 'corrupt' && length > 0) {
          res.writeHead(up.statusCode ?? 502, headers);
          up.pipe(new FlipMiddleByte(Math.floor(length / 2))).pipe(res);
          return;
        }
        if (fault?.kind === 'truncate' && length > 0) {
          if (fault.mode === 'end') delete headers['content-length'];
          res.writeHead(up.statusCode ?? 502, headers);
          let sent = 0;
          const half = Math.floor(length / 2);
          up.on('data', (chunk: Buffer) => {
            if (sent >= half) return;
            const part = chunk.subarray(0, half - sent);
            sent += part.length;
            res.write(part);
            if (sent >= half) {
              up.destroy();
              if (fault.mode === 'end') res.end();
              else res.socket?.destroy();
            }
          });
          return;
        }
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    // A client that gives up mid-body must look the same to the registry: a connection cut short.
    req.on('close', () => {
      if (!req.complete) upstream.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    log,
    addFault: (match, fault, times = Number.POSITIVE_INFINITY) => {
      const rule: FaultRule = { match, fault, remaining: times, hits: 0 };
      rules.push(rule);
      return rule;
    },
    clearFaults: () => {
      rules.length = 0;
    },
    clearLog: () => {
      log.length = 0;
    },
    writes: () => log.filter((e) => !['GET', 'HEAD'].includes(e.method)),
    peakConcurrency: (match) => {
      const edges = log.filter(match).flatMap((e) => [
        { at: e.start, delta: 1 },
        { at: e.end ?? Number.POSITIVE_INFINITY, delta: -1 },
      ]);
      edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
      let current = 0;
      let peak = 0;
      for (const edge of edges) peak = Math.max(peak, (current += edge.delta));
      return peak;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
