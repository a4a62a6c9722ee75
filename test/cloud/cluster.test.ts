/**
 * Cluster create/wait/delete over the fake JCS for Kubernetes API, with an injected clock and
 * sleep (no real waiting, no timing assertions), and the CreateCluster body shape.
 */
import { configSchema } from '../../lib/config/schema';
import { KubernetesApi } from '../../lib/jdcloud/kubernetes';
import { VpcApi } from '../../lib/jdcloud/vpc';
import { buildCreateClusterRequest, deleteClusterAndWait, ensureCluster, waitForClusterRunning } from '../../lib/cloud/cluster';
import { ensureNetwork } from '../../lib/cloud/network';
import { redactBody } from '../../lib/core/redact';
import { startHarness, type Harness } from '../fakes/jdcloud/harness';
import { REGION } from './helpers';

const cloudOf = (cloud: unknown) => configSchema.parse({ registry: { name: 'myreg', region: REGION }, cloud }).cloud;

/** A clock that advances only when the code sleeps. */
function fakeTime() {
  let t = 0;
  const slept: number[] = [];
  return { now: () => t, sleep: async (ms: number) => void (slept.push(ms), (t += ms)), slept };
}

let h: Harness;
let k8s: KubernetesApi;
beforeEach(async () => {
  h = await startHarness();
  k8s = new KubernetesApi(h.client);
});
afterEach(async () => h.jd.close());

async function networkFor(cloud: ReturnType<typeof cloudOf>) {
  const net = await ensureNetwork(new VpcApi(h.client), { regionId: REGION, spec: cloud });
  return { vpcId: net.vpc.vpcId, vpcCidr: net.vpc.cidr, subnetIds: Object.fromEntries(net.subnets.map((s) => [s.name, s.subnetId])) };
}
const creds = { accessKey: 'AKforPlugins000', secretKey: 'SKforPlugins000000000' };

test('auto network: the current body shape (API ≥ 1.2.0), pending → running with a status line', async () => {
  const cloud = cloudOf({ cluster: { version: '1.28.3-jcs.2', nodeGroup: { count: 3, systemDiskSize: 100, systemDiskType: 'ssd.gp1', keyNames: ['ops'] } } });
  const request = buildCreateClusterRequest(cloud, REGION, await networkFor(cloud), creds);
  const time = fakeTime();
  const states: string[] = [];
  const result = await ensureCluster(k8s, request, { timeoutMs: 600_000, intervalMs: 10_000, ...time, status: { update: (t) => states.push(t), done: () => states.push('done') } });
  expect(result.created).toBe(true);
  expect(result.cluster.clusterState).toBe('running');
  expect(states).toEqual([expect.stringMatching(/: pending$/), expect.stringMatching(/: running$/), 'done']);
  expect(time.slept).toEqual([10_000]);
  const body = h.jd.requests.find((r) => r.action === 'CreateCluster')!.body as Record<string, unknown>;
  expect(body).toEqual({
    name: 'jcrkit',
    version: '1.28.3-jcs.2',
    azs: ['cn-north-1a'],
    nodeGroup: {
      name: 'default',
      nodeConfig: { instanceType: 'g.n2.large', keyNames: ['ops'], systemDisk: { systemDiskCategory: 'cloud', systemDiskSize: 100, systemDiskType: 'ssd.gp1' } },
      azs: ['cn-north-1a'],
      initialNodeCount: 3,
    },
    accessKey: creds.accessKey,
    secretKey: creds.secretKey,
    clusterNetworkType: 'auto',
    autoClusterNetworkSpec: { publicApiServer: true, masterCidr: '192.168.0.0/24', nodeNetworkCidr: '10.0.0.0/16', vpcId: h.jd.state.vpcs[0].vpcId },
  });
  expect(body).not.toHaveProperty('masterCidr'); // the pre-1.2.0 shape
});

test('customized network: subnet ids by role, service CIDR', async () => {
  const cloud = cloudOf({
    vpc: { cidr: '10.10.0.0/16' },
    subnets: [
      { name: 'n', cidr: '10.10.0.0/20' },
      { name: 'p', cidr: '10.10.16.0/20' },
      { name: 'l', cidr: '10.10.32.0/24' },
    ],
    cluster: { network: 'customized', subnets: { node: 'n', pod: 'p', lb: 'l' } },
  });
  const net = await networkFor(cloud);
  const request = buildCreateClusterRequest(cloud, REGION, net, creds);
  expect(request.customizedClusterNetworkSpec).toEqual({
    publicApiServer: true,
    masterCidr: '192.168.0.0/24',
    serviceCidr: '172.16.0.0/16',
    vpcId: net.vpcId,
    nodeSubnetId: net.subnetIds.n,
    podSubnetId: net.subnetIds.p,
    lbSubnetId: net.subnetIds.l,
  });
  const { cluster } = await ensureCluster(k8s, request, { timeoutMs: 600_000, ...fakeTime() });
  expect(cluster.networkMode).toBe('customized');
});

