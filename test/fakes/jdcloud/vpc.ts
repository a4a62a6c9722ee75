/** Fake VPC APIs, with the CIDR rules: private ranges, mask 16–28, containment, no overlap. */
import {
  FakeRoute,
  RouteInput,
  failedPrecondition,
  filterValues,
  filtersFromQuery,
  invalid,
  notFound,
  optionalString,
  paginate,
  queryValue,
  randomId,
  requireString,
} from './core';
import { Cidr, contains, isPrivate, overlaps, parseCidr, size } from './cidr';
import { FakeJdcloudState, FakeSubnet, FakeVpc } from './state';

/** CJK, letters, digits, `_`, `-`; 1–32 characters. */
const NAME_RULE = /^[\p{Script=Han}A-Za-z0-9_-]{1,32}$/u;
const LIST_PAGE = { min: 10, max: 100 };

function checkName(value: string, field: string): void {
  if (!NAME_RULE.test(value)) throw invalid(`${field} must be 1–32 characters of CJK, letters, digits, '_' or '-'`);
}

/** A CIDR in a private range with mask 16–28. */
function checkPrefix(text: string, field: string): Cidr {
  const cidr = parseCidr(text);
  if (!cidr) throw invalid(`${field} ${text} is not an IPv4 CIDR with a clean network address`);
  if (cidr.prefix < 16 || cidr.prefix > 28) throw invalid(`${field} mask must be /16 to /28`);
  if (!isPrivate(cidr)) throw invalid(`${field} must lie in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`);
  return cidr;
}

function subnetModel(s: FakeSubnet) {
  const cidr = parseCidr(s.addressPrefix) as Cidr;
  return {
    subnetId: s.subnetId,
    subnetName: s.subnetName,
    vpcId: s.vpcId,
    addressPrefix: s.addressPrefix,
    // JD Cloud reserves addresses in every subnet; the exact count is unconfirmed, the fake keeps 4 like most clouds.
    availableIpCount: size(cidr) - 4,
    ipMaskLen: cidr.prefix,
    description: s.description ?? '',
    routeTableId: s.routeTableId ?? '',
    createdTime: s.createdTime,
    subnetType: 'standard',
  };
}

function vpcModel(v: FakeVpc, state: FakeJdcloudState) {
  return {
    vpcId: v.vpcId,
    vpcName: v.vpcName,
    addressPrefix: v.addressPrefix ?? '',
    description: v.description ?? '',
    aclIds: [],
    routeTableIds: [],
    subnets: state.subnets.filter((s) => s.vpcId === v.vpcId).map(subnetModel),
    createdTime: v.createdTime,
  };
}

export function findVpc(state: FakeJdcloudState, regionId: string, vpcId: string): FakeVpc | undefined {
  return state.vpcs.find((v) => v.regionId === regionId && v.vpcId === vpcId);
}

function existingVpc(state: FakeJdcloudState, input: RouteInput, vpcId: string): FakeVpc {
  const vpc = findVpc(state, input.regionId, vpcId);
  if (!vpc) throw notFound(`vpc ${vpcId} not found in ${input.regionId}`);
  return vpc;
}

function existingSubnet(state: FakeJdcloudState, input: RouteInput): FakeSubnet {
  const subnet = state.subnets.find((s) => s.regionId === input.regionId && s.subnetId === input.params.subnetId);
  if (!subnet) throw notFound(`subnet ${input.params.subnetId} not found in ${input.regionId}`);
  return subnet;
}

