/**
 * `jcrkit up` as a black box: --dry-run makes no request at all; a real run goes through both
 * fakes end to end — the cluster's DescribeCluster hands out a TLS endpoint and client
 * certificate of the fake Kubernetes API, so the kubeconfig jcrkit writes is the identity every
 * later step uses — and a second run creates nothing.
 */
import { chmodSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startFakeJdcloud, type FakeJdcloud } from '../fakes/jdcloud/server';
import { startFakeKubeApi, type FakeKubeApi } from '../fakes/kube/api-server';
import { makeTestPki, type TestPki } from '../fakes/kube/tls';
import { cloudCli, type CloudCli } from '../helpers/cli';
import { AK, SK, actions, creates, jdEnv, leaks, tempDir, type TempDir } from '../cloud/helpers';

let cli: CloudCli;
let pki: TestPki;
beforeAll(() => {
  cli = cloudCli();
  pki = makeTestPki({ user: 'jcrkit-admin', group: 'system:masters' });
});
afterAll(() => {
  cli.dispose();
  pki.cleanup();
});

let jd: FakeJdcloud;
let kube: FakeKubeApi;
let dir: TempDir;
const PASSWORD = 'jcr-Temp-Password-42';
const b64 = (s: string) => Buffer.from(s).toString('base64');

beforeEach(async () => {
  kube = await startFakeKubeApi({ tls: { cert: pki.serverCert, key: pki.serverKey, clientCa: pki.caCert }, namespaces: ['default', 'kube-system', 'kubernetes-dashboard'] });
  jd = await startFakeJdcloud({
    accounts: { [AK]: SK },
    settings: {
      tokenPassword: () => PASSWORD,
      clusterEndpoint: '127.0.0.1',
      clusterEndpointPort: String(kube.port),
      masterAuth: { clusterCaCertificate: b64(pki.caCert), clientCertificate: b64(pki.clientCert), clientKey: b64(pki.clientKey), user: 'admin', password: '' },
    },
  });
  dir = tempDir();
});
afterEach(async () => {
  await Promise.all([jd.close(), kube.close()]);
  dir.remove();
});

const CONFIG = 'registry: {name: myreg, region: cn-north-1}\nrefresher: {verifyRegistry: false}\n';

test('--dry-run: the whole plan, zero JD Cloud and Kubernetes requests, nothing written', async () => {
  const kc = join(dir.path, 'kubeconfig');
  const out = join(dir.path, 'dist');
  const r = await cli.run(['up', '--dry-run', '--config', dir.file('c.yaml', CONFIG), '--kubeconfig', kc, '--out', out], { env: jdEnv(jd.url) });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(jd.requests).toHaveLength(0);
  expect(kube.requests).toHaveLength(0);
  expect(existsSync(kc)).toBe(false);
  expect(existsSync(out)).toBe(false);
  for (const expected of [
    'JD Cloud cr CheckRegistryName: POST /v1/regions/cn-north-1/registries:checkRegistryName {"registryName":"myreg"}',
    'JD Cloud cr CreateRepository: POST /v1/regions/cn-north-1/registries/myreg/repositories {"repositoryName":"kubernetesui/dashboard"',
    'copy image docker.io/kubernetesui/dashboard:v2.7.0 -> myreg-cn-north-1.jcr.service.jdcloud.com/kubernetesui/dashboard:v2.7.0',
    'JD Cloud vpc CreateVpc: POST /v1/regions/cn-north-1/vpcs/ {"vpcName":"jcrkit","addressPrefix":"10.0.0.0/16"}',
    '"accessKey":"[REDACTED]","secretKey":"[REDACTED]"',
    `write ${kc}: merge cluster/user/context jdcloud-cn-north-1-jcrkit`,
    'Kubernetes POST /api/v1/namespaces/kube-system/secrets',
    `run kubectl --kubeconfig ${kc} --context jdcloud-cn-north-1-jcrkit apply -f ${out}`,
    'JD Cloud cr GetAuthorizationToken: POST /v1/regions/cn-north-1/registries/myreg:getAuthorizationToken {"expiredAfterHours":12} (only when no recorded token is valid for longer than renewBefore)',
    'Kubernetes PUT /api/v1/namespaces/kubernetes-dashboard/secrets/my-secret?fieldManager=jcrkit-refresher (create (POST) or update in place)',
  ]) {
    expect(r.stdout).toContain(expected);
  }
  expect(leaks([r.stdout, r.stderr], [AK, SK])).toEqual([]);

  const json = await cli.run(['up', '--dry-run', '--output', 'json', '--skip-mirror', '--skip-cluster', '--skip-kubeconfig', '--context', 'prod', '--kubeconfig', kc], { env: jdEnv(jd.url) });
  const plan = JSON.parse(json.stdout);
  // the apply comes before the AK/SK Secret: it creates a custom refresher namespace
  expect(plan.steps.map((s: { step: string }) => s.step)).toEqual(['registry', 'network', 'deploy', 'credentials', 'refresh']);
  expect(plan.steps[2].calls[1]).toEqual({ kind: 'exec', argv: ['kubectl', '--kubeconfig', kc, '--context', 'prod', 'apply', '-f', 'dist'] });
  expect(jd.requests).toHaveLength(0);
});

