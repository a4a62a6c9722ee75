/**
 * Expiry-aware, quota-safe refresh against the fakes: the JD Cloud fake counts tokens against its
 * 5-per-hour quota on a business clock the test advances; the Kubernetes fake answers dry runs,
 * records field managers and Events.
 */
import { EXIT_FAILED_RUN, EXIT_OK, MIN_TOKEN_VALIDITY_MS } from '../../lib/refresher/run';
import { dockerConfigOf, expectNoSecrets, seedServiceAccount, startHarness, testPlan, type Harness } from './harness';

const HOUR = 3_600_000;

describe('expiry-aware refresh', () => {
  let h: Harness;
  afterEach(async () => {
    expectNoSecrets(h.output, h.secrets());
    await h.close();
  });

  test('two runs in a row mint one token; the second writes nothing', async () => {
    h = await startHarness();
    for (const ns of ['ns-a', 'ns-b', 'ns-c']) seedServiceAccount(h.kubeApi, ns);
    const first = await h.run(testPlan());
    expect(first).toMatchObject({ exitCode: EXIT_OK, minted: true });
    const writes = h.stateWrites().length;
    h.clock.advanceMinutes(15);
    const second = await h.run(testPlan());
    expect(second).toMatchObject({ exitCode: EXIT_OK, minted: false, reusedFrom: 'ns-a' });
    expect(second.namespaces.map((n) => n.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(h.mints()).toBe(1);
    expect(h.stateWrites()).toHaveLength(writes);
    expect(h.lines().at(-1)).toMatchObject({ msg: 'refreshed 3 namespaces (reused the token recorded in ns-a (no mint))', minted: false });
  });

  test('a namespace added later gets the live token without a mint', async () => {
    h = await startHarness();
    await h.run(testPlan({ namespaces: ['ns-a'] }));
    const token = h.jd.state.tokens[0];
    h.clock.advanceHours(1);
    const later = await h.run(testPlan({ namespaces: ['ns-a', 'ns-b', 'ns-c'] }));
    expect(later).toMatchObject({ exitCode: EXIT_OK, minted: false });
    expect(later.namespaces.map((n) => [n.namespace, n.action])).toEqual([
      ['ns-a', 'unchanged'],
      ['ns-b', 'created'],
      ['ns-c', 'created'],
    ]);
    expect(h.mints()).toBe(1);
    for (const ns of ['ns-b', 'ns-c']) {
      expect(dockerConfigOf(h.kubeApi, ns).auths['myreg-cn-north-1.jcr.service.jdcloud.com'].password).toBe(token.password);
      // the copy carries the original expiry, not a new one
      expect(h.kubeApi.get('secrets', ns, 'jcr-pull')!.metadata.annotations['jcrkit.io/expires-at']).toBe(token.expiresAt.toISOString());
    }
  });

  test('a Secret whose recorded expiry is near is renewed with one mint; an older copy elsewhere is replaced', async () => {
    h = await startHarness();
    await h.run(testPlan()); // 6 h token, renewBefore 3 h
    const old = h.jd.state.tokens[0];
    h.clock.advanceHours(2);
    expect((await h.run(testPlan())).minted).toBe(false); // 4 h left > 3 h
    h.clock.advanceHours(1).advanceMinutes(15); // 2 h 45 min left
    const renew = await h.run(testPlan());
    expect(renew).toMatchObject({ exitCode: EXIT_OK, minted: true });
    expect(h.mints()).toBe(2);
    const fresh = h.jd.state.tokens[1];
    expect(fresh.password).not.toBe(old.password);
    for (const ns of ['ns-a', 'ns-b', 'ns-c']) {
      expect(dockerConfigOf(h.kubeApi, ns).auths['myreg-cn-north-1.jcr.service.jdcloud.com'].password).toBe(fresh.password);
      expect(h.kubeApi.get('secrets', ns, 'jcr-pull')!.metadata.annotations['jcrkit.io/expires-at']).toBe(fresh.expiresAt.toISOString());
    }
    expect(h.lines().find((l) => String(l.msg).startsWith('minting'))!.msg).toMatch(/the freshest recorded token expires in 5h 59m|no token recorded yet/);
    expect(h.lines().filter((l) => String(l.msg).startsWith('minting')).at(-1)!.msg).toMatch(/expires in 2h 45m, within renewBefore 3h/);
  });

  test('five failing runs in a row (a target namespace does not exist) mint one token in all', async () => {
    h = await startHarness();
    const plan = testPlan({ namespaces: ['ns-a', 'nosuchns', 'ns-b'] });
    for (let i = 0; i < 5; i++) {
      const r = await h.run(plan);
      expect(r.exitCode).toBe(EXIT_FAILED_RUN);
      expect(r.failedNamespaces).toEqual(['nosuchns']);
      expect(r.namespaces[1].error).toContain('namespaces "nosuchns" not found');
      h.clock.advanceMinutes(1); // as fast as a Job's retries would come
    }
    expect(h.mints()).toBe(1);
    expect(h.kubeApi.list('events', 'default').map((e) => e.reason)).toEqual(Array(5).fill('RefreshFailed'));
  });

  test('five failing runs in a row where no namespace can take a token mint none', async () => {
    h = await startHarness({ namespaces: ['default'] });
    for (let i = 0; i < 5; i++) {
      const r = await h.run(testPlan({ namespaces: ['gone-a', 'gone-b'] }));
      expect(r.exitCode).toBe(EXIT_FAILED_RUN);
      expect(r.tokenError).toMatch(/^no namespace can take a token, so none was minted and no Secret was changed: gone-a: .*namespaces "gone-a" not found/);
    }
    expect(h.jd.requests.filter((r) => r.action === 'GetAuthorizationToken')).toHaveLength(0);
  });

  test.each([
    ['in the past', -5 * 60_000, /expired 5m ago/],
    ['within a few minutes', 3 * 60_000, /expires in 3m/],
  ])('a token expiring %s is refused: nothing written, exit 1, a clear message', async (_name, inMs, message) => {
    h = await startHarness({ jdSettings: { tokenExpiresInMs: inMs } });
    const report = await h.run(testPlan({ serviceAccounts: [] }));
    expect(report.exitCode).toBe(EXIT_FAILED_RUN);
    expect(report.tokenError).toMatch(message);
    expect(report.tokenError).toMatch(/refused, no Secret was changed/);
    expect(h.stateWrites()).toEqual([]);
    expect(inMs).toBeLessThan(MIN_TOKEN_VALIDITY_MS);
  });

  test('an expired token is never written over a working Secret, even when the registry check is skipped', async () => {
    h = await startHarness();
    await h.run(testPlan({ serviceAccounts: [] }));
    const good = h.kubeApi.get('secrets', 'ns-a', 'jcr-pull')!;
    h.clock.advanceHours(4); // inside renewBefore: the next run mints
    h.jd.state.settings.tokenExpiresInMs = -60_000;
    const report = await h.run(testPlan({ serviceAccounts: [], verifyRegistry: false }));
    expect(report.exitCode).toBe(EXIT_FAILED_RUN);
    expect(h.kubeApi.get('secrets', 'ns-a', 'jcr-pull')).toEqual(good);
  });

  test('an unparseable expiresAt is refused', async () => {
    h = await startHarness();
    const report = await h.run(testPlan(), { tokens: { fetch: async () => ({ authorizationToken: Buffer.from('jdcloud:Pw-123456').toString('base64'), expiresAt: 'soon' }) } });
    expect(report.exitCode).toBe(EXIT_FAILED_RUN);
    expect(report.tokenError).toMatch(/expiresAt "soon" is not a time jcrkit can read; refused/);
    expect(h.stateWrites()).toEqual([]);
  });

  test('429 QUOTA_EXCEEDED: the hourly quota is used up, when it frees up, nothing changed, not retried', async () => {
    h = await startHarness({ jdSettings: { quotaRetryAfter: true } });
    for (let i = 0; i < 5; i++) await h.tokens.fetch(1); // CI, people, other clusters
    h.clock.advanceMinutes(20);
    const report = await h.run(testPlan({ serviceAccounts: [] }));
    expect(report.exitCode).toBe(EXIT_FAILED_RUN);
    expect(report.tokenError).toMatch(/^the hourly token quota of registry myreg \(cn-north-1\) is used up \(JD Cloud: .*429 QUOTA_EXCEEDED.*\); it frees up in about 40m \(at /);
    expect(report.tokenError).toContain('Nothing was changed');
    expect(h.jd.requests.filter((r) => r.action === 'GetAuthorizationToken').map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(h.stateWrites()).toEqual([]);
  });

  test('429 QUOTA_EXCEEDED without Retry-After says it is not known when the quota frees up', async () => {
    h = await startHarness();
    h.jd.faults.add({ action: 'GetAuthorizationToken', status: 429, errorStatus: 'QUOTA_EXCEEDED', message: 'quota exceeded' });
    const report = await h.run(testPlan());
    expect(report.tokenError).toMatch(/JD Cloud did not say when it frees up/);
    expect(h.jd.requests.filter((r) => r.action === 'GetAuthorizationToken')).toHaveLength(1);
  });

  test('--force mints even when the recorded token is fresh', async () => {
    h = await startHarness();
    await h.run(testPlan());
    const forced = await h.run(testPlan(), {}, { force: true });
    expect(forced.minted).toBe(true);
    expect(h.mints()).toBe(2);
  });

  test('a Secret someone else wrote (no jcrkit expiry) is not trusted: a token is minted', async () => {
    h = await startHarness();
    h.kubeApi.seed('secrets', {
      metadata: { name: 'jcr-pull', namespace: 'ns-a', annotations: { 'jcrkit.io/expires-at': new Date(Date.now() + 10 * HOUR).toISOString() } },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { 'myreg-cn-north-1.jcr.service.jdcloud.com': { username: 'jdcloud', password: 'hand-made' } } })).toString('base64') },
    });
    const r = await h.run(testPlan({ namespaces: ['ns-a'], serviceAccounts: [] }));
    expect(r.minted).toBe(true);
  });

  test('a recorded token the registry rejects (released) is replaced with one mint', async () => {
    h = await startHarness();
    await h.run(testPlan({ serviceAccounts: [] }));
    const r = await h.run(testPlan({ serviceAccounts: [], verifyRegistry: true }), {
      probeRegistry: async (_h, _u, p) => (p === h.jd.state.tokens[0].password ? { status: 'invalid', detail: '401' } : { status: 'valid' }),
    });
    expect(r).toMatchObject({ exitCode: EXIT_OK, minted: true });
    expect(h.lines().some((l) => String(l.msg).includes('rejects the token recorded in ns-a'))).toBe(true);
  });

  test('every write names the field manager jcrkit-refresher; the run is recorded as an Event on the CronJob', async () => {
    h = await startHarness();
    for (const ns of ['ns-a', 'ns-b', 'ns-c']) seedServiceAccount(h.kubeApi, ns);
    await h.run(testPlan(), { writer: 'CronJob default/jcrkit-token-refresher', instance: 'jcrkit-token-refresher-123-abc' });
    const writes = h.kubeApi.writes();
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((w) => w.fieldManager === 'jcrkit-refresher')).toBe(true);
    const secret = h.kubeApi.get('secrets', 'ns-a', 'jcr-pull')!;
    expect(secret.metadata.managedFields.map((m: { manager: string }) => m.manager)).toEqual(['jcrkit-refresher']);
    expect(secret.metadata.annotations['jcrkit.io/refreshed-by']).toBe('CronJob default/jcrkit-token-refresher');
    const [event] = h.kubeApi.list('events', 'default');
    expect(event).toMatchObject({
      reason: 'TokenRenewed',
      type: 'Normal',
      involvedObject: { kind: 'CronJob', name: 'jcrkit-token-refresher', namespace: 'default' },
      source: { component: 'jcrkit-refresher', host: 'jcrkit-token-refresher-123-abc' },
    });
    expect(event.message).toMatch(/^pull Secret jcr-pull valid until .* in 3 namespaces \(3 created, 0 updated, 0 unchanged\); minted a new token$/);
  });

  test('ServiceAccounts are patched only in serviceAccountNamespaces', async () => {
    h = await startHarness();
    for (const ns of ['ns-a', 'ns-b', 'ns-c']) seedServiceAccount(h.kubeApi, ns);
    const r = await h.run(testPlan({ serviceAccountNamespaces: ['ns-b'] }));
    expect(r.namespaces.map((n) => n.serviceAccounts.length)).toEqual([0, 1, 0]);
    expect(h.kubeApi.get('serviceaccounts', 'ns-a', 'default')!.imagePullSecrets).toBeUndefined();
    expect(h.kubeApi.get('serviceaccounts', 'ns-b', 'default')!.imagePullSecrets).toEqual([{ name: 'jcr-pull' }]);
  });
});

