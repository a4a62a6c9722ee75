/**
 * Content digests (`sha256:<hex>`) and a streaming verifier that guarantees bad bytes never
 * complete an upload.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { RegistryError } from './errors';

/** Algorithms the OCI image spec registers, with their hex length. */
const HEX_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 };

export function isDigest(value: string): boolean {
  const m = /^([a-z0-9]+):([a-f0-9]+)$/.exec(value);
  return !!m && HEX_LENGTH[m[1]] === m[2].length;
}

export function digestAlgorithm(digest: string): string {
  if (!isDigest(digest)) throw new RegistryError('unsupported', `unsupported or malformed digest "${digest}"`);
  return digest.slice(0, digest.indexOf(':'));
}

/** Digest of a buffer, in the same algorithm as `like` (sha256 by default). */
export function digestOf(bytes: Uint8Array, like = 'sha256:'): string {
  const algorithm = like.includes(':') ? like.slice(0, like.indexOf(':')) : like;
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Short form for tables and progress bars: `sha256:0123456789ab`. */
export function shortDigest(digest: string): string {
  const colon = digest.indexOf(':');
  return colon < 0 ? digest.slice(0, 12) : digest.slice(0, colon + 13);
}

/**
 * Pass-through stream that hashes and counts bytes and fails instead of delivering the last chunk
 * when the content is wrong.
 *
 * Why hold back the last chunk: the upload PUT carries `Content-Length` = expected size, so the
 * registry only commits once it has every byte. By keeping the final chunk until the digest is
 * known good, a corrupt or truncated source makes the request die short of its length and nothing
 * is ever stored under that digest — we don't rely on the registry re-checking (most do, not all).
 * Memory stays at one chunk regardless of blob size.
 */
export class DigestVerifier extends Transform {
  private readonly hash: Hash;
  private pending: Buffer | undefined;
  private received = 0;

  constructor(
    private readonly expectedDigest: string,
    private readonly expectedSize: number,
    /** what the bytes are, for messages: `blob from registry/repo` */
    private readonly label: string,
    /** registry that served the bytes, so a bad blob is blamed on the right side */
    private readonly registry?: string,
  ) {
    super();
    this.hash = createHash(digestAlgorithm(expectedDigest));
  }

  get bytesReceived(): number {
    return this.received;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.expectedSize) {
      callback(this.sizeError(`more than the expected ${this.expectedSize} bytes`));
      return;
    }
    this.hash.update(chunk);
    const previous = this.pending;
    this.pending = chunk;
    callback(null, previous);
  }

  override _flush(callback: TransformCallback): void {
    if (this.received !== this.expectedSize) {
      callback(this.sizeError(`${this.received} of ${this.expectedSize} bytes (truncated)`));
      return;
    }
    const actual = `${digestAlgorithm(this.expectedDigest)}:${this.hash.digest('hex')}`;
    if (actual !== this.expectedDigest) {
      callback(
        new RegistryError('digest-mismatch', `${this.label} does not match its digest ${this.expectedDigest} (got ${actual})`, { registry: this.registry }),
      );
      return;
    }
    callback(null, this.pending);
  }

  private sizeError(what: string): RegistryError {
    // A short read is usually a dropped connection, so it is worth another attempt; a wrong digest is not.
    return new RegistryError('size-mismatch', `${this.label} ${this.expectedDigest} delivered ${what}`, { registry: this.registry, retryable: true });
  }
}
