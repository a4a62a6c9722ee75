import * as http from 'http';
import * as https from 'https';
import type { KubeConnection } from './connection';
import { KubeApiError, KubeconfigError, KubeTransportError, reasonForCode } from './errors';
import {
  PATCH_CONTENT_TYPES,
  type CoreV1Resource,
  type JsonPatchOperation,
  type KubeEvent,
  type KubeList,
  type Pod,
  type KubeStatus,
  type PatchType,
  type Secret,
  type ServiceAccount,
} from './types';

/** The object type stored under each core/v1 resource the client knows. */
export interface CoreV1Types {
  secrets: Secret;
  serviceaccounts: ServiceAccount;
  events: KubeEvent;
  pods: Pod;
}

export interface KubeClientOptions {
  /** whole-request deadline (connect + send + receive), default 30 s */
  timeoutMs?: number;
  /** sockets kept open to the server; bounds real parallelism, default 32 */
  maxSockets?: number;
  userAgent?: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

/** Query parameters every write may carry (https://kubernetes.io/docs/reference/using-api/api-concepts/). */
export interface WriteOptions {
  /**
   * Recorded as the manager in metadata.managedFields, so GitOps engines can ignore exactly the
   * fields this writer owns (Argo CD's ignoreDifferences managedFieldsManagers).
   */
  fieldManager?: string;
  /** server-side dry run: authorized, admitted and validated like the real write, but not stored */
  dryRun?: boolean;
}

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  query?: Record<string, string | number | undefined>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A small client for the core/v1 REST API: get, list, create (POST), update (PUT) and patch for
 * secrets, serviceaccounts and events. Non-2xx answers become KubeApiError carrying the Status
 * reason; transport failures become KubeTransportError. Neither ever holds a request or response
 * body, so errors are safe to print even when the body was a Secret.
 */
export class KubeClient {
  readonly connection: KubeConnection;
  private readonly agent: http.Agent;
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly userAgent: string;

  constructor(connection: KubeConnection, opts: KubeClientOptions = {}) {
    this.connection = connection;
    this.base = new URL(connection.server);
    if (this.base.protocol !== 'https:' && this.base.protocol !== 'http:') {
      throw new KubeconfigError(`unsupported Kubernetes server URL scheme: ${this.base.protocol} (${connection.source})`);
    }
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.userAgent = opts.userAgent ?? 'jcrkit';
    const agentOptions = { keepAlive: true, maxSockets: opts.maxSockets ?? 32 };
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({
            ...agentOptions,
            ca: connection.ca,
            cert: connection.clientCert,
            key: connection.clientKey,
            rejectUnauthorized: !connection.insecureSkipTlsVerify,
            servername: connection.tlsServerName,
          })
        : new http.Agent(agentOptions);
  }

  /** The identity's default namespace. */
  get namespace(): string {
    return this.connection.namespace;
  }

  get<R extends CoreV1Resource>(resource: R, namespace: string, name: string): Promise<CoreV1Types[R]> {
    return this.request('GET', objectPath(resource, namespace, name));
  }

  list<R extends CoreV1Resource>(resource: R, namespace: string, opts: ListOptions = {}): Promise<KubeList<CoreV1Types[R]>> {
    return this.request('GET', collectionPath(resource, namespace), {
      query: { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit: opts.limit, continue: opts.continue },
    });
  }

  /** POST; AlreadyExists (409) when the name is taken. */
  create<R extends CoreV1Resource>(resource: R, namespace: string, obj: CoreV1Types[R], opts: WriteOptions = {}): Promise<CoreV1Types[R]> {
    return this.request('POST', collectionPath(resource, namespace), { body: obj, query: writeQuery(opts) });
  }

  /** PUT; with metadata.resourceVersion set, Conflict (409) when the object changed since it was read. */
  update<R extends CoreV1Resource>(resource: R, namespace: string, name: string, obj: CoreV1Types[R], opts: WriteOptions = {}): Promise<CoreV1Types[R]> {
    return this.request('PUT', objectPath(resource, namespace, name), { body: obj, query: writeQuery(opts) });
  }

