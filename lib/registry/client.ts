/**
 * Registry HTTP API v2 client for one registry host and one side of a copy (pull-only source or
 * pull+push destination): authentication, retries with backoff, redirects, and the handful of
 * endpoints mirroring needs. Knows nothing about images or platforms (that is mirror.ts).
 */
import { createHash } from 'node:crypto';
import { Transform, pipeline, type Readable } from 'node:stream';
import { RegistryAuthenticator, repositoryScope, type RepositoryAction } from './auth';
import type { CredentialProvider } from './credentials';
import { digestOf } from './digest';
import { RegistryError, describeRegistryErrorBody } from './errors';
import { HttpTransport, discardBody, readBody, type HttpResponse } from './http';
import { MANIFEST_ACCEPT, normalizeMediaType, parseManifest } from './manifest';
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

export interface RegistryClientOptions {
  /** registry name as in the image reference (`docker.io`, `127.0.0.1:5000`) */
  registry: string;
  /** what this side needs: the source only pulls, the destination pulls and pushes */
  access: 'pull' | 'push';
  /** plain HTTP, or HTTPS without certificate checks (probed once per registry) */
  insecure?: boolean;
  credentials?: CredentialProvider;
  transport?: HttpTransport;
  retry?: Partial<RetryPolicy>;
  onRetry?: (notice: RetryNotice) => void;
}

export interface FetchedManifest {
  bytes: Buffer;
  /** the manifest's media type (from Content-Type when it names a manifest type, else the document) */
  mediaType: string;
  digest: string;
}

export interface ManifestHead {
  digest?: string;
  mediaType?: string;
  size?: number;
}

export type UploadStart = { mounted: true } | { mounted: false; location: URL };

interface RequestSpec {
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

export class RegistryClient {
  readonly registry: string;
  private readonly apiHost: string;
  private readonly insecure: boolean;
  private readonly actions: RepositoryAction[];
  private readonly transport: HttpTransport;
  private readonly ownsTransport: boolean;
  private readonly policy: RetryPolicy;
  private readonly onRetry?: (notice: RetryNotice) => void;
  private readonly auth: RegistryAuthenticator;
  private base: Promise<URL> | undefined;

  constructor(options: RegistryClientOptions) {
    this.registry = options.registry;
    this.apiHost = registryApiHost(options.registry);
    this.insecure = !!options.insecure;
    this.actions = options.access === 'push' ? ['pull', 'push'] : ['pull'];
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

  scopesFor(repository: string): string[] {
    return [repositoryScope(repository, this.actions)];
  }

  // ---- manifests -------------------------------------------------------------------------------

  /** HEAD a manifest; `undefined` if it doesn't exist. Cheap: not counted as a pull by Docker Hub. */
  async headManifest(repository: string, reference: string, signal?: AbortSignal): Promise<ManifestHead | undefined> {
    const res = await this.request({
      method: 'HEAD',
      path: `${repository}/manifests/${reference}`,
      scopes: this.scopesFor(repository),
      headers: { accept: MANIFEST_ACCEPT },
      what: `manifest ${repository}:${reference}`,
      signal,
    });
    await discardBody(res.body);
    if (res.status === 404) return undefined;
    await this.expect(res, [200], `manifest ${repository}:${reference}`);
    const size = Number(res.headers['content-length']);
    return {
      digest: header(res, 'docker-content-digest'),
      mediaType: normalizeMediaType(header(res, 'content-type')),
      size: Number.isFinite(size) ? size : undefined,
    };
  }

  /** GET a manifest by tag or digest and check its bytes against the digest that names them. */
  async getManifest(repository: string, reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    const what = `manifest ${repository}${reference.includes(':') ? '@' : ':'}${reference}`;
    const res = await this.request({
      method: 'GET',
      path: `${repository}/manifests/${reference}`,
      scopes: this.scopesFor(repository),
      headers: { accept: MANIFEST_ACCEPT },
      what,
      signal,
    });
    await this.expect(res, [200], what);
    const bytes = await readBody(res.body);
    const expected = reference.includes(':') ? reference : header(res, 'docker-content-digest');
    const digest = digestOf(bytes, expected ?? 'sha256');
    if (expected && expected !== digest) {
      throw new RegistryError('digest-mismatch', `${what} on ${this.registry} does not match its digest ${expected} (got ${digest})`, { registry: this.registry });
    }
    // Some registries serve manifests as application/json; what we push back must carry the real
    // type, so take it from the document when the header isn't a manifest type.
    const mediaType = parseManifest(bytes, header(res, 'content-type')).mediaType;
    return { bytes, mediaType, digest };
  }

  /** PUT manifest bytes unchanged under a tag or digest; returns the digest the registry stored. */
  async putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string, signal?: AbortSignal): Promise<string> {
    const what = `manifest ${repository}${reference.includes(':') ? '@' : ':'}${reference}`;
    const res = await this.request({
      method: 'PUT',
      path: `${repository}/manifests/${reference}`,
      scopes: this.scopesFor(repository),
      headers: { 'content-type': mediaType },
      body: bytes,
      what,
      signal,
    });
    await this.expect(res, [200, 201], `push of ${what}`);
    await discardBody(res.body);
    const ours = digestOf(bytes);
    const stored = header(res, 'docker-content-digest');
    if (stored && stored.startsWith('sha256:') && stored !== ours) {
      throw new RegistryError('digest-mismatch', `registry ${this.registry} stored ${what} as ${stored}, not ${ours} (it rewrote the manifest)`, { registry: this.registry });
    }
    return ours;
  }

