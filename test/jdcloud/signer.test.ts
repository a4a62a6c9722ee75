/**
 * The signer against the official SDKs' own test vectors, then the server-side `verify`:
 *   V1 https://github.com/jdcloud-api/jdcloud-sdk-cpp-signer/blob/v0.2.1/src/tests/JdcloudSignerImplTest.cpp
 *   V2 https://github.com/jdcloud-api/jdcloud-sdk-rust-signer/blob/391a50c7735d05bb919561c3dfcca12f5e85887d/src/signer.rs
 *   V3 https://github.com/jdcloud-api/jdcloud-sdk-go-signer/blob/615e14e076aa72f3861251ed13bdcd0d0862913f/core/Signer_test.go
 *   V4 https://github.com/jdcloud-api/jdcloud-sdk-python/blob/v1.6.180/jdcloud_sdk/core/signer_test.py (JDCLOUD3)
 */
import {
  DEFAULT_SIGNED_HEADERS,
  EMPTY_BODY_SHA256,
  canonicalHeaderValue,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  sha256Hex,
} from '../../lib/jdcloud/canonical-request';
import { computeSignature, formatSigningDate, signRequest, stringToSign } from '../../lib/jdcloud/signer';
import { JDCLOUD2, JDCLOUD3, credentialScope, signingKey } from '../../lib/jdcloud/signing-key';
import { parseAuthorization, parseSigningDate, verify } from '../fakes/jdcloud/verify-signature';

describe('V1 — cpp-signer JdcloudSignerImplTest (JDCLOUD2)', () => {
  const context = { accessKey: 'ak', secretKey: 'sk', region: 'cn-north-1', service: 'vm' };
  const date = new Date(1234567890000);
  const signedHeaders = ['host', 'x-jdcloud-date', 'x-jdcloud-nonce'];
  const sign = (query?: string) =>
    signRequest(
      { method: 'GET', path: '/', query, headers: { Host: 'vm.cn-north-1.jdcloud.net' }, date, nonce: 'uuid', signedHeaders },
      context,
    ).details;

  it('formats 1234567890000 ms as 20090213T233130Z', () => {
    expect(formatSigningDate(date)).toBe('20090213T233130Z');
  });

  it('builds the canonical request and its hash', () => {
    const details = sign();
    expect(details.canonicalRequest).toBe(
      'GET\n/\n\nhost:vm.cn-north-1.jdcloud.net\nx-jdcloud-date:20090213T233130Z\nx-jdcloud-nonce:uuid\n\n' +
        `host;x-jdcloud-date;x-jdcloud-nonce\n${EMPTY_BODY_SHA256}`,
    );
    expect(sha256Hex(details.canonicalRequest)).toBe('82ec061704243c0a6afa375300e81391dad2ec62bcd3837aa0a29440b6b6596b');
  });

  it('produces the expected Authorization header', () => {
    expect(sign().authorization).toBe(
      'JDCLOUD2-HMAC-SHA256 Credential=ak/20090213/cn-north-1/vm/jdcloud2_request, ' +
        'SignedHeaders=host;x-jdcloud-date;x-jdcloud-nonce, ' +
        'Signature=43a76892222031f847c00c56cac8d4d2dc179a4e75a37868d09a5300435f4054',
    );
  });

  it('signs ?a=&b= and ?b=&a= identically, and differently from no query', () => {
    expect(sign('a=&b=').signature).toBe(sign('b=&a=').signature);
    expect(sign('a=&b=').signature).not.toBe(sign().signature);
  });
});