test('--dry-run still checks the config: a bad CIDR fails with no request', async () => {
  const r = await cli.run(['up', '--dry-run', '--vpc-cidr', '8.8.0.0/16'], { env: jdEnv(jd.url) });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('cloud.vpc.cidr: 8.8.0.0/16 is not in a private range');
  expect(jd.requests).toHaveLength(0);
});

test('a real run end to end (mirror skipped), then a second run that creates nothing', async () => {
  const kc = join(dir.path, 'kube', 'config');
  const out = join(dir.path, 'dist');
  const calls = join(dir.path, 'kubectl.calls');
  const stub = dir.file('kubectl', `#!/bin/sh\necho "$@" >> '${calls}'\necho "applied (stub)"\n`);
  chmodSync(stub, 0o755);
  const args = ['up', '--config', dir.file('c.yaml', CONFIG), '--skip-mirror', '--kubeconfig', kc, '--out', out, '--kubectl', stub, '--interval', '0'];

  // the default ServiceAccounts Kubernetes creates in every namespace
  for (const ns of ['kube-system', 'kubernetes-dashboard']) kube.seed('serviceaccounts', { metadata: { name: 'default', namespace: ns } });
  const r = await cli.run(args, { env: jdEnv(jd.url) });
  expect(r.stderr).not.toContain('error:');
  expect(r.code).toBe(0);
  // 1-4: JD Cloud
  expect(creates(jd.requests)).toEqual(['CreateRegistry', 'CreateRepository', 'CreateRepository', 'CreateRepository', 'CreateVpc', 'CreateCluster']);
  const cluster = jd.state.clusters[0];
  expect(cluster.state).toBe('running');
  expect((cluster.spec.autoClusterNetworkSpec as { vpcId: string }).vpcId).toBe(jd.state.vpcs[0].vpcId);
  // 5: kubeconfig with the cluster's endpoint, current
  const doc = parse(readFileSync(kc, 'utf8'));
  expect(doc['current-context']).toBe('jdcloud-cn-north-1-jcrkit');
  expect(doc.clusters[0].cluster.server).toBe(`https://127.0.0.1:${kube.port}`);
  // 6: the AK/SK Secret, written as the kubeconfig's client-certificate user
  expect(kube.get('secrets', 'kube-system', 'jdcloud-credentials')!.data).toEqual({ JDCLOUD_ACCESS_KEY: b64(AK), JDCLOUD_SECRET_KEY: b64(SK) });
  expect(kube.requests.every((q) => q.user === 'jcrkit-admin')).toBe(true);
  // 7: rendered and applied with the new context
  expect(readdirSync(out).sort()).toEqual(['0000-dashboard.k8s.yaml', '0001-token-refresher.k8s.yaml', '0002-dashboard-admin.k8s.yaml']);
  expect(readFileSync(calls, 'utf8')).toBe(`--kubeconfig ${kc} --context jdcloud-cn-north-1-jcrkit apply -f ${out}\n`);
  expect(r.stderr).toContain('applied (stub)');
  // 8: the first refresh wrote the pull Secret where the Dashboard and the refresher pull
  for (const ns of ['kube-system', 'kubernetes-dashboard']) {
    const secret = kube.get('secrets', ns, 'my-secret')!;
    const auths = JSON.parse(Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString()).auths;
    expect(auths['myreg-cn-north-1.jcr.service.jdcloud.com'].password).toBe(PASSWORD);
    // derived namespaces only (no pullSecret.namespaces): their rendered pods name the Secret; no ServiceAccount is patched
    expect(kube.get('serviceaccounts', ns, 'default')!.imagePullSecrets).toBeUndefined();
  }
  expect(r.stdout).toContain('cluster      c-');
  expect(r.stdout).toContain('pull secret  written');
  expect(leaks([r.stdout, r.stderr], [AK, SK, PASSWORD, b64(`jdcloud:${PASSWORD}`)])).toEqual([]);

  // idempotent: nothing is created the second time; the Secrets are updated in place
  jd.requests.length = 0;
  const again = await cli.run([...args, '--output', 'json'], { env: jdEnv(jd.url) });
  expect(again.code).toBe(0);
  expect(creates(jd.requests)).toEqual([]);
  expect(actions(jd.requests)).not.toContain('CreateCluster');
  const result = JSON.parse(again.stdout);
  expect(result).toMatchObject({ registry: { registryCreated: false }, network: { vpc: { created: false } }, cluster: { created: false, state: 'running' }, credentials: { action: 'unchanged' }, exitCode: 0 });
  expect(leaks([again.stdout, again.stderr], [AK, SK, PASSWORD])).toEqual([]);
});

