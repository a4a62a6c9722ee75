/** The fake API server's own semantics, checked so the refresher tests can trust it. */
import { createKubeClient, type KubeClient } from '../../lib/kube/client';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError } from '../fakes/kube/patch';
import { forbiddenMessage, RbacAuthorizer, serviceAccountUser } from '../fakes/kube/rbac';
import { startFakeKubeApi, type FakeKubeApi } from '../fakes/kube/api-server';

describe('fake API server', () => {
  let api: FakeKubeApi;
  let kube: KubeClient;
  beforeEach(async () => {
    api = await startFakeKubeApi({ namespaces: ['default'] });
    kube = createKubeClient({ server: api.url, namespace: 'default', source: 'test' });
  });
  afterEach(async () => {
    kube.close();
    await api.close();
  });

  test('resourceVersion bumps per write; a no-op update keeps it; an unconditional PUT is allowed', async () => {
    const a = await kube.create('serviceaccounts', 'default', { metadata: { name: 'sa' } });
    const b = await kube.update('serviceaccounts', 'default', 'sa', { ...a, imagePullSecrets: [{ name: 'x' }] });
    expect(Number(b.metadata!.resourceVersion)).toBeGreaterThan(Number(a.metadata!.resourceVersion));
    const c = await kube.update('serviceaccounts', 'default', 'sa', b);
    expect(c.metadata!.resourceVersion).toBe(b.metadata!.resourceVersion);
    const d = await kube.update('serviceaccounts', 'default', 'sa', { metadata: { name: 'sa' } });
    expect(d.imagePullSecrets).toBeUndefined();
  });

  test('writes into a missing namespace are 404 namespaces "x" not found', async () => {
    await expect(kube.create('secrets', 'ghost', { metadata: { name: 's' } })).rejects.toMatchObject({ code: 404, serverMessage: 'namespaces "ghost" not found' });
  });

  test('the runbook bug, reproduced: a strategic-merge patch of imagePullSecrets replaces the list', async () => {
    api.seed('serviceaccounts', { metadata: { name: 'default', namespace: 'default' }, imagePullSecrets: [{ name: 'theirs' }], secrets: [{ name: 's1' }] });
    const after = await kube.patch('serviceaccounts', 'default', 'default', { imagePullSecrets: [{ name: 'my-secret' }], secrets: [{ name: 's2' }] }, 'strategic');
    expect(after.imagePullSecrets).toEqual([{ name: 'my-secret' }]); // "theirs" is gone
    expect(after.secrets).toEqual([{ name: 's1' }, { name: 's2' }]); // `secrets` has merge key name
  });

  test('json-patch test failure is 422 Invalid with the cause; a resourceVersion in a merge patch is a precondition (409)', async () => {
    api.seed('serviceaccounts', { metadata: { name: 'default', namespace: 'default' }, imagePullSecrets: [{ name: 'a' }] });
    const err = await kube
      .patch('serviceaccounts', 'default', 'default', [{ op: 'test', path: '/imagePullSecrets', value: [] }, { op: 'add', path: '/imagePullSecrets/-', value: { name: 'b' } }], 'json')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 422,
      reason: 'Invalid',
      details: { causes: [{ reason: 'UnexpectedServerResponse', message: 'testing value /imagePullSecrets failed: test failed' }] },
    });
    expect(api.get('serviceaccounts', 'default', 'default')!.imagePullSecrets).toEqual([{ name: 'a' }]);
    await expect(kube.patch('serviceaccounts', 'default', 'default', { metadata: { resourceVersion: '1' }, automountServiceAccountToken: false }, 'merge')).rejects.toMatchObject({
      code: 409,
      reason: 'Conflict',
    });
  });

  test('unknown patch content type is 415', async () => {
    api.seed('secrets', { metadata: { name: 's', namespace: 'default' } });
    await expect(kube.request('PATCH', '/api/v1/namespaces/default/secrets/s', { body: {}, contentType: 'application/json' })).rejects.toMatchObject({ code: 415 });
  });

  test('Secret type is immutable', async () => {
    const s = await kube.create('secrets', 'default', { metadata: { name: 's' }, type: 'Opaque' });
    await expect(kube.update('secrets', 'default', 's', { ...s, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': 'e30=' } })).rejects.toMatchObject({
      code: 422,
      serverMessage: expect.stringContaining('field is immutable'),
    });
  });

  test('injected faults and recorded requests', async () => {
    api.injectFault({ match: { method: 'GET', name: 'x' }, times: 2, respond: { code: 500, reason: 'InternalError' } });
    await expect(kube.get('secrets', 'default', 'x')).rejects.toMatchObject({ code: 500 });
    await expect(kube.get('secrets', 'default', 'x')).rejects.toMatchObject({ code: 500 });
    await expect(kube.get('secrets', 'default', 'x')).rejects.toMatchObject({ code: 404 });
    expect(api.requests.map((r) => [r.verb, r.status])).toEqual([
      ['get', 500],
      ['get', 500],
      ['get', 404],
    ]);
  });
});