describe('V2 — rust-signer src/signer.rs tests (JDCLOUD2)', () => {
  it('derives the signing key (test_make_signing_key)', () => {
    expect(signingKey('sk', '20180405', 'cn-north-1', 'service_name').toString('hex')).toBe(
      'b302aa05734bcaf60be65a4be7c971669ac55444769681c19113d80460e31a33',
    );
  });

  it('builds the credential scope (test_make_credential_scope)', () => {
    expect(credentialScope('20180101', 'cn-north-1', 'service_name')).toBe(
      '20180101/cn-north-1/service_name/jdcloud2_request',
    );
  });

  it('builds the string to sign over a request with only content-type (test_make_string_to_sign)', () => {
    const canonical = canonicalRequest({
      method: 'GET',
      path: '/v1/regions/cn-north-1/instances',
      query: 'pageNumber=2&pageSize=10',
      headers: { 'Content-Type': 'application/json' },
      signedHeaders: ['content-type'],
    });
    expect(stringToSign('20180405T010203Z', '20180405/cn-north-1/service_name/jdcloud2_request', canonical)).toBe(
      'JDCLOUD2-HMAC-SHA256\n20180405T010203Z\n20180405/cn-north-1/service_name/jdcloud2_request\n' +
        'cc696ca02602531bc35d4271dec6399149115f8632a7fa828e8d9e969967a03a',
    );
  });

  it('signs the full request without host (test_sign_request_2)', () => {
    const { headers, details } = signRequest(
      {
        method: 'GET',
        path: '/v1/regions/cn-north-1/instances',
        query: 'pageNumber=2&pageSize=10',
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'JdcloudSdkRust/0.1.0', Host: 'www.jdcloud-api.com' },
        date: new Date('2018-04-05T01:02:03Z'),
        nonce: '55f3919e-3a7d-4174-b117-f150ff25e274',
        signedHeaders: ['content-type', 'x-jdcloud-date', 'x-jdcloud-nonce'],
      },
      { accessKey: 'ak', secretKey: 'sk', region: 'cn-north-1', service: 'service_name' },
    );
    expect(details.authorization).toBe(
      'JDCLOUD2-HMAC-SHA256 Credential=ak/20180405/cn-north-1/service_name/jdcloud2_request, ' +
        'SignedHeaders=content-type;x-jdcloud-date;x-jdcloud-nonce, ' +
        'Signature=cea138630c57ba3de51933926e3b1657c34b4d1b6f86d360511bf40a09f63729',
    );
    expect(headers['authorization']).toBe(details.authorization);
    expect(headers['x-jdcloud-date']).toBe('20180405T010203Z');
    expect(headers['x-jdcloud-nonce']).toBe('55f3919e-3a7d-4174-b117-f150ff25e274');
  });

  it('builds the canonical request of GET /Hello%20world?a=1 with header A: B and body a', () => {
    expect(
      canonicalRequest({ method: 'get', path: '/Hello%20world', query: 'a=1', headers: { A: 'B' }, body: 'a', signedHeaders: ['A'] }),
    ).toBe('GET\n/Hello%20world\na=1\na:B\n\na\nca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb');
  });

  it.each([
    ['a&b', 'a=&b='],
    ['b&a&B&A', 'A=&B=&a=&b='],
    ['a=/', 'a=%2F'],
    ['a=%', 'a=%25'],
    ['b&a=%e4%b8%ad', 'a=%E4%B8%AD&b='],
    ['b&a=+++', 'a=%20%20%20&b='],
    ['a=2&a=1', 'a=1&a=2'],
  ])('canonical query of /?%s is %s', (query, expected) => {
    expect(canonicalQuery(query)).toBe(expected);
    expect(canonicalQuery('?' + query)).toBe(expected);
  });

  it.each([
    ['  World  ', 'World'],
    ['Wor  ld', 'Wor ld'],
    ['', ''],
  ])('canonical header value of %j is %j', (value, expected) => {
    expect(canonicalHeaderValue(value)).toBe(expected);
  });
});

describe('V3 — go-signer core/Signer_test.go TestBackSigner (JDCLOUD2)', () => {
  it('reproduces the PATCH signature', () => {
    const details = computeSignature(
      {
        method: 'PATCH',
        path: '/v1/region/cn-north-1/test',
        query: 'filters.1.name=id&filters.1.values.1=v1&filters.1.values.2=v2',
        headers: { 'Content-Type': 'application/json', 'X-Jdcloud-Date': '20190214T104514Z', 'X-Jdcloud-Nonce': 'test nonce' },
        body: 'this is body',
        signedHeaders: ['content-type', 'x-jdcloud-date', 'x-jdcloud-nonce'],
      },
      { accessKey: 'access key', secretKey: 'secret key', region: 'cn-north-1', service: 'test' },
    );
    expect(details.signature).toBe('1912eba02012ce6eb482302bae29cfa8e721ad66c188c533f9070e69aad2c896');
  });
});

