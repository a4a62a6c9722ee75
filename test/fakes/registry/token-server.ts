/**
 * A minimal Docker token-auth server (the `realm` of a `Bearer` challenge) for distribution 2.8.
 *
 * distribution 2.8 (registry/auth/token/token.go, VerifySigningKey) accepts a JWT whose header
 * carries `x5c` (a certificate chain verified against `rootcertbundle`), a `jwk`, or a `kid` that
 * must equal the libtrust fingerprint of a root cert key. We use `x5c` with the self-signed
 * certificate itself, which verifies because that certificate is the root bundle. Signature RS256.
 * Claims checked there: `iss` == issuer, `aud` == service, `exp`/`nbf` (±60 s leeway), `access`.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface TokenGrant {
  type: string;
  name: string;
  actions: string[];
}

export interface TokenRequestLog {
  user?: string;
  scopes: string[];
  status: number;
}

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  certPath: string;
  /** every request to the realm, for assertions (no passwords recorded) */
  requests: TokenRequestLog[];
  /** change or add a user's password (simulates a temporary password being rotated) */
  setPassword(user: string, password: string): void;
  /** mint a token directly (for seeding the registry in tests) */
  mint(subject: string, scopes: string[]): string;
  stop(): Promise<void>;
}

export interface TokenServerOptions {
  dir: string;
  users: Record<string, string>;
  /** repositories anonymous clients may pull (default: names starting with `public/`) */
  anonymousPull?: (repository: string) => boolean;
  service?: string;
  issuer?: string;
  expiresIn?: number;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function parseScope(scope: string): TokenGrant | undefined {
  // repository:name:actions — the name itself has no colon (no host part in scopes).
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last <= first) return undefined;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',').filter(Boolean) };
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const keyPath = join(options.dir, 'token.key');
  const certPath = join(options.dir, 'token.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=jcrkit-test-token-issuer'], {
    stdio: 'ignore',
  });
  const key: KeyObject = createPrivateKey(readFileSync(keyPath));
  const certDer = new X509Certificate(readFileSync(certPath)).raw;
  const service = options.service ?? 'jcrkit-test-registry';
  const issuer = options.issuer ?? 'jcrkit-test-issuer';
  const users = { ...options.users };
  const anonymousPull = options.anonymousPull ?? ((repo: string) => repo.startsWith('public/'));
  const requests: TokenRequestLog[] = [];

  const mint = (subject: string, scopes: string[], grant: (g: TokenGrant) => string[] = (g) => g.actions): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] };
    const access = scopes
      .map(parseScope)
      .filter((g): g is TokenGrant => !!g)
      .map((g) => ({ ...g, actions: grant(g) }))
      .filter((g) => g.actions.length > 0);
    const claims = { iss: issuer, sub: subject, aud: service, exp: now + (options.expiresIn ?? 300), nbf: now - 5, iat: now, jti: randomUUID(), access };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    return `${signingInput}.${base64url(sign('sha256', Buffer.from(signingInput), key))}`;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
    const authorization = req.headers.authorization;
    let user: string | undefined;
    if (authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const name = decoded.slice(0, colon);
      if (users[name] === undefined || users[name] !== decoded.slice(colon + 1)) {
        requests.push({ user: name, scopes, status: 401 });
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }));
        return;
      }
      user = name;
    }
    requests.push({ user, scopes, status: 200 });
    const token = mint(user ?? '', scopes, (g) => (user ? g.actions : g.type === 'repository' && anonymousPull(g.name) ? g.actions.filter((a) => a === 'pull') : []));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: options.expiresIn ?? 300, issued_at: new Date().toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certPath,
    requests,
    setPassword: (name, password) => {
      users[name] = password;
    },
    mint: (subject, scopes) => mint(subject, scopes),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
