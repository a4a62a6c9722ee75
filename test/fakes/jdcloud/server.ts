/**
 * A fake JD Cloud OpenAPI gateway for tests: real HTTP on 127.0.0.1, every request's signature
 * verified with ./verify-signature, the gateway's 401/404 answers, the JSON envelope, and
 * stateful cr/containerregistry, vpc and kubernetes APIs.
 * Tests can inject faults per API and inspect every request made.
 *
 *   const jd = await startFakeJdcloud({ accounts: { AK: 'SK' }, registries: [{ regionId: 'cn-north-1', name: 'myreg' }] });
 *   const client = new JdcloudClient({ accessKey: 'AK', secretKey: 'SK', endpoint: jd.url });
 *   jd.faults.add({ action: 'GetAuthorizationToken', status: 503, times: 2 });
 *   …
 *   await jd.close();
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { QueryPair, lenientDecode, parseQueryString } from '../../../lib/jdcloud/canonical-request';
import { verify } from './verify-signature';
import { FAMILY_BY_SERVICE, FakeApiError, FakeRoute, RouteInput, randomId, statusForCode } from './core';
import { crRoutes } from './cr';
import { kubernetesRoutes } from './kubernetes';
import { FakeJdcloudState, FakeSettings } from './state';
import { vpcRoutes } from './vpc';

export { FakeJdcloudState } from './state';
export type { FakeCluster, FakeRegistry, FakeRepository, FakeSettings, FakeSubnet, FakeToken, FakeVpc } from './state';

const FIFTEEN_MINUTES_MS = 15 * 60_000;

export interface FakeJdcloudOptions {
  /** Access key → secret key of the accounts the gateway accepts. */
  accounts: Readonly<Record<string, string>>;
  /** Server clock (signature skew, token issue/expiry, timestamps); default real time. */
  now?: () => Date;
  /** Largest accepted |server time − x-jdcloud-date|; default 15 min. JD Cloud documents no limit. */
  maxSkewMs?: number;
  /**
   * Refuse a nonce seen before (401). Default true. JD Cloud documents no replay rule;
   * refusing catches a client that re-sends a signed request on retry.
   */
  rejectReplayedNonce?: boolean;
  /** Registries that exist from the start. */
  registries?: ReadonlyArray<{ regionId: string; name: string; description?: string }>;
  /** Behaviour knobs (token quota, password generator, cluster readiness …); also changeable later via `state.settings`. */
  settings?: Partial<FakeSettings>;
}

/** A scripted failure, consumed by the next `times` matching requests (after signature verification). */
export interface FakeFault {
  /** API name to hit (e.g. `GetAuthorizationToken`); omitted or `*` = any API. */
  action?: string;
  /** Signing service to hit (e.g. `containerregistry`); omitted = any. */
  service?: string;
  /** How many requests it applies to; default 1. */
  times?: number;
  /** Answer with this HTTP status and `error.code`. */
  status?: number;
  /** `error.status`; default by code (503 UNAVAILABLE, 429 RATE_LIMIT, 401 UNAUTHENTICATED …). */
  errorStatus?: string;
  message?: string;
  /** Send this body verbatim instead of the JSON envelope (e.g. a proxy's HTML page). */
  rawBody?: string;
  /** Wait before answering; with no status/reset/rawBody the normal answer follows the delay. */
  delayMs?: number;
  /** Destroy the connection without any answer. */
  reset?: boolean;
  /** Extra response headers, e.g. `{ 'retry-after': '1' }`. */
  headers?: Readonly<Record<string, string>>;
}

/** The fault queue: first added, first matched. */
export class FakeFaults {
  readonly #queue: Array<FakeFault & { remaining: number }> = [];

  add(fault: FakeFault): this {
    this.#queue.push({ ...fault, remaining: fault.times ?? 1 });
    return this;
  }

  clear(): void {
    this.#queue.length = 0;
  }

  /** Faults not yet used up. */
  get pending(): readonly FakeFault[] {
    return this.#queue.map(({ remaining, ...fault }) => ({ ...fault, times: remaining }));
  }

