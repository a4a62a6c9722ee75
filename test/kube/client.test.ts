import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { createKubeClient, KubeClient } from '../../lib/kube/client';
import { isKubeApiError, KubeApiError, KubeTransportError } from '../../lib/kube/errors';
import { inClusterConnection, isInCluster } from '../../lib/kube/in-cluster';
import { kubeClientFromEnvironment } from '../../lib/kube';
import { kubeconfigConnection, resolveKubeconfigPath } from '../../lib/kube/kubeconfig';
import { startFakeKubeApi, type FakeKubeApi } from '../fakes/kube/api-server';
import { makeTestPki, type TestPki } from '../fakes/kube/tls';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jcrkit-kube-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeKubeconfig(body: string): string {
  const file = path.join(tmp, 'config');
  fs.writeFileSync(file, body);
  return file;
}

describe('KubeClient against the fake API server', () => {
  let api: FakeKubeApi;
  let kube: KubeClient;
  beforeEach(async () => {
    api = await startFakeKubeApi({ namespaces: ['default', 'apps'] });
    kube = createKubeClient({ server: api.url, namespace: 'default', source: 'test' });
  });
  afterEach(async () => {
    kube.close();
    await api.close();
  });

  test('create, get, update with resourceVersion, list, patch (all three types)', async () => {
    const created = await kube.create('secrets', 'apps', { metadata: { name: 's1', labels: { a: '1' } }, type: 'Opaque', stringData: { k: 'v' } });
    expect(created.metadata?.resourceVersion).toBeDefined();
    expect(created.data).toEqual({ k: Buffer.from('v').toString('base64') });
    const got = await kube.get('secrets', 'apps', 's1');
    const updated = await kube.update('secrets', 'apps', 's1', { ...got, data: { k: 'dzI=' } });
    expect(Number(updated.metadata!.resourceVersion)).toBeGreaterThan(Number(got.metadata!.resourceVersion));
    expect((await kube.list('secrets', 'apps', { labelSelector: 'a=1' })).items.map((s) => s.metadata?.name)).toEqual(['s1']);
    expect((await kube.list('secrets', 'apps', { labelSelector: 'a=2' })).items).toEqual([]);

    await kube.patch('secrets', 'apps', 's1', { metadata: { annotations: { x: 'y' } } }, 'merge');
    await kube.patch('secrets', 'apps', 's1', { metadata: { labels: { b: '2' } } }, 'strategic');
    await kube.patch('secrets', 'apps', 's1', [{ op: 'add', path: '/metadata/labels/c', value: '3' }], 'json');
    const now = await kube.get('secrets', 'apps', 's1');
    expect(now.metadata?.labels).toEqual({ a: '1', b: '2', c: '3' });
    expect(now.metadata?.annotations).toEqual({ x: 'y' });
    expect(api.requests.filter((r) => r.method === 'PATCH').map((r) => r.contentType)).toEqual([
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
      'application/json-patch+json',
    ]);
  });

  test('typed Status errors: NotFound, AlreadyExists, Conflict, Invalid — with no Secret data in the message', async () => {
    const notFound = await kube.get('secrets', 'apps', 'nope').catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(KubeApiError);
    expect(notFound).toMatchObject({ code: 404, reason: 'NotFound', serverMessage: 'secrets "nope" not found', details: { name: 'nope', kind: 'secrets' } });

    const secret = { metadata: { name: 's2' }, type: 'Opaque', data: { password: Buffer.from('TopSecretValue').toString('base64') } };
    await kube.create('secrets', 'apps', secret);
    const exists = await kube.create('secrets', 'apps', secret).catch((e: unknown) => e);
    expect(exists).toMatchObject({ code: 409, reason: 'AlreadyExists', serverMessage: 'secrets "s2" already exists' });

    const stale = await kube.update('secrets', 'apps', 's2', { ...secret, metadata: { name: 's2', resourceVersion: '1' } }).catch((e: unknown) => e);
    expect(isKubeApiError(stale, 'Conflict')).toBe(true);
    expect((stale as Error).message).toBe(
      'PUT /api/v1/namespaces/apps/secrets/s2: 409 Conflict: Operation cannot be fulfilled on secrets "s2": the object has been modified; please apply your changes to the latest version and try again',
    );

    const bad = await kube
      .create('secrets', 'apps', { metadata: { name: 's3' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from('{TopSecretValue').toString('base64') } })
      .catch((e: unknown) => e);
    expect(isKubeApiError(bad, 'Invalid')).toBe(true);
    for (const e of [notFound, exists, stale, bad]) {
      expect(String((e as Error).message)).not.toMatch(/TopSecretValue|VG9wU2VjcmV0VmFsdWU/);
      expect(JSON.stringify(e)).not.toMatch(/TopSecretValue|VG9wU2VjcmV0VmFsdWU/);
    }
  });

  test('a non-Status error body is not echoed', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html>proxy says: request body was password=hunter2</html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const c = createKubeClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, namespace: 'default', source: 'test' });
    const err = (await c.get('secrets', 'default', 'x').catch((e: unknown) => e)) as KubeApiError;
    expect(err.reason).toBe('Unknown');
    expect(err.code).toBe(502);
    expect(err.message).not.toContain('hunter2');
    c.close();
    await new Promise((r) => server.close(r));
  });

  test('timeouts become KubeTransportError', async () => {
    api.setLatency(500);
    const slow = createKubeClient({ server: api.url, namespace: 'default', source: 'test' }, { timeoutMs: 50 });
    const err = await slow.get('secrets', 'apps', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeTransportError);
    expect(err).toMatchObject({ timedOut: true });
    slow.close();
  });

  test('connection refused becomes KubeTransportError', async () => {
    const dead = createKubeClient({ server: 'http://127.0.0.1:1', namespace: 'default', source: 'test' });
    const err = await dead.get('secrets', 'apps', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeTransportError);
    expect((err as KubeTransportError).causeCode).toBe('ECONNREFUSED');
    dead.close();
  });
});

