/**
 * Copy one blob from a source repository to a destination repository, doing the least work that
 * gets it there: skip if present, mount if the destination registry already holds it in another
 * repository, else stream it (GET piped into PUT, verified on the way, never buffered whole).
 */
import { Transform, pipeline, type Readable, type TransformCallback } from 'node:stream';
import type { RegistryClient } from './client';
import { DigestVerifier } from './digest';
import { RegistryError, isAbortError } from './errors';
import type { ConcurrencyLimiter } from './limiter';
import type { Descriptor } from './manifest';
import { backoffDelay, type RetryPolicy } from './retry';

/** What happened to a blob: `would-*` are dry-run answers. */
export type BlobAction = 'skipped' | 'mounted' | 'copied' | 'would-copy' | 'would-mount';

export interface BlobOutcome {
  action: BlobAction;
  /** bytes that crossed the wire for this blob (0 unless copied) */
  bytes: number;
}

export interface BlobProgress {
  digest: string;
  size: number;
  /** bytes sent so far in the current attempt */
  bytes: number;
  phase: 'start' | 'progress' | 'retry' | 'done';
  action?: BlobAction;
}

export interface BlobCopyContext {
  source: RegistryClient;
  sourceRepository: string;
  destination: RegistryClient;
  destinationRepository: string;
  /** repositories on the destination registry that may hold the blob (cross-repository mount candidates) */
  mountCandidates: (digest: string) => string[];
  limiter: ConcurrencyLimiter;
  /** retries of a whole blob transfer (a streamed body can't be resent request by request) */
  policy: RetryPolicy;
  signal: AbortSignal;
  dryRun: boolean;
  onProgress?: (progress: BlobProgress) => void;
}

/** Counts bytes and reports them; sits after the verifier so only verified-so-far bytes count. */
class ProgressCounter extends Transform {
  private bytes = 0;
  constructor(private readonly report: (bytes: number) => void) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.report(this.bytes);
    callback(null, chunk);
  }
}

export async function copyBlob(ctx: BlobCopyContext, blob: Descriptor): Promise<BlobOutcome> {
  return ctx.limiter.run(async () => {
    throwIfAborted(ctx.signal);
    if (await ctx.destination.hasBlob(ctx.destinationRepository, blob.digest, ctx.signal)) return { action: 'skipped', bytes: 0 };

    const candidates = ctx.mountCandidates(blob.digest).filter((repo) => repo !== ctx.destinationRepository);
    if (ctx.dryRun) return { action: candidates.length > 0 ? 'would-mount' : 'would-copy', bytes: 0 };

    let location: URL | undefined;
    for (const from of candidates) {
      try {
        // No signal: an upload session the registry opened must be learnt, so it can be closed.
        const started = await ctx.destination.startUpload(ctx.destinationRepository, { digest: blob.digest, from });
        if (started.mounted) return { action: 'mounted', bytes: 0 };
        location = started.location; // not mounted, but the session it opened serves the upload
        break;
      } catch (err) {
        // No pull right on the other repository, or a registry without mount support: just upload.
        if (isAbortError(err) || !(err instanceof RegistryError) || !['access-denied', 'auth-rejected', 'auth-required', 'not-found', 'registry-error'].includes(err.code)) throw err;
      }
    }
    return transfer(ctx, blob, location);
  });
}

/** Stream the blob, retrying the whole transfer (fresh download, fresh upload session) on transient failures. */
async function transfer(ctx: BlobCopyContext, blob: Descriptor, firstLocation: URL | undefined): Promise<BlobOutcome> {
  const { digest, size } = blob;
  let location = firstLocation;
  for (let attempt = 0; ; attempt++) {
    if (ctx.signal.aborted && location) {
      // The session opened by a mount attempt is ours to close, even when we stop here.
      await ctx.destination.cancelUpload(ctx.destinationRepository, location);
      location = undefined;
    }
    throwIfAborted(ctx.signal);
    location ??= await startPlainUpload(ctx);
    ctx.onProgress?.({ digest, size, bytes: 0, phase: attempt === 0 ? 'start' : 'retry' });
    let sourceError: Error | undefined;
    try {
      const download = await ctx.source.getBlob(ctx.sourceRepository, digest, ctx.signal);
      download.once('error', (err) => {
        sourceError = err;
      });
      const label = `blob from ${ctx.source.registry}/${ctx.sourceRepository}`;
      const body: Readable = pipeline(
        download,
        new DigestVerifier(digest, size, label, ctx.source.registry),
        new ProgressCounter((bytes) => ctx.onProgress?.({ digest, size, bytes, phase: 'progress' })),
        () => undefined, // errors surface through the upload request
      );
      await ctx.destination.completeUpload(ctx.destinationRepository, location, digest, size, body, ctx.signal);
      ctx.onProgress?.({ digest, size, bytes: size, phase: 'done', action: 'copied' });
      return { action: 'copied', bytes: size };
    } catch (caught) {
      const err = blameSource(caught, sourceError, ctx, digest);
      const spent = location;
      location = undefined;
      // Drop the half-written session so the registry doesn't keep partial data around.
      await ctx.destination.cancelUpload(ctx.destinationRepository, spent);
      const retryable = err instanceof RegistryError && err.retryable && !isAbortError(err);
      if (!retryable || attempt >= ctx.policy.retries || ctx.signal.aborted) throw err;
      await ctx.policy.sleep(backoffDelay(ctx.policy, attempt + 1));
    }
  }
}

async function startPlainUpload(ctx: BlobCopyContext): Promise<URL> {
  // Not aborted half-way (no signal): a session the registry opened but we never heard of could
  // not be closed. Once it is known, an abort that came meanwhile closes it at once.
  const started = await ctx.destination.startUpload(ctx.destinationRepository, undefined);
  if (started.mounted) throw new Error('unreachable: a plain upload cannot be a mount');
  if (ctx.signal.aborted) {
    await ctx.destination.cancelUpload(ctx.destinationRepository, started.location);
    throwIfAborted(ctx.signal);
  }
  return started.location;
}

/**
 * A download cut off mid-stream surfaces as a failed *upload* (the request body broke); say it
 * was the source, since that is where the user has to look.
 */
function blameSource(err: unknown, sourceError: Error | undefined, ctx: BlobCopyContext, digest: string): unknown {
  if (!sourceError || sourceError instanceof RegistryError || (err instanceof RegistryError && err.code !== 'network')) return err;
  return new RegistryError('network', `download of blob ${digest} from ${ctx.source.registry}/${ctx.sourceRepository} broke off: ${sourceError.message}`, {
    registry: ctx.source.registry,
    retryable: true,
    cause: sourceError,
  });
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new RegistryError('aborted', 'cancelled (the run was interrupted, or another part of the image failed)');
}
