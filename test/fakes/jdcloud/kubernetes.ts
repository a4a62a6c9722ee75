/**
 * Fake JCS for Kubernetes APIs. CreateCluster checks the current body shape
 * (API ≥ 1.2.0); a cluster is `pending` until it has been described N times, then `running` (or
 * `error` with a stateMessage when configured); DescribeCluster then carries masterAuth and the
 * API endpoint a kubeconfig is built from.
 */
import {
  FakeRoute,
  RouteInput,
  filterValues,
  filtersFromQuery,
  invalid,
  notFound,
  optionalString,
  paginate,
  queryValue,
  randomId,
  requireObject,
  requireString,
} from './core';
import { Cidr, contains, overlaps, parseCidr } from './cidr';
import { FakeCluster, FakeJdcloudState } from './state';
import { findVpc } from './vpc';

function checkNodeGroup(body: Readonly<Record<string, unknown>>): void {
  const nodeGroup = requireObject(body, 'nodeGroup');
  requireString(nodeGroup, 'name', 'nodeGroup.name');
  const nodeConfig = requireObject(nodeGroup, 'nodeConfig', 'nodeGroup.nodeConfig');
  requireString(nodeConfig, 'instanceType', 'nodeGroup.nodeConfig.instanceType');
  const count = nodeGroup.initialNodeCount;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw invalid('nodeGroup.initialNodeCount must be an integer ≥ 1');
  if ('vpcId' in nodeGroup || 'nodeCidr' in nodeGroup) {
    throw invalid('nodeGroup.vpcId/nodeCidr belong to the pre-1.2.0 API; use autoClusterNetworkSpec or customizedClusterNetworkSpec');
  }
}

function cidrField(spec: Readonly<Record<string, unknown>>, field: string, label: string): Cidr {
  const text = requireString(spec, field, label);
  const cidr = parseCidr(text);
  if (!cidr) throw invalid(`${label} ${text} is not an IPv4 CIDR with a clean network address`);
  return cidr;
}

/** The network part of CreateCluster; network is required here — a cluster needs a VPC. */
function checkNetwork(input: RouteInput, state: FakeJdcloudState): void {
  const body = input.body;
  const type = body.clusterNetworkType ?? 'auto';
  if (type !== 'auto' && type !== 'customized') throw invalid('clusterNetworkType must be auto or customized');
  const key = type === 'auto' ? 'autoClusterNetworkSpec' : 'customizedClusterNetworkSpec';
  const spec = requireObject(body, key);
  if (typeof spec.publicApiServer !== 'boolean') throw invalid(`${key}.publicApiServer is required (true or false)`);
  const vpcId = requireString(spec, 'vpcId', `${key}.vpcId`);
  const vpc = findVpc(state, input.regionId, vpcId);
  if (!vpc) throw invalid(`${key}.vpcId ${vpcId} does not exist in ${input.regionId}`);
  const master = cidrField(spec, 'masterCidr', `${key}.masterCidr`);
  if (master.prefix < 24 || master.prefix > 27) throw invalid(`${key}.masterCidr mask must be /24 to /27`);
  const vpcCidr = vpc.addressPrefix ? parseCidr(vpc.addressPrefix) : undefined;
  if (vpcCidr && overlaps(vpcCidr, master)) throw invalid(`${key}.masterCidr must not overlap the VPC CIDR ${vpc.addressPrefix}`);
  if (spec.natGateway !== undefined && spec.nodeElasticIpSpec !== undefined) {
    throw invalid(`${key}.natGateway and nodeElasticIpSpec are mutually exclusive`);
  }
  if (type === 'auto') {
    const nodes = cidrField(spec, 'nodeNetworkCidr', `${key}.nodeNetworkCidr`);
    if (vpcCidr && !contains(vpcCidr, nodes)) throw invalid(`${key}.nodeNetworkCidr must lie inside the VPC CIDR ${vpc.addressPrefix}`);
  } else {
    cidrField(spec, 'serviceCidr', `${key}.serviceCidr`);
    for (const field of ['podSubnetId', 'lbSubnetId', 'nodeSubnetId']) {
      const subnetId = requireString(spec, field, `${key}.${field}`);
      if (!state.subnets.some((s) => s.subnetId === subnetId && s.vpcId === vpcId)) {
        throw invalid(`${key}.${field} ${subnetId} is not a subnet of ${vpcId}`);
      }
    }
  }
}

function checkCreateCluster(input: RouteInput, state: FakeJdcloudState): void {
  const body = input.body;
  requireString(body, 'name');
  if ('masterCidr' in body) throw invalid('masterCidr at the top level is the pre-1.2.0 API; put it in autoClusterNetworkSpec');
  if (!Array.isArray(body.azs) || body.azs.length === 0 || body.azs.some((az) => typeof az !== 'string')) {
    throw invalid('azs is required: a list of availability zones, e.g. ["cn-north-1a"]');
  }
  checkNodeGroup(body);
  // In-cluster plugins call the OpenAPI with these.
  requireString(body, 'accessKey');
  requireString(body, 'secretKey');
  checkNetwork(input, state);
}

