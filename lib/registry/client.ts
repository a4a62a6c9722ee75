/**
 * Registry HTTP API v2 client for one registry host and one side of a copy (pull-only source or
 * pull+push destination): the handful of endpoints mirroring needs, on top of reghttp.ts
 * (authentication, retries with backoff, redirects). Knows nothing about images or platforms (that
 * is mirror.ts).
 */
import type { Readable } from 'node:stream';
import { repositoryScope, type RepositoryAction } from './auth';
import { digestOf } from './digest';
import { RegistryError } from './errors';
import { discardBody, header, readBody } from './http';
import { MANIFEST_ACCEPT, normalizeMediaType, parseManifest } from './manifest';
import { RegistryHttp, type RegistryHttpOptions } from './reghttp';

export interface RegistryClientOptions extends RegistryHttpOptions {
  /** what this side needs: the source only pulls, the destination pulls and pushes */
  access: 'pull' | 'push';
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

export class RegistryClient {
  readonly registry: string;
  private readonly actions: RepositoryAction[];
  /** The request layer under the endpoint methods (auth, retries, redirects), for requests they don't cover. */
  readonly http: RegistryHttp;
  /** this registry answered 405 to a manifest HEAD: use GET from now on */
  private headUnsupported = false;

  constructor(options: RegistryClientOptions) {
    this.registry = options.registry;
    this.actions = options.access === 'push' ? ['pull', 'push'] : ['pull'];
    this.http = new RegistryHttp(options);
  }

  /** Release sockets if this client created its own transport. */
  close(): void {
    this.http.close();
  }

  scopesFor(repository: string): string[] {
    return [repositoryScope(repository, this.actions)];
  }

  // ---- manifests -------------------------------------------------------------------------------

  /** HEAD a manifest; `undefined` if it doesn't exist. Cheap: not counted as a pull by Docker Hub. */
  async headManifest(repository: string, reference: string, signal?: AbortSignal): Promise<ManifestHead | undefined> {
    if (this.headUnsupported) return this.headByGet(repository, reference, signal);
    const res = await this.http.request({
      method: 'HEAD',
      path: `${repository}/manifests/${reference}`,
      scopes: this.scopesFor(repository),
      headers: { accept: MANIFEST_ACCEPT },
      what: `manifest ${repository}:${reference}`,
      signal,
    });
    await discardBody(res.body);
    if (res.status === 404) return undefined;
    if (res.status === 405 || res.status === 501) {
      // The distribution spec requires HEAD on manifests, but some registries (and proxies in front
      // of them) answer 405 Method Not Allowed: the GET tells the same, at the price of a pull.
      this.headUnsupported = true;
      return this.headByGet(repository, reference, signal);
    }
    await this.http.expect(res, [200], `manifest ${repository}:${reference}`);
    const size = Number(res.headers['content-length']);
    return {
      digest: header(res, 'docker-content-digest'),
      mediaType: normalizeMediaType(header(res, 'content-type')),
      size: Number.isFinite(size) ? size : undefined,
    };
  }

  private async headByGet(repository: string, reference: string, signal?: AbortSignal): Promise<ManifestHead | undefined> {
    try {
      const m = await this.getManifest(repository, reference, signal);
      return { digest: m.digest, mediaType: m.mediaType, size: m.bytes.length };
    } catch (err) {
      if (err instanceof RegistryError && err.code === 'not-found') return undefined;
      throw err;
    }
  }

  /** GET a manifest by tag or digest and check its bytes against the digest that names them. */
  async getManifest(repository: string, reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    const what = `manifest ${repository}${reference.includes(':') ? '@' : ':'}${reference}`;
    const res = await this.http.request({
      method: 'GET',
      path: `${repository}/manifests/${reference}`,
      scopes: this.scopesFor(repository),
      headers: { accept: MANIFEST_ACCEPT },
      what,
      signal,
    });
    await this.http.expect(res, [200], what);
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
    const res = await this.http.request({
      method: 'PUT',
      path: `${repository}/manifests/${reference}`,
      scopes: this.scopesFor(repository),
      headers: { 'content-type': mediaType },
      body: bytes,
      what,
      signal,
    });
    await this.http.expect(res, [200, 201], `push of ${what}`);
    await discardBody(res.body);
    const ours = digestOf(bytes);
    const stored = header(res, 'docker-content-digest');
    if (stored && stored.startsWith('sha256:') && stored !== ours) {
      throw new RegistryError('digest-mismatch', `registry ${this.registry} stored ${what} as ${stored}, not ${ours} (it rewrote the manifest)`, { registry: this.registry });
    }
    return ours;
  }