describe('kubeconfig', () => {
  test('bearer token, current context, context namespace', async () => {
    const api = await startFakeKubeApi({ tokens: { 'tok-123456': { name: 'alice', groups: ['system:masters'] } } });
    const file = writeKubeconfig(`apiVersion: v1
kind: Config
current-context: dev
contexts:
- name: dev
  context: {cluster: c1, user: alice, namespace: apps}
- name: other
  context: {cluster: c1, user: nobody}
clusters:
- name: c1
  cluster: {server: ${api.url}}
users:
- name: alice
  user: {token: tok-123456}
- name: nobody
  user: {}
`);
    const kube = createKubeClient(kubeconfigConnection({ path: file }));
    expect(kube.namespace).toBe('apps');
    await kube.create('secrets', 'default', { metadata: { name: 'x' } });
    expect(api.requests[0].user).toBe('alice');
    const anon = createKubeClient(kubeconfigConnection({ path: file, context: 'other' }));
    expect(anon.namespace).toBe('default');
    await expect(anon.get('secrets', 'default', 'x')).rejects.toMatchObject({ reason: 'Unauthorized' });
    kube.close();
    anon.close();
    await api.close();
  });

  test('tokenFile is re-read on every request (rotation)', async () => {
    const api = await startFakeKubeApi({ tokens: { 'first-token': { name: 'one', groups: ['system:masters'] }, 'second-token': { name: 'two', groups: ['system:masters'] } } });
    fs.writeFileSync(path.join(tmp, 'token'), 'first-token\n');
    const file = writeKubeconfig(`current-context: c
contexts: [{name: c, context: {cluster: c, user: u}}]
clusters: [{name: c, cluster: {server: "${api.url}"}}]
users: [{name: u, user: {tokenFile: token}}]
`);
    const kube = createKubeClient(kubeconfigConnection({ path: file }));
    await kube.list('secrets', 'default');
    fs.writeFileSync(path.join(tmp, 'token'), 'second-token\n');
    await kube.list('secrets', 'default');
    expect(api.requests.map((r) => r.user)).toEqual(['one', 'two']);
    kube.close();
    await api.close();
  });

  describe('over https with a CA made by openssl', () => {
    let pki: TestPki;
    let api: FakeKubeApi;
    beforeAll(async () => {
      pki = makeTestPki({ user: 'cert-user', group: 'system:masters' });
      api = await startFakeKubeApi({ tls: { cert: pki.serverCert, key: pki.serverKey, clientCa: pki.caCert } });
    });
    afterAll(async () => {
      await api.close();
      pki.cleanup();
    });

    test('client certificate and CA as inline data', async () => {
      const b64 = (s: string) => Buffer.from(s).toString('base64');
      const file = writeKubeconfig(`current-context: c
contexts: [{name: c, context: {cluster: c, user: u}}]
clusters: [{name: c, cluster: {server: "${api.url}", certificate-authority-data: ${b64(pki.caCert)}}}]
users: [{name: u, user: {client-certificate-data: ${b64(pki.clientCert)}, client-key-data: ${b64(pki.clientKey)}}}]
`);
      const kube = createKubeClient(kubeconfigConnection({ path: file }));
      await kube.create('secrets', 'default', { metadata: { name: 'via-cert' } });
      expect(api.requests.at(-1)!.user).toBe('cert-user');
      kube.close();
    });

    test('client certificate, key and CA as files (relative to the kubeconfig)', async () => {
      for (const f of ['ca.crt', 'client.crt', 'client.key']) fs.copyFileSync(path.join(pki.dir, f), path.join(tmp, f));
      const file = writeKubeconfig(`current-context: c
contexts: [{name: c, context: {cluster: c, user: u}}]
clusters: [{name: c, cluster: {server: "${api.url}", certificate-authority: ca.crt}}]
users: [{name: u, user: {client-certificate: client.crt, client-key: ${path.join(tmp, 'client.key')}}}]
`);
      const kube = createKubeClient(kubeconfigConnection({ path: file }));
      await kube.list('secrets', 'default');
      expect(api.requests.at(-1)!.user).toBe('cert-user');
      kube.close();
    });

    test('an untrusted server certificate is refused unless insecure-skip-tls-verify', async () => {
      const noCa = writeKubeconfig(`current-context: c
contexts: [{name: c, context: {cluster: c, user: u}}]
clusters: [{name: c, cluster: {server: "${api.url}"}}]
users: [{name: u, user: {}}]
`);
      const strict = createKubeClient(kubeconfigConnection({ path: noCa }));
      const err = await strict.list('secrets', 'default').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KubeTransportError);
      strict.close();

      const skip = writeKubeconfig(`current-context: c
contexts: [{name: c, context: {cluster: c, user: u}}]
clusters: [{name: c, cluster: {server: "${api.url}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {}}]
`);
      const lax = createKubeClient(kubeconfigConnection({ path: skip }));
      // TLS accepted; without credentials the server answers 401 — i.e. the request got through
      await expect(lax.list('secrets', 'default')).rejects.toMatchObject({ code: 401 });
      lax.close();
    });

    test('in-cluster: service host/port env, CA and rotated token file from the service-account dir', async () => {
      const saDir = path.join(tmp, 'sa');
      fs.mkdirSync(saDir);
      fs.writeFileSync(path.join(saDir, 'ca.crt'), pki.caCert);
      fs.writeFileSync(path.join(saDir, 'namespace'), 'kube-system');
      fs.writeFileSync(path.join(saDir, 'token'), 'sa-token-1');
      const tokenApi = await startFakeKubeApi({ tls: { cert: pki.serverCert, key: pki.serverKey }, tokens: {} });
      tokenApi.addServiceAccountToken('kube-system', 'jcrkit-token-refresher', 'sa-token-1');
      tokenApi.addServiceAccountToken('kube-system', 'jcrkit-token-refresher', 'sa-token-2');
      const env = { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(tokenApi.port) };
      expect(isInCluster({ env, serviceAccountDir: saDir })).toBe(true);
      const kube = createKubeClient(inClusterConnection({ env, serviceAccountDir: saDir }));
      expect(kube.namespace).toBe('kube-system');
      await kube.list('secrets', 'kube-system');
      fs.writeFileSync(path.join(saDir, 'token'), 'sa-token-2\n');
      await kube.list('secrets', 'kube-system');
      expect(tokenApi.requests.map((r) => [r.status, r.user])).toEqual([
        [200, 'system:serviceaccount:kube-system:jcrkit-token-refresher'],
        [200, 'system:serviceaccount:kube-system:jcrkit-token-refresher'],
      ]);
      kube.close();
      await tokenApi.close();
    });
  });

  test('file precedence: explicit path, then first existing KUBECONFIG entry, then ~/.kube/config', () => {
    const a = path.join(tmp, 'a');
    fs.writeFileSync(a, '');
    expect(resolveKubeconfigPath({ path: '/x', env: { KUBECONFIG: a } })).toBe('/x');
    expect(resolveKubeconfigPath({ env: { KUBECONFIG: [path.join(tmp, 'missing'), a].join(path.delimiter) } })).toBe(a);
    expect(resolveKubeconfigPath({ env: {}, homeDir: '/home/u' })).toBe('/home/u/.kube/config');
    expect(() => resolveKubeconfigPath({ env: { KUBECONFIG: path.join(tmp, 'missing') } })).toThrow(/KUBECONFIG names no existing file/);
  });

  test('clear errors: missing context, exec plugins, missing file', () => {
    const file = writeKubeconfig(`current-context: c
contexts: [{name: c, context: {cluster: c, user: u}}]
clusters: [{name: c, cluster: {server: "https://x"}}]
users: [{name: u, user: {exec: {command: aws}}}]
`);
    expect(() => kubeconfigConnection({ path: file, context: 'nope' })).toThrow(/has no context "nope"/);
    expect(() => kubeconfigConnection({ path: file })).toThrow(/exec\/auth-provider plugin/);
    expect(() => kubeconfigConnection({ path: path.join(tmp, 'none') })).toThrow(/cannot read kubeconfig .*ENOENT/);
  });

  test('kubeClientFromEnvironment prefers an explicit kubeconfig, else in-cluster', () => {
    const file = writeKubeconfig(`current-context: c
contexts: [{name: c, context: {cluster: c, user: u, namespace: from-kubeconfig}}]
clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
users: [{name: u, user: {}}]
`);
    const viaFile = kubeClientFromEnvironment({ kubeconfig: file, env: {} });
    expect(viaFile.connection.source).toContain(file);
    expect(viaFile.namespace).toBe('from-kubeconfig');
    viaFile.close();
    const viaEnv = kubeClientFromEnvironment({ env: { KUBECONFIG: file } });
    expect(viaEnv.namespace).toBe('from-kubeconfig');
    viaEnv.close();
  });
});