describe('transient Kubernetes errors are retried before a namespace counts as failed', () => {
  let h: Harness;
  afterEach(async () => {
    expectNoSecrets(h.output, h.secrets());
    await h.close();
  });

  test('503 twice on a create, then OK', async () => {
    h = await startHarness();
    h.kubeApi.injectFault({ match: { method: 'POST', resource: 'secrets', namespace: 'ns-b' }, times: 3, respond: { code: 503, reason: 'ServiceUnavailable' } });
    const r = await h.run(testPlan({ serviceAccounts: [] }));
    expect(r.exitCode).toBe(EXIT_OK);
    expect(h.kubeApi.get('secrets', 'ns-b', 'jcr-pull')).toBeDefined();
  });

  test('429 with Retry-After waits as told', async () => {
    h = await startHarness();
    const sleeps: number[] = [];
    h.kubeApi.injectFault({ match: { method: 'GET', resource: 'secrets', namespace: 'ns-a' }, respond: { code: 429, reason: 'TooManyRequests', retryAfterSeconds: 2 } });
    const r = await h.run(testPlan({ serviceAccounts: [] }), { retry: { sleep: async (ms) => void sleeps.push(ms) } });
    expect(r.exitCode).toBe(EXIT_OK);
    expect(sleeps).toEqual([2000]);
  });

  test('a dropped connection after the write landed: the retry finds it done', async () => {
    h = await startHarness();
    h.kubeApi.injectFault({ match: { method: 'POST', resource: 'secrets', namespace: 'ns-a', dryRun: false }, drop: true, afterWrite: true });
    const r = await h.run(testPlan({ namespaces: ['ns-a'], serviceAccounts: [] }));
    expect(r.exitCode).toBe(EXIT_OK);
    expect(r.namespaces[0].action).toBe('unchanged'); // 409 AlreadyExists on the retry → re-read → it holds our token already
    expect(h.stateWrites().map((w) => [w.method, w.status])).toEqual([
      ['POST', 0],
      ['POST', 409],
    ]);
    expect(h.kubeApi.get('secrets', 'ns-a', 'jcr-pull')).toBeDefined();
  });

  test('a namespace that keeps answering 500 fails after the retries; the others are done', async () => {
    h = await startHarness();
    h.kubeApi.injectFault({ match: { resource: 'secrets', namespace: 'ns-c' }, times: 100, respond: { code: 500, reason: 'InternalError' } });
    const r = await h.run(testPlan({ serviceAccounts: [] }));
    expect(r.failedNamespaces).toEqual(['ns-c']);
    expect(h.kubeApi.requests.filter((q) => q.namespace === 'ns-c' && q.resource === 'secrets')).toHaveLength(4);
  });
});
