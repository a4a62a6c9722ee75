/**
 * The last line of defence against credentials in logs: every string the refresher prints goes
 * through `scrub`, which replaces each known secret (and the encodings it could appear in) with
 * [REDACTED]. Secrets are registered as soon as they are known: AK/SK at start, the token,
 * password and base64(user:password) right after the fetch.
 */
export const REDACTED = '[REDACTED]';

/** Shorter strings are not treated as secrets: scrubbing them would shred ordinary text. */
const MIN_SECRET_LENGTH = 4;

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
    const msg = err instanceof Error ? err.message : String(err);
    return this.scrub(msg);
  }
}
