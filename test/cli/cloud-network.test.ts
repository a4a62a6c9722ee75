/** `jcrkit network ensure`: idempotent against the fake VPC API; CIDR mistakes fail before any request. */
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

const NETWORK = `registry: {name: myreg, region: cn-north-1}
cloud:
  vpc: {name: k8s-vpc, cidr: 10.10.0.0/16}
  subnets:
    - {name: nodes, cidr: 10.10.0.0/20}
    - {name: pods, cidr: 10.10.16.0/20}
    - {name: lb, cidr: 10.10.32.0/24}
  cluster:
    network: customized
    subnets: {node: nodes, pod: pods, lb: lb}
`;

test('creates the VPC and subnets; a second run finds them by name and creates nothing', async () => {
  const cfg = dir.file('c.yaml', NETWORK);
  const first = await cli.run(['network', 'ensure', '--config', cfg], { env: jdEnv(jd.url) });
  expect(first.stderr).toContain('created VPC k8s-vpc');
  expect(first.code).toBe(0);
  expect(creates(jd.requests)).toEqual(['CreateVpc', 'CreateSubnet', 'CreateSubnet', 'CreateSubnet']);
  expect(jd.state.vpcs).toHaveLength(1);
  expect(jd.state.vpcs[0]).toMatchObject({ regionId: REGION, vpcName: 'k8s-vpc', addressPrefix: '10.10.0.0/16' });
  expect(jd.state.subnets.map((s) => [s.subnetName, s.addressPrefix, s.vpcId])).toEqual([
    ['nodes', '10.10.0.0/20', jd.state.vpcs[0].vpcId],
    ['pods', '10.10.16.0/20', jd.state.vpcs[0].vpcId],
    ['lb', '10.10.32.0/24', jd.state.vpcs[0].vpcId],
  ]);
  expect(first.stdout.split('\n')[0]).toBe(`vpc\t${jd.state.vpcs[0].vpcId}\tk8s-vpc\t10.10.0.0/16\tcreated`);

  jd.requests.length = 0;
  const second = await cli.run(['network', 'ensure', '--config', cfg, '--output', 'json'], { env: jdEnv(jd.url) });
  expect(second.code).toBe(0);
  expect(actions(jd.requests)).toEqual(['DescribeVpcs', 'DescribeSubnets']);
  const result = JSON.parse(second.stdout);
  expect(result.vpc).toEqual({ vpcId: jd.state.vpcs[0].vpcId, name: 'k8s-vpc', cidr: '10.10.0.0/16', created: false });
  expect(result.subnets.map((s: { created: boolean }) => s.created)).toEqual([false, false, false]);
});

test('adds only the subnet that is missing', async () => {
  const cfg = dir.file('c.yaml', NETWORK);
  await cli.run(['network', 'ensure', '--config', cfg], { env: jdEnv(jd.url) });
  const more = dir.file('more.yaml', NETWORK.replace('    - {name: lb, cidr: 10.10.32.0/24}\n', '    - {name: lb, cidr: 10.10.32.0/24}\n    - {name: extra, cidr: 10.10.33.0/24}\n'));
  jd.requests.length = 0;
  const r = await cli.run(['network', 'ensure', '--config', more], { env: jdEnv(jd.url) });
  expect(r.code).toBe(0);
  expect(creates(jd.requests)).toEqual(['CreateSubnet']);
  expect(jd.requests.find((q) => q.action === 'CreateSubnet')!.body).toMatchObject({ subnetName: 'extra', addressPrefix: '10.10.33.0/24' });
});

test.each([
  ['overlapping subnets', NETWORK.replace('10.10.16.0/20', '10.10.8.0/21'), 'cloud.subnets[1].cidr: 10.10.8.0/21 overlaps subnets[0] "nodes" (10.10.0.0/20)'],
  ['a subnet outside the VPC', NETWORK.replace('10.10.32.0/24', '10.11.0.0/24'), 'cloud.subnets[2].cidr: 10.11.0.0/24 is not inside the VPC CIDR 10.10.0.0/16'],
  ['a public VPC range', NETWORK.replace(/10\.10\./g, '11.10.'), 'cloud.vpc.cidr: 11.10.0.0/16 is not in a private range'],
  ['a misaligned subnet', NETWORK.replace('10.10.32.0/24', '10.10.32.7/24'), 'cloud.subnets[2].cidr: 10.10.32.7/24 is not a network address'],
])('%s fails before any request', async (_what, yaml, message) => {
  const r = await cli.run(['network', 'ensure', '--config', dir.file('bad.yaml', yaml)], { env: jdEnv(jd.url) });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(message);
  expect(r.stderr).toContain('Fix:');
  expect(jd.requests).toHaveLength(0);
});

test('a --vpc-cidr flag is checked like the file value', async () => {
  const r = await cli.run(['network', 'ensure', '--vpc-cidr', '10.0.0.0/8'], { env: jdEnv(jd.url) });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('cloud.vpc.cidr: 10.0.0.0/8: a VPC mask must be /16 to /28');
  expect(jd.requests).toHaveLength(0);
});

test('an existing VPC or subnet with another CIDR is an error, not silently reused', async () => {
  const cfg = dir.file('c.yaml', NETWORK);
  await cli.run(['network', 'ensure', '--config', cfg], { env: jdEnv(jd.url) });
  const moved = dir.file('moved.yaml', NETWORK.replace('{name: lb, cidr: 10.10.32.0/24}', '{name: lb, cidr: 10.10.40.0/24}'));
  jd.requests.length = 0;
  const r = await cli.run(['network', 'ensure', '--config', moved], { env: jdEnv(jd.url) });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/subnet "lb" \(subnet-\w+\) exists in VPC k8s-vpc with CIDR 10\.10\.32\.0\/24, but the config says 10\.10\.40\.0\/24\. Fix:/);
  expect(creates(jd.requests)).toEqual([]);

  const vpcMoved = await cli.run(['network', 'ensure', '--config', cfg, '--vpc-name', 'k8s-vpc', '--set', 'cloud.vpc.cidr=10.20.0.0/16', '--set', 'cloud.subnets=[]', '--set', 'cloud.cluster={}'], { env: jdEnv(jd.url) });
  expect(vpcMoved.code).toBe(1);
  expect(vpcMoved.stderr).toContain('VPC "k8s-vpc"');
  expect(vpcMoved.stderr).toContain('exists with CIDR 10.10.0.0/16, but the config says 10.20.0.0/16');
});

test('a subnet created outside jcrkit that occupies the block is reported before CreateSubnet', async () => {
  const cfg = dir.file('c.yaml', NETWORK);
  await cli.run(['network', 'ensure', '--config', cfg], { env: jdEnv(jd.url) });
  jd.state.subnets.find((s) => s.subnetName === 'lb')!.subnetName = 'someone-elses';
  jd.requests.length = 0;
  const r = await cli.run(['network', 'ensure', '--config', cfg], { env: jdEnv(jd.url) });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('would overlap the existing subnet "someone-elses"');
  expect(creates(jd.requests)).toEqual([]);
});

test('a /20 VPC works but warns about the console\'s /16-/18 rule for Kubernetes', async () => {
  const r = await cli.run(['network', 'ensure', '--vpc-cidr', '10.0.0.0/20'], { env: jdEnv(jd.url) });
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('warning: cloud.vpc.cidr 10.0.0.0/20');
});
