/** `jcrkit credentials apply` against the fake Kubernetes API: create, in-place update, dry run, no echo. */
import { startFakeKubeApi, type FakeKubeApi } from '../fakes/kube/api-server';
import { cloudCli, type CloudCli } from '../helpers/cli';
import { AK, SK, leaks, tempDir, type TempDir } from '../cloud/helpers';

let cli: CloudCli;
let kube: FakeKubeApi;
let dir: TempDir;
let kubeconfig: string;
const b64 = (s: string) => Buffer.from(s).toString('base64');

beforeAll(() => {
  cli = cloudCli();
});
afterAll(() => cli.dispose());
beforeEach(async () => {
  kube = await startFakeKubeApi({ namespaces: ['default', 'kube-system', 'jcr'] });
  dir = tempDir();
  kubeconfig = dir.file('kubeconfig', `current-context: c\ncontexts: [{name: c, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "${kube.url}"}}]\nusers: [{name: u, user: {}}]\n`);
});
afterEach(async () => {
  await kube.close();
  dir.remove();
});

const run = (extra: string[], env: NodeJS.ProcessEnv = { JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK }, input?: string) =>
  cli.run(['credentials', 'apply', '--kubeconfig', kubeconfig, ...extra], { env, input });

test('creates the Secret from the environment, then updates it in place with the resourceVersion read', async () => {
  const first = await run([]);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toBe('Secret kube-system/jdcloud-credentials (keys JDCLOUD_ACCESS_KEY, JDCLOUD_SECRET_KEY): created\n');
  const created = kube.get('secrets', 'kube-system', 'jdcloud-credentials')!;
  expect(created.type).toBe('Opaque');
  expect(created.data).toEqual({ JDCLOUD_ACCESS_KEY: b64(AK), JDCLOUD_SECRET_KEY: b64(SK) });

  // someone added a key and a label meanwhile: both are kept
  kube.mutate('secrets', 'kube-system', 'jdcloud-credentials', (s) => {
    s.data.EXTRA = b64('keep-me');
    s.metadata.labels = { team: 'platform' };
  });
  const before = kube.get('secrets', 'kube-system', 'jdcloud-credentials')!;
  kube.requests.length = 0;
  const second = await run([], { JDCLOUD_ACCESS_KEY: 'AKrotated00000000', JDCLOUD_SECRET_KEY: 'SKrotated11111111111' });
  expect(second.code).toBe(0);
  expect(second.stdout).toContain(': updated');
  const put = kube.requests.find((r) => r.method === 'PUT')!;
  expect(put.path).toBe('/api/v1/namespaces/kube-system/secrets/jdcloud-credentials');
  expect((put.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  expect(kube.requests.map((r) => r.method)).toEqual(['GET', 'PUT']); // never delete-then-create
  const after = kube.get('secrets', 'kube-system', 'jdcloud-credentials')!;
  expect(after.metadata.uid).toBe(before.metadata.uid);
  expect(after.data).toEqual({ JDCLOUD_ACCESS_KEY: b64('AKrotated00000000'), JDCLOUD_SECRET_KEY: b64('SKrotated11111111111'), EXTRA: b64('keep-me') });
  expect(after.metadata.labels).toEqual({ team: 'platform' });

  const third = await run([], { JDCLOUD_ACCESS_KEY: 'AKrotated00000000', JDCLOUD_SECRET_KEY: 'SKrotated11111111111' });
  expect(third.stdout).toContain(': unchanged');
  for (const r of [first, second, third]) expect(leaks([r.stdout, r.stderr], [AK, SK, 'AKrotated00000000', 'SKrotated11111111111', b64(AK), b64(SK)])).toEqual([]);
});

test('a concurrent change between read and write is a Conflict, not an overwrite', async () => {
  kube.seed('secrets', { metadata: { name: 'jdcloud-credentials', namespace: 'kube-system' }, type: 'Opaque', data: { JDCLOUD_ACCESS_KEY: b64('old'), JDCLOUD_SECRET_KEY: b64('old') } });
  kube.injectFault({ match: { method: 'PUT', resource: 'secrets' }, before: (api) => api.mutate('secrets', 'kube-system', 'jdcloud-credentials', (s) => (s.data.OTHER = b64('x'))) });
  const r = await run([]);
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain('409 Conflict');
  expect(leaks([r.stdout, r.stderr], [AK, SK, b64(AK), b64(SK)])).toEqual([]);
});

test('--stdin reads AK then SK; namespace and name from the config', async () => {
  const cfg = dir.file('c.yaml', 'registry: {name: myreg, region: cn-north-1}\nrefresher: {namespace: jcr, credentialsSecret: jd-keys}\npullSecret: {namespaces: [jcr]}\n');
  const r = await run(['--config', cfg, '--stdin', '--output', 'json'], {}, `${AK}\n${SK}\n`);
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({ namespace: 'jcr', name: 'jd-keys', action: 'created', dryRun: false });
  expect(kube.get('secrets', 'jcr', 'jd-keys')!.data).toEqual({ JDCLOUD_ACCESS_KEY: b64(AK), JDCLOUD_SECRET_KEY: b64(SK) });
  const bad = await run(['--stdin'], {}, `${AK}\n`);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('exactly two lines');
  expect(bad.stderr).not.toContain(AK);
});

test('--dry-run reads only and says what it would do', async () => {
  const r = await run(['--dry-run']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('would be created');
  expect(kube.writes()).toEqual([]);
  expect(kube.get('secrets', 'kube-system', 'jdcloud-credentials')).toBeUndefined();
});

test('no credentials anywhere: one line naming both variables, nothing written', async () => {
  const r = await run([], {});
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('JDCLOUD_ACCESS_KEY and JDCLOUD_SECRET_KEY');
  expect(kube.requests).toEqual([]);
});

test('a missing namespace: the fix is named', async () => {
  const cfg = dir.file('c.yaml', 'registry: {name: myreg, region: cn-north-1}\nrefresher: {namespace: nowhere}\npullSecret: {namespaces: [nowhere]}\n');
  const r = await run(['--config', cfg]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('namespace nowhere does not exist. Fix: create it');
});