export function vpcRoutes(): FakeRoute<FakeJdcloudState>[] {
  return [
    {
      family: 'vpc',
      action: 'CreateVpc',
      method: 'POST',
      path: '/regions/{regionId}/vpcs/',
      handle(input, state) {
        const vpcName = requireString(input.body, 'vpcName');
        checkName(vpcName, 'vpcName');
        const addressPrefix = optionalString(input.body, 'addressPrefix');
        if (addressPrefix !== undefined) checkPrefix(addressPrefix, 'addressPrefix');
        const description = optionalString(input.body, 'description');
        if (description !== undefined && description.length > 256) throw invalid('description must be at most 256 characters');
        const vpc: FakeVpc = { regionId: input.regionId, vpcId: `vpc-${randomId(10)}`, vpcName, addressPrefix, description, createdTime: input.now.toISOString() };
        state.vpcs.push(vpc);
        return { vpcId: vpc.vpcId };
      },
    },
    {
      family: 'vpc',
      action: 'DescribeVpcs',
      method: 'GET',
      path: '/regions/{regionId}/vpcs/',
      handle(input, state) {
        const filters = filtersFromQuery(input.query);
        const ids = filterValues(filters, 'vpcIds');
        const names = filterValues(filters, 'vpcNames');
        const vpcs = state.vpcs.filter(
          (v) => v.regionId === input.regionId && (!ids || ids.includes(v.vpcId)) && (!names || names.includes(v.vpcName)),
        );
        return {
          vpcs: paginate(vpcs, queryValue(input.query, 'pageNumber'), queryValue(input.query, 'pageSize'), LIST_PAGE).map((v) => vpcModel(v, state)),
          totalCount: vpcs.length,
        };
      },
    },
    {
      family: 'vpc',
      action: 'DescribeVpc',
      method: 'GET',
      path: '/regions/{regionId}/vpcs/{vpcId}',
      handle: (input, state) => ({ vpc: vpcModel(existingVpc(state, input, input.params.vpcId), state) }),
    },
    {
      family: 'vpc',
      action: 'DeleteVpc',
      method: 'DELETE',
      path: '/regions/{regionId}/vpcs/{vpcId}',
      handle(input, state) {
        const vpc = existingVpc(state, input, input.params.vpcId);
        if (state.subnets.some((s) => s.vpcId === vpc.vpcId)) throw failedPrecondition(`vpc ${vpc.vpcId} still has subnets`);
        state.vpcs.splice(state.vpcs.indexOf(vpc), 1);
        return {};
      },
    },
    {
      family: 'vpc',
      action: 'CreateSubnet',
      method: 'POST',
      path: '/regions/{regionId}/subnets/',
      handle(input, state) {
        const vpc = existingVpc(state, input, requireString(input.body, 'vpcId'));
        const subnetName = requireString(input.body, 'subnetName');
        checkName(subnetName, 'subnetName');
        const text = requireString(input.body, 'addressPrefix');
        const cidr = checkPrefix(text, 'addressPrefix');
        if (vpc.addressPrefix && !contains(parseCidr(vpc.addressPrefix) as Cidr, cidr)) {
          throw invalid(`addressPrefix ${text} is not inside the VPC CIDR ${vpc.addressPrefix}`);
        }
        const clash = state.subnets.find((s) => s.vpcId === vpc.vpcId && overlaps(parseCidr(s.addressPrefix) as Cidr, cidr));
        if (clash) throw invalid(`addressPrefix ${text} overlaps subnet ${clash.subnetId} (${clash.addressPrefix})`);
        const subnet: FakeSubnet = {
          regionId: input.regionId,
          subnetId: `subnet-${randomId(10)}`,
          subnetName,
          vpcId: vpc.vpcId,
          addressPrefix: text,
          description: optionalString(input.body, 'description'),
          routeTableId: optionalString(input.body, 'routeTableId'),
          createdTime: input.now.toISOString(),
        };
        state.subnets.push(subnet);
        return { subnetId: subnet.subnetId };
      },
    },
    {
      family: 'vpc',
      action: 'DescribeSubnets',
      method: 'GET',
      path: '/regions/{regionId}/subnets/',
      handle(input, state) {
        const filters = filtersFromQuery(input.query);
        const ids = filterValues(filters, 'subnetIds');
        const names = filterValues(filters, 'subnetNames');
        const vpcIds = filterValues(filters, 'vpcId');
        const subnets = state.subnets.filter(
          (s) =>
            s.regionId === input.regionId &&
            (!ids || ids.includes(s.subnetId)) &&
            (!names || names.includes(s.subnetName)) &&
            (!vpcIds || vpcIds.includes(s.vpcId)),
        );
        return {
          subnets: paginate(subnets, queryValue(input.query, 'pageNumber'), queryValue(input.query, 'pageSize'), LIST_PAGE).map(subnetModel),
          totalCount: subnets.length,
        };
      },
    },
    {
      family: 'vpc',
      action: 'DescribeSubnet',
      method: 'GET',
      path: '/regions/{regionId}/subnets/{subnetId}',
      handle: (input, state) => ({ subnet: subnetModel(existingSubnet(state, input)) }),
    },
    {
      family: 'vpc',
      action: 'DeleteSubnet',
      method: 'DELETE',
      path: '/regions/{regionId}/subnets/{subnetId}',
      handle(input, state) {
        const subnet = existingSubnet(state, input);
        state.subnets.splice(state.subnets.indexOf(subnet), 1);
        return {};
      },
    },
  ];
}
