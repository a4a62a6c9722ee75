/**
 * End to end: the esbuild bundle the CronJob runs (`node jcrkit-refresher.js`), as a child
 * process with the pod's environment, against the fake Kubernetes API (https, in-cluster service
 * account files) and the fake JD Cloud (signatures checked).
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildRefresherBundle } from '../../lib/refresher/bundle';
import { startFakeJdcloud, type FakeJdcloud } from '../fakes/jdcloud/server';
import { startFakeKubeApi, type FakeKubeApi } from '../fakes/kube/api-server';
import { makeTestPki, type TestPki } from '../fakes/kube/tls';
import { AK, expectNoSecrets, REGION, REGISTRY, SK } from './harness';

interface ChildResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runNode(file: string, env: NodeJS.ProcessEnv): Promise<ChildResult> {
  // async on purpose: the fakes live in this process and must keep answering while the child runs
  return new Promise((resolve) => {
    execFile(process.execPath, [file], { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('the refresher bundle', () => {
  let dir: string;
  let bundle: string;
  let pki: TestPki;
  let kubeApi: FakeKubeApi;
  let jd: FakeJdcloud;
  let saDir: string;
  const saToken = 'e2e-refresher-sa-token-abcdef';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jcrkit-bundle-'));
    bundle = path.join(dir, 'jcrkit-refresher.js');
    buildRefresherBundle(bundle);
    pki = makeTestPki();
    saDir = path.join(dir, 'serviceaccount');
    fs.mkdirSync(saDir);
    fs.writeFileSync(path.join(saDir, 'token'), saToken);
    fs.writeFileSync(path.join(saDir, 'ca.crt'), pki.caCert);
    fs.writeFileSync(path.join(saDir, 'namespace'), 'kube-system');
  });
  afterAll(() => {
    pki.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    kubeApi = await startFakeKubeApi({ tls: { cert: pki.serverCert, key: pki.serverKey }, tokens: {}, namespaces: ['kube-system', 'apps', 'web'] });
    kubeApi.addServiceAccountToken('kube-system', 'jcrkit-token-refresher', saToken);
    jd = await startFakeJdcloud({ accounts: { [AK]: SK }, registries: [{ regionId: REGION, name: REGISTRY }] });
  });
  afterEach(async () => {
    await Promise.all([kubeApi.close(), jd.close()]);
  });

  const podEnv = (plan: object): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    KUBERNETES_SERVICE_HOST: '127.0.0.1',
    KUBERNETES_SERVICE_PORT: String(kubeApi.port),
    JCRKIT_SERVICE_ACCOUNT_DIR: saDir,
    JCRKIT_REFRESH_PLAN: JSON.stringify(plan),
    JDCLOUD_ACCESS_KEY: AK,
    JDCLOUD_SECRET_KEY: SK,
    JDCLOUD_ENDPOINT: jd.url,
  });
  const plan = {
    // 127.0.0.1:1 refuses connections: the registry check warns and the run continues
    registry: { name: REGISTRY, region: REGION, host: '127.0.0.1:1' },
    secretName: 'jcr-pull',
    namespaces: ['apps', 'web'],
    serviceAccounts: ['default'],
    tokenHours: 3,
    crService: 'containerregistry',
  };
  const secrets = () => [AK, SK, saToken, ...jd.state.tokens.flatMap((t) => [t.authorizationToken, t.password, Buffer.from(`${t.username}:${t.password}`).toString('base64')])];

  test('is one small, deterministic, dependency-free CommonJS file', () => {
    const text = fs.readFileSync(bundle, 'utf8');
    expect(text.length).toBeLessThan(1024 * 1024);
    const requires = [...new Set([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))].sort();
    expect(requires.every((r) => ['crypto', 'fs', 'http', 'https', 'path', 'util', 'os', 'url', 'net', 'tls'].includes(r.replace(/^node:/, '')))).toBe(true);
    expect(text).not.toMatch(/yargs|cdk8s|esbuild/);
    // the server-side signature check is test support: none of its refusal messages ship
    expect(text).not.toContain('x-jdcloud-nonce must be a signed header');
    expect(text).not.toContain(dir);
    const again = path.join(dir, 'again.js');
    buildRefresherBundle(again);
    expect(fs.readFileSync(again, 'utf8')).toBe(text);
  });

  test('runs in a "pod": in-cluster identity over TLS, token from JD Cloud, Secrets written, JSON log lines, exit 0', async () => {
    kubeApi.seed('serviceaccounts', { metadata: { name: 'default', namespace: 'apps' }, imagePullSecrets: [{ name: 'existing' }] });
    const r = await runNode(bundle, podEnv(plan));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.find((l) => l.level === 'warn')).toMatchObject({ msg: expect.stringContaining('cannot verify the token against 127.0.0.1:1') });
    expect(lines.filter((l) => l.namespace).map((l) => [l.namespace, l.action])).toEqual(
      expect.arrayContaining([
        ['apps', 'created'],
        ['web', 'created'],
      ]),
    );
    expect(jd.requests.filter((q) => q.action === 'GetAuthorizationToken').map((q) => [q.service, q.status])).toEqual([['containerregistry', 200]]);
    expect(kubeApi.get('serviceaccounts', 'apps', 'default')!.imagePullSecrets).toEqual([{ name: 'existing' }, { name: 'jcr-pull' }]);
    const doc = JSON.parse(Buffer.from(kubeApi.get('secrets', 'web', 'jcr-pull')!.data['.dockerconfigjson'], 'base64').toString());
    expect(doc.auths['127.0.0.1:1'].password).toBe(jd.state.tokens[0].password);
    expect(new Set(kubeApi.requests.map((q) => q.user))).toEqual(new Set(['system:serviceaccount:kube-system:jcrkit-token-refresher']));
    expectNoSecrets([r.stdout, r.stderr], secrets());
  });

  test('JD Cloud 401: exit 1, nothing written, no credential printed', async () => {
    jd.faults.add({ action: 'GetAuthorizationToken', status: 401, errorStatus: 'ACCESS_ERROR', message: 'sign result is not same [gw]' });
    const r = await runNode(bundle, podEnv(plan));
    expect(r.code).toBe(1);
    expect(kubeApi.writes().filter((w) => !w.dryRun && w.resource !== 'events')).toHaveLength(0);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toMatchObject({ level: 'error', written: 0 });
    expectNoSecrets([r.stdout, r.stderr], secrets());
  });

  test('bad plan: exit 2 (bad input) with a message naming the field; AK/SK never echoed', async () => {
    const r = await runNode(bundle, { ...podEnv({ ...plan, tokenHours: 48 }), JDCLOUD_SECRET_KEY: SK });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('tokenHours: must be a whole number of hours from 1 to 24');
    expect(jd.requests).toHaveLength(0);
    expectNoSecrets([r.stdout, r.stderr], [AK, SK]);
  });
});
