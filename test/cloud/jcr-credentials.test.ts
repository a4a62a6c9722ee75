/** The JCR credential hooks for the mirror engine, against the fake JD Cloud. */
import { jcrHostCredentialProvider, parseJcrHost } from '../../lib/cloud/jcr-credentials';
import { startFakeJdcloud, type FakeJdcloud } from '../fakes/jdcloud/server';
import { AK, SK, jdEnv } from './helpers';

let jd: FakeJdcloud;
let n = 0;
beforeEach(async () => {
  jd = await startFakeJdcloud({ accounts: { [AK]: SK }, registries: [{ regionId: 'cn-east-2', name: 'my-reg' }], settings: { tokenPassword: () => `pw-${++n}` } });
});
afterEach(async () => jd.close());

test('parseJcrHost: registry names with dashes, the region at the end', () => {
  expect(parseJcrHost('my-reg-cn-east-2.jcr.service.jdcloud.com')).toEqual({ registryName: 'my-reg', regionId: 'cn-east-2' });
  expect(parseJcrHost('pocexam-cn-north-1.jcr.service.jdcloud.com:443')).toEqual({ registryName: 'pocexam', regionId: 'cn-north-1' });
  expect(parseJcrHost('registry-1.docker.io')).toBeUndefined();
});

test('jcrHostCredentialProvider: a token per JCR host, cached, renewed after a rejection; other hosts and no keys → undefined', async () => {
  const hook = jcrHostCredentialProvider({ env: jdEnv(jd.url), client: { sleep: async () => undefined } });
  const host = 'my-reg-cn-east-2.jcr.service.jdcloud.com';
  const first = await hook(host, { reason: 'initial' });
  expect(first).toEqual({ username: 'jdcloud', password: `pw-${n}` });
  expect(await hook(host, { reason: 'initial' })).toEqual(first);
  expect(jd.state.tokens).toHaveLength(1);
  expect(jd.state.tokens[0]).toMatchObject({ registryName: 'my-reg', regionId: 'cn-east-2', expiredAfterHours: 1 });
  const renewed = await hook(host, { reason: 'rejected' });
  expect(renewed!.password).not.toBe(first!.password);
  expect(jd.state.tokens).toHaveLength(2);

  expect(await hook('docker.io', { reason: 'initial' })).toBeUndefined();
  expect(await jcrHostCredentialProvider({ env: { JDCLOUD_ENDPOINT: jd.url } })(host, { reason: 'initial' })).toBeUndefined();
  expect(jd.state.tokens).toHaveLength(2);
});

test('a failed token fetch is not cached: the next ask tries again', async () => {
  jd.faults.add({ action: 'GetAuthorizationToken', status: 403, errorStatus: 'HTTP_FORBIDDEN', message: 'no permission' });
  const hook = jcrHostCredentialProvider({ env: jdEnv(jd.url), client: { sleep: async () => undefined } });
  const host = 'my-reg-cn-east-2.jcr.service.jdcloud.com';
  await expect(hook(host, { reason: 'initial' })).rejects.toThrow(/403 HTTP_FORBIDDEN: no permission \(requestId \w+\)/);
  await expect(hook(host, { reason: 'initial' })).resolves.toMatchObject({ username: 'jdcloud' });
});
