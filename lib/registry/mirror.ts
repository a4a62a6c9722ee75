/**
 * Mirror orchestration: resolve what the destination should hold, stop early when it already holds
 * it, otherwise copy the manifest tree bottom-up — blobs, then each platform manifest (by digest),
 * then the index under the tag — so a reader at the destination never sees a tag pointing at
 * something incomplete. No console and no CLI here; progress goes out as events.
 */
import type { ProxySettings } from '../core/proxy';
import { copyBlob, type BlobAction, type BlobCopyContext, type BlobOutcome, type BlobProgress } from './blob-copy';
import { RegistryClient, type FetchedManifest } from './client';
import type { RetryNotice } from './reghttp';
import { chainCredentialProviders, type CredentialProvider, type Credentials } from './credentials';
import { digestOf } from './digest';
import { DockerConfig, defaultDockerConfigPath } from './docker-config';
import { RegistryError, isAbortError } from './errors';
import { HttpTransport, readBody } from './http';
import { ConcurrencyLimiter, allOrAbort } from './limiter';
import { convertImageManifest, convertIndex, formatOf, isAttestation, isMediaTypeRejection, type ConvertedManifest, type IndexChild, type ManifestFormat } from './convert';
import { applySourceMirror, type SourceMirrors } from './source-mirrors';
import {
  blobsOf,
  formatPlatform,
  parseManifest,
  parsePlatform,
  selectPlatform,
  type Descriptor,
  type ParsedManifest,
  type Platform,
} from './manifest';
import { formatImageReference, isSameRegistry, parseImageReference, registryApiHost, type ImageReference } from './reference';
import { summarize, type ImageError, type ImageResult, type MirrorReport, type PlannedAction } from './report';
import { defaultRetryPolicy, type RetryPolicy } from './retry';

export interface MirrorPair {
  source: string;
  destination: string;
  /** overrides `MirrorOptions.platform` for this pair */
  platform?: string;
  /**
   * The digest the destination should end up with, or the source's (images.digests): what a
   * source mirror serves is checked against it, and a mismatch fails the image before anything
   * is tagged.
   */
  expectedDigest?: string;
}

/**
 * `keep`: manifests byte for byte (digests unchanged), fail if the destination refuses them.
 * `auto` (default): keep, but when the destination refuses an OCI manifest, convert the image to
 * Docker schema 2 and say so. `docker` / `oci`: always write that format.
 */
export type MirrorFormat = 'auto' | 'keep' | ManifestFormat;

export interface MirrorOptions {
  /** copy only this platform (`os/arch[/variant]`); the destination then gets that platform's manifest, not the index */
  platform?: string;
  /** images copied at once, and blob transfers in flight at once across all of them (default 4) */
  jobs?: number;
  /** manifest format at the destination (default `auto`) */
  format?: MirrorFormat;
  /** pull from these mirrors instead of the source registries (registry → `host[/prefix]`) */
  sourceMirrors?: SourceMirrors;
  /** treat every registry as plain-HTTP / unverified-TLS */
  insecure?: boolean;
  sourceInsecure?: boolean;
  destinationInsecure?: boolean;
  /** registry names treated as insecure whatever the side */
  insecureRegistries?: string[];
  /** explicit credentials for every source / destination registry (flags); they win over everything else */
  sourceCredentials?: Credentials;
  destinationCredentials?: Credentials;
  /**
   * Credential hook consulted after explicit credentials and before the Docker config file, e.g. a
   * JCR temporary-token fetcher. Asked again with `{reason: 'rejected'}` when a registry answers 401.
   */
  credentialsFor?: CredentialProvider;
  /** Docker config file with `auths`; default `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`; `false` to ignore */
  authFile?: string | false;
  /** read everything needed to plan, write nothing */
  dryRun?: boolean;
  /** retries per request and per blob transfer (default 4) */
  retries?: number;
  /** backoff sleep; tests inject a fake */
  sleep?: (ms: number) => Promise<void>;
  onEvent?: (event: MirrorEvent) => void;
  signal?: AbortSignal;
  userAgent?: string;
  /** HTTP(S) proxies and NO_PROXY; default: the process's HTTP_PROXY / HTTPS_PROXY / NO_PROXY */
  proxy?: ProxySettings;
}