  /** Consume one use of the first fault matching the request, if any. */
  take(action: string | undefined, service: string | undefined): FakeFault | undefined {
    const index = this.#queue.findIndex(
      (f) => (f.action === undefined || f.action === '*' || f.action === action) && (f.service === undefined || f.service === service),
    );
    if (index === -1) return undefined;
    const fault = this.#queue[index];
    if (--fault.remaining <= 0) this.#queue.splice(index, 1);
    return fault;
  }
}

/** One request as the fake saw it. */
export interface RecordedRequest {
  method: string;
  /** Path as sent (percent-encoded), without the query. */
  path: string;
  /** Query as sent, without `?`. */
  rawQuery: string;
  /** Decoded query pairs in wire order. */
  query: QueryPair[];
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  /** Signing service from the credential scope, once the signature checked out. */
  service?: string;
  accessKey?: string;
  /** Matched API name, e.g. `GetAuthorizationToken`. */
  action?: string;
  regionId?: string;
  /** HTTP status answered (0 = connection reset / no answer). */
  status: number;
  /** `error.status` when the answer was an error. */
  errorStatus?: string;
  requestId?: string;
}

export interface FakeJdcloud {
  /** Base URL to pass as the client's `endpoint`, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly state: FakeJdcloudState;
  readonly faults: FakeFaults;
  /** Every request so far, in arrival order (a live array; tests may empty it). */
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

const DEFAULT_SETTINGS: FakeSettings = {
  tokenQuotaPerHour: 5,
  tokenUser: 'jdcloud',
  tokenPassword: () => randomId(32),
  expiresAtFormat: 'epoch-ms',
  registriesPerRegion: 5,
  clusterReadyAfterDescribes: 2,
  clusterEndpoint: '203.0.113.10',
  clusterEndpointPort: '6443',
  masterAuth: {
    clusterCaCertificate: pemBase64('CERTIFICATE', 'fake-cluster-ca'),
    clientCertificate: pemBase64('CERTIFICATE', 'fake-client-cert'),
    clientKey: pemBase64('RSA PRIVATE KEY', 'fake-client-key'),
    user: 'admin',
    password: '',
  },
  versions: [
    { version: '1.30.1-jcs.1', isDefault: true, defaultNodeVersion: '1.30.1-jcs.1', versionStatus: 'available', nodeOsTypes: 'CentOS' },
    { version: '1.28.3-jcs.2', isDefault: false, defaultNodeVersion: '1.28.3-jcs.2', versionStatus: 'available', nodeOsTypes: 'CentOS' },
  ],
};

function pemBase64(label: string, content: string): string {
  const pem = `-----BEGIN ${label}-----\n${Buffer.from(content).toString('base64')}\n-----END ${label}-----\n`;
  return Buffer.from(pem).toString('base64');
}

interface CompiledRoute {
  route: FakeRoute<FakeJdcloudState>;
  pattern: RegExp;
  names: string[];
}

/** `/regions/{regionId}/x/{id}:act` → anchored regex; parameters never contain `/` or `:`. */
function compile(route: FakeRoute<FakeJdcloudState>): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split(/(\{\w+\})/)
    .map((part) => {
      const m = /^\{(\w+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]);
      return '([^/:]+)';
    })
    .join('');
  return { route, pattern: new RegExp(`^/v1${source}$`), names };
}

const ROUTES: readonly CompiledRoute[] = [...crRoutes(), ...vpcRoutes(), ...kubernetesRoutes()].map(compile);

const NO_ROUTE = 'no route and no API found with those values';

