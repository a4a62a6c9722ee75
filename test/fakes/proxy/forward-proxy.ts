/**
 * A forward HTTP proxy for tests, as a corporate proxy behaves: absolute-URI requests for plain
 * HTTP (RFC 9112 §3.2.2) and CONNECT tunnels for TLS (RFC 9110 §9.3.6). It resolves the host
 * names it is given (`src.registry.test` → a port on 127.0.0.1), so a test's registries have names
 * only the proxy knows: a request that bypasses the proxy fails to resolve instead of silently
 * working. It never connects anywhere but 127.0.0.1. Logs every request (never a credential).
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ProxyLogEntry {
  kind: 'http' | 'connect';
  method: string;
  /** `host:port` the client asked for */
  target: string;
  /** path (absolute-URI requests only) */
  path?: string;
  /** whether a Proxy-Authorization header came with it (never its value) */
  proxyAuthorization: boolean;
  /** what the proxy answered itself (refusals); undefined when forwarded */
  refused?: number;
}

export interface ForwardProxy {
  /** `http://127.0.0.1:PORT` (with user:password@ when `auth` was given) */
  url: string;
  port: number;
  log: ProxyLogEntry[];
  /** entries whose target host is `host` */
  requestsTo(host: string): ProxyLogEntry[];
  stop(): Promise<void>;
}

export interface ForwardProxyOptions {
  /** host name → port on 127.0.0.1 (every port of that name goes there) */
  hosts: Record<string, number>;
  /** require Basic proxy authentication (407 otherwise) */
  auth?: { user: string; password: string };
}

function splitTarget(target: string, defaultPort: number): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(target);
  return { host: (m?.[1] ?? target).toLowerCase(), port: m?.[2] ? Number(m[2]) : defaultPort };
}

export async function startForwardProxy(options: ForwardProxyOptions): Promise<ForwardProxy> {
  const log: ProxyLogEntry[] = [];
  const expected = options.auth ? `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString('base64')}` : undefined;
  const resolve = (host: string): number | undefined => options.hosts[host.toLowerCase()];
  const authorized = (headers: http.IncomingHttpHeaders) => !expected || headers['proxy-authorization'] === expected;

  const server = http.createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      // origin-form: someone talked to the proxy as if it were the server
      log.push({ kind: 'http', method: req.method ?? 'GET', target: '', path: req.url, proxyAuthorization: !!req.headers['proxy-authorization'], refused: 400 });
      res.writeHead(400).end('this is a proxy: send absolute-URI requests');
      return;
    }
    const entry: ProxyLogEntry = { kind: 'http', method: req.method ?? 'GET', target: url.host, path: `${url.pathname}${url.search}`, proxyAuthorization: !!req.headers['proxy-authorization'] };
    log.push(entry);
    if (!authorized(req.headers)) {
      entry.refused = 407;
      req.resume();
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test-proxy"' }).end();
      return;
    }
    const port = resolve(url.hostname);
    if (port === undefined) {
      entry.refused = 502;
      req.resume();
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`test proxy: unknown host ${url.hostname}`);
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: `${url.pathname}${url.search}`, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.on('close', () => {
      if (!req.complete) upstream.destroy();
    });
    req.pipe(upstream);
  });

  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = req.url ?? '';
    const entry: ProxyLogEntry = { kind: 'connect', method: 'CONNECT', target, proxyAuthorization: !!req.headers['proxy-authorization'] };
    log.push(entry);
    client.on('error', () => undefined);
    if (!authorized(req.headers)) {
      entry.refused = 407;
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test-proxy"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const { host } = splitTarget(target, 443);
    const port = resolve(host);
    if (port === undefined) {
      entry.refused = 502;
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const credentials = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.password)}@` : '';
  return {
    url: `http://${credentials}127.0.0.1:${port}`,
    port,
    log,
    requestsTo: (host) => log.filter((e) => splitTarget(e.target, 0).host === host.toLowerCase()),
    stop: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}