export type MirrorEvent =
  | { type: 'image-start'; source: string; destination: string; pulledFrom?: string }
  /** something the user should know about an image that is not a failure (e.g. a format conversion) */
  | { type: 'note'; image: string; message: string }
  | { type: 'blob'; image: string; progress: BlobProgress }
  | { type: 'retry'; notice: RetryNotice }
  | { type: 'image-done'; result: ImageResult };

/** Thrown by `mirror()` when the image could not be copied; `result` has the details. */
export class MirrorFailedError extends Error {
  constructor(readonly result: ImageResult) {
    super(`mirror of ${result.source} to ${result.destination} failed: ${result.error?.message ?? 'unknown error'}`);
    this.name = 'MirrorFailedError';
  }
}

/** Copy one image (every platform unless `platform` is set). Resolves with its result, rejects with `MirrorFailedError`. */
export async function mirror(source: string, destination: string, options: MirrorOptions = {}): Promise<ImageResult> {
  const report = await mirrorMany([{ source, destination }], options);
  const result = report.images[0];
  if (result.status === 'failed') throw new MirrorFailedError(result);
  return result;
}

/**
 * Copy several images with shared connections, tokens and blob knowledge: up to `jobs` images at
 * once, all drawing on the same `jobs` blob transfers. A failure doesn't stop the rest; the
 * report lists the images in the order given.
 */
export async function mirrorMany(pairs: MirrorPair[], options: MirrorOptions = {}): Promise<MirrorReport> {
  const started = Date.now();
  const session = new MirrorSession(options);
  const images = new ConcurrencyLimiter(options.jobs ?? 4);
  let results: ImageResult[];
  try {
    results = await Promise.all(pairs.map((pair) => images.run(() => session.mirrorImage(pair))));
  } finally {
    session.close();
  }
  return summarize(results, !!options.dryRun, Date.now() - started);
}

/** A destination refused an OCI manifest: the signal for `auto` to convert (carries the registry's error). */
class OciRefusedError extends RegistryError {
  constructor(readonly original: RegistryError, readonly mediaType: string) {
    super(original.code, original.message, { registry: original.registry, status: original.status, registryCodes: original.registryCodes, cause: original });
  }
}

/** Which repositories of a registry are known to hold a blob: later images mount instead of uploading. */
class BlobLocations {
  private readonly known = new Map<string, Set<string>>();

  add(registry: string, repository: string, digest: string): void {
    const key = `${registry.toLowerCase()} ${digest}`;
    const repos = this.known.get(key) ?? new Set<string>();
    repos.add(repository);
    this.known.set(key, repos);
  }

  repositories(registry: string, digest: string): string[] {
    return [...(this.known.get(`${registry.toLowerCase()} ${digest}`) ?? [])];
  }
}

/** Per-image state while its tree is copied. */
interface ImageCopy {
  source: RegistryClient;
  sourceRepository: string;
  destination: RegistryClient;
  destinationRepository: string;
  controller: AbortController;
  blobContext: BlobCopyContext;
  blobs: Map<string, Promise<BlobOutcome>>;
  children: Map<string, Promise<void>>;
  result: ImageResult;
  plan?: PlannedAction[];
}

class MirrorSession {
  private readonly transport: HttpTransport;
  private readonly clients = new Map<string, RegistryClient>();
  private readonly limiter: ConcurrencyLimiter;
  private readonly blobPolicy: RetryPolicy;
  private readonly locations = new BlobLocations();
  private readonly dockerConfig: CredentialProvider | undefined;
  private dockerConfigFile: Promise<DockerConfig> | undefined;
  /** destination registries that refused OCI this run: `auto` converts for them from the start */
  private readonly ociRefused = new Set<string>();
  /** the latest transfer of each blob to each destination registry, so concurrent images share it */
  private readonly transfers = new Map<string, Promise<void>>();

  constructor(private readonly options: MirrorOptions) {
    const jobs = options.jobs ?? 4;
    this.limiter = new ConcurrencyLimiter(jobs);
    this.transport = new HttpTransport({ maxSockets: jobs + 4, userAgent: options.userAgent ?? 'jcrkit-mirror', proxy: options.proxy });
    this.blobPolicy = defaultRetryPolicy({ retries: options.retries, sleep: options.sleep });
    this.dockerConfig = options.authFile === false ? undefined : async (host) => (await this.loadDockerConfig())?.credentialsFor(host);
  }

