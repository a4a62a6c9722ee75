/**
 * Registry authentication: parse `WWW-Authenticate` challenges, answer Basic ones with credentials
 * and Bearer ones with tokens from the realm (cached per scope set), and decide after a 401 whether
 * a fresh token, fresh credentials (the provider hook is asked again) or a clear error is next.
 */
import { RegistryError, describeRegistryErrorBody } from './errors';
import { sameCredentials, type CredentialProvider, type Credentials } from './credentials';

export interface AuthChallenge {
  /** lowercase scheme: `basic`, `bearer` */
  scheme: string;
  /** lowercase parameter names: realm, service, scope, error */
  params: Record<string, string>;
}

/**
 * Parse a `WWW-Authenticate` header (RFC 7235): one or more challenges, each a scheme followed by
 * comma-separated `name=value` / `name="quoted value"` parameters.
 */
export function parseWwwAuthenticate(header: string | string[] | undefined): AuthChallenge[] {
  const text = Array.isArray(header) ? header.join(', ') : header ?? '';
  const challenges: AuthChallenge[] = [];
  const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;
  let current: AuthChallenge | undefined;
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /[\s,]/.test(text[i])) i++;
    const name = token.exec(text.slice(i))?.[0];
    if (!name) {
      i++;
      continue;
    }
    i += name.length;
    let j = i;
    while (j < text.length && text[j] === ' ') j++;
    if (text[j] !== '=') {
      current = { scheme: name.toLowerCase(), params: {} };
      challenges.push(current);
      continue;
    }
    i = j + 1;
    while (i < text.length && text[i] === ' ') i++;
    let value = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++];
      }
      i++;
    } else {
      value = token.exec(text.slice(i))?.[0] ?? '';
      i += value.length;
    }
    if (current) current.params[name.toLowerCase()] = value;
  }
  return challenges;
}

export type RepositoryAction = 'pull' | 'push' | 'delete';

/** Token scope for one repository, e.g. `repository:library/nginx:pull`. */
export function repositoryScope(repository: string, actions: RepositoryAction[]): string {
  return `repository:${repository}:${actions.join(',')}`;
}

/**
 * Union of scopes with actions merged per resource, in a stable order, so equal needs share one
 * cached token: `[repository:a:pull, repository:a:push]` → `[repository:a:pull,push]`.
 */
export function mergeScopes(scopes: string[]): string[] {
  const byResource = new Map<string, Set<string>>();
  for (const scope of scopes.flatMap((s) => s.split(' ')).filter(Boolean)) {
    const lastColon = scope.lastIndexOf(':');
    const resource = scope.slice(0, lastColon);
    const actions = byResource.get(resource) ?? new Set<string>();
    scope
      .slice(lastColon + 1)
      .split(',')
      .filter(Boolean)
      .forEach((a) => actions.add(a));
    byResource.set(resource, actions);
  }
  return [...byResource.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([resource, actions]) => `${resource}:${[...actions].sort().join(',')}`);
}

export interface TokenEndpointResponse {
  status: number;
  body: Buffer;
}

/** How the authenticator reaches a token realm (the client supplies it, with its retries). */
export type TokenFetcher = (url: URL, authorization: string | undefined) => Promise<TokenEndpointResponse>;

interface CachedToken {
  value: string;
  expiresAt: number;
}

/** Tokens without `expires_in` live 60 s per the distribution token spec. */
const DEFAULT_TOKEN_SECONDS = 60;

function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** Authentication state for one registry host (one per side of a copy: source and destination differ). */
export class RegistryAuthenticator {
  private challenge: AuthChallenge | undefined;
  private credentials: Credentials | undefined;
  private credentialsLoading: Promise<Credentials | undefined> | undefined;
  private credentialsRefreshing: Promise<boolean> | undefined;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly tokenRequests = new Map<string, Promise<string>>();