test('a second ensure finds the cluster by exact name and creates nothing', async () => {
  const cloud = cloudOf({});
  const request = buildCreateClusterRequest(cloud, REGION, await networkFor(cloud), creds);
  await ensureCluster(k8s, request, { timeoutMs: 600_000, ...fakeTime() });
  // a cluster whose name merely contains ours (DescribeClusters' name filter is fuzzy) is not it
  h.jd.state.clusters.push({ ...h.jd.state.clusters[0], clusterId: 'c-other', name: 'jcrkit-2' });
  h.jd.requests.length = 0;
  const again = await ensureCluster(k8s, request, { timeoutMs: 600_000, ...fakeTime() });
  expect(again.created).toBe(false);
  expect(h.jd.requests.map((r) => r.action)).toEqual(['DescribeClusters']);
});

test('state error: rejected with the stateMessage', async () => {
  h.jd.state.settings.clusterFailWith = 'insufficient quota of g.n2.large in cn-north-1a';
  const cloud = cloudOf({});
  const request = buildCreateClusterRequest(cloud, REGION, await networkFor(cloud), creds);
  await expect(ensureCluster(k8s, request, { timeoutMs: 600_000, ...fakeTime() })).rejects.toThrow(
    /cluster jcrkit \(c-\w+\) is in state error: insufficient quota of g\.n2\.large in cn-north-1a\. Fix:/,
  );
});

test('timeout: the injected clock passes --timeout while pending', async () => {
  h.jd.state.settings.clusterReadyAfterDescribes = 1000;
  const cloud = cloudOf({});
  const request = buildCreateClusterRequest(cloud, REGION, await networkFor(cloud), creds);
  const time = fakeTime();
  await expect(ensureCluster(k8s, request, { timeoutMs: 60_000, intervalMs: 15_000, ...time })).rejects.toThrow(/is still pending after 60 s \(--timeout 60 s\)\. It keeps building/);
  expect(time.slept).toEqual([15_000, 15_000, 15_000, 15_000]);
});

test('delete waits for the cluster to disappear (404); deleting a missing one is not an error', async () => {
  const cloud = cloudOf({});
  const request = buildCreateClusterRequest(cloud, REGION, await networkFor(cloud), creds);
  const { cluster } = await ensureCluster(k8s, request, { timeoutMs: 600_000, ...fakeTime() });
  const time = fakeTime();
  await expect(deleteClusterAndWait(k8s, REGION, cluster.clusterId, { timeoutMs: 600_000, intervalMs: 5_000, ...time })).resolves.toEqual({ deleted: true });
  expect(h.jd.state.clusters).toHaveLength(0);
  await expect(deleteClusterAndWait(k8s, REGION, cluster.clusterId, { timeoutMs: 600_000, ...fakeTime() })).resolves.toEqual({ deleted: false });
});

test('waitForClusterRunning reports a cluster being deleted', async () => {
  const cloud = cloudOf({});
  const request = buildCreateClusterRequest(cloud, REGION, await networkFor(cloud), creds);
  const { clusterId } = await k8s.createCluster(request);
  await k8s.deleteCluster({ regionId: REGION, clusterId });
  await expect(waitForClusterRunning(k8s, REGION, clusterId, { timeoutMs: 1000, ...fakeTime() })).rejects.toThrow(/is in state deleting/);
});

test('redactBody masks the AK/SK and node passwords at any depth', () => {
  const cloud = cloudOf({});
  const request = buildCreateClusterRequest(cloud, REGION, { vpcId: 'vpc-1', vpcCidr: '10.0.0.0/16', subnetIds: {} }, creds);
  request.nodeGroup.nodeConfig.password = 'N0dePassw0rd!';
  const shown = JSON.stringify(redactBody(request));
  for (const secret of [creds.accessKey, creds.secretKey, 'N0dePassw0rd!']) expect(shown).not.toContain(secret);
  expect(redactBody(request).secretKey).toBe('[REDACTED]');
  expect(request.secretKey).toBe(creds.secretKey); // the original is untouched
});