  close(): void {
    this.transport.close();
  }

  private loadDockerConfig(): Promise<DockerConfig> | undefined {
    if (this.options.authFile === false) return undefined;
    this.dockerConfigFile ??= DockerConfig.load(this.options.authFile || defaultDockerConfigPath());
    return this.dockerConfigFile;
  }

  /**
   * "No credentials" is puzzling when `docker login` worked: say so when the Docker config sends
   * this registry to a credential helper, which we deliberately don't run.
   */
  private async explainMissingCredentials(error: ImageError): Promise<ImageError> {
    if (error.code !== 'auth-required' || !error.registry) return error;
    const helper = (await this.loadDockerConfig()?.catch(() => undefined))?.helperFor(error.registry);
    if (!helper) return error;
    return { ...error, message: `${error.message}; the Docker config leaves this registry to credential helper "${helper}", which jcrkit does not run` };
  }

  async mirrorImage(pair: MirrorPair): Promise<ImageResult> {
    const started = Date.now();
    const result: ImageResult = {
      source: pair.source,
      destination: pair.destination,
      status: 'failed',
      platforms: [],
      manifests: { copied: 0, skipped: 0 },
      blobs: { copied: 0, mounted: 0, skipped: 0 },
      bytes: 0,
      durationMs: 0,
    };
    const emit = this.options.onEvent;
    const signal = this.options.signal;
    if (signal?.aborted) {
      result.status = 'cancelled';
      result.error = { code: 'aborted', message: 'not started: the run was interrupted' };
      return result;
    }
    let refs: ResolvedReferences | undefined;
    try {
      refs = resolveReferences(pair, this.options.sourceMirrors);
      result.source = formatImageReference(refs.source);
      result.destination = formatImageReference(refs.destination);
      if (refs.pull !== refs.source) result.pulledFrom = formatImageReference(refs.pull);
      emit?.({ type: 'image-start', source: result.source, destination: result.destination, pulledFrom: result.pulledFrom });
      await this.copyWithFormat(refs, pair, result);
    } catch (err) {
      result.status = signal?.aborted ? 'cancelled' : 'failed';
      result.error = signal?.aborted
        ? { code: 'aborted', message: 'interrupted before it finished; nothing was tagged' }
        : await this.explainMissingCredentials(toImageError(err, refs?.pull.registry, refs?.destination.registry));
    }
    result.durationMs = Date.now() - started;
    emit?.({ type: 'image-done', result });
    return result;
  }

  /** Copy in the requested format; `auto` retries once as Docker schema 2 when the destination refuses OCI. */
  private async copyWithFormat(refs: ResolvedReferences, pair: MirrorPair, result: ImageResult): Promise<void> {
    const wanted = this.options.format ?? 'auto';
    const destinationKey = registryApiHostKey(refs.destination.registry);
    let target: ManifestFormat | undefined = wanted === 'docker' || wanted === 'oci' ? wanted : undefined;
    if (wanted === 'auto' && this.ociRefused.has(destinationKey)) target = 'docker';
    // Blob outcomes survive a format retry: the layers are the same, only manifests change.
    const blobs = new Map<string, Promise<BlobOutcome>>();
    try {
      await this.copyImage(refs, pair, result, target, blobs, wanted === 'auto');
    } catch (err) {
      if (wanted !== 'auto' || target || !(err instanceof OciRefusedError)) throw err instanceof OciRefusedError ? err.original : err;
      this.ociRefused.add(destinationKey);
      this.note(result, `${refs.destination.registry} refused ${err.mediaType} (${err.original.message.replace(/^.*\((.*)\)$/, '$1')}); converted to Docker schema 2 — same layers, new manifest digests`);
      result.manifests = { copied: 0, skipped: 0 };
      result.platforms = [];
      await this.copyImage(refs, pair, result, 'docker', blobs, false);
    }
  }

  private note(result: ImageResult, message: string): void {
    (result.notes ??= []).push(message);
    this.options.onEvent?.({ type: 'note', image: result.destination, message });
  }

