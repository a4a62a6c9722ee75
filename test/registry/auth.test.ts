import { mergeScopes, parseWwwAuthenticate, RegistryAuthenticator, repositoryScope, type TokenEndpointResponse } from '../../lib/registry/auth';
import type { CredentialRequest, Credentials } from '../../lib/registry';
import { RegistryError } from '../../lib/registry';

describe('parseWwwAuthenticate', () => {
  test('Docker Hub style bearer challenge', () => {
    expect(parseWwwAuthenticate('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } },
    ]);
  });

  test('several challenges, token values, escapes and odd spacing', () => {
    expect(parseWwwAuthenticate('Basic realm="basic-realm", Bearer realm = "https://a/t?x=1" , error=insufficient_scope,scope="repository:a:pull,push" x="q\\"uote"')).toEqual([
      { scheme: 'basic', params: { realm: 'basic-realm' } },
      { scheme: 'bearer', params: { realm: 'https://a/t?x=1', error: 'insufficient_scope', scope: 'repository:a:pull,push', x: 'q"uote' } },
    ]);
  });

  test('array headers and nothing at all', () => {
    expect(parseWwwAuthenticate(['Basic realm="r"', 'Bearer realm="t"']).map((c) => c.scheme)).toEqual(['basic', 'bearer']);
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
  });
});

test('scopes: one per repository, merged and ordered so equal needs share a token', () => {
  expect(repositoryScope('team/app', ['pull', 'push'])).toBe('repository:team/app:pull,push');
  expect(mergeScopes(['repository:b:pull', 'repository:a:push', 'repository:a:pull', 'repository:b:pull'])).toEqual(['repository:a:pull,push', 'repository:b:pull']);
  expect(mergeScopes(['repository:a:pull repository:c:push', ''])).toEqual(['repository:a:pull', 'repository:c:push']);
});

