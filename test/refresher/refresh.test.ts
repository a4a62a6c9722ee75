import { EXIT_NAMESPACES_FAILED, EXIT_NO_TOKEN, EXIT_OK } from '../../lib/refresher/run';
import { dockerConfigOf, expectNoSecrets, HOST, seedServiceAccount, startHarness, testPlan, type Harness } from './harness';

describe('refresh run against fake Kubernetes + fake JD Cloud', () => {
  let h: Harness;
  afterEach(async () => {
    // every case: nothing printed may contain a credential
    expectNoSecrets(h.output, h.secrets());
    await h.close();
  });

  test('three namespaces: one token, Secrets created, SAs patched, one log line per namespace', async () => {
    h = await startHarness();
    for (const ns of ['ns-a', 'ns-b', 'ns-c']) seedServiceAccount(h.kubeApi, ns);
    const report = await h.run(testPlan());

    expect(report.exitCode).toBe(EXIT_OK);
    expect(h.jd.requests.filter((r) => r.action === 'GetAuthorizationToken')).toHaveLength(1);
    const token = h.jd.state.tokens[0];
    for (const ns of ['ns-a', 'ns-b', 'ns-c']) {
      const secret = h.kubeApi.get('secrets', ns, 'jcr-pull')!;
      expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
      expect(secret.metadata.labels['app.kubernetes.io/managed-by']).toBe('jcrkit');
      expect(secret.metadata.annotations['jcrkit.io/expires-at']).toBe(token.expiresAt.toISOString());
      expect(secret.metadata.annotations['jcrkit.io/refreshed-at']).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(dockerConfigOf(h.kubeApi, ns).auths[HOST]).toEqual({
        username: 'jdcloud',
        password: token.password,
        auth: Buffer.from(`jdcloud:${token.password}`).toString('base64'),
      });
      expect(h.kubeApi.get('serviceaccounts', ns, 'default')!.imagePullSecrets).toEqual([{ name: 'jcr-pull' }]);
    }
    const nsLines = h.lines().filter((l) => l.namespace);
    expect(nsLines.map((l) => l.namespace).sort()).toEqual(['ns-a', 'ns-b', 'ns-c']);
    for (const l of nsLines) {
      expect(l).toMatchObject({ level: 'info', secret: 'jcr-pull', action: 'created', serviceAccounts: [{ name: 'default', action: 'added' }], expiresAt: token.expiresAt.toISOString() });
    }
    // never a delete, and the token fetch asked for the plan's hours
    expect(h.kubeApi.requests.some((r) => r.method === 'DELETE')).toBe(false);
    expect(h.jd.requests.find((r) => r.action === 'GetAuthorizationToken')!.body).toMatchObject({ expiredAfterHours: 6 });
  });

  test('an existing Secret is updated in place (PUT with its resourceVersion), not deleted', async () => {
    h = await startHarness();
    const old = h.kubeApi.seed('secrets', {
      metadata: { name: 'jcr-pull', namespace: 'ns-a', labels: { team: 'x' } },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: { [HOST]: { username: 'jdcloud', password: 'old', auth: 'amRjbG91ZDpvbGQ=' } } })).toString('base64') },
    });
    const report = await h.run(testPlan({ namespaces: ['ns-a'], serviceAccounts: [] }));
    expect(report.exitCode).toBe(EXIT_OK);
    expect(report.namespaces[0].action).toBe('updated');
    const put = h.stateWrites();
    expect(put.map((r) => r.method)).toEqual(['PUT']);
    expect((put[0].body as { metadata: { resourceVersion: string } }).metadata.resourceVersion).toBe(old.metadata.resourceVersion);
    const now = h.kubeApi.get('secrets', 'ns-a', 'jcr-pull')!;
    expect(now.metadata.uid).toBe(old.metadata.uid);
    expect(now.metadata.labels).toEqual({ team: 'x', 'app.kubernetes.io/managed-by': 'jcrkit' });
    expect(dockerConfigOf(h.kubeApi, 'ns-a').auths[HOST].password).toBe(h.jd.state.tokens[0].password);
  });

  test('Secret missing in one namespace: created there (POST), updated elsewhere', async () => {
    h = await startHarness();
    h.kubeApi.seed('secrets', {
      metadata: { name: 'jcr-pull', namespace: 'ns-b' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') },
    });
    const report = await h.run(testPlan({ namespaces: ['ns-a', 'ns-b'], serviceAccounts: [] }));
    expect(report.namespaces.map((n) => [n.namespace, n.action])).toEqual([
      ['ns-a', 'created'],
      ['ns-b', 'updated'],
    ]);
    expect(h.stateWrites().map((r) => `${r.method} ${r.namespace}`).sort()).toEqual(['POST ns-a', 'PUT ns-b']);
  });

  test('409 Conflict on update (someone wrote in between): re-read, merge again, succeed', async () => {
    h = await startHarness();
    h.kubeApi.seed('secrets', {
      metadata: { name: 'jcr-pull', namespace: 'ns-a' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') },
    });
    // a concurrent writer adds another registry's entry just before our PUT lands
    h.kubeApi.injectFault({
      match: { method: 'PUT', resource: 'secrets' },
      before: (api) =>
        api.mutate('secrets', 'ns-a', 'jcr-pull', (s) => {
          s.data['.dockerconfigjson'] = Buffer.from('{"auths":{"other.example.com":{"auth":"b3RoZXI6eA=="}}}').toString('base64');
        }),
    });
    const report = await h.run(testPlan({ namespaces: ['ns-a'], serviceAccounts: [] }));
    expect(report.exitCode).toBe(EXIT_OK);
    const puts = h.stateWrites();
    expect(puts.map((r) => [r.method, r.status, r.reason])).toEqual([
      ['PUT', 409, 'Conflict'],
      ['PUT', 200, undefined],
    ]);
    // the concurrent writer's entry survived the retry
    expect(Object.keys(dockerConfigOf(h.kubeApi, 'ns-a').auths).sort()).toEqual([HOST, 'other.example.com']);
  });

  test('POST racing to 409 AlreadyExists: re-read and update', async () => {
    h = await startHarness();
    h.kubeApi.injectFault({
      match: { method: 'POST', resource: 'secrets' },
      before: (api) =>
        api.seed('secrets', {
          metadata: { name: 'jcr-pull', namespace: 'ns-a' },
          type: 'kubernetes.io/dockerconfigjson',
          data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') },
        }),
    });
    const report = await h.run(testPlan({ namespaces: ['ns-a'], serviceAccounts: [] }));
    expect(report.namespaces[0].action).toBe('updated');
    expect(h.stateWrites().map((r) => [r.method, r.reason])).toEqual([
      ['POST', 'AlreadyExists'],
      ['PUT', undefined],
    ]);
  });

  test('JD Cloud 503 twice, then OK: the client retries and the run succeeds', async () => {
    h = await startHarness();
    h.jd.faults.add({ action: 'GetAuthorizationToken', status: 503, times: 2 });
    const report = await h.run(testPlan({ serviceAccounts: [] }));
    expect(report.exitCode).toBe(EXIT_OK);
    expect(h.jd.requests.filter((r) => r.action === 'GetAuthorizationToken').map((r) => r.status)).toEqual([503, 503, 200]);
    expect(h.kubeApi.list('secrets')).toHaveLength(3);
  });

  test('JD Cloud 401: nothing written anywhere, exit code 1, the failure recorded as an Event', async () => {
    h = await startHarness();
    for (const ns of ['ns-a', 'ns-b', 'ns-c']) seedServiceAccount(h.kubeApi, ns);
    h.jd.faults.add({ action: 'GetAuthorizationToken', status: 401, errorStatus: 'UNAUTHENTICATED', message: 'Invalid accessKey' });
    const report = await h.run(testPlan());
    expect(report.exitCode).toBe(EXIT_NO_TOKEN);
    expect(EXIT_NO_TOKEN).toBe(1);
    expect(h.stateWrites()).toHaveLength(0);
    expect(h.kubeApi.list('events', 'default')).toEqual([expect.objectContaining({ reason: 'NoUsableToken', type: 'Warning' })]);
    expect(report.tokenError).toMatch(/cannot get a registry token; no Secret was changed: .*401 UNAUTHENTICATED/);
    expect(h.lines().at(-1)).toMatchObject({ level: 'error', written: 0 });
  });

  test('a token that does not decode to user:password: nothing written, exit code 1', async () => {
    h = await startHarness();
    const report = await h.run(testPlan(), {
      tokens: { fetch: async () => ({ authorizationToken: Buffer.from('no-colon-here').toString('base64'), expiresAt: String(Date.now() + 3600_000) }) },
    });
    expect(report.exitCode).toBe(EXIT_NO_TOKEN);
    expect(h.stateWrites()).toHaveLength(0);
  });

  test('the registry rejects the token (verifyRegistry): nothing written, exit code 1', async () => {
    h = await startHarness();
    const report = await h.run(testPlan({ verifyRegistry: true }), { probeRegistry: async () => ({ status: 'invalid', detail: 'registry answered 401' }) });
    expect(report.exitCode).toBe(EXIT_NO_TOKEN);
    expect(h.stateWrites()).toHaveLength(0);
    expect(report.tokenError).toMatch(/rejects the new token/);
  });

  test('registry unreachable (verifyRegistry): warn and continue', async () => {
    h = await startHarness();
    const report = await h.run(testPlan({ verifyRegistry: true, serviceAccounts: [] }), {
      probeRegistry: async () => ({ status: 'unreachable', detail: 'getaddrinfo ENOTFOUND' }),
    });
    expect(report.exitCode).toBe(EXIT_OK);
    expect(h.lines().find((l) => l.level === 'warn')).toMatchObject({ msg: expect.stringContaining('cannot verify the token') });
    expect(h.kubeApi.list('secrets')).toHaveLength(3);
  });

  test('one namespace forbidden: the others are done, exit code 1 names it', async () => {
    h = await startHarness();
    h.kubeApi.injectFault({
      match: { resource: 'secrets', namespace: 'ns-b' },
      times: 100,
      respond: { code: 403, reason: 'Forbidden', message: 'secrets "jcr-pull" is forbidden: User "x" cannot get resource "secrets" in API group "" in the namespace "ns-b"' },
    });
    const report = await h.run(testPlan({ serviceAccounts: [] }));
    expect(report.exitCode).toBe(EXIT_NAMESPACES_FAILED);
    expect(report.failedNamespaces).toEqual(['ns-b']);
    expect(h.kubeApi.get('secrets', 'ns-a', 'jcr-pull')).toBeDefined();
    expect(h.kubeApi.get('secrets', 'ns-c', 'jcr-pull')).toBeDefined();
    const last = h.lines().at(-1)!;
    expect(last.level).toBe('error');
    expect(last.msg).toBe('refresh failed in 1 of 3 namespaces: ns-b');
    expect(h.lines().find((l) => l.namespace === 'ns-b')).toMatchObject({ level: 'error', error: expect.stringContaining('403 Forbidden') });
  });

  test('foreign auths entries and foreign imagePullSecrets are preserved', async () => {
    h = await startHarness();
    const foreign = {
      'registry.example.com': { username: 'u', password: 'p', auth: 'dTpw' },
      'https://index.docker.io/v1/': { auth: 'ZG9ja2VyOmh1Yg==', identitytoken: 'tok' },
    };
    const old = { auths: { ...foreign, [`https://${HOST}`]: { username: 'jdcloud', password: 'stale', auth: 'amRjbG91ZDpzdGFsZQ==' } }, credsStore: 'none' };
    h.kubeApi.seed('secrets', {
      metadata: { name: 'jcr-pull', namespace: 'ns-a' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify(old)).toString('base64'), extra: Buffer.from('keep me').toString('base64') },
    });
    seedServiceAccount(h.kubeApi, 'ns-a', 'default', [{ name: 'other-pull' }, { name: 'third' }]);
    seedServiceAccount(h.kubeApi, 'ns-a', 'builder');

    const report = await h.run(testPlan({ namespaces: ['ns-a'], serviceAccounts: ['default', 'builder'] }));
    expect(report.exitCode).toBe(EXIT_OK);
    const doc = dockerConfigOf(h.kubeApi, 'ns-a');
    // other registries kept as they were; the runbook-style https:// alias of our host replaced by the fresh entry
    expect(doc.auths).toEqual({ ...foreign, [HOST]: expect.objectContaining({ username: 'jdcloud', password: h.jd.state.tokens[0].password }) });
    expect(doc.credsStore).toBe('none');
    expect(h.kubeApi.get('secrets', 'ns-a', 'jcr-pull')!.data.extra).toBe(Buffer.from('keep me').toString('base64'));
    expect(h.kubeApi.get('serviceaccounts', 'ns-a', 'default')!.imagePullSecrets).toEqual([{ name: 'other-pull' }, { name: 'third' }, { name: 'jcr-pull' }]);
    expect(h.kubeApi.get('serviceaccounts', 'ns-a', 'builder')!.imagePullSecrets).toEqual([{ name: 'jcr-pull' }]);
    // the SA was changed with a guarded JSON patch, never a strategic merge
    const saPatches = h.kubeApi.writes().filter((r) => r.resource === 'serviceaccounts');
    expect(saPatches.every((r) => r.contentType === 'application/json-patch+json')).toBe(true);
    expect(saPatches[0].body).toEqual([
      { op: 'test', path: '/imagePullSecrets', value: [{ name: 'other-pull' }, { name: 'third' }] },
      { op: 'add', path: '/imagePullSecrets/-', value: { name: 'jcr-pull' } },
    ]);
  });

  test('an SA changed between our read and our patch: the test op fails (422), re-read, nothing lost', async () => {
    h = await startHarness();
    seedServiceAccount(h.kubeApi, 'ns-a', 'default', [{ name: 'a' }]);
    h.kubeApi.injectFault({
      match: { method: 'PATCH', resource: 'serviceaccounts' },
      before: (api) => api.mutate('serviceaccounts', 'ns-a', 'default', (sa) => sa.imagePullSecrets.push({ name: 'b' })),
    });
    const report = await h.run(testPlan({ namespaces: ['ns-a'] }));
    expect(report.exitCode).toBe(EXIT_OK);
    expect(h.kubeApi.writes().filter((r) => r.resource === 'serviceaccounts').map((r) => [r.status, r.reason])).toEqual([
      [422, 'Invalid'],
      [200, undefined],
    ]);
    expect(h.kubeApi.get('serviceaccounts', 'ns-a', 'default')!.imagePullSecrets).toEqual([{ name: 'a' }, { name: 'b' }, { name: 'jcr-pull' }]);
  });

  test('a missing ServiceAccount is reported (warn), not created; the run still succeeds', async () => {
    h = await startHarness();
    const report = await h.run(testPlan({ namespaces: ['ns-a'], serviceAccounts: ['ghost'] }));
    expect(report.exitCode).toBe(EXIT_OK);
    expect(report.namespaces[0].serviceAccounts).toEqual([{ name: 'ghost', action: 'missing' }]);
    expect(h.kubeApi.list('serviceaccounts')).toHaveLength(0);
    expect(h.lines().find((l) => l.namespace === 'ns-a')).toMatchObject({ level: 'warn', msg: expect.stringContaining('ghost') });
  });

  test('re-run with the same token: every namespace unchanged, no writes', async () => {
    h = await startHarness();
    for (const ns of ['ns-a', 'ns-b', 'ns-c']) seedServiceAccount(h.kubeApi, ns);
    const fixed = { authorizationToken: Buffer.from('jdcloud:FixedPassw0rd').toString('base64'), expiresAt: '1900000000000' };
    const tokens = { fetch: async () => fixed };
    expect((await h.run(testPlan(), { tokens })).exitCode).toBe(EXIT_OK);
    const writesAfterFirst = h.stateWrites().length;
    const second = await h.run(testPlan(), { tokens });
    expect(second.exitCode).toBe(EXIT_OK);
    expect(second.minted).toBe(false);
    expect(second.namespaces.map((n) => n.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(second.namespaces.flatMap((n) => n.serviceAccounts.map((s) => s.action))).toEqual(['present', 'present', 'present']);
    expect(h.stateWrites()).toHaveLength(writesAfterFirst);
    expectNoSecrets(h.output, ['FixedPassw0rd', fixed.authorizationToken]);
  });

  test('a Secret of another type under our name is not touched; that namespace fails', async () => {
    h = await startHarness();
    h.kubeApi.seed('secrets', { metadata: { name: 'jcr-pull', namespace: 'ns-a' }, type: 'Opaque', data: { k: 'dg==' } });
    const report = await h.run(testPlan({ serviceAccounts: [] }));
    expect(report.failedNamespaces).toEqual(['ns-a']);
    expect(report.namespaces[0].error).toMatch(/exists with type Opaque/);
    expect(h.kubeApi.get('secrets', 'ns-a', 'jcr-pull')!.type).toBe('Opaque');
  });

  test('releaseSupersededTokens: after all namespaces hold the new token, the other tokens are released', async () => {
    h = await startHarness();
    const older = await h.tokens.fetch(1);
    const report = await h.run(testPlan({ releaseSupersededTokens: true, serviceAccounts: [] }));
    expect(report.exitCode).toBe(EXIT_OK);
    expect(report.releasedTokens).toBe(1);
    const state = h.jd.state.tokens;
    expect(state.find((t) => t.authorizationToken === older.authorizationToken)!.released).toBe(true);
    expect(state.filter((t) => !t.released)).toHaveLength(1);
  });

  test('releaseSupersededTokens does nothing when a namespace failed (the old token may still be in use)', async () => {
    h = await startHarness();
    await h.tokens.fetch(1);
    h.kubeApi.injectFault({ match: { namespace: 'ns-c' }, times: 10, respond: { code: 403, reason: 'Forbidden' } });
    const report = await h.run(testPlan({ releaseSupersededTokens: true, serviceAccounts: [] }));
    expect(report.exitCode).toBe(EXIT_NAMESPACES_FAILED);
    expect(h.jd.state.tokens.every((t) => !t.released)).toBe(true);
    expect(h.jd.requests.some((r) => r.action === 'ReleaseAuthorizationToken')).toBe(false);
  });

  test('concurrency is bounded', async () => {
    h = await startHarness();
    const namespaces = Array.from({ length: 40 }, (_, i) => `n${i}`);
    h.kubeApi.addNamespace(...namespaces);
    h.kubeApi.setLatency(5);
    let inFlight = 0;
    let peak = 0;
    const kube = h.kube;
    const original = kube.request.bind(kube);
    kube.request = (async (...args: Parameters<typeof original>) => {
      peak = Math.max(peak, ++inFlight);
      try {
        return await original(...args);
      } finally {
        inFlight--;
      }
    }) as typeof kube.request;
    const report = await h.run(testPlan({ namespaces, serviceAccounts: [] }), { concurrency: 4 });
    expect(report.exitCode).toBe(EXIT_OK);
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThan(1);
  });
});