  private client(side: 'source' | 'destination', registry: string): RegistryClient {
    const key = `${side} ${registry.toLowerCase()}`;
    let client = this.clients.get(key);
    if (!client) {
      const o = this.options;
      const explicit = side === 'source' ? o.sourceCredentials : o.destinationCredentials;
      const sideInsecure = side === 'source' ? o.sourceInsecure : o.destinationInsecure;
      client = new RegistryClient({
        registry,
        access: side === 'source' ? 'pull' : 'push',
        insecure: !!(o.insecure || sideInsecure || o.insecureRegistries?.some((r) => r.toLowerCase() === registry.toLowerCase())),
        credentials: chainCredentialProviders(explicit ? async () => explicit : undefined, o.credentialsFor, this.dockerConfig),
        transport: this.transport,
        retry: { retries: o.retries, sleep: o.sleep },
        onRetry: (notice) => o.onEvent?.({ type: 'retry', notice }),
      });
      this.clients.set(key, client);
    }
    return client;
  }

  private async copyImage(refs: ResolvedReferences, pair: MirrorPair, result: ImageResult, target: ManifestFormat | undefined, blobs: Map<string, Promise<BlobOutcome>>, auto: boolean): Promise<void> {
    const { pull: sourceRef, destination: destinationRef } = refs;
    const source = this.client('source', sourceRef.registry);
    const destination = this.client('destination', destinationRef.registry);
    const sourceRepository = sourceRef.repository;
    const destinationRepository = destinationRef.repository;
    const platformText = pair.platform ?? this.options.platform;
    const platform = platformText ? parsePlatform(platformText) : undefined;
    const signal = this.options.signal;

    // 1. What is the top-level manifest the destination should end up with?
    let top: FetchedManifest | undefined;
    let topDigest: string | undefined = sourceRef.digest;
    let topMediaType: string | undefined;
    /** what the source reference itself names (an index, before platform selection) */
    let namedDigest: string | undefined = sourceRef.digest;
    const sourceReference = sourceRef.digest ?? sourceRef.tag ?? 'latest';
    if (platform) {
      top = await source.getManifest(sourceRepository, sourceReference, signal);
      namedDigest = top.digest;
      const parsed = parseManifest(top.bytes, top.mediaType);
      if (parsed.kind === 'index') {
        const chosen = selectPlatform(parsed.manifests, platform);
        top = await source.getManifest(sourceRepository, chosen.digest, signal);
        result.platforms = [formatPlatform(chosen.platform)];
      } else {
        const actual = await this.configPlatform(source, sourceRepository, parsed);
        if (!platformMatches(actual, platform)) {
          throw new RegistryError('platform-not-found', `platform ${formatPlatform(platform)} is not in the image (it is a single-platform ${formatPlatform(actual)} image)`);
        }
        result.platforms = [formatPlatform(actual)];
      }
      topDigest = top.digest;
      topMediaType = top.mediaType;
    }

    // 2. Unchanged? Then nothing else is read or written. HEAD is enough to decide, and registries
    // like Docker Hub don't count it as a pull. Both sides are asked at once when the destination
    // reference is known up front (the usual tag case), so a no-op run costs one round trip.
    const destinationFixed = destinationRef.digest ?? destinationRef.tag;
    const [sourceHead, earlyExisting] = await settledInOrder([
      topDigest ? undefined : source.headManifest(sourceRepository, sourceReference, signal),
      destinationFixed ? destination.headManifest(destinationRepository, destinationFixed, signal) : undefined,
    ]);
    topDigest ??= sourceHead?.digest;
    topMediaType ??= sourceHead?.mediaType;
    if (!topDigest) {
      // Some registries omit Docker-Content-Digest on HEAD; the GET we'd need anyway tells us.
      top = await source.getManifest(sourceRepository, sourceReference, signal);
      topDigest = top.digest;
      topMediaType = top.mediaType;
    }
    namedDigest ??= topDigest;
    const expected = pair.expectedDigest;
    if (expected && (expected === namedDigest || expected === topDigest)) result.verified = true;
    // `auto` keeps the format the destination already holds for this tag: a Docker manifest there
    // over an OCI source is most likely our own earlier conversion, and converting again tells.
    if (auto && !target && earlyExisting && earlyExisting.digest !== topDigest && formatOf(earlyExisting.mediaType ?? '') === 'docker' && formatOf(topMediaType ?? '') !== 'docker') {
      target = 'docker';
    }
    if (target) {
      top ??= await source.getManifest(sourceRepository, topDigest, signal);
      await this.copyConverted({ source, sourceRepository, destination, destinationRepository, destinationRef, destinationFixed, earlyExisting, top, target, result, blobs, expected });
      return;
    }
    if (expected && !result.verified) throw mismatch(sourceRef, refs, namedDigest, expected);
    if (destinationRef.digest && destinationRef.digest !== topDigest) {
      throw new RegistryError('digest-mismatch', `destination digest ${destinationRef.digest} can't hold the source, whose manifest is ${topDigest}`);
    }
    const destinationReference = destinationFixed ?? topDigest;
    if (!destinationFixed) result.destination = formatImageReference({ ...destinationRef, digest: topDigest });
    const existing = destinationFixed ? earlyExisting : await destination.headManifest(destinationRepository, destinationReference, signal);
    if (existing?.digest === topDigest) {
      result.status = 'unchanged';
      result.digest = topDigest;
      result.mediaType = existing.mediaType;
      return;
    }

    // 3. Copy the tree, then write the top manifest last.
    top ??= await source.getManifest(sourceRepository, topDigest, signal);
    result.digest = top.digest;
    result.mediaType = top.mediaType;
    const copy = this.startImageCopy(source, sourceRepository, destination, destinationRepository, result, blobs);
    const unlink = linkAbort(signal, copy.controller);
    try {
      await this.copyTree(copy, top, result.platforms[0]);
    } finally {
      unlink();
    }
    await this.finishTop(copy, destinationReference, top);
  }

