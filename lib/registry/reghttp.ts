/**
 * Requests to one registry host, the layer under the endpoint methods in client.ts: the scheme
 * (probed once for `--insecure` registries), authentication and its challenges, retries with
 * backoff, redirects, and turning unexpected statuses into errors that carry the registry's own
 * explanation. It deals in paths, scopes and statuses; what the paths mean is client.ts's business.
 */
import type { Readable } from 'node:stream';
import { RegistryAuthenticator } from './auth';
import type { CredentialProvider } from './credentials';
import { RegistryError, describeRegistryErrorBody } from './errors';
import { HttpTransport, discardBody, header, readBody, type HttpResponse } from './http';
import { registryApiHost } from './reference';
import { backoffDelay, defaultRetryPolicy, isRetryableNetworkError, isRetryableStatus, type RetryPolicy } from './retry';

export interface RetryNotice {
  registry: string;
  /** what was being attempted, e.g. `GET blob sha256:…` */
  what: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface RegistryHttpOptions {
  /** registry name as in the image reference (`docker.io`, `127.0.0.1:5000`) */
  registry: string;
  /** plain HTTP, or HTTPS without certificate checks (probed once per registry) */
  insecure?: boolean;
  credentials?: CredentialProvider;
  transport?: HttpTransport;
  retry?: Partial<RetryPolicy>;
  onRetry?: (notice: RetryNotice) => void;
}

export interface RequestSpec {
  method: string;
  /** path under `/v2/` */
  path?: string;
  /** absolute URL (upload locations the registry handed out) */
  url?: URL;
  scopes: string[];
  headers?: Record<string, string | number>;
  /** a stream body can't be replayed, so such requests are not retried here (blob-copy retries whole blobs) */
  body?: Buffer | Readable;
  /** for messages: `manifest library/nginx:1.25` */
  what: string;
  signal?: AbortSignal;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
/** Errors a TLS client gets when the server speaks plain HTTP. */
const PLAIN_HTTP_SIGNS = /EPROTO|ECONNRESET|wrong version number|packet length too long|ssl/i;

export class RegistryHttp {
  readonly registry: string;
  private readonly apiHost: string;
  private readonly insecure: boolean;
  private readonly transport: HttpTransport;
  private readonly ownsTransport: boolean;
  private readonly policy: RetryPolicy;
  private readonly onRetry?: (notice: RetryNotice) => void;
  private readonly auth: RegistryAuthenticator;
  private base: Promise<URL> | undefined;

  constructor(options: RegistryHttpOptions) {
    this.registry = options.registry;
    this.apiHost = registryApiHost(options.registry);
    this.insecure = !!options.insecure;
    this.ownsTransport = !options.transport;
    this.transport = options.transport ?? new HttpTransport();
    this.policy = defaultRetryPolicy(options.retry);
    this.onRetry = options.onRetry;
    this.auth = new RegistryAuthenticator(options.registry, options.credentials, (url, authorization) => this.fetchToken(url, authorization));
  }

  /** Release sockets if this client created its own transport. */
  close(): void {
    if (this.ownsTransport) this.transport.close();
  }

  /** Where an upload continues: the Location the registry answered with, resolved against this registry. */
  async locationOf(res: HttpResponse, repository: string): Promise<URL> {
    const location = header(res, 'location');
    if (!location) throw new RegistryError('registry-error', `registry ${this.registry} started an upload to ${repository} without a Location`, { registry: this.registry });
    return new URL(location, await this.baseUrl());
  }

  /** Scheme and host to talk to. `--insecure` registries are probed once: HTTPS without checks, else plain HTTP. */
  private baseUrl(): Promise<URL> {
    this.base ??= this.insecure ? this.probeScheme() : Promise.resolve(new URL(`https://${this.apiHost}/`));
    return this.base;
  }

  private async probeScheme(): Promise<URL> {
    const https = new URL(`https://${this.apiHost}/`);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.transport.send({ method: 'GET', url: new URL('/v2/', https), insecureTls: true });
        await discardBody(res.body);
        if (res.status === 401) this.auth.learnChallenge(res.headers['www-authenticate']);
        return https;
      } catch (err) {
        if (PLAIN_HTTP_SIGNS.test(`${(err as NodeJS.ErrnoException).code ?? ''} ${(err as Error).message}`)) {
          return new URL(`http://${this.apiHost}/`);
        }
        if (!isRetryableNetworkError(err) || attempt >= this.policy.retries) {
          throw new RegistryError('network', `cannot reach registry ${this.registry}: ${(err as Error).message}`, { registry: this.registry, cause: err });
        }
        await this.policy.sleep(backoffDelay(this.policy, attempt + 1));
      }
    }
  }

