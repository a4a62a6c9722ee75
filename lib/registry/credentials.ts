/**
 * Where registry credentials come from. Everything is a `CredentialProvider` so flags, the JD Cloud
 * token fetcher (wired in elsewhere) and `~/.docker/config.json` compose in one precedence chain.
 */

export interface Credentials {
  username: string;
  password: string;
}

export interface CredentialRequest {
  /**
   * `initial`: first lookup for this registry in the run. `rejected`: the registry refused what the
   * provider returned last time (e.g. a temporary JCR token expired mid-run) — return fresh ones.
   */
  reason: 'initial' | 'rejected';
}

/**
 * The hook integrations implement: credentials for a registry host, or `undefined` to let the next
 * provider (or anonymous access) answer. Called again with `reason: 'rejected'` after a 401.
 */
export type CredentialProvider = (host: string, request?: CredentialRequest) => Promise<Credentials | undefined>;

/** `user:password` (the password may contain colons; the username may not). */
export function parseCredentials(text: string): Credentials {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new Error('credentials must be given as USERNAME:PASSWORD');
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Fixed credentials for one host (the `--src-creds` / `--dest-creds` case). */
export function staticCredentials(host: string, credentials: Credentials): CredentialProvider {
  const wanted = host.toLowerCase();
  return async (asked) => (asked.toLowerCase() === wanted ? credentials : undefined);
}

/** First provider with an answer wins; each is asked with the same request. */
export function chainCredentialProviders(...providers: Array<CredentialProvider | undefined>): CredentialProvider {
  const present = providers.filter((p): p is CredentialProvider => !!p);
  return async (host, request) => {
    for (const provider of present) {
      const found = await provider(host, request);
      if (found) return found;
    }
    return undefined;
  };
}

/** Same credentials (so re-sending them after a 401 is pointless). */
export function sameCredentials(a: Credentials | undefined, b: Credentials | undefined): boolean {
  return !!a && !!b && a.username === b.username && a.password === b.password;
}