test('--skip-cluster with the kubeconfig step still on: a clear error, no kube access', async () => {
  const r = await cli.run(['up', '--config', dir.file('c.yaml', CONFIG), '--skip-mirror', '--skip-network', '--skip-cluster', '--skip-registry'], { env: jdEnv(jd.url) });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('the kubeconfig step needs the cluster step. Fix:');
  expect(kube.requests).toHaveLength(0);
});

describe('warnings before anything happens, and how to reach the UI at the end', () => {
  const SEED = join(__dirname, '..', '..', 'examples', 'seed.yaml');

  test('--dry-run of the runbook config prints every warning first, with the cluster version problem', async () => {
    const r = await cli.run(['up', '--dry-run', '--config', SEED], { env: jdEnv(jd.url) });
    expect(r.code).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings).toEqual([
      expect.stringMatching(/dashboard\.preset v1\.10\.1 does not work on Kubernetes >= 1\.16/),
      expect.stringMatching(/the UI is on a public load balancer \(kube-system\/dashboard-lb\).*cluster-admin/),
      expect.stringMatching(/admin\.tokenSecret: true renders kube-system\/dashboard-admin-token/),
      expect.stringMatching(/the cluster step creates a cluster at JD Cloud's default Kubernetes version .* v1\.10\.1 Dashboard/),
    ]);
    expect(jd.requests).toHaveLength(0);
    expect(kube.requests).toHaveLength(0);
    const json = await cli.run(['up', '--dry-run', '--config', SEED, '--cluster-version', '1.26.1-jcs.1', '--output', 'json'], { env: jdEnv(jd.url) });
    const plan = JSON.parse(json.stdout);
    expect(plan.warnings).toHaveLength(4);
    expect(plan.warnings[3]).toMatch(/^cloud\.cluster\.version 1\.26\.1-jcs\.1: the v1\.10\.1 Dashboard .* does not run on Kubernetes >= 1\.16/);
    expect(plan.access.login).toContain(`  jcrkit login-token --config ${SEED} --duration 1h`);
  });

  test('--dry-run of a safe config: no warning; the plan ends with how to reach the UI and log in', async () => {
    const r = await cli.run(['up', '--dry-run', '--config', dir.file('c.yaml', CONFIG)], { env: jdEnv(jd.url) });
    expect(r.stderr).toBe('');
    const tail = r.stdout.slice(r.stdout.indexOf('\nthen:\n'));
    expect(tail).toContain('The Dashboard is behind an internal JD Cloud load balancer, Service kubernetes-dashboard/dashboard-lb');
    expect(tail).toContain(`jcrkit login-token --config ${join(dir.path, 'c.yaml')} --duration 1h`);
    expect(tail).toContain('kubectl -n kubernetes-dashboard create token dashboard-admin --duration=1h');
  });

  test('a real run prints the warnings before its first step, and ends with the UI\'s address and the login', async () => {
    const out = join(dir.path, 'dist');
    const stub = dir.file('kubectl', '#!/bin/sh\necho "applied (stub)"\n');
    chmodSync(stub, 0o755);
    const kc = dir.file('kc', `current-context: c\ncontexts: [{name: c, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:${kube.port}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {}}]\n`);
    const config = dir.file('h.yaml', 'registry: {name: myreg, region: cn-north-1}\ndashboard: {preset: headlamp}\nadmin: {tokenSecret: true}\n');
    const skips = ['registry', 'mirror', 'network', 'cluster', 'kubeconfig', 'credentials', 'refresh'].map((s) => `--skip-${s}`);
    const r = await cli.run(['up', '--config', config, ...skips, '--kubeconfig', kc, '--out', out, '--kubectl', stub], { env: jdEnv(jd.url) });
    expect(r.code).toBe(0);
    const firstWarning = r.stderr.indexOf('warning: admin.tokenSecret: true');
    expect(firstWarning).toBeGreaterThanOrEqual(0);
    expect(firstWarning).toBeLessThan(r.stderr.indexOf('==> 6/8 deploy'));
    expect(r.stderr.indexOf('==> 6/8 deploy')).toBeLessThan(r.stderr.indexOf('applied (stub)'));
    expect(r.stdout).toContain(`manifests    ${out}/ applied`);
    expect(r.stdout).toContain('Headlamp is behind an internal JD Cloud load balancer, Service headlamp/headlamp: http://<EXTERNAL-IP>/');
    expect(r.stdout).toContain(`jcrkit login-token --config ${config} --kubeconfig ${kc} --duration 1h`);
    expect(r.stdout).toContain("kubectl -n headlamp get secret headlamp-login-token -o jsonpath='{.data.token}' | base64 -d");
  });
});
