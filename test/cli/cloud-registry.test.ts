/** `jcrkit registry ensure` as a black box against the signature-checking fake JD Cloud. */
import { startFakeJdcloud, type FakeJdcloud } from '../fakes/jdcloud/server';
import { cloudCli, type CloudCli } from '../helpers/cli';
import { AK, REGION, SK, actions, creates, jdEnv, tempDir, type TempDir } from '../cloud/helpers';

let cli: CloudCli;
let jd: FakeJdcloud;
let dir: TempDir;

beforeAll(() => {
  cli = cloudCli();
});
afterAll(() => cli.dispose());
beforeEach(async () => {
  jd = await startFakeJdcloud({ accounts: { [AK]: SK } });
  dir = tempDir();
});
afterEach(async () => {
  await jd.close();
  dir.remove();
});

const config = () => dir.file('c.yaml', 'registry:\n  name: myreg\n  region: cn-north-1\ndashboard:\n  preset: v2.7.0\n');

test('creates the registry and the repositories the stack needs; a second run creates nothing', async () => {
  const first = await cli.run(['registry', 'ensure', '--config', config()], { env: jdEnv(jd.url) });
  expect(first.stderr).toContain('created registry myreg');
  expect(first.code).toBe(0);
  expect(first.stdout).toBe(`myreg-${REGION}.jcr.service.jdcloud.com\n`);
  expect(actions(jd.requests)).toEqual(['CheckRegistryName', 'CreateRegistry', 'CreateRepository', 'CreateRepository', 'CreateRepository']);
  expect(jd.state.repositories.map((r) => r.repositoryName).sort()).toEqual(['kubernetesui/dashboard', 'kubernetesui/metrics-scraper', 'library/node']);

  jd.requests.length = 0;
  const second = await cli.run(['registry', 'ensure', '--config', config(), '--output', 'json'], { env: jdEnv(jd.url) });
  expect(second.code).toBe(0);
  expect(creates(jd.requests)).toEqual([]);
  expect(actions(jd.requests)).toEqual(['CheckRegistryName', 'DescribeRegistry', 'DescribeRepositories']);
  expect(JSON.parse(second.stdout)).toEqual({
    registry: 'myreg',
    regionId: REGION,
    host: `myreg-${REGION}.jcr.service.jdcloud.com`,
    registryCreated: false,
    repositoriesCreated: [],
    repositoriesExisting: ['kubernetesui/dashboard', 'kubernetesui/metrics-scraper', 'library/node'],
  });
});

test('only the missing repository is created', async () => {
  jd.state.addRegistry(REGION, 'myreg');
  jd.state.repositories.push({ regionId: REGION, registryName: 'myreg', repositoryName: 'library/node', createdAt: '' });
  const r = await cli.run(['registry', 'ensure', '--config', config(), '--output', 'json'], { env: jdEnv(jd.url) });
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ registryCreated: false, repositoriesCreated: ['kubernetesui/dashboard', 'kubernetesui/metrics-scraper'], repositoriesExisting: ['library/node'] });
});

test('a registry name taken by another account is an error naming the fix', async () => {
  jd.state.addRegistry('cn-east-2', 'myreg');
  const r = await cli.run(['registry', 'ensure', '--config', config()], { env: jdEnv(jd.url) });
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/registry name "myreg" is taken.*Fix: choose another registry.name/);
  expect(creates(jd.requests)).toEqual([]);
});

test.each(['--registry-name=-bad-', '--registry-name=UPPER', '--registry-name=a', '--registry-name=name-that-is-far-too-long-for-jcr-x'])('bad registry names fail before any request: %s', async (flag) => {
  const r = await cli.run(['registry', 'ensure', '--config', config(), flag], { env: jdEnv(jd.url) });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('registry.name');
  expect(r.stderr).toContain('Fix:');
  expect(jd.requests).toHaveLength(0);
});

test('missing credentials: one line naming both variables, no request', async () => {
  const r = await cli.run(['registry', 'ensure', '--config', config()], { env: { JDCLOUD_ENDPOINT: jd.url, JDCLOUD_ACCESS_KEY: AK } });
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain('JDCLOUD_ACCESS_KEY and JDCLOUD_SECRET_KEY');
  expect(r.stderr).toContain('not set: JDCLOUD_SECRET_KEY');
  expect(jd.requests).toHaveLength(0);
});

test('bad credentials (401): one line with status, code and requestId; the secret never printed', async () => {
  const r = await cli.run(['registry', 'ensure', '--config', config()], { env: jdEnv(jd.url, { JDCLOUD_SECRET_KEY: 'SKwrongWRONGwrong000000' }) });
  expect(r.code).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  const requestId = jd.requests[0].requestId!;
  expect(lines[0]).toBe(`error: JD Cloud cr CheckRegistryName failed: 401 ACCESS_ERROR: sign result is not same [gw] (requestId ${requestId})`);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toContain('SKwrongWRONGwrong000000');
});

test('server errors after retries: one line with the status and requestId', async () => {
  jd.faults.add({ action: 'CreateRepository', status: 400, errorStatus: 'INVALID_ARGUMENT', message: 'repository quota reached' });
  const r = await cli.run(['registry', 'ensure', '--config', config()], { env: jdEnv(jd.url) });
  expect(r.code).toBe(1);
  const last = jd.requests[jd.requests.length - 1];
  expect(r.stderr).toContain(`error: JD Cloud cr CreateRepository failed: 400 INVALID_ARGUMENT: repository quota reached (requestId ${last.requestId})`);
});

test('--help documents the flags', async () => {
  const r = await cli.run(['registry', 'ensure', '--help']);
  expect(r.code).toBe(0);
  for (const flag of ['--config', '--registry-name', '--region', '--endpoint', '--output']) expect(r.stdout).toContain(flag);
});