  /**
   * The image with its manifests rewritten in `target` format over the same blobs: children first
   * (by their new digests), the new top manifest last. Attestations are dropped for Docker.
   */
  private async copyConverted(c: {
    source: RegistryClient;
    sourceRepository: string;
    destination: RegistryClient;
    destinationRepository: string;
    destinationRef: ImageReference;
    destinationFixed: string | undefined;
    earlyExisting: ManifestHeadResult;
    top: FetchedManifest;
    target: ManifestFormat;
    result: ImageResult;
    blobs: Map<string, Promise<BlobOutcome>>;
    expected: string | undefined;
  }): Promise<void> {
    const { source, sourceRepository, destination, destinationRepository, top, target, result } = c;
    const signal = this.options.signal;
    const parsed = parseManifest(top.bytes, top.mediaType);
    const what = `manifest ${source.registry}/${sourceRepository}@${top.digest}`;
    const keepAsIs = (m: FetchedManifest): ConvertedManifest => ({ bytes: m.bytes, mediaType: m.mediaType, digest: m.digest });
    const images: Array<{ platform?: string; parsed: Extract<ParsedManifest, { kind: 'image' }>; converted: ConvertedManifest; isChild: boolean }> = [];
    let converted: ConvertedManifest;
    if (parsed.kind === 'index') {
      const kept = parsed.manifests.filter((m) => !(target === 'docker' && isAttestation(m)));
      const dropped = parsed.manifests.length - kept.length;
      const children: IndexChild[] = await Promise.all(
        kept.map(async (child) => {
          const fetched = await source.getManifest(sourceRepository, child.digest, signal);
          const childParsed = parseManifest(fetched.bytes, fetched.mediaType);
          if (childParsed.kind !== 'image') throw new RegistryError('unsupported', `${what} nests an index (${child.digest}); nested indexes are not converted — use --format keep`);
          const out = formatOf(fetched.mediaType) === target ? keepAsIs(fetched) : convertImageManifest(childParsed, target, `manifest ${child.digest}`);
          images.push({ platform: child.platform ? formatPlatform(child.platform) : undefined, parsed: childParsed, converted: out, isChild: true });
          return { source: child, converted: out };
        }),
      );
      const unchangedTree = formatOf(top.mediaType) === target && dropped === 0 && children.every((ch) => ch.converted.digest === ch.source.digest);
      converted = unchangedTree ? keepAsIs(top) : convertIndex(children, target);
      if (dropped > 0) this.note(result, `dropped ${dropped} attestation manifest${dropped === 1 ? '' : 's'} (platform unknown/unknown, ${'vnd.docker.reference.type'}: attestation-manifest): a Docker manifest list can't mark them as such`);
      for (const child of kept) {
        const p = child.platform ? formatPlatform(child.platform) : undefined;
        if (p && p !== 'unknown/unknown' && !result.platforms.includes(p)) result.platforms.push(p);
      }
    } else {
      converted = formatOf(top.mediaType) === target ? keepAsIs(top) : convertImageManifest(parsed, target, what);
      images.push({ platform: result.platforms[0], parsed, converted, isChild: false });
    }
    if (converted.digest !== top.digest) {
      result.sourceDigest = top.digest;
      result.convertedTo = target;
    }
    result.digest = converted.digest;
    result.mediaType = converted.mediaType;
    if (c.expected && !result.verified) {
      if (c.expected !== converted.digest) throw mismatch(parseImageReference(`${source.registry}/${sourceRepository}`), undefined, top.digest, c.expected, converted.digest);
      result.verified = true;
    }
    if (c.destinationRef.digest && c.destinationRef.digest !== converted.digest) {
      throw new RegistryError('digest-mismatch', `destination digest ${c.destinationRef.digest} can't hold the converted image, whose manifest is ${converted.digest}`);
    }
    const reference = c.destinationFixed ?? converted.digest;
    if (!c.destinationFixed) result.destination = formatImageReference({ ...c.destinationRef, digest: converted.digest });
    const existing = c.destinationFixed ? c.earlyExisting : await destination.headManifest(destinationRepository, reference, signal);
    if (existing?.digest === converted.digest) {
      result.status = 'unchanged';
      return;
    }

    const copy = this.startImageCopy(source, sourceRepository, destination, destinationRepository, result, c.blobs);
    const unlink = linkAbort(signal, copy.controller);
    try {
      await allOrAbort(
        copy.controller,
        images.map(async (image) => {
          if (image.isChild && (await destination.headManifest(destinationRepository, image.converted.digest, copy.controller.signal))) {
            result.manifests.skipped++;
            return;
          }
          await allOrAbort(copy.controller, blobsOf(image.parsed).map((blob) => this.copyBlobOnce(copy, blob, image.platform)), isAbortError);
          if (!image.isChild) return;
          if (copy.plan) copy.plan.push({ kind: 'manifest', digest: image.converted.digest, size: image.converted.bytes.length, action: 'push', platform: image.platform });
          else await putManifest(destination, destinationRepository, image.converted.digest, image.converted.bytes, image.converted.mediaType, copy.controller.signal);
          result.manifests.copied++;
        }),
        isAbortError,
      );
    } finally {
      unlink();
    }
    await this.finishTop(copy, reference, converted);
  }

