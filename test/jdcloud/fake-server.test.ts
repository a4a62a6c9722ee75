/**
 * The fake gateway itself, driven with hand-made requests: it must enforce the protocol the
 * client is tested against (signature, required headers, clock, replay, routing), or the client
 * tests prove nothing.
 */
import { nodeHttpTransport } from '../../lib/jdcloud/transport';
import { signRequest } from '../../lib/jdcloud/signer';
import { FakeJdcloud, startFakeJdcloud } from '../fakes/jdcloud/server';

import { TEST_ACCESS_KEY as AK, TEST_SECRET_KEY as SK } from '../fakes/credentials';
const NOW = new Date('2024-06-01T12:00:00Z');

interface RawOptions {
  method?: string;
  path?: string;
  query?: string;
  body?: string;
  service?: string;
  region?: string;
  secretKey?: string;
  date?: Date;
  nonce?: string;
  signedHeaders?: string[];
  /** Edit the signed headers before sending. */
  mutate?: (headers: Record<string, string>) => void;
}

describe('fake JD Cloud gateway', () => {
  let jd: FakeJdcloud;
  beforeEach(async () => {
    jd = await startFakeJdcloud({ accounts: { [AK]: SK }, now: () => NOW, registries: [{ regionId: 'cn-north-1', name: 'myreg' }] });
  });
  afterEach(() => jd.close());

  let nonceCounter = 0;
  async function send(options: RawOptions = {}) {
    const method = options.method ?? 'GET';
    const path = options.path ?? '/v1/regions/cn-north-1/registries/myreg';
    const host = new URL(jd.url).host;
    const { headers } = signRequest(
      {
        method,
        path,
        query: options.query ?? '',
        headers: { 'content-type': 'application/json', host },
        body: options.body,
        date: options.date ?? NOW,
        nonce: options.nonce ?? `nonce-${++nonceCounter}`,
        signedHeaders: options.signedHeaders,
      },
      { accessKey: AK, secretKey: options.secretKey ?? SK, region: options.region ?? 'cn-north-1', service: options.service ?? 'cr' },
    );
    options.mutate?.(headers);
    const response = await nodeHttpTransport({
      method,
      url: `${jd.url}${path}${options.query ? `?${options.query}` : ''}`,
      headers,
      body: options.body,
      signal: new AbortController().signal,
    });
    return { status: response.status, headers: response.headers, json: JSON.parse(response.body) as Record<string, unknown> };
  }

  it('answers a good request with the success envelope and a matching request-id header', async () => {
    const res = await send();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json.requestId).toBe(res.headers['x-jdcloud-request-id']);
    expect(res.json.result).toMatchObject({ registry: { name: 'myreg' } });
    expect(jd.requests[0]).toMatchObject({ method: 'GET', service: 'cr', action: 'DescribeRegistry', regionId: 'cn-north-1', accessKey: AK, status: 200 });
  });

  it('rejects a wrong secret key exactly as the real gateway does', async () => {
    const res = await send({ secretKey: 'wrong' });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      requestId: res.headers['x-jdcloud-request-id'],
      error: { code: 401, status: 'ACCESS_ERROR', message: 'sign result is not same [gw]' },
    });
  });

  it.each<[string, (h: Record<string, string>) => void, string]>([
    ['authorization', (h) => delete h.authorization, 'lack of header authorization [gw]'],
    ['x-jdcloud-date', (h) => delete h['x-jdcloud-date'], 'lack of header x-jdcloud-date [gw]'],
    ['x-jdcloud-nonce', (h) => delete h['x-jdcloud-nonce'], 'lack of header x-jdcloud-nonce [gw]'],
    ['the credential', (h) => (h.authorization = h.authorization.replace(/Credential=[^,]+, /, '')), 'lack of credential in the header authorization [gw]'],
    ['signedHeaders', (h) => (h.authorization = h.authorization.replace(/SignedHeaders=[^,]+, /, '')), 'lack of header signedHeaders [gw]'],
  ])('rejects a request lacking %s', async (_what, mutate, message) => {
    const res = await send({ mutate });
    expect(res.status).toBe(401);
    expect(res.json.error).toEqual({ code: 401, status: 'ACCESS_ERROR', message });
  });

  it('rejects an unknown access key', async () => {
    const res = await send({ mutate: (h) => (h.authorization = h.authorization.replace(AK, 'AKUNKNOWN')) });
    expect(res.json.error).toMatchObject({ code: 401, message: 'Invalid accessKey [gw]' });
  });

  it('requires date and nonce among the signed headers', async () => {
    const res = await send({ signedHeaders: ['content-type', 'host', 'x-jdcloud-date'] });
    expect(res.status).toBe(401);
    expect(res.json.error).toMatchObject({ message: 'x-jdcloud-nonce must be a signed header [gw]' });
  });

  it('accepts any signed-header list that includes date and nonce (rust-signer style, no host)', async () => {
    expect((await send({ signedHeaders: ['content-type', 'x-jdcloud-date', 'x-jdcloud-nonce'] })).status).toBe(200);
  });

  it('rejects a date more than 15 minutes off and accepts one within', async () => {
    expect((await send({ date: new Date(NOW.getTime() - 16 * 60_000) })).status).toBe(401);
    expect((await send({ date: new Date(NOW.getTime() + 16 * 60_000) })).json.error).toMatchObject({ status: 'ACCESS_ERROR' });
    expect((await send({ date: new Date(NOW.getTime() - 14 * 60_000) })).status).toBe(200);
  });

  it('rejects a replayed nonce', async () => {
    expect((await send({ nonce: 'same' })).status).toBe(200);
    const replay = await send({ nonce: 'same' });
    expect(replay.status).toBe(401);
    expect(replay.json.error).toMatchObject({ message: 'nonce has been used [gw]' });
  });

  it('rejects a body changed after signing', async () => {
    const host = new URL(jd.url).host;
    const { headers } = signRequest(
      { method: 'POST', path: '/v1/regions/cn-north-1/registries/myreg:getAuthorizationToken', headers: { 'content-type': 'application/json', host }, body: '{"expiredAfterHours":1}', date: NOW, nonce: 'tamper' },
      { accessKey: AK, secretKey: SK, region: 'cn-north-1', service: 'cr' },
    );
    const tampered = await nodeHttpTransport({
      method: 'POST',
      url: `${jd.url}/v1/regions/cn-north-1/registries/myreg:getAuthorizationToken`,
      headers,
      body: '{"expiredAfterHours":24}',
      signal: new AbortController().signal,
    });
    expect(tampered.status).toBe(401);
    expect(jd.state.tokens).toHaveLength(0);
  });

  it('accepts the custom-action colon raw or percent-encoded (the gateway canonicalises)', async () => {
    const raw = await send({ method: 'POST', path: '/v1/regions/cn-north-1/registries/myreg:getAuthorizationToken', body: '{}' });
    const encoded = await send({ method: 'POST', path: '/v1/regions/cn-north-1/registries/myreg%3AgetAuthorizationToken', body: '{}' });
    expect([raw.status, encoded.status]).toEqual([200, 200]);
  });

  it('routes cr paths for containerregistry too, and nothing for an unknown service', async () => {
    expect((await send({ service: 'containerregistry' })).status).toBe(200);
    expect(jd.requests[0].service).toBe('containerregistry');
    const res = await send({ service: 'vm' });
    expect(res.status).toBe(404);
    expect(res.json.error).toEqual({ code: 404, status: 'NOT_FOUND', message: 'no route and no API found with those values' });
  });

  it('does not route a cr path signed for vpc', async () => {
    expect((await send({ service: 'vpc' })).status).toBe(404);
  });

  it('treats the trailing slash of VPC collections as significant', async () => {
    expect((await send({ service: 'vpc', path: '/v1/regions/cn-north-1/vpcs/' })).status).toBe(200);
    expect((await send({ service: 'vpc', path: '/v1/regions/cn-north-1/vpcs' })).status).toBe(404);
  });

  it('rejects a credential scope region that differs from the path region', async () => {
    const res = await send({ region: 'cn-east-2' });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ message: 'credential scope region cn-east-2 does not match regionId cn-north-1' });
  });

  it('rejects a body that is not a JSON object', async () => {
    const res = await send({ method: 'POST', path: '/v1/regions/cn-north-1/registries', body: '[1,2]' });
    expect(res.status).toBe(400);
    expect(jd.requests[0].body).toEqual([1, 2]);
  });

  it('tolerates path parameters repeated in the body (Python/Go SDK style)', async () => {
    const res = await send({
      method: 'POST',
      path: '/v1/regions/cn-north-1/registries/myreg:getAuthorizationToken',
      body: JSON.stringify({ regionId: 'cn-north-1', registryName: 'myreg', expiredAfterHours: null }),
    });
    expect(res.status).toBe(200);
  });

  describe('faults', () => {
    it('applies a fault only to its action and service, the given number of times', async () => {
      jd.faults.add({ action: 'DescribeRegistry', service: 'containerregistry', status: 503, times: 2 });
      expect((await send({ service: 'cr' })).status).toBe(200);
      expect((await send({ service: 'containerregistry' })).status).toBe(503);
      expect(jd.faults.pending).toEqual([{ action: 'DescribeRegistry', service: 'containerregistry', status: 503, times: 1 }]);
      const again = await send({ service: 'containerregistry' });
      expect(again.json.error).toEqual({ code: 503, status: 'UNAVAILABLE', message: 'injected 503' });
      expect((await send({ service: 'containerregistry' })).status).toBe(200);
      expect(jd.faults.pending).toEqual([]);
    });

    it('still verifies the signature before applying a fault', async () => {
      jd.faults.add({ status: 503 });
      expect((await send({ secretKey: 'wrong' })).status).toBe(401);
      expect(jd.faults.pending).toHaveLength(1);
    });

    it('clears faults', async () => {
      jd.faults.add({ status: 500, times: 5 }).add({ reset: true });
      jd.faults.clear();
      expect((await send()).status).toBe(200);
    });

    it('records a reset connection with status 0', async () => {
      jd.faults.add({ reset: true });
      await expect(send()).rejects.toThrow();
      expect(jd.requests[0]).toMatchObject({ action: 'DescribeRegistry', status: 0 });
    });
  });
});
