/**
 * `network ensure`: the runbook's "创建VPC" and "划分子网", idempotent. The VPC API's CIDR
 * rules are checked locally before any request (lib/config/cloud-schema.ts); existing
 * resources are found by name (DescribeVpcs `vpcNames`, DescribeSubnets `vpcId` filters) and only
 * what is missing is created. An existing resource whose CIDR differs from the config is an error,
 * never silently accepted: the cluster would be built on a network the config does not describe.
 */
import { parseIpv4Cidr, cidrOverlaps } from '../config/cidr';
import type { CloudConfig } from '../config/cloud-schema';
import { vpcSubnetProblems } from '../config/cloud-schema';
import { Subnet, Vpc, VpcApi } from '../jdcloud/vpc';
import { CloudInputError, CloudStateError } from './errors';
import type { Log } from './log';

export type NetworkSpec = Pick<CloudConfig, 'vpc' | 'subnets'>;

export interface EnsuredVpc {
  vpcId: string;
  name: string;
  cidr: string;
  created: boolean;
}

export interface EnsuredSubnet {
  subnetId: string;
  name: string;
  cidr: string;
  created: boolean;
}

export interface NetworkResult {
  regionId: string;
  vpc: EnsuredVpc;
  subnets: EnsuredSubnet[];
}

const PAGE_SIZE = 100; // the API's maximum (pageSize 10–100)

/** Throws one CloudInputError listing every local problem; makes no request. */
export function checkNetworkSpec(spec: NetworkSpec): void {
  const issues = vpcSubnetProblems(spec, { includeFieldRules: true });
  if (issues.length) {
    throw new CloudInputError(issues.map((i) => `cloud.${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[')}: ${i.message}`).join('; '));
  }
}

export interface EnsureNetworkOptions {
  regionId: string;
  spec: NetworkSpec;
  log?: Log;
  /** false = only look up (cluster ensure): anything missing is an error naming `jcrkit network ensure` */
  createMissing?: boolean;
}

export async function ensureNetwork(api: VpcApi, opts: EnsureNetworkOptions): Promise<NetworkResult> {
  const { regionId, spec } = opts;
  const log = opts.log ?? (() => undefined);
  const create = opts.createMissing ?? true;
  checkNetworkSpec(spec);
  const missing = (what: string) => new CloudStateError(`${what} does not exist in ${regionId}. Fix: run \`jcrkit network ensure\` first (same config)`);

  const vpc = await ensureVpc(api, regionId, spec, log, create ? undefined : missing);
  const existing = await listSubnets(api, regionId, vpc.vpcId);
  const subnets: EnsuredSubnet[] = [];
  for (const want of spec.subnets) {
    const found = existing.find((s) => s.subnetName === want.name);
    if (found) {
      if (found.addressPrefix !== want.cidr) {
        throw new CloudStateError(
          `subnet "${want.name}" (${found.subnetId}) exists in VPC ${vpc.name} with CIDR ${found.addressPrefix}, but the config says ${want.cidr}. Fix: set its cidr to ${found.addressPrefix} in cloud.subnets, or give the subnet another name`,
        );
      }
      subnets.push({ subnetId: found.subnetId, name: want.name, cidr: want.cidr, created: false });
      log(`subnet ${want.name} exists (${found.subnetId}, ${found.addressPrefix})`);
      continue;
    }
    // A subnet made outside jcrkit may occupy the block: say so before JD Cloud refuses.
    const wanted = parseIpv4Cidr(want.cidr)!;
    const clash = existing.find((s) => {
      const c = parseIpv4Cidr(s.addressPrefix);
      return c !== undefined && cidrOverlaps(c, wanted);
    });
    if (clash) {
      throw new CloudStateError(
        `subnet "${want.name}" (${want.cidr}) would overlap the existing subnet "${clash.subnetName}" (${clash.subnetId}, ${clash.addressPrefix}) of VPC ${vpc.name}. Fix: choose a free block for cloud.subnets "${want.name}"`,
      );
    }
    if (!create) throw missing(`subnet "${want.name}" of VPC ${vpc.name}`);
    const { subnetId } = await api.createSubnet({ regionId, vpcId: vpc.vpcId, subnetName: want.name, addressPrefix: want.cidr, description: want.description });
    existing.push({ subnetId, subnetName: want.name, vpcId: vpc.vpcId, addressPrefix: want.cidr });
    subnets.push({ subnetId, name: want.name, cidr: want.cidr, created: true });
    log(`created subnet ${want.name} (${subnetId}, ${want.cidr})`);
  }
  return { regionId, vpc, subnets };
}

async function ensureVpc(api: VpcApi, regionId: string, spec: NetworkSpec, log: Log, missing?: (what: string) => Error): Promise<EnsuredVpc> {
  const found = await findVpcByName(api, regionId, spec.vpc.name);
  if (found) {
    if ((found.addressPrefix ?? '') !== spec.vpc.cidr) {
      throw new CloudStateError(
        `VPC "${spec.vpc.name}" (${found.vpcId}) exists with CIDR ${found.addressPrefix || '(none)'}, but the config says ${spec.vpc.cidr}. Fix: set cloud.vpc.cidr to ${found.addressPrefix || 'its CIDR'}, or choose another cloud.vpc.name`,
      );
    }
    log(`VPC ${spec.vpc.name} exists (${found.vpcId}, ${found.addressPrefix})`);
    return { vpcId: found.vpcId, name: spec.vpc.name, cidr: spec.vpc.cidr, created: false };
  }
  if (missing) throw missing(`VPC "${spec.vpc.name}"`);
  const { vpcId } = await api.createVpc({ regionId, vpcName: spec.vpc.name, addressPrefix: spec.vpc.cidr, description: spec.vpc.description });
  log(`created VPC ${spec.vpc.name} (${vpcId}, ${spec.vpc.cidr})`);
  return { vpcId, name: spec.vpc.name, cidr: spec.vpc.cidr, created: true };
}

/** The VPC with exactly this name; two of them is an error (which one would the cluster use?). */
export async function findVpcByName(api: VpcApi, regionId: string, name: string): Promise<Vpc | undefined> {
  const matches: Vpc[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const page = await api.describeVpcs({ regionId, pageNumber, pageSize: PAGE_SIZE, filters: [{ name: 'vpcNames', values: [name] }] });
    const items = page.vpcs ?? [];
    matches.push(...items.filter((v) => v.vpcName === name));
    if (items.length < PAGE_SIZE || pageNumber * PAGE_SIZE >= (page.totalCount ?? 0)) break;
  }
  if (matches.length > 1) {
    throw new CloudStateError(`${matches.length} VPCs are named "${name}" in ${regionId} (${matches.map((v) => v.vpcId).join(', ')}). Fix: rename or delete the extra ones, or choose another cloud.vpc.name`);
  }
  return matches[0];
}

export async function listSubnets(api: VpcApi, regionId: string, vpcId: string): Promise<Subnet[]> {
  const all: Subnet[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const page = await api.describeSubnets({ regionId, pageNumber, pageSize: PAGE_SIZE, filters: [{ name: 'vpcId', values: [vpcId] }] });
    const items = page.subnets ?? [];
    all.push(...items);
    if (items.length < PAGE_SIZE || all.length >= (page.totalCount ?? 0)) break;
  }
  return all.filter((s) => s.vpcId === vpcId);
}