  /** The last step of every image: plan the top manifest's push (dry run) or push it under `reference`. */
  private async finishTop(copy: ImageCopy, reference: string, top: { digest: string; bytes: Buffer; mediaType: string }): Promise<void> {
    if (copy.plan) {
      copy.plan.push({ kind: 'manifest', digest: top.digest, size: top.bytes.length, action: 'push', reference });
      copy.result.plan = copy.plan;
      copy.result.status = 'planned';
      return;
    }
    await putManifest(copy.destination, copy.destinationRepository, reference, top.bytes, top.mediaType, this.options.signal);
    copy.result.status = 'copied';
  }

  private startImageCopy(source: RegistryClient, sourceRepository: string, destination: RegistryClient, destinationRepository: string, result: ImageResult, blobs: Map<string, Promise<BlobOutcome>>): ImageCopy {
    const controller = new AbortController();
    const dryRun = !!this.options.dryRun;
    const sameRegistry = isSameRegistry(source.registry, destination.registry);
    const blobContext: BlobCopyContext = {
      source,
      sourceRepository,
      destination,
      destinationRepository,
      mountCandidates: (digest) => {
        const known = this.locations.repositories(destination.registry, digest);
        return sameRegistry ? [sourceRepository, ...known.filter((r) => r !== sourceRepository)] : known;
      },
      limiter: this.limiter,
      policy: this.blobPolicy,
      signal: controller.signal,
      dryRun,
      onProgress: (progress) => this.options.onEvent?.({ type: 'blob', image: result.destination, progress }),
    };
    return {
      source,
      sourceRepository,
      destination,
      destinationRepository,
      controller,
      blobContext,
      blobs,
      children: new Map(),
      result,
      plan: dryRun ? [] : undefined,
    };
  }