describe('V4 — py-sdk jdcloud_sdk/core/signer_test.py (JDCLOUD3)', () => {
  const sign = (path: string, query?: string) =>
    computeSignature(
      {
        method: 'GET',
        path,
        query,
        headers: {
          host: 'apigw-internal-dev.cn-north-1.jcloudcs.com:8000',
          'content-type': 'application/json',
          'x-jdcloud-date': '20190917T064708Z',
          'x-jdcloud-nonce': 'X-Jdcloud-Nonce',
        },
        signedHeaders: DEFAULT_SIGNED_HEADERS,
      },
      { accessKey: 'ak', secretKey: 'sk', region: 'cn-north-1', service: 'apigatewaytestproductline', algorithm: JDCLOUD3 },
    );

  it('uses the jdcloud3 scope and algorithm name', () => {
    const details = sign('');
    expect(details.scope).toBe('20190917/cn-north-1/apigatewaytestproductline/jdcloud3_request');
    expect(details.authorization.startsWith('JDCLOUD3-HMAC-SHA256 Credential=ak/20190917/')).toBe(true);
  });

  const instances = '/v1/regions/cn-north-1/instances';
  it.each([
    ['', undefined, '44c5ec30b6185516986ae171d8276552bc0f37f6a536a44e4f578958fc1c12be'],
    ['v1', undefined, '92cd3ed582c13af58b4c81ddad150c350e656c6cc9e78ec154d7385e499b91b6'],
    ['v1/', undefined, '035689ae2ce6a3603928ac3d60a6d2fbfb550d33c5da983342a6356419ccd914'],
    [`${instances}/中文:GET`, undefined, '936ed2dcb6fb4271ad640e0f46f1fe61763a0bad8bb4f4eb1224261f969612fa'],
    [instances, '=a&a=a', '43efb5fb00e86faf35d8bf0bed3b72e84cfc98ee4754065e29c3caa7bcaa12cb'],
    [instances, '中文参数=中文参数值', '7e3094d23adde49fcc99b7d0de911d7ecaa7767590edd57769d7bdbaca919276'],
    [
      instances,
      'aa=aa&aa%3Daa=&aa=aa%3D&aa=&aa=aaa&aaa=aaa&aaa=aa&aaa=a&ab=aa&ab=aa&cc=&cc=&bb=aa&bb=',
      '8ccc3c9af11e964b3c5d6020d2af49e97e27fbb23e2b8f57bdc84815e471d54b',
    ],
  ])('path %j query %j → %s', (path, query, expected) => {
    expect(sign(path, query).signature).toBe(expected);
  });

  it('canonicalises the paths and queries of that table as documented', () => {
    expect(canonicalUri('')).toBe('/');
    expect(canonicalUri('v1')).toBe('/v1');
    expect(canonicalUri('v1/')).toBe('/v1/');
    expect(canonicalUri(`${instances}/中文:GET`)).toBe(`${instances}/%E4%B8%AD%E6%96%87%3AGET`);
    expect(canonicalQuery('=a&a=a')).toBe('a=a');
    expect(canonicalQuery('aa=aa&aa%3Daa=&aa=aa%3D&aa=&aa=aaa&aaa=aaa&aaa=aa&aaa=a&ab=aa&ab=aa&cc=&cc=&bb=aa&bb=')).toBe(
      'aa=&aa=aa&aa=aa%3D&aa=aaa&aa%3Daa=&aaa=a&aaa=aa&aaa=aaa&ab=aa&ab=aa&bb=&bb=aa&cc=&cc=',
    );
  });

  it('gives a different signature with the JDCLOUD2 constants', () => {
    const v3 = sign('v1').signature;
    const v2 = computeSignature(
      {
        method: 'GET',
        path: 'v1',
        headers: {
          host: 'apigw-internal-dev.cn-north-1.jcloudcs.com:8000',
          'content-type': 'application/json',
          'x-jdcloud-date': '20190917T064708Z',
          'x-jdcloud-nonce': 'X-Jdcloud-Nonce',
        },
      },
      { accessKey: 'ak', secretKey: 'sk', region: 'cn-north-1', service: 'apigatewaytestproductline', algorithm: JDCLOUD2 },
    ).signature;
    expect(v2).not.toBe(v3);
  });
});

describe('canonical URI', () => {
  it('is the same for the raw path and the wire-encoded path', () => {
    const raw = '/v1/regions/cn-north-1/registries/myreg:getAuthorizationToken';
    const wire = '/v1/regions/cn-north-1/registries/myreg%3AgetAuthorizationToken';
    expect(canonicalUri(raw)).toBe(wire);
    expect(canonicalUri(wire)).toBe(wire);
  });

  it('keeps the trailing slash of collection paths (vpc)', () => {
    expect(canonicalUri('/v1/regions/cn-north-1/vpcs/')).toBe('/v1/regions/cn-north-1/vpcs/');
    expect(canonicalUri('/v1/regions/cn-north-1/vpcs')).toBe('/v1/regions/cn-north-1/vpcs');
  });

  it('treats + in a path literally and encodes reserved characters', () => {
    expect(canonicalUri("/a+b/c d/e'(f)*!")).toBe('/a%2Bb/c%20d/e%27%28f%29%2A%21');
  });
});