  patch<R extends CoreV1Resource>(resource: R, namespace: string, name: string, patch: JsonPatchOperation[], type: 'json', opts?: WriteOptions): Promise<CoreV1Types[R]>;
  patch<R extends CoreV1Resource>(resource: R, namespace: string, name: string, patch: object, type: Exclude<PatchType, 'json'>, opts?: WriteOptions): Promise<CoreV1Types[R]>;
  patch<R extends CoreV1Resource>(resource: R, namespace: string, name: string, patch: object, type: PatchType, opts: WriteOptions = {}): Promise<CoreV1Types[R]> {
    return this.request('PATCH', objectPath(resource, namespace, name), { body: patch, contentType: PATCH_CONTENT_TYPES[type], query: writeQuery(opts) });
  }

  /** Any request against the API server; `path` starts with /api or /apis. */
  request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const url = new URL(this.base.toString());
    url.pathname = joinPath(this.base.pathname, path);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    }
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.userAgent };
    if (payload) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    let token: string | undefined;
    try {
      token = this.connection.bearerToken?.();
    } catch (err) {
      return Promise.reject(new KubeTransportError({ method, path, message: `cannot read the bearer token: ${(err as NodeJS.ErrnoException).code ?? 'error'}` }));
    }
    if (token) headers.Authorization = `Bearer ${token}`;

    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const fail = (err: Error) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          reject(err);
        }
      };
      const req = transport.request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => fail(new KubeTransportError({ method, path, message: `response aborted: ${err.message}` })));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 0;
          if (code >= 200 && code < 300) {
            try {
              resolve((text ? JSON.parse(text) : {}) as T);
            } catch {
              reject(new KubeTransportError({ method, path, message: `server answered ${code} with a body that is not JSON` }));
            }
            return;
          }
          reject(apiErrorFrom(code, text, method, path, res.headers['retry-after']));
        });
      });
      const timer = setTimeout(() => {
        fail(new KubeTransportError({ method, path, message: `no answer within ${this.timeoutMs} ms`, timedOut: true }));
        req.destroy();
      }, this.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => {
        // err.message of TLS and socket errors names hosts and certificate problems, never bodies
        fail(new KubeTransportError({ method, path, message: `cannot reach ${this.base.host}: ${err.message}`, causeCode: err.code }));
      });
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** Closes kept-alive sockets so a short-lived process can exit promptly. */
  close(): void {
    this.agent.destroy();
  }
}

export function createKubeClient(connection: KubeConnection, opts?: KubeClientOptions): KubeClient {
  return new KubeClient(connection, opts);
}

function writeQuery(opts: WriteOptions): Record<string, string | undefined> {
  return { fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined };
}

function apiErrorFrom(code: number, text: string, method: string, path: string, retryAfter?: string | string[]): KubeApiError {
  let status: Partial<KubeStatus> | undefined;
  try {
    const parsed = JSON.parse(text) as Partial<KubeStatus>;
    if (parsed && parsed.kind === 'Status') status = parsed;
  } catch {
    // not JSON (a proxy's HTML page, an empty 503): fall through to the generic reason
  }
  return new KubeApiError({
    code,
    reason: status?.reason || reasonForCode(code),
    // a non-Status body is not echoed: it is of unknown content and may repeat the request
    message: status?.message ?? `the server responded with status code ${code} and no Status body`,
    method,
    path,
    details: status?.details,
    retryAfterSeconds: retryAfterSecondsFrom(retryAfter),
  });
}

/** Retry-After as delta-seconds (RFC 9110 §10.2.3), the form the API server sends; anything else is ignored. */
function retryAfterSecondsFrom(v: string | string[] | undefined): number | undefined {
  const text = Array.isArray(v) ? v[0] : v;
  return text !== undefined && /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

export function collectionPath(resource: CoreV1Resource, namespace: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/${resource}`;
}

export function objectPath(resource: CoreV1Resource, namespace: string, name: string): string {
  return `${collectionPath(resource, namespace)}/${encodeURIComponent(name)}`;
}

function joinPath(basePath: string, path: string): string {
  return basePath.replace(/\/+$/, '') + path;
}
