/**
 * JdcloudClient against the fake gateway: request shape, envelope, typed errors, retries with
 * backoff, timeouts, network errors, endpoint override and credential hygiene.
 */
import { inspect } from 'util';
import { JdcloudClient } from '../../lib/jdcloud/client';
import { JdcloudApiError, JdcloudNetworkError, JdcloudValidationError } from '../../lib/jdcloud/errors';
import { JDCLOUD3 } from '../../lib/jdcloud/signing-key';
import { Transport } from '../../lib/jdcloud/transport';
import { Harness, REGION, TEST_ACCESS_KEY, TEST_SECRET_KEY, startHarness } from '../fakes/jdcloud/harness';
import { startFakeJdcloud } from '../fakes/jdcloud/server';

const describeRegistry = (registryName: string) => ({
  service: 'cr',
  action: 'DescribeRegistry',
  method: 'GET' as const,
  path: '/regions/{regionId}/registries/{registryName}',
  regionId: REGION,
  pathParams: { registryName },
});

const getToken = (body: Record<string, unknown> = {}) => ({
  service: 'cr',
  action: 'GetAuthorizationToken',
  method: 'POST' as const,
  path: '/regions/{regionId}/registries/{registryName}:getAuthorizationToken',
  regionId: REGION,
  pathParams: { registryName: 'myreg' },
  body,
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('JdcloudClient against the fake gateway', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ registries: [{ regionId: REGION, name: 'myreg' }] });
  });
  afterEach(() => h.jd.close());

  describe('request shape and envelope', () => {
    it('sends POST bodies as JSON to /v1 with the custom-action colon percent-encoded', async () => {
      const response = await h.client.request<{ authorizationToken: string }>(getToken({ expiredAfterHours: 3 }));
      expect(typeof response.result.authorizationToken).toBe('string');
      expect(response.httpStatus).toBe(200);
      const [req] = h.jd.requests;
      expect(req.method).toBe('POST');
      expect(req.path).toBe('/v1/regions/cn-north-1/registries/myreg%3AgetAuthorizationToken');
      expect(req.body).toEqual({ expiredAfterHours: 3 });
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.service).toBe('cr');
      expect(req.action).toBe('GetAuthorizationToken');
    });

    it('returns the requestId of the envelope', async () => {
      const response = await h.client.request(describeRegistry('myreg'));
      expect(response.requestId).toMatch(/^[a-z0-9]{32}$/);
      expect(response.requestId).toBe(h.jd.requests[0].requestId);
    });

    it('flattens GET parameters into a sorted query and sends content-type even without a body', async () => {
      await h.client.request({
        service: 'cr',
        action: 'DescribeAuthorizationTokens',
        method: 'GET',
        path: '/regions/{regionId}/registries/{registryName}/tokens',
        regionId: REGION,
        pathParams: { registryName: 'myreg' },
        query: { pageSize: 10, filters: [{ name: 'token', values: ['a b', 'c'] }], pageNumber: undefined },
      });
      const [req] = h.jd.requests;
      expect(req.rawQuery).toBe('filters.1.name=token&filters.1.values.1=a%20b&filters.1.values.2=c&pageSize=10');
      expect(req.body).toBeUndefined();
      expect(req.headers['content-type']).toBe('application/json');
    });

    it('sends {} as the body of a POST without parameters', async () => {
      await h.client.request({ ...getToken(), body: undefined });
      expect(h.jd.requests[0].body).toEqual({});
    });

    it('signs with JDCLOUD3 when asked to', async () => {
      const client = new JdcloudClient({ accessKey: TEST_ACCESS_KEY, secretKey: TEST_SECRET_KEY, endpoint: h.jd.url, algorithm: JDCLOUD3 });
      await client.request(describeRegistry('myreg'));
      expect(h.jd.requests[0].headers.authorization).toMatch(/^JDCLOUD3-HMAC-SHA256 Credential=/);
      expect(h.jd.requests[0].status).toBe(200);
    });

    it('works through a WHATWG fetch as well', async () => {
      const client = new JdcloudClient({ accessKey: TEST_ACCESS_KEY, secretKey: TEST_SECRET_KEY, endpoint: h.jd.url, fetchImpl: fetch });
      const { result } = await client.request<{ registry: { name: string } }>(describeRegistry('myreg'));
      expect(result.registry.name).toBe('myreg');
    });
  });

  describe('typed errors', () => {
    it('turns a wrong secret key into a non-retryable JdcloudApiError with the gateway message and requestId', async () => {
      const client = new JdcloudClient({ accessKey: TEST_ACCESS_KEY, secretKey: 'not-the-secret-key', endpoint: h.jd.url, sleep: async () => {} });
      const error = await rejection(client.request(getToken()));
      expect(error).toBeInstanceOf(JdcloudApiError);
      const e = error as JdcloudApiError;
      expect(e).toMatchObject({ code: 401, status: 'ACCESS_ERROR', serverMessage: 'sign result is not same [gw]', httpStatus: 401, retryable: false });
      expect(e.requestId).toBe(h.jd.requests[0].requestId);
      expect(e.toString()).toBe(`JD Cloud cr GetAuthorizationToken failed: 401 ACCESS_ERROR: sign result is not same [gw] (requestId ${e.requestId})`);
      expect(h.jd.requests).toHaveLength(1);
    });

    it('reports a service error (404 NOT_FOUND) in one line and does not retry it', async () => {
      const e = (await rejection(h.client.request(describeRegistry('nope')))) as JdcloudApiError;
      expect(e.message).toBe(`JD Cloud cr DescribeRegistry failed: 404 NOT_FOUND: registry nope not found in cn-north-1 (requestId ${e.requestId})`);
      expect(h.jd.requests).toHaveLength(1);
      expect(h.sleeps).toEqual([]);
    });

    it('handles a non-JSON 502 page as a retryable error with a short excerpt', async () => {
      h.jd.faults.add({ action: 'DescribeRegistry', status: 502, rawBody: '<html>\n<body>Bad   Gateway</body></html>', times: 10 });
      const client = new JdcloudClient({ accessKey: TEST_ACCESS_KEY, secretKey: TEST_SECRET_KEY, endpoint: h.jd.url, retries: 1, sleep: async () => {} });
      const e = (await rejection(client.request(describeRegistry('myreg')))) as JdcloudApiError;
      expect(e).toMatchObject({ code: 502, status: 'SOURCE_UNAVAILABLE', httpStatus: 502, retryable: true });
      expect(e.serverMessage).toBe('unexpected response body: <html> <body>Bad Gateway</body></html>');
      expect(e.requestId).toBe(h.jd.requests[1].requestId); // the last attempt's, from the x-jdcloud-request-id header
      expect(h.jd.requests).toHaveLength(2);
    });

    it('treats a 200 whose body is not JSON as INVALID_RESPONSE and does not retry it', async () => {
      h.jd.faults.add({ action: 'DescribeRegistry', status: 200, rawBody: 'OK' });
      const e = (await rejection(h.client.request(describeRegistry('myreg')))) as JdcloudApiError;
      expect(e).toMatchObject({ status: 'INVALID_RESPONSE', retryable: false });
      expect(h.jd.requests).toHaveLength(1);
    });

    it('reports an error envelope even when it comes with HTTP 200', async () => {
      const transport: Transport = async () => ({
        status: 200,
        headers: {},
        body: JSON.stringify({ requestId: 'r1', error: { code: 400, status: 'FAILED_PRECONDITION', message: 'wrong state' } }),
      });
      const client = new JdcloudClient({ accessKey: TEST_ACCESS_KEY, secretKey: TEST_SECRET_KEY, transport });
      const e = (await rejection(client.request(describeRegistry('x')))) as JdcloudApiError;
      expect(e.toString()).toBe('JD Cloud cr DescribeRegistry failed: 400 FAILED_PRECONDITION: wrong state (requestId r1)');
      expect(e.retryable).toBe(false);
    });

    it('takes the requestId from the header when the body has none, and defaults a missing result to {}', async () => {
      const transport: Transport = async () => ({ status: 200, headers: { 'x-jdcloud-request-id': 'hdr-1' }, body: '' });
      const client = new JdcloudClient({ accessKey: TEST_ACCESS_KEY, secretKey: TEST_SECRET_KEY, transport });
      await expect(client.request(describeRegistry('x'))).resolves.toEqual({ requestId: 'hdr-1', result: {}, httpStatus: 200 });
    });

    it('rejects a missing path parameter before any request', async () => {
      const e = await rejection(h.client.request(describeRegistry('')));
      expect(e).toBeInstanceOf(JdcloudValidationError);
      expect((e as JdcloudValidationError).field).toBe('registryName');
      expect(h.jd.requests).toHaveLength(0);
    });
  });

  describe('retries', () => {
    it('retries 503 twice then succeeds, with three signed requests and fresh nonces', async () => {
      h.jd.faults.add({ action: 'GetAuthorizationToken', status: 503, times: 2 });
      const { result } = await h.client.request<{ authorizationToken: string }>(getToken());
      expect(result.authorizationToken).toBeTruthy();
      expect(h.jd.requests.map((r) => r.status)).toEqual([503, 503, 200]);
      expect(new Set(h.jd.requests.map((r) => r.headers['x-jdcloud-nonce'])).size).toBe(3);
      expect(h.sleeps).toHaveLength(2);
    });

    it.each([
      ['RATE_LIMIT'],
      ['HTTP_RATE_LIMIT_EXCEEDED'],
    ])('retries 429 %s', async (errorStatus) => {
      h.jd.faults.add({ action: 'GetAuthorizationToken', status: 429, errorStatus });
      await h.client.request(getToken());
      expect(h.jd.requests.map((r) => r.status)).toEqual([429, 200]);
    });

    it('does not retry 429 QUOTA_EXCEEDED', async () => {
      h.jd.faults.add({ action: 'GetAuthorizationToken', status: 429, errorStatus: 'QUOTA_EXCEEDED', times: 5 });
      const e = (await rejection(h.client.request(getToken()))) as JdcloudApiError;
      expect(e).toMatchObject({ status: 'QUOTA_EXCEEDED', retryable: false });
      expect(h.jd.requests).toHaveLength(1);
    });

    it.each([400, 401, 403, 404, 409])('does not retry %i', async (status) => {
      h.jd.faults.add({ action: 'GetAuthorizationToken', status, times: 5 });
      const e = (await rejection(h.client.request(getToken()))) as JdcloudApiError;
      expect(e.code).toBe(status);
      expect(h.jd.requests).toHaveLength(1);
      expect(h.sleeps).toEqual([]);
    });

    it('gives up after `retries` retries and throws the last error', async () => {
      h.jd.faults.add({ action: 'GetAuthorizationToken', status: 500, times: 3 });
      h.jd.faults.add({ action: 'GetAuthorizationToken', status: 503, times: 10, message: 'still down' });
      const e = (await rejection(h.client.request(getToken()))) as JdcloudApiError;
      expect(e).toMatchObject({ code: 503, serverMessage: 'still down' });
      expect(h.jd.requests).toHaveLength(4); // default retries: 3
    });

    it('does not retry at all with retries: 0', async () => {
      const client = new JdcloudClient({ accessKey: TEST_ACCESS_KEY, secretKey: TEST_SECRET_KEY, endpoint: h.jd.url, retries: 0 });
      h.jd.faults.add({ action: 'GetAuthorizationToken', status: 503 });
      await rejection(client.request(getToken()));
      expect(h.jd.requests).toHaveLength(1);
    });

    it('backs off exponentially with full jitter, capped', async () => {
      const sleeps: number[] = [];
      const client = new JdcloudClient({
        accessKey: TEST_ACCESS_KEY,
        secretKey: TEST_SECRET_KEY,
        endpoint: h.jd.url,
        retries: 5,
        backoffBaseMs: 100,
        backoffMaxMs: 1000,
        random: () => 0.5,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      });
      h.jd.faults.add({ action: 'GetAuthorizationToken', status: 503, times: 5 });
      await client.request(getToken());
      // caps 100, 200, 400, 800, 1000 (max) — each times the jitter 0.5
      expect(sleeps).toEqual([50, 100, 200, 400, 500]);
    });

    it('honours a Retry-After in seconds', async () => {
      h.jd.faults.add({ action: 'GetAuthorizationToken', status: 429, headers: { 'retry-after': '2' } });
      await h.client.request(getToken());
      expect(h.sleeps).toEqual([2000]);
    });

    it('logs each retry as one line without credentials', async () => {
      const lines: string[] = [];
      const client = new JdcloudClient({
        accessKey: TEST_ACCESS_KEY,
        secretKey: TEST_SECRET_KEY,
        endpoint: h.jd.url,
        sleep: async () => {},
        random: () => 0,
        logger: { warn: (m) => lines.push(`warn ${m}`), debug: (m) => lines.push(`debug ${m}`) },
      });
      h.jd.faults.add({ action: 'GetAuthorizationToken', status: 503 });
      await client.request(getToken());
      expect(lines.filter((l) => l.startsWith('warn'))).toEqual([
        `warn JD Cloud cr GetAuthorizationToken failed: 503 UNAVAILABLE: injected 503 (requestId ${h.jd.requests[0].requestId}); retry 1/3 in 0 ms`,
      ]);
      expect(lines.join('\n')).not.toContain(TEST_SECRET_KEY);
      expect(lines.join('\n')).not.toContain(TEST_ACCESS_KEY);
    });
  });

  describe('timeouts and network errors', () => {
    it('times out a slow response as a JdcloudNetworkError', async () => {
      const client = new JdcloudClient({ accessKey: TEST_ACCESS_KEY, secretKey: TEST_SECRET_KEY, endpoint: h.jd.url, timeoutMs: 100, retries: 0 });
      h.jd.faults.add({ action: 'GetAuthorizationToken', delayMs: 30_000 });
      const e = (await rejection(client.request(getToken()))) as JdcloudNetworkError;
      expect(e).toBeInstanceOf(JdcloudNetworkError);
      expect(e).toMatchObject({ timedOut: true, retryable: true });
      expect(e.message).toBe('JD Cloud cr GetAuthorizationToken failed: timed out: no response within 100 ms');
    });

    it('retries after a timeout', async () => {
      // Generous: the second attempt must answer within it even on a loaded machine.
      const client = new JdcloudClient({ accessKey: TEST_ACCESS_KEY, secretKey: TEST_SECRET_KEY, endpoint: h.jd.url, timeoutMs: 1500, sleep: async () => {} });
      h.jd.faults.add({ action: 'GetAuthorizationToken', delayMs: 30_000 });
      await expect(client.request(getToken())).resolves.toMatchObject({ httpStatus: 200 });
      expect(h.jd.requests).toHaveLength(2);
    });

    it('retries a reset connection', async () => {
      h.jd.faults.add({ action: 'GetAuthorizationToken', reset: true });
      await expect(h.client.request(getToken())).resolves.toMatchObject({ httpStatus: 200 });
      expect(h.jd.requests.map((r) => r.status)).toEqual([0, 200]);
    });

    it('fails with a JdcloudNetworkError when the connection keeps resetting', async () => {
      h.jd.faults.add({ action: 'GetAuthorizationToken', reset: true, times: 10 });
      const e = (await rejection(h.client.request(getToken()))) as JdcloudNetworkError;
      expect(e).toBeInstanceOf(JdcloudNetworkError);
      expect(e.timedOut).toBe(false);
      expect(e.message).toMatch(/^JD Cloud cr GetAuthorizationToken failed: network error: /);
      expect(h.jd.requests).toHaveLength(4);
    });

    it('reports a refused connection as a network error', async () => {
      const gone = await startFakeJdcloud({ accounts: {} });
      await gone.close();
      const client = new JdcloudClient({ accessKey: TEST_ACCESS_KEY, secretKey: TEST_SECRET_KEY, endpoint: gone.url, retries: 1, sleep: async () => {} });
      const e = (await rejection(client.request(getToken()))) as JdcloudNetworkError;
      expect(e).toBeInstanceOf(JdcloudNetworkError);
      expect(e.message).toContain('ECONNREFUSED');
    });
  });

  describe('credential hygiene', () => {
    it('never shows the credentials when the client is inspected or serialised', () => {
      const texts = [
        inspect(h.client, { showHidden: true, depth: Infinity }),
        JSON.stringify(h.client),
        String(h.client),
        Object.keys(h.client).join(','),
        Object.getOwnPropertyNames(h.client).map((k) => String((h.client as unknown as Record<string, unknown>)[k])).join(','),
      ];
      for (const text of texts) {
        expect(text).not.toContain(TEST_SECRET_KEY);
        expect(text).not.toContain(TEST_ACCESS_KEY);
      }
      expect(inspect(h.client)).toContain('[REDACTED]');
    });

    it('keeps credentials out of API errors, even when the server echoes them', async () => {
      h.jd.faults.add({ action: 'GetAuthorizationToken', status: 400, message: `bad key ${TEST_ACCESS_KEY} / ${TEST_SECRET_KEY}` });
      const e = (await rejection(h.client.request(getToken()))) as JdcloudApiError;
      for (const text of [e.message, e.toString(), e.serverMessage, inspect(e), JSON.stringify(e)]) {
        expect(text).not.toContain(TEST_SECRET_KEY);
        expect(text).not.toContain(TEST_ACCESS_KEY);
      }
      expect(e.serverMessage).toBe('bad key [REDACTED] / [REDACTED]');
    });

    it('keeps credentials out of network errors', async () => {
      const transport: Transport = async () => {
        throw new Error(`socket closed while sending ${TEST_SECRET_KEY}`);
      };
      const client = new JdcloudClient({ accessKey: TEST_ACCESS_KEY, secretKey: TEST_SECRET_KEY, transport, retries: 0 });
      const e = (await rejection(client.request(getToken()))) as JdcloudNetworkError;
      expect(e.message).toBe('JD Cloud cr GetAuthorizationToken failed: network error: socket closed while sending [REDACTED]');
      expect(inspect(e)).not.toContain(TEST_SECRET_KEY);
      expect(inspect(e)).toContain('[cause]');
    });
  });
});