  /** Copy everything a manifest references (not the manifest itself). */
  private async copyTree(copy: ImageCopy, manifest: FetchedManifest, platform: string | undefined): Promise<void> {
    const parsed = parseManifest(manifest.bytes, manifest.mediaType);
    if (parsed.kind === 'index') {
      await allOrAbort(copy.controller, parsed.manifests.map((child) => this.copyChild(copy, child)), isAbortError);
      return;
    }
    await allOrAbort(copy.controller, blobsOf(parsed).map((blob) => this.copyBlobOnce(copy, blob, platform)), isAbortError);
  }

  /** A platform (or nested index) manifest: its blobs first, then the manifest by digest. */
  private copyChild(copy: ImageCopy, child: Descriptor): Promise<void> {
    let pending = copy.children.get(child.digest);
    if (!pending) {
      pending = (async () => {
        const platform = child.platform ? formatPlatform(child.platform) : undefined;
        const signal = copy.controller.signal;
        if (platform && platform !== 'unknown/unknown' && !copy.result.platforms.includes(platform)) copy.result.platforms.push(platform);
        // A registry only accepts a manifest whose blobs it has, so an existing child implies its blobs.
        if (await copy.destination.headManifest(copy.destinationRepository, child.digest, signal)) {
          copy.result.manifests.skipped++;
          return;
        }
        const fetched = await copy.source.getManifest(copy.sourceRepository, child.digest, signal);
        await this.copyTree(copy, fetched, platform);
        if (copy.plan) {
          copy.plan.push({ kind: 'manifest', digest: child.digest, size: fetched.bytes.length, action: 'push', platform });
        } else {
          await putManifest(copy.destination, copy.destinationRepository, child.digest, fetched.bytes, fetched.mediaType, signal);
        }
        copy.result.manifests.copied++;
      })();
      copy.children.set(child.digest, pending);
    }
    return pending;
  }

  /** Platforms often share layers; each digest is handled once per image. */
  private copyBlobOnce(copy: ImageCopy, blob: Descriptor, platform: string | undefined): Promise<BlobOutcome> {
    let pending = copy.blobs.get(blob.digest);
    if (!pending) {
      // Images copied at once often share layers: wait for another image's transfer of the same
      // blob to the same registry, then mount it (or find it present) instead of uploading twice.
      const key = `${registryApiHostKey(copy.destination.registry)} ${blob.digest}`;
      const earlier = this.transfers.get(key);
      const started = earlier ? earlier.then(() => copyBlob(copy.blobContext, blob)) : copyBlob(copy.blobContext, blob);
      this.transfers.set(key, started.then(() => undefined, () => undefined));
      pending = started.then(
        (outcome) => {
          this.account(copy, blob, outcome.action, outcome.bytes, platform);
          return outcome;
        },
        (err: unknown) => {
          // A blob cut short by an abort elsewhere must be tried afresh by a format retry.
          copy.blobs.delete(blob.digest);
          throw err;
        },
      );
      copy.blobs.set(blob.digest, pending);
    }
    return pending;
  }

  private account(copy: ImageCopy, blob: Descriptor, action: BlobAction, bytes: number, platform: string | undefined): void {
    const { result } = copy;
    result.bytes += bytes;
    if (action === 'copied') result.blobs.copied++;
    else if (action === 'mounted') result.blobs.mounted++;
    else if (action === 'skipped') result.blobs.skipped++;
    else copy.plan?.push({ kind: 'blob', digest: blob.digest, size: blob.size, action: action === 'would-mount' ? 'mount' : 'copy', platform });
    if (action === 'copied' || action === 'mounted' || action === 'skipped') {
      this.locations.add(copy.destination.registry, copy.destinationRepository, blob.digest);
    }
  }

