/** The `cloud:` config section: defaults, and every network rule failing with its field path and fix. */
import { ConfigError, validateConfig } from '../../lib/config';
import { configSchema } from '../../lib/config/schema';

const base = { registry: { name: 'myreg', region: 'cn-north-1' } };
const problems = (cloud: unknown): string[] => {
  try {
    validateConfig({ ...base, cloud }, 'test');
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.issues.map((i) => `${i.path}: ${i.message}`);
  }
};

test('defaults: VPC jcrkit 10.0.0.0/16, auto network, master 192.168.0.0/24, 2 x g.n2.large', () => {
  expect(configSchema.parse(base).cloud).toEqual({
    vpc: { name: 'jcrkit', cidr: '10.0.0.0/16' },
    subnets: [],
    cluster: {
      name: 'jcrkit',
      azs: [],
      network: 'auto',
      publicApiServer: true,
      masterCidr: '192.168.0.0/24',
      nodeGroup: { name: 'default', instanceType: 'g.n2.large', count: 2, keyNames: [] },
    },
  });
});

test('a valid customized network passes', () => {
  expect(
    problems({
      vpc: { name: 'k8s', cidr: '10.10.0.0/16' },
      subnets: [
        { name: 'nodes', cidr: '10.10.0.0/20' },
        { name: 'pods', cidr: '10.10.16.0/20' },
        { name: 'lb', cidr: '10.10.32.0/24' },
      ],
      cluster: { network: 'customized', subnets: { node: 'nodes', pod: 'pods', lb: 'lb' }, serviceCidr: '172.20.0.0/16' },
    }),
  ).toEqual([]);
});

test.each([
  [{ vpc: { cidr: '8.8.0.0/16' } }, 'cloud.vpc.cidr: 8.8.0.0/16 is not in a private range'],
  [{ vpc: { cidr: '10.0.0.0/12' } }, 'cloud.vpc.cidr: 10.0.0.0/12: a VPC mask must be /16 to /28'],
  [{ vpc: { cidr: '10.0.1.0/16' } }, 'cloud.vpc.cidr: 10.0.1.0/16 is not a network address (host bits are set). Fix: write 10.0.0.0/16'],
  [{ vpc: { cidr: 'ten' } }, 'cloud.vpc.cidr: "ten" is not an IPv4 CIDR'],
  [{ vpc: { name: 'has space' } }, 'cloud.vpc.name: "has space" is not a valid VPC name'],
  [{ subnets: [{ name: 'a', cidr: '10.1.0.0/24' }], cluster: { nodeNetworkCidr: '10.0.128.0/17' } }, 'cloud.subnets[0].cidr: 10.1.0.0/24 is not inside the VPC CIDR 10.0.0.0/16'],
  [
    { subnets: [{ name: 'a', cidr: '10.0.0.0/24' }, { name: 'b', cidr: '10.0.0.128/25' }], cluster: { nodeNetworkCidr: '10.0.128.0/17' } },
    'cloud.subnets[1].cidr: 10.0.0.128/25 overlaps subnets[0] "a" (10.0.0.0/24)',
  ],
  [{ subnets: [{ name: 'a', cidr: '10.0.0.0/24' }, { name: 'a', cidr: '10.0.1.0/24' }], cluster: { nodeNetworkCidr: '10.0.128.0/17' } }, 'cloud.subnets[1].name: "a" is also the name of subnets[0]'],
  [{ cluster: { masterCidr: '10.0.5.0/24' } }, 'cloud.cluster.masterCidr: 10.0.5.0/24 overlaps the VPC CIDR 10.0.0.0/16'],
  [{ cluster: { masterCidr: '192.168.0.0/23' } }, 'cloud.cluster.masterCidr: 192.168.0.0/23: a master mask must be /24 to /27'],
  [{ subnets: [{ name: 'a', cidr: '10.0.0.0/24' }] }, 'cloud.cluster.nodeNetworkCidr: 10.0.0.0/16 (the default: the whole VPC) overlaps subnets[0] "a"'],
  [{ cluster: { nodeNetworkCidr: '10.1.0.0/16' } }, 'cloud.cluster.nodeNetworkCidr: 10.1.0.0/16 is not inside the VPC CIDR 10.0.0.0/16'],
  [{ cluster: { network: 'customized' } }, 'cloud.cluster.subnets: is required for network: customized'],
  [{ subnets: [{ name: 'a', cidr: '10.0.0.0/24' }], cluster: { network: 'customized', subnets: { node: 'a', pod: 'a', lb: 'zz' } } }, 'cloud.cluster.subnets.lb: "zz" is not the name of an entry of cloud.subnets'],
  [
    { subnets: [{ name: 'a', cidr: '10.0.0.0/24' }], cluster: { network: 'customized', subnets: { node: 'a', pod: 'a', lb: 'a' }, serviceCidr: '10.0.0.0/16' } },
    'cloud.cluster.serviceCidr: 10.0.0.0/16 overlaps the VPC CIDR 10.0.0.0/16',
  ],
  [{ cluster: { azs: ['north'] } }, 'cloud.cluster.azs[0]: '],
  [{ cluster: { nodeGroup: { count: 0 } } }, 'cloud.cluster.nodeGroup.count: 0 nodes is outside 1-100'],
  [{ vpcs: {} }, 'cloud.vpcs: unknown key'],
])('%j → %s', (cloud, expected) => {
  const found = problems(cloud);
  expect(found.some((p) => p.startsWith(expected))).toBe(true);
  if (!expected.endsWith('unknown key') && !expected.includes('azs')) expect(found.find((p) => p.startsWith(expected))).toContain('Fix:');
});