describe('patch engines', () => {
  test('RFC 6902 operations, atomic on failure', () => {
    const doc = { a: { b: [1, 2] }, c: 'x' };
    expect(
      applyJsonPatch(doc, [
        { op: 'add', path: '/a/b/1', value: 9 },
        { op: 'remove', path: '/c' },
        { op: 'copy', from: '/a/b', path: '/d' },
        { op: 'move', from: '/d', path: '/e' },
        { op: 'replace', path: '/a/b/0', value: 0 },
        { op: 'test', path: '/e', value: [1, 9, 2] },
        { op: 'add', path: '/f~1g', value: true },
      ]),
    ).toEqual({ a: { b: [0, 9, 2] }, e: [1, 9, 2], 'f/g': true });
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/zz', value: 1 }])).toThrow(PatchError);
    expect(doc).toEqual({ a: { b: [1, 2] }, c: 'x' });
  });

  test('RFC 7386 merge patch', () => {
    expect(applyMergePatch({ a: 'b', c: { d: 'e', f: 'g' }, l: [1] }, { a: 'z', c: { f: null }, l: [2] })).toEqual({ a: 'z', c: { d: 'e' }, l: [2] });
  });

  test('strategic merge: Pod containers merge by name, $patch delete, maps merge, null deletes', () => {
    const pod = { metadata: { labels: { a: '1' } }, spec: { containers: [{ name: 'app', image: 'v1', env: [{ name: 'X', value: '1' }] }, { name: 'side', image: 's' }] } };
    const out = applyStrategicMergePatch('Pod', pod, {
      metadata: { labels: { a: null, b: '2' } },
      spec: { containers: [{ name: 'app', image: 'v2', env: [{ name: 'Y', value: '2' }] }, { name: 'side', $patch: 'delete' }] },
    });
    expect(out).toEqual({ metadata: { labels: { b: '2' } }, spec: { containers: [{ name: 'app', image: 'v2', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }] }] } });
    expect(() => applyStrategicMergePatch('Pod', pod, { spec: { containers: [{ image: 'no-name' }] } })).toThrow(/merge key: name/);
  });
});

describe('RBAC authorizer', () => {
  const sa = serviceAccountUser('kube-system', 'refresher');
  const rbac = new RbacAuthorizer([
    { kind: 'Role', metadata: { name: 'r', namespace: 'apps' }, rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['pull'], verbs: ['get', 'create'] }] },
    { kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'apps' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'refresher', namespace: 'kube-system' }] },
    { kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [{ apiGroups: ['*'], resources: ['events'], verbs: ['list'] }] },
    { kind: 'RoleBinding', metadata: { name: 'rb2', namespace: 'ops' }, roleRef: { kind: 'ClusterRole', name: 'reader' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts:kube-system' }] },
    { kind: 'Deployment', metadata: { name: 'ignored' } },
  ]);
  const attrs = (verb: string, resource: string, namespace: string, name = '') => ({ verb, apiGroup: '', resource, namespace, name });

  test('resourceNames: named get allowed, create never matches a resourceNames rule, other names denied', () => {
    expect(rbac.authorize(sa, attrs('get', 'secrets', 'apps', 'pull'))).toBe(true);
    expect(rbac.authorize(sa, attrs('get', 'secrets', 'apps', 'other'))).toBe(false);
    expect(rbac.authorize(sa, attrs('create', 'secrets', 'apps'))).toBe(false);
    expect(rbac.authorize(sa, attrs('get', 'secrets', 'ops', 'pull'))).toBe(false);
  });

  test('a RoleBinding to a ClusterRole is namespace-scoped; groups match', () => {
    expect(rbac.authorize(sa, attrs('list', 'events', 'ops'))).toBe(true);
    expect(rbac.authorize(sa, attrs('list', 'events', 'apps'))).toBe(false);
  });

  test('Forbidden messages in the real format', () => {
    expect(forbiddenMessage(sa, attrs('get', 'secrets', 'apps', 'x'))).toBe(
      'secrets "x" is forbidden: User "system:serviceaccount:kube-system:refresher" cannot get resource "secrets" in API group "" in the namespace "apps"',
    );
    expect(forbiddenMessage(sa, attrs('list', 'secrets', ''))).toBe(
      'secrets is forbidden: User "system:serviceaccount:kube-system:refresher" cannot list resource "secrets" in API group "" at the cluster scope',
    );
  });
});
