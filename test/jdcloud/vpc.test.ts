/** VpcApi against the fake: trailing-slash collection paths, flattened filters, CIDR rules. */
import { JdcloudApiError } from '../../lib/jdcloud/errors';
import { VpcApi } from '../../lib/jdcloud/vpc';
import { Harness, REGION, startHarness } from '../fakes/jdcloud/harness';

describe('VpcApi', () => {
  let h: Harness;
  let vpc: VpcApi;
  beforeEach(async () => {
    h = await startHarness();
    vpc = new VpcApi(h.client);
  });
  afterEach(() => h.jd.close());

  const apiError = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JdcloudApiError);
    return error as JdcloudApiError;
  };

  it('creates a VPC at the trailing-slash path and describes it', async () => {
    const { vpcId } = await vpc.createVpc({ regionId: REGION, vpcName: 'jcrkit-vpc', addressPrefix: '10.0.0.0/16', description: 'k8s' });
    expect(vpcId).toMatch(/^vpc-[a-z0-9]+$/);
    expect(h.jd.requests[0]).toMatchObject({ method: 'POST', path: '/v1/regions/cn-north-1/vpcs/', service: 'vpc', action: 'CreateVpc' });
    expect(h.jd.requests[0].body).toEqual({ vpcName: 'jcrkit-vpc', addressPrefix: '10.0.0.0/16', description: 'k8s' });
    const { vpc: described } = await vpc.describeVpc({ regionId: REGION, vpcId });
    expect(described).toMatchObject({ vpcId, vpcName: 'jcrkit-vpc', addressPrefix: '10.0.0.0/16', subnets: [] });
  });

  it('lists VPCs with flattened filters in the query', async () => {
    const { vpcId } = await vpc.createVpc({ regionId: REGION, vpcName: 'a' });
    await vpc.createVpc({ regionId: REGION, vpcName: 'b' });
    const listed = await vpc.describeVpcs({ regionId: REGION, filters: [{ name: 'vpcIds', values: [vpcId] }] });
    expect(listed.totalCount).toBe(1);
    expect(listed.vpcs[0].vpcName).toBe('a');
    const req = h.jd.requests[2];
    expect(req.path).toBe('/v1/regions/cn-north-1/vpcs/');
    expect(req.rawQuery).toBe(`filters.1.name=vpcIds&filters.1.values.1=${vpcId}`);
  });

  it.each([
    ['8.8.0.0/16', 'must lie in 10.0.0.0/8'],
    ['10.0.0.0/8', 'mask must be /16 to /28'],
    ['10.0.0.1/16', 'clean network address'],
  ])('rejects the VPC prefix %s', async (addressPrefix, message) => {
    const e = await apiError(vpc.createVpc({ regionId: REGION, vpcName: 'x', addressPrefix }));
    expect(e).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(e.serverMessage).toContain(message);
  });

  it('rejects a VPC name with spaces', async () => {
    const e = await apiError(vpc.createVpc({ regionId: REGION, vpcName: 'my vpc' }));
    expect(e.code).toBe(400);
  });

  it('accepts a CJK VPC name', async () => {
    await expect(vpc.createVpc({ regionId: REGION, vpcName: '京东云-vpc_1' })).resolves.toHaveProperty('vpcId');
  });

  describe('subnets', () => {
    let vpcId: string;
    beforeEach(async () => {
      ({ vpcId } = await vpc.createVpc({ regionId: REGION, vpcName: 'net', addressPrefix: '10.0.0.0/16' }));
    });

    it('creates subnets inside the VPC and lists them by vpcId', async () => {
      const { subnetId } = await vpc.createSubnet({ regionId: REGION, vpcId, subnetName: 'nodes', addressPrefix: '10.0.1.0/24' });
      expect(subnetId).toMatch(/^subnet-/);
      await vpc.createSubnet({ regionId: REGION, vpcId, subnetName: 'pods', addressPrefix: '10.0.16.0/20' });
      const listed = await vpc.describeSubnets({ regionId: REGION, filters: [{ name: 'vpcId', values: [vpcId] }] });
      expect(listed.subnets.map((s) => s.addressPrefix)).toEqual(['10.0.1.0/24', '10.0.16.0/20']);
      expect(listed.subnets[0]).toMatchObject({ subnetId, vpcId, ipMaskLen: 24, availableIpCount: 252 });
      await expect(vpc.describeSubnet({ regionId: REGION, subnetId })).resolves.toMatchObject({ subnet: { subnetName: 'nodes' } });
      expect((await vpc.describeVpc({ regionId: REGION, vpcId })).vpc.subnets).toHaveLength(2);
    });

    it('rejects a subnet outside the VPC CIDR', async () => {
      const e = await apiError(vpc.createSubnet({ regionId: REGION, vpcId, subnetName: 's', addressPrefix: '10.1.0.0/24' }));
      expect(e.serverMessage).toBe('addressPrefix 10.1.0.0/24 is not inside the VPC CIDR 10.0.0.0/16');
    });

    it('rejects overlapping subnets in either direction', async () => {
      await vpc.createSubnet({ regionId: REGION, vpcId, subnetName: 'a', addressPrefix: '10.0.4.0/24' });
      await apiError(vpc.createSubnet({ regionId: REGION, vpcId, subnetName: 'b', addressPrefix: '10.0.4.128/25' }));
      await apiError(vpc.createSubnet({ regionId: REGION, vpcId, subnetName: 'c', addressPrefix: '10.0.0.0/20' }));
      await expect(vpc.createSubnet({ regionId: REGION, vpcId, subnetName: 'd', addressPrefix: '10.0.5.0/24' })).resolves.toHaveProperty('subnetId');
    });

    it('answers 404 for a subnet in an unknown VPC', async () => {
      const e = await apiError(vpc.createSubnet({ regionId: REGION, vpcId: 'vpc-nope', subnetName: 's', addressPrefix: '10.0.1.0/24' }));
      expect(e).toMatchObject({ code: 404, status: 'NOT_FOUND' });
    });

    it('refuses to delete a VPC that still has subnets, then deletes in order', async () => {
      const { subnetId } = await vpc.createSubnet({ regionId: REGION, vpcId, subnetName: 's', addressPrefix: '10.0.1.0/24' });
      const e = await apiError(vpc.deleteVpc({ regionId: REGION, vpcId }));
      expect(e).toMatchObject({ code: 400, status: 'FAILED_PRECONDITION' });
      await vpc.deleteSubnet({ regionId: REGION, subnetId });
      await vpc.deleteVpc({ regionId: REGION, vpcId });
      expect(h.jd.requests.slice(-2).map((r) => `${r.method} ${r.path}`)).toEqual([
        `DELETE /v1/regions/cn-north-1/subnets/${subnetId}`,
        `DELETE /v1/regions/cn-north-1/vpcs/${vpcId}`,
      ]);
      await apiError(vpc.describeVpc({ regionId: REGION, vpcId }));
    });
  });
});