  /** Platform of a single-manifest image, from its config blob (small; read only when `--platform` asks). */
  private async configPlatform(source: RegistryClient, repository: string, manifest: Extract<ParsedManifest, { kind: 'image' }>): Promise<Platform> {
    const body = await source.getBlob(repository, manifest.config.digest, this.options.signal);
    const bytes = await readBody(body, 4 * 1024 * 1024);
    if (digestOf(bytes, manifest.config.digest) !== manifest.config.digest) {
      throw new RegistryError('digest-mismatch', `config blob ${manifest.config.digest} from ${source.registry} does not match its digest`, { registry: source.registry });
    }
    try {
      const config = JSON.parse(bytes.toString('utf8')) as { os?: string; architecture?: string; variant?: string };
      return { os: config.os ?? 'unknown', architecture: config.architecture ?? 'unknown', variant: config.variant };
    } catch {
      return { os: 'unknown', architecture: 'unknown' };
    }
  }
}

function platformMatches(actual: Platform, wanted: Platform): boolean {
  return actual.os === wanted.os && actual.architecture === wanted.architecture && (!wanted.variant || actual.variant === wanted.variant);
}

interface ResolvedReferences {
  /** the image as named (upstream) */
  source: ImageReference;
  /** where it is read from: `source` itself, or its source mirror */
  pull: ImageReference;
  destination: ImageReference;
}

/**
 * Parse both references. A destination without tag or digest takes the source's tag (or its digest
 * when the source is pinned by digest only), which is what people mean by "mirror nginx:1.25 to my-registry/nginx".
 */
function resolveReferences(pair: MirrorPair, mirrors: SourceMirrors | undefined): ResolvedReferences {
  const source = parseImageReference(pair.source);
  if (!source.tag && !source.digest) source.tag = 'latest';
  const destination = parseImageReference(pair.destination);
  if (!destination.tag && !destination.digest) destination.tag = source.tag;
  return { source, pull: applySourceMirror(source, mirrors) ?? source, destination };
}

/** The source (or its mirror) serves something else than the pinned digest. */
function mismatch(pulled: ImageReference, refs: ResolvedReferences | undefined, served: string, expected: string, converted?: string): RegistryError {
  const from = refs && refs.pull !== refs.source ? `source mirror ${refs.pull.registry} serves` : `${pulled.registry} serves`;
  const also = converted ? ` (${converted} once converted)` : '';
  return new RegistryError(
    'digest-mismatch',
    `${from} ${served}${also} for ${formatImageReference(refs?.source ?? pulled)}, not the pinned ${expected}; nothing was copied (if the image was re-published upstream, update images.digests)`,
    { registry: pulled.registry },
  );
}

/** PUT a manifest; an OCI type the registry refuses becomes `OciRefusedError`, which `auto` acts on. */
async function putManifest(client: RegistryClient, repository: string, reference: string, bytes: Buffer, mediaType: string, signal: AbortSignal | undefined): Promise<void> {
  try {
    await client.putManifest(repository, reference, bytes, mediaType, signal);
  } catch (err) {
    if (formatOf(mediaType) === 'oci' && isMediaTypeRejection(err)) throw new OciRefusedError(err as RegistryError, mediaType);
    throw err;
  }
}

function registryApiHostKey(registry: string): string {
  return registryApiHost(registry).toLowerCase();
}

type ManifestHeadResult = Awaited<ReturnType<RegistryClient['headManifest']>>;

/** Like Promise.all, but waits for every promise and reports the first failure in list order, so the source's error wins deterministically. */
async function settledInOrder<T extends unknown[]>(promises: [...{ [K in keyof T]: Promise<T[K]> | T[K] }]): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as T;
}

function linkAbort(outer: AbortSignal | undefined, inner: AbortController): () => void {
  if (!outer) return () => undefined;
  if (outer.aborted) inner.abort();
  const onAbort = () => inner.abort();
  outer.addEventListener('abort', onAbort, { once: true });
  return () => outer.removeEventListener('abort', onAbort);
}

function toImageError(err: unknown, sourceRegistry: string | undefined, destinationRegistry: string | undefined): ImageError {
  if (err instanceof RegistryError) {
    const registry = err.registry;
    const isSource = !!registry && registry === sourceRegistry;
    const isDestination = !!registry && registry === destinationRegistry;
    const side = isSource && !isDestination ? 'source' : isDestination && !isSource ? 'destination' : undefined;
    return { code: err.code, message: err.message, registry, side };
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
