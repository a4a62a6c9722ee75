/**
 * The one redaction module: every line jcrkit prints that could carry a credential (refresher
 * logs, cloud command errors and progress, JD Cloud client errors, dry-run request bodies) goes
 * through it, with one marker and one rule for short values.
 *
 * - `Redactor.scrub` replaces each registered secret, and the forms it takes inside JSON strings
 *   and base64 (a docker `auth` field), with REDACTED. Values shorter than MIN_SECRET_LENGTH are
 *   not scrubbed from text: replacing every "ab" would shred ordinary words and hide nothing.
 * - `redactBody` masks secret-named keys at any depth, whatever their length: a value printed as
 *   a value is never shown, short or not.
 * - `redactorFromEnv` is the only place that knows which environment variables hold secrets;
 *   tokens and passwords are added with `add`/`addCredentials` as soon as they are minted or read.
 */
export const REDACTED = '[REDACTED]';

/** Shorter strings are never scrubbed from free text (see above); they are still masked as values. */
export const MIN_SECRET_LENGTH = 4;

/** Environment variables whose values are secrets: the JD Cloud AccessKey pair and a registry password. */
export const SECRET_ENV_VARS = ['JDCLOUD_ACCESS_KEY', 'JDCLOUD_SECRET_KEY', 'JCR_PASSWORD'] as const;

/** Object keys whose values are secrets in request bodies (CreateCluster carries the AK/SK). */
const SECRET_KEYS = new Set(['accessKey', 'secretKey', 'password', 'authorizationToken']);

export class Redactor {
  private secrets: string[] = [];

  /** Registers a secret and the forms it takes inside JSON strings and base64. */
  add(secret: string | undefined | null): this {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return this;
    const forms = [secret, JSON.stringify(secret).slice(1, -1), Buffer.from(secret, 'utf8').toString('base64')];
    for (const f of forms) if (f.length >= MIN_SECRET_LENGTH && !this.secrets.includes(f)) this.secrets.push(f);
    // longest first, so a secret containing another is replaced whole
    this.secrets.sort((a, b) => b.length - a.length);
    return this;
  }

  /** Registers registry credentials: the password, user:password and its base64 (the docker `auth`). */
  addCredentials(username: string, password: string): this {
    return this.add(password).add(`${username}:${password}`);
  }

  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  }

  /** An error's message, scrubbed; never the stack (it may quote arguments). */
  describe(err: unknown): string {
    return this.scrub(err instanceof Error ? err.message : String(err));
  }
}

/** A redactor that knows every secret the environment holds (SECRET_ENV_VARS, trimmed and as given). */
export function redactorFromEnv(env: NodeJS.ProcessEnv): Redactor {
  const redactor = new Redactor();
  for (const name of SECRET_ENV_VARS) redactor.add(env[name]).add(env[name]?.trim());
  return redactor;
}

/** A copy of a request body with every secret-named key (at any depth) replaced by REDACTED. */
export function redactBody<T>(body: T): T {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEYS.has(k) && v !== undefined ? REDACTED : visit(v)]));
    }
    return value;
  };
  return visit(body) as T;
}