  constructor(
    /** registry name as the user wrote it: what providers are asked about and errors mention */
    private readonly registry: string,
    private readonly provider: CredentialProvider | undefined,
    private readonly fetchToken: TokenFetcher,
    private readonly now: () => number = Date.now,
  ) {}

  /** Remember a challenge seen without acting on it (from the `/v2/` probe), so later requests authenticate up front. */
  learnChallenge(wwwAuthenticate: string | string[] | undefined): void {
    const challenges = parseWwwAuthenticate(wwwAuthenticate);
    this.challenge = challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic') ?? this.challenge;
  }

  /**
   * The Authorization header to send up front. Once a registry has challenged us we authenticate
   * every later request pre-emptively — required for streamed uploads, whose body can't be replayed
   * after a 401, and it saves a round trip per request.
   */
  async authorizationFor(scopes: string[]): Promise<string | undefined> {
    if (!this.challenge) return undefined;
    if (this.challenge.scheme === 'basic') {
      const credentials = await this.loadCredentials();
      return credentials ? basicAuthorization(credentials) : undefined;
    }
    if (this.challenge.scheme === 'bearer') return `Bearer ${await this.tokenFor(mergeScopes(scopes))}`;
    return undefined;
  }

  /**
   * React to a 401. Returns when retrying the request may now succeed; throws a `RegistryError`
   * saying what is wrong when it can't. `attempt` counts 401s already seen for this request.
   */
  async onUnauthorized(wwwAuthenticate: string | string[] | undefined, errorBody: string, scopes: string[], sentAuthorization: string | undefined, attempt: number): Promise<void> {
    const challenges = parseWwwAuthenticate(wwwAuthenticate);
    const challenge = challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
    const reason = describeRegistryErrorBody(401, errorBody).text;
    if (!challenge) {
      throw new RegistryError('auth-rejected', `registry ${this.registry} refused the request (${reason}) without an authentication challenge jcrkit understands`, { registry: this.registry, status: 401 });
    }
    this.challenge = challenge;
    if (attempt >= 2) throw this.finalError(challenge, reason);

    if (challenge.scheme === 'basic') {
      const current = await this.loadCredentials();
      const stillCurrent = current && sentAuthorization === basicAuthorization(current);
      if (!current) throw this.finalError(challenge, reason);
      // Another request may already have refreshed them; only ask the provider again when what we sent is what we hold.
      // The provider may hand back the same credentials (flags, docker config): a single stray 401
      // in a long run still deserves one more try with them; a second one is final.
      if (stillCurrent && !(await this.refreshCredentials()) && attempt >= 1) throw this.finalError(challenge, reason);
      return;
    }

    const needed = mergeScopes([...scopes, ...(challenge.params.scope ?? '').split(' ')]);
    const key = needed.join(' ');
    const cached = this.tokens.get(key);
    if (cached && sentAuthorization !== `Bearer ${cached.value}`) return; // refreshed meanwhile
    this.tokens.delete(key);
    // First 401 with a token: it probably just expired, so a new token with the same credentials.
    // Second: the credentials themselves may be stale (temporary JCR password) — ask the provider.
    if (attempt >= 1) await this.refreshCredentials();
    await this.tokenFor(needed);
    // The token was issued but may lack a scope we asked for (anonymous pull-only, no push rights):
    // the registry will say insufficient_scope again and we end in finalError on the next round.
  }

  /** Drop every cached token (after a credential change). */
  clearTokens(): void {
    this.tokens.clear();
  }

  private async loadCredentials(): Promise<Credentials | undefined> {
    if (!this.provider) return undefined;
    this.credentialsLoading ??= this.provider(this.registry, { reason: 'initial' }).then((c) => {
      this.credentials = c;
      return c;
    });
    await this.credentialsLoading;
    return this.credentials;
  }