describe('signing dates', () => {
  it('round-trips and rejects malformed or impossible dates', () => {
    expect(parseSigningDate('20090213T233130Z')?.getTime()).toBe(1234567890000);
    expect(parseSigningDate('2009-02-13T23:31:30Z')).toBeUndefined();
    expect(parseSigningDate('20190231T000000Z')).toBeUndefined();
  });

  it('refuses to sign without a well-formed date header', () => {
    expect(() =>
      computeSignature({ method: 'GET', path: '/', headers: { 'x-jdcloud-date': 'yesterday' }, signedHeaders: [] }, {
        accessKey: 'a',
        secretKey: 's',
        region: 'r',
        service: 's',
      }),
    ).toThrow(/x-jdcloud-date/);
  });

  it('refuses to sign a header that is listed but absent', () => {
    expect(() =>
      signRequest({ method: 'GET', path: '/', headers: {} }, { accessKey: 'a', secretKey: 's', region: 'r', service: 's' }),
    ).toThrow(/"content-type" is listed as signed but not present/);
  });
});

describe('parseAuthorization', () => {
  it('splits the header into its fields', () => {
    const parsed = parseAuthorization(
      'JDCLOUD2-HMAC-SHA256 Credential=ak/20090213/cn-north-1/vm/jdcloud2_request, SignedHeaders=host;x-jdcloud-date, Signature=' +
        'a'.repeat(64),
    );
    expect(parsed).toEqual({
      ok: true,
      value: {
        algorithm: JDCLOUD2,
        accessKey: 'ak',
        day: '20090213',
        region: 'cn-north-1',
        service: 'vm',
        signedHeaders: ['host', 'x-jdcloud-date'],
        signature: 'a'.repeat(64),
      },
    });
  });

  it.each([
    ['AWS4-HMAC-SHA256 Credential=ak/20090213/r/s/aws4_request, SignedHeaders=a, Signature=' + 'a'.repeat(64), 'malformed-authorization'],
    ['JDCLOUD2-HMAC-SHA256 SignedHeaders=a, Signature=' + 'a'.repeat(64), 'missing-credential'],
    ['JDCLOUD2-HMAC-SHA256 Credential=ak/20090213/r/s/jdcloud3_request, SignedHeaders=a, Signature=' + 'a'.repeat(64), 'malformed-authorization'],
    ['JDCLOUD2-HMAC-SHA256 Credential=ak/20090213/r/s/jdcloud2_request, Signature=' + 'a'.repeat(64), 'missing-signed-headers'],
    ['JDCLOUD2-HMAC-SHA256 Credential=ak/20090213/r/s/jdcloud2_request, SignedHeaders=a, Signature=xyz', 'malformed-authorization'],
  ])('rejects %s as %s', (header, reason) => {
    expect(parseAuthorization(header)).toEqual({ ok: false, reason });
  });
});

