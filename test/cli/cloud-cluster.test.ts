/** `jcrkit cluster ensure|delete` as a black box against the fake JD Cloud. */
import { startFakeJdcloud, type FakeJdcloud } from '../fakes/jdcloud/server';
import { cloudCli, type CloudCli } from '../helpers/cli';
import { AK, SK, actions, creates, jdEnv, leaks } from '../cloud/helpers';

let cli: CloudCli;
let jd: FakeJdcloud;

beforeAll(() => {
  cli = cloudCli();
});
afterAll(() => cli.dispose());
beforeEach(async () => {
  jd = await startFakeJdcloud({ accounts: { [AK]: SK } });
});
afterEach(async () => jd.close());

const env = () => jdEnv(jd.url);
const network = () => cli.run(['network', 'ensure'], { env: env() });

test('ensure: creates in the VPC of `network ensure`, waits pending → running, prints the id', async () => {
  expect((await network()).code).toBe(0);
  const r = await cli.run(['cluster', 'ensure', '--interval', '0'], { env: env() });
  expect(r.code).toBe(0);
  const cluster = jd.state.clusters[0];
  expect(r.stdout).toBe(`${cluster.clusterId}\n`);
  expect(cluster.state).toBe('running');
  // stderr is a pipe here: one line per state, with the time waited, no spinner
  const states = r.stderr.split('\n').filter((l) => l.startsWith(`cluster jcrkit (${cluster.clusterId}): `));
  expect(states).toEqual([expect.stringMatching(/: pending \(\d+s elapsed\)$/), expect.stringMatching(/: running \(\d+s elapsed\)$/)]);
  expect(r.stderr).not.toContain('\r');
  // the AK/SK go in the body but never to the terminal
  expect(leaks([r.stdout, r.stderr], [AK, SK])).toEqual([]);

  jd.requests.length = 0;
  const again = await cli.run(['cluster', 'ensure', '--output', 'json'], { env: env() });
  expect(again.code).toBe(0);
  expect(creates(jd.requests)).toEqual([]);
  expect(JSON.parse(again.stdout)).toMatchObject({ clusterId: cluster.clusterId, state: 'running', created: false, endpoint: '203.0.113.10' });
});

test('ensure without the network: names `jcrkit network ensure` and creates nothing', async () => {
  const r = await cli.run(['cluster', 'ensure'], { env: env() });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('VPC "jcrkit" does not exist in cn-north-1. Fix: run `jcrkit network ensure` first');
  expect(creates(jd.requests)).toEqual([]);
});

test('state error: the stateMessage in one line, exit code ≠ 0', async () => {
  await network();
  jd.state.settings.clusterFailWith = 'no capacity for g.n2.large in cn-north-1a';
  const r = await cli.run(['cluster', 'ensure', '--interval', '0'], { env: env() });
  expect(r.code).toBe(1);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/^error: cluster jcrkit \(c-\w+\) is in state error: no capacity for g\.n2\.large in cn-north-1a\. Fix:/);
});

test('--timeout: gives up while pending, says the cluster keeps building', async () => {
  await network();
  jd.state.settings.clusterReadyAfterDescribes = 100;
  const r = await cli.run(['cluster', 'ensure', '--timeout', '5s', '--interval', '10s'], { env: env() });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/still pending after \d+ s \(--timeout 5 s\)\. It keeps building/);
  expect(actions(jd.requests).filter((a) => a === 'DescribeCluster')).toHaveLength(1);
});

test('--dry-run prints the body with credentials redacted and makes no request', async () => {
  const r = await cli.run(['cluster', 'ensure', '--dry-run', '--output', 'json', '--node-count', '3'], { env: env() });
  expect(r.code).toBe(0);
  expect(jd.requests).toHaveLength(0);
  const plan = JSON.parse(r.stdout);
  expect(plan.body).toMatchObject({ accessKey: '[REDACTED]', secretKey: '[REDACTED]', nodeGroup: { initialNodeCount: 3 }, clusterNetworkType: 'auto' });
  expect(leaks([r.stdout, r.stderr], [AK, SK])).toEqual([]);
});

test('delete: needs --yes; then waits until the cluster is gone', async () => {
  await network();
  await cli.run(['cluster', 'ensure', '--interval', '0'], { env: env() });
  const id = jd.state.clusters[0].clusterId;
  const refused = await cli.run(['cluster', 'delete', '--cluster-id', id], { env: env() });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('Fix: add --yes');
  expect(jd.state.clusters).toHaveLength(1);

  const r = await cli.run(['cluster', 'delete', '--yes', '--interval', '0'], { env: env() });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(`${id}\tdeleted\n`);
  expect(r.stderr).toContain(`deleting cluster ${id} in cn-north-1; waiting until it is gone`);
  expect(r.stderr).toMatch(new RegExp(`^cluster jcrkit \\(${id}\\): deleting \\(\\d+s elapsed\\)$`, 'm'));
  expect(jd.state.clusters).toHaveLength(0);
  const none = await cli.run(['cluster', 'delete', '--yes', '--output', 'json'], { env: env() });
  expect(JSON.parse(none.stdout)).toEqual({ clusterId: null, deleted: false });
});