  /**
   * DELETE a manifest by digest (distribution spec "Deleting manifests"): `deleted`, or
   * `not-allowed` when the registry refuses deletes (405 UNSUPPORTED: deletion disabled).
   */
  async deleteManifest(repository: string, digest: string, signal?: AbortSignal): Promise<'deleted' | 'not-allowed'> {
    const what = `manifest ${repository}@${digest}`;
    const res = await this.http.request({ method: 'DELETE', path: `${repository}/manifests/${digest}`, scopes: [repositoryScope(repository, ['pull', 'push', 'delete'])], what, signal });
    if (res.status === 405) {
      await discardBody(res.body);
      return 'not-allowed';
    }
    await this.http.expect(res, [200, 202], `delete of ${what}`);
    await discardBody(res.body);
    return 'deleted';
  }

  // ---- blobs -----------------------------------------------------------------------------------

  async hasBlob(repository: string, digest: string, signal?: AbortSignal): Promise<boolean> {
    const res = await this.http.request({
      method: 'HEAD',
      path: `${repository}/blobs/${digest}`,
      scopes: this.scopesFor(repository),
      what: `blob ${digest}`,
      signal,
    });
    await discardBody(res.body);
    if (res.status === 404) return false;
    await this.http.expect(res, [200], `blob ${digest} in ${repository}`);
    return true;
  }

  /** Open a blob for reading; the caller streams (and must consume or destroy) the body. */
  async getBlob(repository: string, digest: string, signal?: AbortSignal): Promise<Readable> {
    const what = `blob ${digest} in ${repository}`;
    const res = await this.http.request({ method: 'GET', path: `${repository}/blobs/${digest}`, scopes: this.scopesFor(repository), what, signal });
    await this.http.expect(res, [200], what);
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
    const res = await this.http.request({
      method: 'POST',
      path: `${repository}/blobs/uploads/${query}`,
      scopes,
      headers: { 'content-length': 0 },
      body: Buffer.alloc(0),
      what: mount ? `mount of ${mount.digest} from ${mount.from}` : `upload to ${repository}`,
      signal,
    });
    await this.http.expect(res, [201, 202], mount ? `mount into ${repository}` : `upload to ${repository}`);
    await discardBody(res.body);
    if (res.status === 201 && mount) return { mounted: true };
    return { mounted: false, location: await this.http.locationOf(res, repository) };
  }

  /**
   * Finish an upload in one PUT whose body is streamed. `Content-Length` is the expected size, so a
   * body that fails mid-way (DigestVerifier) leaves the upload incomplete and nothing is committed.
   */
  async completeUpload(repository: string, location: URL, digest: string, size: number, body: Readable, signal?: AbortSignal): Promise<void> {
    const url = new URL(location);
    url.searchParams.set('digest', digest);
    const what = `upload of ${digest} to ${repository}`;
    const res = await this.http.request({
      method: 'PUT',
      url,
      scopes: this.scopesFor(repository),
      headers: { 'content-type': 'application/octet-stream', 'content-length': size },
      body,
      what,
      signal,
    });
    if (res.status !== 201) body.destroy();
    await this.http.expect(res, [201], what);
    await discardBody(res.body);
  }

  /** Abandon an upload session (best effort: registries also expire them). */
  async cancelUpload(repository: string, location: URL): Promise<void> {
    try {
      const res = await this.http.request({ method: 'DELETE', url: location, scopes: this.scopesFor(repository), what: 'cancel upload' });
      await discardBody(res.body);
    } catch {
      // The session may never have been created server-side; nothing to undo then.
    }
  }
}