export async function startFakeJdcloud(options: FakeJdcloudOptions): Promise<FakeJdcloud> {
  const now = options.now ?? (() => new Date());
  const state = new FakeJdcloudState({ ...DEFAULT_SETTINGS, ...options.settings });
  for (const r of options.registries ?? []) state.addRegistry(r.regionId, r.name, r.description);
  const faults = new FakeFaults();
  const requests: RecordedRequest[] = [];
  const seenNonces = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, rawBody: Buffer): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const rawQuery = q === -1 ? '' : url.slice(q + 1);
    const text = rawBody.toString('utf8');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      rawQuery,
      query: parseQueryString(rawQuery),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      body: parseBody(text),
      status: 0,
    };
    requests.push(record);
    const requestId = randomId(32);
    record.requestId = requestId;

    const send = (status: number, payload: unknown, extraHeaders: Readonly<Record<string, string>> = {}, raw?: string) => {
      record.status = status;
      if (res.destroyed || res.writableEnded) return;
      res.writeHead(status, {
        'content-type': raw === undefined ? 'application/json; charset=utf-8' : 'text/html',
        'x-jdcloud-request-id': requestId,
        ...extraHeaders,
      });
      res.end(raw ?? JSON.stringify(payload));
    };
    const sendError = (code: number, status: string, message: string, extraHeaders?: Readonly<Record<string, string>>) => {
      record.errorStatus = status;
      send(code, { requestId, error: { code, status, message } }, extraHeaders);
    };

    // 1. The gateway: signature, clock, replay.
    const verdict = verify(
      { method: record.method, path, query: rawQuery, headers: req.headers, body: rawBody },
      { lookupSecret: (ak) => options.accounts[ak], now: now(), maxSkewMs: options.maxSkewMs ?? FIFTEEN_MINUTES_MS },
    );
    if (!verdict.ok) return sendError(401, 'ACCESS_ERROR', `${verdict.message} [gw]`);
    record.accessKey = verdict.accessKey;
    record.service = verdict.service;
    if (options.rejectReplayedNonce ?? true) {
      const key = `${verdict.accessKey} ${verdict.nonce}`;
      if (seenNonces.has(key)) return sendError(401, 'ACCESS_ERROR', 'nonce has been used [gw]');
      seenNonces.add(key);
    }

    // 2. Routing by signing service + method + path.
    const family = FAMILY_BY_SERVICE[verdict.service];
    const decodedPath = lenientDecode(path);
    let match: { compiled: CompiledRoute; values: string[] } | undefined;
    for (const compiled of ROUTES) {
      if (compiled.route.family !== family || compiled.route.method !== record.method) continue;
      const m = compiled.pattern.exec(decodedPath);
      if (m) {
        match = { compiled, values: m.slice(1) };
        break;
      }
    }
    if (!match) return sendError(404, 'NOT_FOUND', NO_ROUTE);
    const { route, names } = match.compiled;
    const params = Object.fromEntries(names.map((name, i) => [name, match.values[i]]));
    record.action = route.action;
    record.regionId = params.regionId;

    // 3. Scripted faults.
    const fault = faults.take(route.action, verdict.service);
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.reset) {
        record.status = 0;
        req.socket.destroy();
        return;
      }
      if (fault.rawBody !== undefined) return send(fault.status ?? 502, undefined, fault.headers, fault.rawBody);
      if (fault.status !== undefined) {
        return sendError(fault.status, fault.errorStatus ?? statusForCode(fault.status), fault.message ?? `injected ${fault.status}`, fault.headers);
      }
    }

    // 4. The API itself.
    if (verdict.region !== params.regionId) {
      // The SDKs sign with the request's regionId; a mismatch means a client bug.
      return sendError(400, 'INVALID_ARGUMENT', `credential scope region ${verdict.region} does not match regionId ${params.regionId}`);
    }
    const hasBody = record.method === 'POST' || record.method === 'PUT' || record.method === 'PATCH';
    if (hasBody && text.trim() !== '' && (typeof record.body !== 'object' || record.body === null || Array.isArray(record.body))) {
      return sendError(400, 'INVALID_ARGUMENT', 'request body must be a JSON object');
    }
    const input: RouteInput = {
      regionId: params.regionId,
      params,
      query: record.query,
      body: hasBody && record.body ? (record.body as Record<string, unknown>) : {},
      service: verdict.service,
      now: now(),
    };
    try {
      const result = route.handle(input, state);
      send(200, { requestId, result: result ?? {} });
    } catch (error) {
      if (error instanceof FakeApiError) return sendError(error.code, error.status, error.message, error.headers);
      return sendError(500, 'INTERNAL', `fake server bug: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((error) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(error));
        }
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    state,
    faults,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        timers.forEach((t) => clearTimeout(t));
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
