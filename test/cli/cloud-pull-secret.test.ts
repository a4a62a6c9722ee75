/** `jcrkit pull-secret apply`: the CronJob's refresh run from the workstation, with the config's plan. */
import { startFakeJdcloud, type FakeJdcloud } from '../fakes/jdcloud/server';
import { startFakeKubeApi, type FakeKubeApi } from '../fakes/kube/api-server';
import { cloudCli, type CloudCli } from '../helpers/cli';
import { AK, SK, jdEnv, leaks, tempDir, type TempDir } from '../cloud/helpers';

let cli: CloudCli;
let jd: FakeJdcloud;
let kube: FakeKubeApi;
let dir: TempDir;
let kubeconfig: string;
const PASSWORD = 'pull-Secret-Password-7';

beforeAll(() => {
  cli = cloudCli();
});
afterAll(() => cli.dispose());
beforeEach(async () => {
  jd = await startFakeJdcloud({ accounts: { [AK]: SK }, registries: [{ regionId: 'cn-north-1', name: 'myreg' }], settings: { tokenPassword: () => PASSWORD } });
  kube = await startFakeKubeApi({ namespaces: ['default', 'kube-system', 'apps'] });
  dir = tempDir();
  kubeconfig = dir.file('kubeconfig', `current-context: c\ncontexts: [{name: c, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "${kube.url}"}}]\nusers: [{name: u, user: {}}]\n`);
});
afterEach(async () => {
  await Promise.all([jd.close(), kube.close()]);
  dir.remove();
});

const CONFIG = `registry: {name: myreg, region: cn-north-1}
pullSecret: {name: jcr-pull, namespaces: [apps], serviceAccounts: [default]}
refresher: {tokenHours: 6, verifyRegistry: false}
dashboard: {enabled: false}
`;

test('writes the pull Secret into every namespace of the plan and points the ServiceAccounts at it', async () => {
  kube.seed('serviceaccounts', { metadata: { name: 'default', namespace: 'apps' } });
  const r = await cli.run(['pull-secret', 'apply', '--config', dir.file('c.yaml', CONFIG), '--kubeconfig', kubeconfig], { env: jdEnv(jd.url) });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  // the refresher runs in kube-system and pulls its runtime image from the registry: that namespace is in the plan too
  expect(r.stdout).toContain('apps: Secret jcr-pull created; ServiceAccount default added');
  const auths = JSON.parse(Buffer.from(kube.get('secrets', 'apps', 'jcr-pull')!.data['.dockerconfigjson'], 'base64').toString()).auths;
  expect(auths['myreg-cn-north-1.jcr.service.jdcloud.com']).toMatchObject({ username: 'jdcloud', password: PASSWORD });
  expect(kube.get('serviceaccounts', 'apps', 'default')!.imagePullSecrets).toEqual([{ name: 'jcr-pull' }]);
  expect(kube.get('secrets', 'kube-system', 'jcr-pull')).toBeDefined();
  expect(jd.state.tokens).toHaveLength(1);
  expect(jd.state.tokens[0].expiredAfterHours).toBe(6);
  expect(leaks([r.stdout, r.stderr], [AK, SK, PASSWORD])).toEqual([]);
});

test('-o json: exactly one JSON document, the run\'s report; a token failure writes nothing and exits 1', async () => {
  jd.faults.add({ action: 'GetAuthorizationToken', status: 429, errorStatus: 'QUOTA_EXCEEDED', message: 'at most 5 tokens per hour' });
  const r = await cli.run(['pull-secret', 'apply', '--config', dir.file('c.yaml', CONFIG), '--kubeconfig', kubeconfig, '-o', 'json'], { env: jdEnv(jd.url) });
  expect(r.code).toBe(1);
  const report = JSON.parse(r.stdout); // the whole of stdout is one document
  expect(report).toMatchObject({ exitCode: 1, namespaces: [], minted: false });
  expect(report.tokenError).toContain('429 QUOTA_EXCEEDED');
  expect(r.stderr).toMatch(/^error: the hourly token quota of registry myreg .*429 QUOTA_EXCEEDED.*Nothing was changed/m);
  expect(kube.writes().filter((w) => !w.dryRun && w.resource !== 'events')).toEqual([]);
});

test('is an alias of `jcrkit refresh`: a second run mints nothing', async () => {
  kube.seed('serviceaccounts', { metadata: { name: 'default', namespace: 'apps' } });
  const args = ['pull-secret', 'apply', '--config', dir.file('c.yaml', CONFIG), '--kubeconfig', kubeconfig];
  expect((await cli.run(args, { env: jdEnv(jd.url) })).code).toBe(0);
  const again = await cli.run(args, { env: jdEnv(jd.url) });
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('reused the token recorded in');
  expect(jd.state.tokens).toHaveLength(1);
});

test('-o json on success: one JSON document with every namespace; progress lines on stderr', async () => {
  kube.seed('serviceaccounts', { metadata: { name: 'default', namespace: 'apps' } });
  const r = await cli.run(['pull-secret', 'apply', '--config', dir.file('c.yaml', CONFIG), '--kubeconfig', kubeconfig, '-o', 'json'], { env: jdEnv(jd.url) });
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout);
  expect(report.namespaces.map((n: { namespace: string }) => n.namespace).sort()).toEqual(['apps', 'kube-system']);
  expect(report).toMatchObject({ exitCode: 0, failedNamespaces: [] });
  expect(r.stderr).toContain('apps: Secret jcr-pull created');
  expect(leaks([r.stdout, r.stderr], [AK, SK, PASSWORD])).toEqual([]);
});
