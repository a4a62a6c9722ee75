/** `jcrkit kubeconfig`: merged like `aws eks update-kubeconfig`; kubectl reads the result. */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildCreateClusterRequest, ensureCluster } from '../../lib/cloud/cluster';
import { ensureNetwork } from '../../lib/cloud/network';
import { configSchema } from '../../lib/config/schema';
import { JdcloudClient } from '../../lib/jdcloud/client';
import { KubernetesApi } from '../../lib/jdcloud/kubernetes';
import { VpcApi } from '../../lib/jdcloud/vpc';
import { startFakeJdcloud, type FakeJdcloud } from '../fakes/jdcloud/server';
import { cloudCli, type CloudCli } from '../helpers/cli';
import { AK, SK, jdEnv, tempDir, type TempDir } from '../cloud/helpers';

let cli: CloudCli;
let jd: FakeJdcloud;
let dir: TempDir;
let clusterId: string;

const EXISTING = `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster: {server: "https://prod.example.com:6443", insecure-skip-tls-verify: true}
- name: jdcloud-cn-north-1-jcrkit
  cluster: {server: "https://stale.example.com:6443"}
users:
- name: prod-admin
  user: {token: prod-token}
contexts:
- name: prod
  context: {cluster: prod, user: prod-admin, namespace: apps}
current-context: prod
preferences: {colors: true}
`;

beforeAll(() => {
  cli = cloudCli();
});
afterAll(() => cli.dispose());
beforeEach(async () => {
  jd = await startFakeJdcloud({ accounts: { [AK]: SK } });
  dir = tempDir();
  // set-up through the library (in process, fast); the command under test runs as a child
  const client = new JdcloudClient({ accessKey: AK, secretKey: SK, endpoint: jd.url });
  const cloud = configSchema.parse({ registry: { name: 'myreg', region: 'cn-north-1' } }).cloud;
  const net = await ensureNetwork(new VpcApi(client), { regionId: 'cn-north-1', spec: cloud });
  const request = buildCreateClusterRequest(cloud, 'cn-north-1', { vpcId: net.vpc.vpcId, vpcCidr: net.vpc.cidr, subnetIds: {} }, { accessKey: AK, secretKey: SK });
  clusterId = (await ensureCluster(new KubernetesApi(client), request, { timeoutMs: 60_000, intervalMs: 0 })).cluster.clusterId;
});
afterEach(async () => {
  await jd.close();
  dir.remove();
});

const kubectl = (...args: string[]) => execFileSync('/usr/bin/kubectl', args, { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir.path } });

test('merges into an existing file: other entries kept, same name replaced, current-context set, mode 0600', async () => {
  const file = dir.file('config', EXISTING);
  const r = await cli.run(['kubeconfig', '--cluster-id', clusterId, '--out', file], { env: jdEnv(jd.url) });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(`switched to context jdcloud-cn-north-1-jcrkit (https://203.0.113.10:6443) in ${file}\n`);
  expect(statSync(file).mode & 0o777).toBe(0o600);

  const doc = parse(readFileSync(file, 'utf8'));
  expect(doc.clusters.map((c: { name: string }) => c.name)).toEqual(['prod', 'jdcloud-cn-north-1-jcrkit']);
  expect(doc.clusters[0]).toEqual({ name: 'prod', cluster: { server: 'https://prod.example.com:6443', 'insecure-skip-tls-verify': true } });
  const auth = jd.state.settings.masterAuth;
  expect(doc.clusters[1]).toEqual({ name: 'jdcloud-cn-north-1-jcrkit', cluster: { server: 'https://203.0.113.10:6443', 'certificate-authority-data': auth.clusterCaCertificate } });
  expect(doc.users).toEqual([
    { name: 'prod-admin', user: { token: 'prod-token' } },
    { name: 'jdcloud-cn-north-1-jcrkit', user: { 'client-certificate-data': auth.clientCertificate, 'client-key-data': auth.clientKey } },
  ]);
  expect(doc.contexts[0]).toEqual({ name: 'prod', context: { cluster: 'prod', user: 'prod-admin', namespace: 'apps' } });
  expect(doc['current-context']).toBe('jdcloud-cn-north-1-jcrkit');
  expect(doc.preferences).toEqual({ colors: true });

  // kubectl as the oracle: it parses the file and sees both contexts
  expect(kubectl('config', 'get-contexts', '-o', 'name', '--kubeconfig', file).trim().split('\n').sort()).toEqual(['jdcloud-cn-north-1-jcrkit', 'prod']);
  expect(kubectl('config', 'current-context', '--kubeconfig', file).trim()).toBe('jdcloud-cn-north-1-jcrkit');
  const view = JSON.parse(kubectl('config', 'view', '--kubeconfig', file, '--raw', '-o', 'json', '--minify'));
  expect(view.clusters[0].cluster.server).toBe('https://203.0.113.10:6443');
  expect(Buffer.from(view.users[0].user['client-key-data'], 'base64').toString()).toContain('-----BEGIN RSA PRIVATE KEY-----');

  // idempotent: the same bytes on a second run
  const before = readFileSync(file, 'utf8');
  await cli.run(['kubeconfig', '--cluster-id', clusterId, '--out', file], { env: jdEnv(jd.url) });
  expect(readFileSync(file, 'utf8')).toBe(before);
});