describe('verify', () => {
  const secrets: Record<string, string> = { AKID: 'SECRET' };
  const lookupSecret = (ak: string) => secrets[ak];
  const now = new Date('2024-05-06T07:08:09Z');
  const wirePath = '/v1/regions/cn-north-1/registries/reg%3AgetAuthorizationToken';
  const body = '{"expiredAfterHours":12}';

  function signed(overrides: { secretKey?: string; signedHeaders?: string[]; date?: Date } = {}) {
    return signRequest(
      {
        method: 'POST',
        path: wirePath,
        query: 'b=2&a=1',
        headers: { 'content-type': 'application/json', host: '127.0.0.1:8080' },
        body,
        date: overrides.date ?? now,
        nonce: 'n-1',
        signedHeaders: overrides.signedHeaders,
      },
      { accessKey: 'AKID', secretKey: overrides.secretKey ?? 'SECRET', region: 'cn-north-1', service: 'cr' },
    ).headers;
  }

  const received = (headers: Record<string, string>, patch: Partial<{ body: string; path: string; query: string }> = {}) => ({
    method: 'POST',
    path: patch.path ?? wirePath,
    query: patch.query ?? 'b=2&a=1',
    headers,
    body: patch.body ?? body,
  });

  it('accepts a correctly signed request and reports the scope', () => {
    const result = verify(received(signed()), { lookupSecret, now, maxSkewMs: 15 * 60_000 });
    expect(result).toMatchObject({ ok: true, accessKey: 'AKID', region: 'cn-north-1', service: 'cr', nonce: 'n-1' });
  });

  it('accepts the same request whether the path arrives raw or encoded', () => {
    const headers = signed();
    expect(verify(received(headers, { path: '/v1/regions/cn-north-1/registries/reg:getAuthorizationToken' }), { lookupSecret }).ok).toBe(true);
  });

  it('rejects a wrong secret key with the gateway message', () => {
    expect(verify(received(signed({ secretKey: 'WRONG' })), { lookupSecret })).toEqual({
      ok: false,
      reason: 'signature-mismatch',
      message: 'sign result is not same',
    });
  });

  it.each([
    ['body', { body: '{"expiredAfterHours":24}' }],
    ['path', { path: wirePath.replace('reg', 'other') }],
    ['query', { query: 'a=1&b=3' }],
  ])('rejects a tampered %s', (_what, patch) => {
    expect(verify(received(signed(), patch), { lookupSecret })).toMatchObject({ ok: false, reason: 'signature-mismatch' });
  });

  it('rejects a tampered signed header', () => {
    expect(verify(received({ ...signed(), host: 'evil:1' }), { lookupSecret })).toMatchObject({ reason: 'signature-mismatch' });
  });

  it('rejects an unknown access key', () => {
    expect(verify(received(signed()), { lookupSecret: () => undefined })).toMatchObject({ reason: 'unknown-access-key', message: 'Invalid accessKey' });
  });

  it('requires date and nonce to be present and signed', () => {
    const { 'x-jdcloud-date': _date, ...noDate } = signed();
    expect(verify(received(noDate), { lookupSecret })).toMatchObject({ reason: 'missing-date', message: 'lack of header x-jdcloud-date' });
    const { 'x-jdcloud-nonce': _nonce, ...noNonce } = signed();
    expect(verify(received(noNonce), { lookupSecret })).toMatchObject({ reason: 'missing-nonce' });
    expect(verify(received(signed({ signedHeaders: ['content-type', 'x-jdcloud-date'] })), { lookupSecret })).toMatchObject({
      reason: 'unsigned-nonce',
    });
    expect(verify(received(signed({ signedHeaders: ['content-type', 'x-jdcloud-nonce'] })), { lookupSecret })).toMatchObject({
      reason: 'unsigned-date',
    });
  });

  it('honours the signed-header list the client chose', () => {
    const headers = signed({ signedHeaders: ['x-jdcloud-date', 'x-jdcloud-nonce'] });
    // host is not signed, so changing it does not matter.
    expect(verify(received({ ...headers, host: 'elsewhere' }), { lookupSecret }).ok).toBe(true);
  });

  it('rejects a missing Authorization header', () => {
    const { authorization: _a, ...rest } = signed();
    expect(verify(received(rest), { lookupSecret })).toMatchObject({ reason: 'missing-authorization', message: 'lack of header authorization' });
  });

  it('rejects a date more than the allowed skew away, in both directions', () => {
    const options = { lookupSecret, now, maxSkewMs: 15 * 60_000 };
    expect(verify(received(signed({ date: new Date(now.getTime() - 16 * 60_000) })), options)).toMatchObject({ reason: 'clock-skew' });
    expect(verify(received(signed({ date: new Date(now.getTime() + 16 * 60_000) })), options)).toMatchObject({ reason: 'clock-skew' });
    expect(verify(received(signed({ date: new Date(now.getTime() - 14 * 60_000) })), options).ok).toBe(true);
  });

  it('rejects a scope date that disagrees with x-jdcloud-date', () => {
    const headers = signed();
    headers['x-jdcloud-date'] = '20240507T070809Z';
    expect(verify(received(headers), { lookupSecret })).toMatchObject({ reason: 'scope-date-mismatch' });
  });

  it('rejects an algorithm the server does not accept', () => {
    expect(verify(received(signed()), { lookupSecret, algorithms: [JDCLOUD3] })).toMatchObject({ reason: 'malformed-authorization' });
  });
});
