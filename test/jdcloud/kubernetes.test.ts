/** KubernetesApi against the fake: current CreateCluster body (API ≥ 1.2.0), state progression, masterAuth. */
import { JdcloudApiError, JdcloudValidationError } from '../../lib/jdcloud/errors';
import { CreateClusterRequest, KubernetesApi } from '../../lib/jdcloud/kubernetes';
import { VpcApi } from '../../lib/jdcloud/vpc';
import { Harness, REGION, TEST_SECRET_KEY, startHarness } from '../fakes/jdcloud/harness';

describe('KubernetesApi', () => {
  let h: Harness;
  let k8s: KubernetesApi;
  let vpcId: string;

  async function setUp(settings: Parameters<typeof startHarness>[0] = {}) {
    h = await startHarness(settings);
    k8s = new KubernetesApi(h.client);
    ({ vpcId } = await new VpcApi(h.client).createVpc({ regionId: REGION, vpcName: 'k8s', addressPrefix: '10.0.0.0/16' }));
    h.jd.requests.length = 0;
  }
  afterEach(() => h.jd.close());

  const request = (overrides: Partial<CreateClusterRequest> = {}): CreateClusterRequest => ({
    regionId: REGION,
    name: 'jcrkit',
    azs: ['cn-north-1a'],
    nodeGroup: { name: 'default', nodeConfig: { instanceType: 'g.n2.large' }, initialNodeCount: 2 },
    accessKey: 'PLUGIN-AK',
    secretKey: 'PLUGIN-SK-should-never-be-echoed',
    clusterNetworkType: 'auto',
    autoClusterNetworkSpec: { publicApiServer: true, masterCidr: '192.168.0.0/26', nodeNetworkCidr: '10.0.128.0/17', vpcId },
    ...overrides,
  });

  const apiError = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JdcloudApiError);
    return error as JdcloudApiError;
  };

  it('lists the offered versions and filters by masterVersion', async () => {
    await setUp();
    const { masterVersions } = await k8s.describeVersions({ regionId: REGION });
    expect(masterVersions.find((v) => v.isDefault)?.version).toBe('1.30.1-jcs.1');
    const one = await k8s.describeVersions({ regionId: REGION, masterVersion: '1.28.3-jcs.2' });
    expect(one.masterVersions.map((v) => v.version)).toEqual(['1.28.3-jcs.2']);
    expect(h.jd.requests[1].rawQuery).toBe('masterVersion=1.28.3-jcs.2');
  });

  it('creates a cluster that is pending, then running with masterAuth and an endpoint', async () => {
    await setUp({ settings: { clusterReadyAfterDescribes: 3 } });
    const { clusterId } = await k8s.createCluster(request());
    expect(h.jd.requests[0]).toMatchObject({ method: 'POST', path: '/v1/regions/cn-north-1/clusters', service: 'kubernetes', action: 'CreateCluster' });
    expect(h.jd.requests[0].body).toMatchObject({ name: 'jcrkit', azs: ['cn-north-1a'], clusterNetworkType: 'auto' });
    expect(h.jd.requests[0].body).not.toHaveProperty('regionId');

    const first = await k8s.describeCluster({ regionId: REGION, clusterId });
    expect(first.cluster).toMatchObject({ clusterState: 'pending', endpoint: '', masterAuth: {} });
    await k8s.describeCluster({ regionId: REGION, clusterId });
    const { cluster } = await k8s.describeCluster({ regionId: REGION, clusterId });
    expect(cluster).toMatchObject({ clusterId, clusterState: 'running', endpoint: '203.0.113.10', endpointPort: '6443', version: '1.30.1-jcs.1' });
    const ca = Buffer.from(cluster.masterAuth?.clusterCaCertificate ?? '', 'base64').toString('utf8');
    expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(Buffer.from(cluster.masterAuth?.clientKey ?? '', 'base64').toString('utf8')).toContain('PRIVATE KEY');
  });

  it('waits for the cluster to run, sleeping between polls', async () => {
    await setUp({ settings: { clusterReadyAfterDescribes: 4 } });
    const { clusterId } = await k8s.createCluster(request());
    const sleeps: number[] = [];
    const states: string[] = [];
    const cluster = await k8s.waitForClusterRunning(
      { regionId: REGION, clusterId },
      { intervalMs: 1000, sleep: async (ms) => void sleeps.push(ms), onState: (c) => states.push(String(c.clusterState)) },
    );
    expect(cluster.clusterState).toBe('running');
    expect(states).toEqual(['pending', 'pending', 'pending', 'running']);
    expect(sleeps).toEqual([1000, 1000, 1000]);
  });

  it('reports a cluster that ends in error with its stateMessage', async () => {
    await setUp({ settings: { clusterReadyAfterDescribes: 2, clusterFailWith: 'insufficient quota for g.n2.large' } });
    const { clusterId } = await k8s.createCluster(request());
    await expect(k8s.waitForClusterRunning({ regionId: REGION, clusterId }, { sleep: async () => {} })).rejects.toThrow(
      `cluster ${clusterId} is error: insufficient quota for g.n2.large`,
    );
  });

  it('gives up waiting after maxPolls', async () => {
    await setUp({ settings: { clusterReadyAfterDescribes: 100 } });
    const { clusterId } = await k8s.createCluster(request());
    await expect(k8s.waitForClusterRunning({ regionId: REGION, clusterId }, { maxPolls: 3, intervalMs: 10, sleep: async () => {} })).rejects.toThrow(
      `cluster ${clusterId} still pending after 3 checks`,
    );
    expect(h.jd.requests.filter((r) => r.action === 'DescribeCluster')).toHaveLength(3);
  });

  it.each<[string, (vpc: string) => Record<string, unknown>, string]>([
    ['the pre-1.2.0 top-level masterCidr', () => ({ masterCidr: '192.168.0.0/26' }), 'masterCidr at the top level is the pre-1.2.0 API'],
    ['a missing network spec', () => ({ autoClusterNetworkSpec: undefined }), 'autoClusterNetworkSpec is required'],
    [
      'a master CIDR mask outside /24–/27',
      (vpc) => ({ autoClusterNetworkSpec: { publicApiServer: true, masterCidr: '192.168.0.0/28', nodeNetworkCidr: '10.0.128.0/17', vpcId: vpc } }),
      'autoClusterNetworkSpec.masterCidr mask must be /24 to /27',
    ],
    [
      'a node CIDR outside the VPC',
      (vpc) => ({ autoClusterNetworkSpec: { publicApiServer: true, masterCidr: '192.168.0.0/26', nodeNetworkCidr: '10.1.0.0/17', vpcId: vpc } }),
      'nodeNetworkCidr must lie inside the VPC CIDR',
    ],
    ['a missing secretKey', () => ({ secretKey: '' }), 'secretKey is required'],
  ])('rejects %s with 400', async (_what, overrides, message) => {
    await setUp();
    const e = await apiError(k8s.createCluster({ ...request(), ...overrides(vpcId) } as CreateClusterRequest));
    expect(e).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(e.serverMessage).toContain(message);
    expect(e.message).not.toContain('PLUGIN-SK');
    expect(e.message).not.toContain(TEST_SECRET_KEY);
  });

  it('rejects a master CIDR overlapping the VPC and an unknown VPC', async () => {
    await setUp();
    const overlapping = await apiError(
      k8s.createCluster(request({ autoClusterNetworkSpec: { publicApiServer: true, masterCidr: '10.0.0.0/26', nodeNetworkCidr: '10.0.128.0/17', vpcId } })),
    );
    expect(overlapping.serverMessage).toContain('must not overlap the VPC CIDR');
    const unknown = await apiError(
      k8s.createCluster(request({ autoClusterNetworkSpec: { publicApiServer: true, masterCidr: '192.168.0.0/26', nodeNetworkCidr: '10.0.128.0/17', vpcId: 'vpc-ghost' } })),
    );
    expect(unknown.serverMessage).toContain('vpc-ghost does not exist');
  });

  it('validates the node count and zones locally', async () => {
    await setUp();
    await expect(k8s.createCluster(request({ nodeGroup: { name: 'n', nodeConfig: { instanceType: 't' }, initialNodeCount: 0 } }))).rejects.toBeInstanceOf(
      JdcloudValidationError,
    );
    await expect(k8s.createCluster(request({ azs: [] }))).rejects.toThrow('azs: give at least one availability zone');
    expect(h.jd.requests).toHaveLength(0);
  });

  it('lists clusters by name and deletes one', async () => {
    await setUp();
    const { clusterId } = await k8s.createCluster(request());
    await k8s.createCluster(request({ name: 'other' }));
    const found = await k8s.describeClusters({ regionId: REGION, filters: [{ name: 'name', values: ['jcr'] }] });
    expect(found.clusters.map((c) => c.clusterId)).toEqual([clusterId]);
    expect(found.clusters[0]).not.toHaveProperty('secretKey');

    await k8s.deleteCluster({ regionId: REGION, clusterId });
    expect(h.jd.requests[h.jd.requests.length - 1]).toMatchObject({ method: 'DELETE', path: `/v1/regions/cn-north-1/clusters/${clusterId}`, rawQuery: '' });
    expect((await k8s.describeCluster({ regionId: REGION, clusterId })).cluster.clusterState).toBe('deleting');
    const gone = await apiError(k8s.describeCluster({ regionId: REGION, clusterId }));
    expect(gone.code).toBe(404);
  });
});