describe('RegistryAuthenticator', () => {
  const challenge = 'Bearer realm="https://auth.example/token",service="reg"';
  let now: number;
  let fetched: Array<{ url: URL; authorization?: string }>;
  let replies: TokenEndpointResponse[];
  let asked: Array<CredentialRequest | undefined>;
  let credentials: Credentials[];

  function authenticator() {
    return new RegistryAuthenticator(
      'reg.example',
      async (_host, request) => {
        asked.push(request);
        return credentials[Math.min(asked.length - 1, credentials.length - 1)];
      },
      async (url, authorization) => {
        fetched.push({ url, authorization });
        return replies.shift() ?? { status: 200, body: Buffer.from(JSON.stringify({ token: `t${fetched.length}`, expires_in: 300 })) };
      },
      () => now,
    );
  }

  beforeEach(() => {
    now = 1_000_000;
    fetched = [];
    replies = [];
    asked = [];
    credentials = [{ username: 'u', password: 'p1' }];
  });

  test('nothing is sent before the registry has challenged', async () => {
    expect(await authenticator().authorizationFor(['repository:a:pull'])).toBeUndefined();
  });

  test('a bearer challenge fetches a token with service and scopes, then it is reused until close to expiry', async () => {
    const auth = authenticator();
    await auth.onUnauthorized(challenge, '', ['repository:a:pull'], undefined, 0);

    expect(fetched).toHaveLength(1);
    expect(fetched[0].url.searchParams.get('service')).toBe('reg');
    expect(fetched[0].url.searchParams.getAll('scope')).toEqual(['repository:a:pull']);
    expect(fetched[0].authorization).toBe(`Basic ${Buffer.from('u:p1').toString('base64')}`);
    expect(await auth.authorizationFor(['repository:a:pull'])).toBe('Bearer t1');
    expect(fetched).toHaveLength(1);

    now += 280_000; // 300 s token, renewed 30 s early
    expect(await auth.authorizationFor(['repository:a:pull'])).toBe('Bearer t2');
    // another scope set is another token
    expect(await auth.authorizationFor(['repository:b:pull'])).toBe('Bearer t3');
  });

  test('concurrent requests for the same scopes share one token fetch', async () => {
    const auth = authenticator();
    auth.learnChallenge(challenge);
    const tokens = await Promise.all([1, 2, 3].map(() => auth.authorizationFor(['repository:a:pull'])));
    expect(new Set(tokens)).toEqual(new Set(['Bearer t1']));
    expect(fetched).toHaveLength(1);
  });

  test('a rejected token is replaced; a second rejection asks the provider for new credentials', async () => {
    credentials = [
      { username: 'u', password: 'p1' },
      { username: 'u', password: 'p2' },
    ];
    const auth = authenticator();
    await auth.onUnauthorized(challenge, '', ['repository:a:pull'], undefined, 0);
    await auth.onUnauthorized(challenge, '', ['repository:a:pull'], 'Bearer t1', 0);
    expect(asked).toEqual([{ reason: 'initial' }]);
    await auth.onUnauthorized(challenge, '', ['repository:a:pull'], 'Bearer t2', 1);
    expect(asked).toEqual([{ reason: 'initial' }, { reason: 'rejected' }]);
    expect(fetched.at(-1)!.authorization).toBe(`Basic ${Buffer.from('u:p2').toString('base64')}`);
  });

  test('the token service refusing the password asks the provider again once', async () => {
    credentials = [
      { username: 'u', password: 'expired' },
      { username: 'u', password: 'fresh' },
    ];
    replies = [{ status: 401, body: Buffer.from('{"errors":[{"code":"UNAUTHORIZED","message":"bad"}]}') }];
    const auth = authenticator();
    await auth.onUnauthorized(challenge, '', ['repository:a:pull'], undefined, 0);
    expect(asked.map((a) => a?.reason)).toEqual(['initial', 'rejected']);
    expect(await auth.authorizationFor(['repository:a:pull'])).toMatch(/^Bearer t\d$/);
  });

  test('the same credentials refused again: auth-rejected naming the user, not the password', async () => {
    replies = [0, 1].map(() => ({ status: 401, body: Buffer.from('{"errors":[{"code":"UNAUTHORIZED","message":"invalid username or password"}]}') }));
    const err = (await authenticator()
      .onUnauthorized(challenge, '', ['repository:a:pull'], undefined, 0)
      .catch((e: unknown) => e)) as RegistryError;
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.code).toBe('auth-rejected');
    expect(err.message).toBe('token service auth.example for registry reg.example rejected the credentials of user "u" (unauthorized: invalid username or password)');
    expect(err.message).not.toContain('p1');
  });

  test('basic: no credentials means auth-required; wrong ones that the provider repeats means auth-rejected', async () => {
    const anonymous = new RegistryAuthenticator('reg.example', undefined, async () => ({ status: 500, body: Buffer.alloc(0) }));
    await expect(anonymous.onUnauthorized('Basic realm="r"', '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}', [], undefined, 0)).rejects.toMatchObject({
      code: 'auth-required',
      message: 'registry reg.example requires credentials and none were found (unauthorized: authentication required)',
    });

    const auth = authenticator();
    await auth.onUnauthorized('Basic realm="r"', '', [], undefined, 0);
    const sent = await auth.authorizationFor([]);
    expect(sent).toBe(`Basic ${Buffer.from('u:p1').toString('base64')}`);
    await expect(auth.onUnauthorized('Basic realm="r"', '', [], sent, 1)).rejects.toMatchObject({ code: 'auth-rejected' });
  });

  test('a token lacking the scope after fresh credentials ends as access-denied', async () => {
    const auth = authenticator();
    const insufficient = `${challenge},scope="repository:a:push",error="insufficient_scope"`;
    await auth.onUnauthorized(insufficient, '', ['repository:a:pull,push'], undefined, 0);
    await auth.onUnauthorized(insufficient, '', ['repository:a:pull,push'], 'Bearer t1', 1);
    await expect(auth.onUnauthorized(insufficient, '', ['repository:a:pull,push'], 'Bearer t2', 2)).rejects.toMatchObject({
      code: 'access-denied',
      message: 'user "u" lacks the rights this needs on registry reg.example (needs repository:a:push; HTTP 401 Unauthorized)',
    });
  });
});
