/** `jcrkit token`: exact stdout per format, nothing secret on stderr. */
import { startFakeJdcloud, type FakeJdcloud } from '../fakes/jdcloud/server';
import { cloudCli, type CloudCli } from '../helpers/cli';
import { AK, REGION, SK, jdEnv, leaks, tempDir, type TempDir } from '../cloud/helpers';

let cli: CloudCli;
let jd: FakeJdcloud;
let dir: TempDir;
const HOST = `myreg-${REGION}.jcr.service.jdcloud.com`;
// a password with a colon: the runbook's `cut -d ':' -f2` would cut it short
const PASSWORD = 'pa:ss-Word-0123456789';

beforeAll(() => {
  cli = cloudCli();
});
afterAll(() => cli.dispose());
beforeEach(async () => {
  jd = await startFakeJdcloud({ accounts: { [AK]: SK }, registries: [{ regionId: REGION, name: 'myreg' }], settings: { tokenPassword: () => PASSWORD, expiresAtFormat: 'epoch-ms' } });
  dir = tempDir();
});
afterEach(async () => {
  await jd.close();
  dir.remove();
});

const args = (...extra: string[]) => ['token', '--registry-name', 'myreg', '--region', REGION, ...extra];
const secrets = () => [PASSWORD, AK, SK, ...jd.state.tokens.map((t) => t.authorizationToken)];

test('default: the password alone and a newline, token lifetime from refresher.tokenHours', async () => {
  const r = await cli.run(args(), { env: jdEnv(jd.url) });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(`${PASSWORD}\n`);
  expect(jd.state.tokens[0].expiredAfterHours).toBe(12);
  expect(leaks([r.stderr], secrets())).toEqual([]);
});

test('--hours is sent as expiredAfterHours; out of range fails before any request', async () => {
  expect((await cli.run(args('--hours', '3'), { env: jdEnv(jd.url) })).code).toBe(0);
  expect(jd.state.tokens[0].expiredAfterHours).toBe(3);
  jd.requests.length = 0;
  const bad = await cli.run(args('--hours', '25'), { env: jdEnv(jd.url) });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--hours 25');
  expect(jd.requests).toHaveLength(0);
});

test('--format docker-config: a config.json fragment with auth = base64(jdcloud:password)', async () => {
  const r = await cli.run(args('--format', 'docker-config'), { env: jdEnv(jd.url) });
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toEqual({ auths: { [HOST]: { auth: Buffer.from(`jdcloud:${PASSWORD}`).toString('base64') } } });
  expect(leaks([r.stderr], secrets())).toEqual([]);
});

test('--output json: registry, host, username, password, expiresAt (ISO)', async () => {
  const r = await cli.run(args('--output', 'json'), { env: jdEnv(jd.url) });
  expect(r.code).toBe(0);
  const body = JSON.parse(r.stdout);
  expect(body).toEqual({ registry: 'myreg', host: HOST, username: 'jdcloud', password: PASSWORD, expiresAt: jd.state.tokens[0].expiresAt.toISOString() });
  expect(leaks([r.stderr], secrets())).toEqual([]);
});

test('registry.host from the config is the host reported', async () => {
  const cfg = dir.file('c.yaml', 'registry:\n  name: myreg\n  region: cn-north-1\n  host: jcr.example.internal:5000\n');
  const r = await cli.run(['token', '--config', cfg, '--format', 'docker-config'], { env: jdEnv(jd.url) });
  expect(Object.keys(JSON.parse(r.stdout).auths)).toEqual(['jcr.example.internal:5000']);
});

test('a missing registry: one line with 404 NOT_FOUND and the requestId, empty stdout', async () => {
  const r = await cli.run(['token', '--registry-name', 'nosuch', '--region', REGION], { env: jdEnv(jd.url) });
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`error: JD Cloud cr GetAuthorizationToken failed: 404 NOT_FOUND: registry nosuch not found in ${REGION} (requestId ${jd.requests[0].requestId})\n`);
});

test('the containerregistry service name when registry.crService says so', async () => {
  const r = await cli.run(args('--set', 'registry.crService=containerregistry'), { env: jdEnv(jd.url) });
  expect(r.code).toBe(0);
  expect(jd.requests[0].service).toBe('containerregistry');
});