describe('JdcloudClient without a server', () => {
  function capture(): { transport: Transport; urls: string[]; hosts: string[] } {
    const urls: string[] = [];
    const hosts: string[] = [];
    return {
      urls,
      hosts,
      transport: async (request) => {
        urls.push(request.url);
        hosts.push(request.headers.host);
        return { status: 200, headers: {}, body: '{"requestId":"r","result":{}}' };
      },
    };
  }

  it('sends each service to https://{service}.jdcloud-api.com by default', async () => {
    const { transport, urls, hosts } = capture();
    const client = new JdcloudClient({ accessKey: 'a', secretKey: 's', transport });
    await client.request({ service: 'vpc', action: 'DescribeVpcs', method: 'GET', path: '/regions/{regionId}/vpcs/', regionId: REGION, query: { pageSize: 10 } });
    await client.request({ service: 'containerregistry', action: 'DescribeRegistries', method: 'GET', path: '/regions/{regionId}/registries', regionId: REGION });
    expect(urls).toEqual([
      'https://vpc.jdcloud-api.com/v1/regions/cn-north-1/vpcs/?pageSize=10',
      'https://containerregistry.jdcloud-api.com/v1/regions/cn-north-1/registries',
    ]);
    expect(hosts).toEqual(['vpc.jdcloud-api.com', 'containerregistry.jdcloud-api.com']);
  });

  it('sends every service to the override, keeping its path prefix and port', async () => {
    const { transport, urls, hosts } = capture();
    const client = new JdcloudClient({ accessKey: 'a', secretKey: 's', transport, endpoint: 'http://gw.internal:8080/jdcloud/' });
    await client.request({ service: 'kubernetes', action: 'DescribeVersions', method: 'GET', path: '/regions/{regionId}/versions', regionId: REGION });
    expect(urls).toEqual(['http://gw.internal:8080/jdcloud/v1/regions/cn-north-1/versions']);
    expect(hosts).toEqual(['gw.internal:8080']);
  });

  it('signs region-less calls with the jdcloud-api scope region', async () => {
    const seen: string[] = [];
    const transport: Transport = async (request) => {
      seen.push(request.headers.authorization);
      return { status: 200, headers: {}, body: '{}' };
    };
    const client = new JdcloudClient({ accessKey: 'ak', secretKey: 's', transport, now: () => new Date('2024-01-02T03:04:05Z'), nonce: () => 'n' });
    await client.request({ service: 'cr', action: 'X', method: 'GET', path: '/things' });
    expect(seen[0]).toMatch(/^JDCLOUD2-HMAC-SHA256 Credential=ak\/20240102\/jdcloud-api\/cr\/jdcloud2_request, SignedHeaders=content-type;host;x-jdcloud-date;x-jdcloud-nonce, /);
  });

  it('refuses to start without credentials, with a bad endpoint, or with bad numbers', () => {
    expect(() => new JdcloudClient({ accessKey: '', secretKey: 's' })).toThrow(/JDCLOUD_ACCESS_KEY and JDCLOUD_SECRET_KEY/);
    expect(() => new JdcloudClient({ accessKey: 'a', secretKey: 's', endpoint: 'ftp://x' })).toThrow(/must use http:\/\/ or https:\/\//);
    expect(() => new JdcloudClient({ accessKey: 'a', secretKey: 's', retries: -1 })).toThrow(/retries must be a non-negative integer/);
    expect(() => new JdcloudClient({ accessKey: 'a', secretKey: 's', timeoutMs: 0 })).toThrow(/timeoutMs must be a positive number/);
  });
});