  // ---- blobs -----------------------------------------------------------------------------------

  async hasBlob(repository: string, digest: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.request({
      method: 'HEAD',
      path: `${repository}/blobs/${digest}`,
      scopes: this.scopesFor(repository),
      what: `blob ${digest}`,
      signal,
    });
    await discardBody(res.body);
    if (res.status === 404) return false;
    await this.expect(res, [200], `blob ${digest} in ${repository}`);
    return true;
  }

  /** Open a blob for reading; the caller streams (and must consume or destroy) the body. */
  async getBlob(repository: string, digest: string, signal?: AbortSignal): Promise<Readable> {
    const what = `blob ${digest} in ${repository}`;
    const res = await this.request({ method: 'GET', path: `${repository}/blobs/${digest}`, scopes: this.scopesFor(repository), what, signal });
    await this.expect(res, [200], what);
    return res.body;
  }

  /**
   * Start an upload, first trying a cross-repository mount when `mount` is given: 201 means the
   * registry linked the existing blob (no bytes move); 202 means it didn't and handed us an upload
   * session we use instead of opening another one.
   */
  async startUpload(repository: string, mount?: { digest: string; from: string }, signal?: AbortSignal): Promise<UploadStart> {
    const query = mount ? `?mount=${encodeURIComponent(mount.digest)}&from=${encodeURIComponent(mount.from)}` : '';
    // Mounting needs pull rights on the source repository too; ask for both in one token.
    const scopes = mount ? [...this.scopesFor(repository), repositoryScope(mount.from, ['pull'])] : this.scopesFor(repository);
    const res = await this.request({
      method: 'POST',
      path: `${repository}/blobs/uploads/${query}`,
      scopes,
      headers: { 'content-length': 0 },
      body: Buffer.alloc(0),
      what: mount ? `mount of ${mount.digest} from ${mount.from}` : `upload to ${repository}`,
      signal,
    });
    await this.expect(res, [201, 202], mount ? `mount into ${repository}` : `upload to ${repository}`);
    await discardBody(res.body);
    if (res.status === 201 && mount) return { mounted: true };
    return { mounted: false, location: await this.locationOf(res, repository) };
  }

  /**
   * Finish an upload in one PUT whose body is streamed. `Content-Length` is the expected size, so a
   * body that fails mid-way (DigestVerifier) leaves the upload incomplete and nothing is committed.
   */
  async completeUpload(repository: string, location: URL, digest: string, size: number, body: Readable, signal?: AbortSignal): Promise<void> {
    const url = new URL(location);
    url.searchParams.set('digest', digest);
    const what = `upload of ${digest} to ${repository}`;
    const res = await this.request({
      method: 'PUT',
      url,
      scopes: this.scopesFor(repository),
      headers: { 'content-type': 'application/octet-stream', 'content-length': size },
      body,
      what,
      signal,
    });
    if (res.status !== 201) body.destroy();
    await this.expect(res, [201], what);
    await discardBody(res.body);
  }

  /** Abandon an upload session (best effort: registries also expire them). */
  async cancelUpload(repository: string, location: URL): Promise<void> {
    try {
      const res = await this.request({ method: 'DELETE', url: location, scopes: this.scopesFor(repository), what: 'cancel upload' });
      await discardBody(res.body);
    } catch {
      // The session may never have been created server-side; nothing to undo then.
    }
  }

  /**
   * Upload a stream of unknown size and digest (POST, streamed PATCH, PUT with the digest computed
   * on the way). Used to seed registries for tests and benchmarks without holding blobs in memory.
   */
  async pushBlobStream(repository: string, content: Readable, signal?: AbortSignal): Promise<{ digest: string; size: number }> {
    const start = await this.startUpload(repository, undefined, signal);
    if (start.mounted) throw new Error('unreachable: no mount requested');
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    const body = pipeline(content, measure, () => undefined); // errors surface through the PATCH
    const patched = await this.request({
      method: 'PATCH',
      url: start.location,
      scopes: this.scopesFor(repository),
      headers: { 'content-type': 'application/octet-stream' },
      body,
      what: `upload to ${repository}`,
      signal,
    });
    await this.expect(patched, [202], `upload to ${repository}`);
    await discardBody(patched.body);
    const digest = `sha256:${hash.digest('hex')}`;
    const finish = new URL(await this.locationOf(patched, repository));
    finish.searchParams.set('digest', digest);
    const done = await this.request({
      method: 'PUT',
      url: finish,
      scopes: this.scopesFor(repository),
      headers: { 'content-length': 0 },
      body: Buffer.alloc(0),
      what: `upload of ${digest}`,
      signal,
    });
    await this.expect(done, [201], `upload of ${digest} to ${repository}`);
    await discardBody(done.body);
    return { digest, size };
  }

  // ---- plumbing --------------------------------------------------------------------------------

  private async locationOf(res: HttpResponse, repository: string): Promise<URL> {
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
  private async request(spec: RequestSpec, authenticate = true): Promise<HttpResponse> {
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
  private async expect(res: HttpResponse, ok: number[], what: string): Promise<void> {
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

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