function clusterModel(c: FakeCluster, state: FakeJdcloudState) {
  const running = c.state === 'running';
  const { masterAuth, clusterEndpoint, clusterEndpointPort } = state.settings;
  const nodeGroup = c.spec.nodeGroup as Record<string, unknown>;
  return {
    clusterId: c.clusterId,
    name: c.name,
    description: c.description ?? '',
    version: c.version,
    azs: c.azs,
    nodeGroups: [
      {
        nodeGroupId: `ng-${c.clusterId.slice(2)}`,
        name: nodeGroup.name,
        state: c.state === 'running' ? 'running' : c.state === 'error' ? 'error' : 'pending',
        expectCount: nodeGroup.initialNodeCount,
        currentCount: running ? nodeGroup.initialNodeCount : 0,
        version: c.version,
      },
    ],
    clusterState: c.state,
    stateMessage: c.stateMessage ?? '',
    createTime: c.createTime,
    updateTime: c.createTime,
    basicAuth: false,
    // CertAuth is always on since API 1.2.0 (the kubernetes API ChangeLog, 2022-04-29).
    clientCertificate: true,
    masterAuth: running ? { ...masterAuth } : {},
    endpoint: running ? clusterEndpoint : '',
    endpointPort: running ? clusterEndpointPort : '',
    privateEndpoint: '',
    networkMode: c.spec.clusterNetworkType ?? 'auto',
  };
}

function existingCluster(state: FakeJdcloudState, input: RouteInput): FakeCluster {
  const cluster = state.clusters.find((c) => c.regionId === input.regionId && c.clusterId === input.params.clusterId);
  if (!cluster) throw notFound(`cluster ${input.params.clusterId} not found in ${input.regionId}`);
  return cluster;
}

export function kubernetesRoutes(): FakeRoute<FakeJdcloudState>[] {
  return [
    {
      family: 'kubernetes',
      action: 'CreateCluster',
      method: 'POST',
      path: '/regions/{regionId}/clusters',
      handle(input, state) {
        checkCreateCluster(input, state);
        const defaultVersion = state.settings.versions.find((v) => v.isDefault)?.version ?? state.settings.versions[0]?.version ?? '';
        const version = optionalString(input.body, 'version') ?? defaultVersion;
        if (!state.settings.versions.some((v) => v.version === version)) throw invalid(`version ${version} is not offered; see DescribeVersions`);
        const { secretKey: _secret, ...spec } = input.body;
        const cluster: FakeCluster = {
          regionId: input.regionId,
          clusterId: `c-${randomId(10)}`,
          name: input.body.name as string,
          description: optionalString(input.body, 'description'),
          version,
          azs: input.body.azs as string[],
          state: 'pending',
          describes: 0,
          readyAfterDescribes: state.settings.clusterReadyAfterDescribes,
          failWith: state.settings.clusterFailWith,
          spec,
          createTime: input.now.toISOString(),
        };
        state.clusters.push(cluster);
        return { clusterId: cluster.clusterId };
      },
    },
    {
      family: 'kubernetes',
      action: 'DescribeCluster',
      method: 'GET',
      path: '/regions/{regionId}/clusters/{clusterId}',
      handle(input, state) {
        const cluster = existingCluster(state, input);
        cluster.describes++;
        if (cluster.state === 'pending' && cluster.describes >= cluster.readyAfterDescribes) {
          cluster.state = cluster.failWith ? 'error' : 'running';
          cluster.stateMessage = cluster.failWith;
        }
        const model = clusterModel(cluster, state);
        // A deleting cluster is reported once more, then it is gone.
        if (cluster.state === 'deleting') state.clusters.splice(state.clusters.indexOf(cluster), 1);
        return { cluster: model };
      },
    },
    {
      family: 'kubernetes',
      action: 'DescribeClusters',
      method: 'GET',
      path: '/regions/{regionId}/clusters',
      handle(input, state) {
        const filters = filtersFromQuery(input.query);
        const names = filterValues(filters, 'name');
        const ids = filterValues(filters, 'id');
        const clusters = state.clusters.filter(
          (c) => c.regionId === input.regionId && (!ids || ids.includes(c.clusterId)) && (!names || names.some((n) => c.name.includes(n))),
        );
        return {
          clusters: paginate(clusters, queryValue(input.query, 'pageNumber'), queryValue(input.query, 'pageSize')).map((c) => clusterModel(c, state)),
          totalCount: clusters.length,
        };
      },
    },
    {
      family: 'kubernetes',
      action: 'DeleteCluster',
      method: 'DELETE',
      path: '/regions/{regionId}/clusters/{clusterId}',
      handle(input, state) {
        const cluster = existingCluster(state, input);
        cluster.state = 'deleting';
        return {};
      },
    },
    {
      family: 'kubernetes',
      action: 'DescribeVersions',
      method: 'GET',
      path: '/regions/{regionId}/versions',
      handle(input, state) {
        const wanted = queryValue(input.query, 'masterVersion');
        return { masterVersions: state.settings.versions.filter((v) => !wanted || v.version === wanted) };
      },
    },
  ];
}