test('--no-set-current keeps the current context; the first $KUBECONFIG path is the default target', async () => {
  const file = dir.file('first', EXISTING);
  const second = join(dir.path, 'second');
  const r = await cli.run(['kubeconfig', '--no-set-current', '--output', 'json'], { env: jdEnv(jd.url, { KUBECONFIG: `${file}:${second}` }) });
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ path: file, context: 'jdcloud-cn-north-1-jcrkit', server: 'https://203.0.113.10:6443', currentContext: false });
  expect(parse(readFileSync(file, 'utf8'))['current-context']).toBe('prod');
});

test('no file yet: ~/.kube/config is created with mode 0600; --alias names the entries', async () => {
  const r = await cli.run(['kubeconfig', '--cluster-id', clusterId, '--alias', 'poc'], { env: jdEnv(jd.url, { HOME: dir.path }) });
  expect(r.code).toBe(0);
  const file = join(dir.path, '.kube', 'config');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(kubectl('config', 'current-context', '--kubeconfig', file).trim()).toBe('poc');
});

test('a kubeconfig that is not YAML is left untouched', async () => {
  const file = dir.file('config', 'clusters: [unclosed\n');
  const r = await cli.run(['kubeconfig', '--cluster-id', clusterId, '--out', file], { env: jdEnv(jd.url) });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('is not valid YAML');
  expect(readFileSync(file, 'utf8')).toBe('clusters: [unclosed\n');
});

test('a cluster that is not running yet: no file is written', async () => {
  jd.state.clusters[0].state = 'pending';
  jd.state.clusters[0].readyAfterDescribes = 100;
  const file = join(dir.path, 'new');
  const r = await cli.run(['kubeconfig', '--cluster-id', clusterId, '--out', file], { env: jdEnv(jd.url) });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('is pending, not running');
  expect(() => statSync(file)).toThrow();
});

test('an unknown cluster id: 404 with the requestId', async () => {
  const r = await cli.run(['kubeconfig', '--cluster-id', 'c-nosuch', '--out', join(dir.path, 'x')], { env: jdEnv(jd.url) });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^error: JD Cloud kubernetes DescribeCluster failed: 404 NOT_FOUND: .* \(requestId \w+\)\n$/);
});

test('raw PEM in masterAuth is tolerated (base64-encoded for the kubeconfig)', async () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  jd.state.settings.masterAuth = { ...jd.state.settings.masterAuth, clusterCaCertificate: pem };
  const file = join(dir.path, 'pem');
  writeFileSync(file, '');
  await cli.run(['kubeconfig', '--cluster-id', clusterId, '--out', file], { env: jdEnv(jd.url) });
  expect(parse(readFileSync(file, 'utf8')).clusters[0].cluster['certificate-authority-data']).toBe(Buffer.from(pem.trim()).toString('base64'));
});