  private async fetchToken(url: URL, authorization: string | undefined) {
    // authenticate=false: the realm gets the user's credentials as given here, not a token of its own.
    const res = await this.request({ method: 'GET', url, scopes: [], headers: authorization ? { authorization } : {}, what: `token from ${url.host}` }, false);
    return { status: res.status, body: await readBody(res.body, 1024 * 1024) };
  }

  /**
   * Send with authentication, retries (429/5xx/connection errors, for replayable bodies) and
   * redirects (blob downloads often redirect to object storage; credentials are not forwarded
   * to another host). The response may have any status; `expect` turns bad ones into errors.
   */
  async request(spec: RequestSpec, authenticate = true): Promise<HttpResponse> {
    let url = spec.url ?? new URL(`/v2/${spec.path}`, await this.baseUrl());
    const origin = url.origin;
    const replayable = spec.body === undefined || Buffer.isBuffer(spec.body);
    let retries = 0;
    let authAttempts = 0;
    let redirects = 0;
    for (;;) {
      const sameOrigin = url.origin === origin;
      const authorization = authenticate && sameOrigin ? await this.auth.authorizationFor(spec.scopes) : undefined;
      const headers = { ...spec.headers, ...(authorization ? { authorization } : {}) };
      // Whatever credentials the caller put in the headers stay with the origin they were meant for.
      if (!sameOrigin) delete headers.authorization;
      let res: HttpResponse;
      try {
        res = await this.transport.send({ method: spec.method, url, headers, body: spec.body, signal: spec.signal, insecureTls: this.insecure });
      } catch (err) {
        if (spec.signal?.aborted) throw new RegistryError('aborted', `${spec.what} was cancelled`, { cause: err });
        if (err instanceof RegistryError) throw err;
        const message = (err as Error).message || String(err);
        if (replayable && isRetryableNetworkError(err) && retries < this.policy.retries) {
          retries++;
          await this.pause(spec.what, retries, message);
          continue;
        }
        throw new RegistryError('network', `${spec.what} on ${this.registry} failed: ${message}`, {
          registry: this.registry,
          retryable: isRetryableNetworkError(err),
          cause: err,
        });
      }

      if (REDIRECTS.has(res.status) && (spec.method === 'GET' || spec.method === 'HEAD') && header(res, 'location')) {
        await discardBody(res.body);
        if (++redirects > MAX_REDIRECTS) throw new RegistryError('registry-error', `${spec.what} on ${this.registry}: too many redirects`, { registry: this.registry });
        url = new URL(header(res, 'location')!, url);
        continue;
      }

      if (res.status === 401 && authenticate && sameOrigin) {
        const body = spec.method === 'HEAD' ? '' : (await readBody(res.body, 64 * 1024).catch(() => Buffer.alloc(0))).toString('utf8');
        if (spec.method === 'HEAD') await discardBody(res.body);
        await this.auth.onUnauthorized(res.headers['www-authenticate'], body, spec.scopes, authorization, authAttempts++);
        if (!replayable) {
          // The streamed body is spent; fresh auth is ready, so the caller can start this blob over.
          (spec.body as Readable).destroy();
          throw new RegistryError('auth-rejected', `${spec.what} on ${this.registry} needed new authentication mid-upload`, { registry: this.registry, status: 401, retryable: true });
        }
        continue;
      }

      if (isRetryableStatus(res.status) && replayable && retries < this.policy.retries) {
        const reason = `HTTP ${res.status}`;
        const retryAfter = header(res, 'retry-after');
        await discardBody(res.body);
        retries++;
        await this.pause(spec.what, retries, reason, retryAfter);
        continue;
      }
      return res;
    }
  }

  private async pause(what: string, attempt: number, reason: string, retryAfter?: string): Promise<void> {
    const delayMs = backoffDelay(this.policy, attempt, retryAfter);
    this.onRetry?.({ registry: this.registry, what, attempt, delayMs, reason });
    await this.policy.sleep(delayMs);
  }

  /** Turn an unexpected status into a `RegistryError` with the registry's own explanation. */
  async expect(res: HttpResponse, ok: number[], what: string): Promise<void> {
    if (ok.includes(res.status)) return;
    const body = res.body.readableEnded ? '' : (await readBody(res.body, 64 * 1024).catch(() => Buffer.alloc(0))).toString('utf8');
    const { text, codes } = describeRegistryErrorBody(res.status, body);
    const details = { registry: this.registry, status: res.status, registryCodes: codes, retryable: isRetryableStatus(res.status) };
    if (res.status === 404) throw new RegistryError('not-found', `${what} not found on ${this.registry} (${text})`, details);
    if (res.status === 403) throw new RegistryError('access-denied', `registry ${this.registry} denied ${what} (${text})`, details);
    if (res.status === 401) throw new RegistryError('auth-rejected', `registry ${this.registry} refused ${what} (${text})`, details);
    throw new RegistryError('registry-error', `${what} failed on ${this.registry} (${text})`, details);
  }
}
