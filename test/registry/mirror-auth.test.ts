/**
 * Authentication against real registries: htpasswd Basic auth, and the Bearer token flow with a
 * token server that signs JWTs distribution 2.8 verifies. Credentials come from options (flags),
 * a Docker config file, and the credential hook — which is asked again when a registry says 401.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mirror, mirrorMany } from '../../lib/registry';
import type { CredentialRequest, MirrorOptions } from '../../lib/registry';
import { startRegistry, type LocalRegistry } from '../fakes/registry/process';
import { startFaultProxy, type FaultProxy } from '../fakes/registry/fault-proxy';
import { startTokenServer, type TokenServer } from '../fakes/registry/token-server';
import { basicAuthorization, buildImage, getManifest, pushImage, sha256, type TestImage } from '../fakes/registry/images';

let work: string;
let plain: LocalRegistry;
let basic: LocalRegistry;
let tokenRegistry: LocalRegistry;
let tokenProxy: FaultProxy;
let tokens: TokenServer;
let image: TestImage;
let counter = 0;

const BASIC_USER = 'alice';
const BASIC_PASSWORD = 'wonderland-s3cret';
const TOKEN_USER = 'bob';

const base: MirrorOptions = { insecure: true, authFile: false, sleep: async () => undefined };
const fresh = (name: string) => `${name}${++counter}`;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'jcrkit-mirror-auth-'));
  tokens = await startTokenServer({ dir: work, users: { [TOKEN_USER]: 'temp-1' } });
  [plain, basic, tokenRegistry] = await Promise.all([
    startRegistry(),
    startRegistry({ kind: 'htpasswd', users: { [BASIC_USER]: BASIC_PASSWORD } }),
    startRegistry({ kind: 'token', realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertBundle: tokens.certPath }),
  ]);
  tokenProxy = await startFaultProxy(tokenRegistry);
  image = buildImage({ platforms: ['linux/amd64', 'linux/arm64'], layers: 1, sharedLayers: 1 });
  await pushImage(plain.url, 'src/app', 'v1', image);
  // an anonymously pullable repository behind token auth
  const seed = `Bearer ${tokens.mint('seed', ['repository:public/app:pull,push'])}`;
  await pushImage(tokenRegistry.url, 'public/app', 'v1', image, seed);
});

afterAll(async () => {
  await tokenProxy?.stop();
  await Promise.all([plain?.stop(), basic?.stop(), tokenRegistry?.stop()]);
  await tokens?.stop();
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  tokens.setPassword(TOKEN_USER, 'temp-1');
  tokens.requests.length = 0;
  tokenProxy.clearFaults();
  tokenProxy.clearLog();
});

describe('basic auth (htpasswd)', () => {
  test('copies with --dest-creds style credentials', async () => {
    const repo = fresh('basic/app');
    const result = await mirror(`${plain.host}/src/app:v1`, `${basic.host}/${repo}:v1`, {
      ...base,
      destinationCredentials: { username: BASIC_USER, password: BASIC_PASSWORD },
    });

    expect(result.status).toBe('copied');
    const stored = await getManifest(basic.url, repo, 'v1', basicAuthorization(BASIC_USER, BASIC_PASSWORD));
    expect(sha256(stored.body)).toBe(image.top.digest);
  });

  test('without credentials: one sentence naming the registry and the registry’s own reason', async () => {
    const report = await mirrorMany([{ source: `${plain.host}/src/app:v1`, destination: `${basic.host}/${fresh('basic/app')}:v1` }], base);

    expect(report.images[0].error).toEqual({
      code: 'auth-required',
      side: 'destination',
      registry: basic.host,
      // the first request is a HEAD (is the image already there?), whose 401 has no body to quote
      message: `registry ${basic.host} requires credentials and none were found (HTTP 401 Unauthorized)`,
    });
  });

  test('wrong password: rejected, naming the user but never the password', async () => {
    const report = await mirrorMany([{ source: `${plain.host}/src/app:v1`, destination: `${basic.host}/${fresh('basic/app')}:v1` }], {
      ...base,
      destinationCredentials: { username: BASIC_USER, password: 'not-the-password' },
    });

    expect(report.images[0].error).toMatchObject({ code: 'auth-rejected', side: 'destination' });
    expect(report.images[0].error!.message).toBe(`registry ${basic.host} rejected the credentials of user "${BASIC_USER}" (HTTP 401 Unauthorized)`);
    expect(JSON.stringify(report)).not.toContain('not-the-password');
  });

  test('blob downloads redirected to another origin (object storage) follow without our credentials', async () => {
    // The basic-auth registry redirects blob GETs to a plain one holding the same blobs, as
    // registries do with pre-signed object-storage URLs; our password must not go along.
    await pushImage(basic.url, 'src/app', 'v1', image, basicAuthorization(BASIC_USER, BASIC_PASSWORD));
    const front = await startFaultProxy(basic);
    const storage = await startFaultProxy(plain);
    try {
      front.addFault((r) => r.method === 'GET' && r.path.includes('/blobs/sha256:'), { kind: 'redirect', origin: storage.url });
      const result = await mirror(`${front.host}/src/app:v1`, `${plain.host}/${fresh('redirected/app')}:v1`, {
        ...base,
        sourceCredentials: { username: BASIC_USER, password: BASIC_PASSWORD },
      });

      expect(result.blobs.copied).toBe(image.blobs.length);
      expect(front.log.filter((e) => e.status === 307)).toHaveLength(image.blobs.length);
      const fetched = storage.log.filter((e) => e.method === 'GET' && e.path.includes('/blobs/'));
      expect(fetched).toHaveLength(image.blobs.length);
      expect(fetched.every((e) => !e.authorization)).toBe(true);
      // credentials go to the registry once it has asked for them (its first 401), and to it only
      expect(front.log[0]).toMatchObject({ status: 401, authorization: false });
      expect(front.log.slice(1).every((e) => e.authorization)).toBe(true);
    } finally {
      await Promise.all([front.stop(), storage.stop()]);
    }
  });

  test('reads credentials from a Docker config file (base64 "auth")', async () => {
    const authFile = join(work, 'config-auth.json');
    writeFileSync(authFile, JSON.stringify({ auths: { [basic.host]: { auth: Buffer.from(`${BASIC_USER}:${BASIC_PASSWORD}`).toString('base64') } } }));

    const result = await mirror(`${plain.host}/src/app:v1`, `${basic.host}/${fresh('basic/app')}:v1`, { ...base, authFile });

    expect(result.status).toBe('copied');
  });

  test('credentials kept in a credential helper: the error says that helper is not used', async () => {
    const authFile = join(work, 'config-helper.json');
    writeFileSync(authFile, JSON.stringify({ auths: {}, credHelpers: { [basic.host]: 'secretservice' } }));

    const report = await mirrorMany([{ source: `${plain.host}/src/app:v1`, destination: `${basic.host}/${fresh('basic/app')}:v1` }], { ...base, authFile });

    expect(report.images[0].error!.message).toBe(
      `registry ${basic.host} requires credentials and none were found (HTTP 401 Unauthorized); the Docker config leaves this registry to credential helper "secretservice", which jcrkit does not run`,
    );
  });

  test('reads credentials from $DOCKER_CONFIG/config.json (username/password, http:// key)', async () => {
    const dir = mkdtempSync(join(work, 'docker-config-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [`http://${basic.host}/v2/`]: { username: BASIC_USER, password: BASIC_PASSWORD } } }));
    const previous = process.env.DOCKER_CONFIG;
    process.env.DOCKER_CONFIG = dir;
    try {
      const result = await mirror(`${plain.host}/src/app:v1`, `${basic.host}/${fresh('basic/app')}:v1`, { ...base, authFile: undefined });
      expect(result.status).toBe('copied');
    } finally {
      if (previous === undefined) delete process.env.DOCKER_CONFIG;
      else process.env.DOCKER_CONFIG = previous;
    }
  });
});

describe('bearer token flow', () => {
  test('pushes with credentials; tokens are per repository scope and reused', async () => {
    const repo = fresh('team/app');
    const result = await mirror(`${plain.host}/src/app:v1`, `${tokenRegistry.host}/${repo}:v1`, {
      ...base,
      destinationCredentials: { username: TOKEN_USER, password: 'temp-1' },
    });

    expect(result.status).toBe('copied');
    expect(tokens.requests.every((r) => r.user === TOKEN_USER && r.status === 200)).toBe(true);
    expect(tokens.requests.map((r) => r.scopes)).toContainEqual([`repository:${repo}:pull,push`]);
    // one token for the whole copy (4 blobs, 3 manifests), not one per request
    expect(tokens.requests).toHaveLength(1);
    const stored = await getManifest(tokenRegistry.url, repo, 'v1', `Bearer ${tokens.mint('check', [`repository:${repo}:pull`])}`);
    expect(sha256(stored.body)).toBe(image.top.digest);
  });

  test('pulls anonymously where the token server allows it', async () => {
    const result = await mirror(`${tokenRegistry.host}/public/app:v1`, `${plain.host}/${fresh('from-token/app')}:v1`, base);

    expect(result.status).toBe('copied');
    expect(tokens.requests[0]).toEqual({ user: undefined, scopes: ['repository:public/app:pull'], status: 200 });
  });

  test('mounts across repositories with one token covering both scopes', async () => {
    const repo = fresh('mounted/app');
    const result = await mirror(`${tokenRegistry.host}/public/app:v1`, `${tokenRegistry.host}/${repo}:v1`, {
      ...base,
      destinationCredentials: { username: TOKEN_USER, password: 'temp-1' },
    });

    expect(result.blobs).toEqual({ copied: 0, mounted: image.blobs.length, skipped: 0 });
    expect(tokens.requests.map((r) => r.scopes)).toContainEqual([`repository:${repo}:pull,push`, 'repository:public/app:pull']);
  });

  test('pushing without credentials fails with auth-required for the destination', async () => {
    const report = await mirrorMany([{ source: `${plain.host}/src/app:v1`, destination: `${tokenRegistry.host}/${fresh('team/app')}:v1` }], base);

    expect(report.images[0].error).toMatchObject({ code: 'auth-required', side: 'destination', registry: tokenRegistry.host });
    expect(report.images[0].error!.message).toBe(`registry ${tokenRegistry.host} requires credentials and none were found (HTTP 401 Unauthorized)`);
  });

  test('an expired token mid-run (401) is replaced and the hook is not bothered', async () => {
    const calls: Array<CredentialRequest | undefined> = [];
    const challenge = `Bearer realm="${tokens.realm}",service="${tokens.service}",error="invalid_token"`;
    tokenProxy.addFault((r) => r.method === 'PUT' && r.path.includes('/manifests/'), { kind: 'status', status: 401, headers: { 'www-authenticate': challenge } }, 1);

    const result = await mirror(`${plain.host}/src/app:v1`, `${tokenProxy.host}/${fresh('team/app')}:v1`, {
      ...base,
      credentialsFor: async (host, request) => {
        calls.push(request);
        return host === tokenProxy.host ? { username: TOKEN_USER, password: 'temp-1' } : undefined;
      },
    });

    expect(result.status).toBe('copied');
    expect(tokens.requests.filter((r) => r.status === 200)).toHaveLength(2);
    expect(calls.filter((c) => c?.reason === 'rejected')).toEqual([]);
  });

  test('a temporary password that expires mid-run: the hook is asked again and the upload restarts', async () => {
    const calls: string[] = [];
    let rotated = false;
    const challenge = `Bearer realm="${tokens.realm}",service="${tokens.service}",error="invalid_token"`;
    // On the first blob upload the registry says the token is no longer valid, and by then the
    // token server only accepts the next temporary password.
    tokenProxy.addFault(
      (r) => {
        if (r.method !== 'PUT' || !r.path.includes('/blobs/uploads/') || rotated) return false;
        rotated = true;
        tokens.setPassword(TOKEN_USER, 'temp-2');
        return true;
      },
      { kind: 'status', status: 401, headers: { 'www-authenticate': challenge } },
      1,
    );

    const report = await mirrorMany([{ source: `${plain.host}/src/app:v1`, destination: `${tokenProxy.host}/${fresh('team/app')}:v1` }], {
      ...base,
      credentialsFor: async (host, request) => {
        if (host !== tokenProxy.host) return undefined;
        calls.push(request?.reason ?? 'none');
        return { username: TOKEN_USER, password: request?.reason === 'rejected' ? 'temp-2' : 'temp-1' };
      },
    });

    expect(report.images[0].status).toBe('copied');
    expect(calls).toEqual(['initial', 'rejected']);
    expect(tokens.requests.map((r) => r.status)).toContain(401);
    expect(JSON.stringify(report)).not.toMatch(/temp-[12]/);
  });
});