  /** Ask the provider for new credentials; true if they differ from the ones that were rejected. */
  private refreshCredentials(): Promise<boolean> {
    if (!this.provider) return Promise.resolve(false);
    const provider = this.provider;
    this.credentialsRefreshing ??= (async () => {
      try {
        const previous = await this.loadCredentials();
        const fresh = await provider(this.registry, { reason: 'rejected' });
        if (!fresh || sameCredentials(previous, fresh)) return false;
        this.credentials = fresh;
        this.tokens.clear();
        return true;
      } finally {
        // Let a later, separate rejection ask again.
        setImmediate(() => {
          this.credentialsRefreshing = undefined;
        });
      }
    })();
    return this.credentialsRefreshing;
  }

  private async tokenFor(scopes: string[]): Promise<string> {
    const key = scopes.join(' ');
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.value;
    let pending = this.tokenRequests.get(key);
    if (!pending) {
      pending = this.requestToken(scopes).finally(() => this.tokenRequests.delete(key));
      this.tokenRequests.set(key, pending);
    }
    return pending;
  }

  private async requestToken(scopes: string[]): Promise<string> {
    const challenge = this.challenge!;
    const realm = challenge.params.realm;
    if (!realm) throw new RegistryError('auth-rejected', `registry ${this.registry} sent a Bearer challenge without a realm`, { registry: this.registry });
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryError('auth-rejected', `registry ${this.registry} sent an invalid token realm "${realm}"`, { registry: this.registry });
    }
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);

    for (let round = 0; ; round++) {
      const credentials = await this.loadCredentials();
      const res = await this.fetchToken(url, credentials ? basicAuthorization(credentials) : undefined);
      if (res.status === 200) return this.storeToken(scopes.join(' '), res.body, url);
      const reason = describeRegistryErrorBody(res.status, res.body.toString('utf8')).text;
      if ((res.status === 401 || res.status === 403) && credentials) {
        // A temporary password (JCR) may have expired mid-run: ask the provider once for a new one,
        // and try once more either way (a token service can fail one request and serve the next).
        if (round === 0) {
          await this.refreshCredentials();
          continue;
        }
        throw new RegistryError('auth-rejected', `token service ${url.host} for registry ${this.registry} rejected the credentials of user "${credentials.username}" (${reason})`, { registry: this.registry, status: res.status });
      }
      if (res.status === 401 || res.status === 403) {
        throw new RegistryError('auth-required', `registry ${this.registry} requires credentials and none were found (${reason})`, { registry: this.registry, status: res.status });
      }
      throw new RegistryError('registry-error', `token service ${url.host} for registry ${this.registry} failed (${reason})`, { registry: this.registry, status: res.status });
    }
  }

  private storeToken(key: string, body: Buffer, url: URL): string {
    let parsed: { token?: string; access_token?: string; expires_in?: number };
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      throw new RegistryError('auth-rejected', `token service ${url.host} returned something that is not JSON`, { registry: this.registry });
    }
    const value = parsed.token || parsed.access_token;
    if (!value) throw new RegistryError('auth-rejected', `token service ${url.host} returned no token`, { registry: this.registry });
    const seconds = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : DEFAULT_TOKEN_SECONDS;
    // Renew a little early so a token doesn't expire between being attached and being checked.
    const margin = Math.min(30, seconds / 4);
    this.tokens.set(key, { value, expiresAt: this.now() + (seconds - margin) * 1000 });
    return value;
  }

  private finalError(challenge: AuthChallenge, reason: string): RegistryError {
    const details = { registry: this.registry, status: 401 };
    if (!this.credentials) {
      return new RegistryError('auth-required', `registry ${this.registry} requires credentials and none were found (${reason})`, details);
    }
    if (challenge.params.error === 'insufficient_scope') {
      const scope = challenge.params.scope ? `needs ${challenge.params.scope}; ` : '';
      return new RegistryError('access-denied', `user "${this.credentials.username}" lacks the rights this needs on registry ${this.registry} (${scope}${reason})`, details);
    }
    return new RegistryError('auth-rejected', `registry ${this.registry} rejected the credentials of user "${this.credentials.username}" (${reason})`, details);
  }
}
