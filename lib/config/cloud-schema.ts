/**
 * The `cloud:` section of the config: what the cloud-side commands (`jcrkit network ensure`,
 * `cluster ensure`, `up`) create. The renderer ignores it.
 *
 * Every network rule that can be judged without asking JD Cloud is judged here, at load time, so a
 * bad CIDR fails with one message naming the field and the fix before any request is made.
 * Sources: the VPC API's CreateVpc/CreateSubnet parameter docs (RFC 1918 ranges, mask /16–/28, subnet inside its VPC, no overlap:
 * https://github.com/jdcloud-api/jdcloud-sdk-go/blob/v1.66.0/services/vpc/apis/CreateSubnet.go) and
 * JD Cloud's create-cluster guide (master CIDR /24–/27, not overlapping the VPC; it asks /16–/18
 * for a Kubernetes VPC, which we only warn about:
 * https://github.com/jdcloudcom/en/blob/2488f93a45f4a14d250dd7c1294ee7d9f514df5b/documentation/Elastic-Compute/JCS-for-Kubernetes/Getting-Started/Create-to-Cluster.md).
 */
import { z } from 'zod';
import { Ipv4Cidr, cidrContains, cidrOverlaps, isNetworkAddress, isPrivate, parseIpv4Cidr } from './cidr';
import { quote } from './errors';

/** VPC and subnet names: CJK, letters, digits, `_`, `-`; 1–32 characters. */
export const VPC_NAME = /^[\p{Script=Han}A-Za-z0-9_-]{1,32}$/u;
/**
 * Cluster and node group names. JD Cloud's exact rule is unconfirmed; we accept the VPC rule, which
 * also keeps the kubeconfig entry name (`jdcloud-<region>-<name>`) free of spaces and colons.
 */
export const CLUSTER_NAME = VPC_NAME;
/** Availability zone ids look like cn-north-1a: a region id and a letter. */
export const AZ_ID = /^[a-z]{2}-[a-z]+-\d+[a-z]$/;

/** Mask limits: the VPC API's for VPCs/subnets, the create-cluster guide's for the master CIDR and a Kubernetes VPC. */
export const MASKS = Object.freeze({ vpc: [16, 28], subnet: [16, 28], master: [24, 27], k8sVpc: [16, 18] } as const);

export interface CidrRule {
  what: string;
  /** allowed prefix lengths, inclusive */
  masks: readonly [number, number];
  /** must lie in 10/8, 172.16/12 or 192.168/16 */
  private: boolean;
}

/** One message ("… Fix: …") for a CIDR that breaks a single-field rule, else undefined. */
export function cidrProblem(value: string, rule: CidrRule): string | undefined {
  const c = parseIpv4Cidr(value);
  if (!c) return `${quote(value)} is not an IPv4 CIDR. Fix: write an address block such as 10.0.0.0/16`;
  const [min, max] = rule.masks;
  if (c.prefix < min || c.prefix > max) {
    return `${value}: a ${rule.what} mask must be /${min} to /${max}. Fix: choose a prefix length from ${min} to ${max}`;
  }
  if (!isNetworkAddress(c)) {
    return `${value} is not a network address (host bits are set). Fix: write ${networkOf(c)}/${c.prefix}`;
  }
  if (rule.private && !isPrivate(c)) {
    return `${value} is not in a private range; JD Cloud only accepts 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16. Fix: choose a block inside one of them`;
  }
  return undefined;
}

function networkOf(c: Ipv4Cidr): string {
  const size = 2 ** (32 - c.prefix);
  const n = c.base - (c.base % size);
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

const cidrField = (rule: CidrRule) =>
  z.string().check((ctx) => {
    const problem = cidrProblem(ctx.value, rule);
    if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem });
  });

const named = (what: string, pattern: RegExp) =>
  z.string().check((ctx) => {
    if (!pattern.test(ctx.value)) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `${quote(ctx.value)} is not a valid ${what}. Fix: use 1 to 32 letters, digits, CJK characters, '_' or '-'` });
    }
  });

const VPC_RULE: CidrRule = { what: 'VPC', masks: MASKS.vpc, private: true };
const SUBNET_RULE: CidrRule = { what: 'subnet', masks: MASKS.subnet, private: true };
const MASTER_RULE: CidrRule = { what: 'master', masks: MASKS.master, private: false };
/** Node network (auto mode) is split into subnets by JD Cloud, so it follows the subnet rule. */
const NODE_RULE: CidrRule = { what: 'node network', masks: MASKS.subnet, private: true };
/** Service CIDR: a private block of any sensible size (/12–/24); JD Cloud's exact limits are unconfirmed. */
const SERVICE_RULE: CidrRule = { what: 'service', masks: [12, 24], private: true };

const description = z.string().max(256, 'is longer than 256 characters. Fix: shorten the description');

const vpcSchema = z.strictObject({
  /** VPC name, found by name on later runs (idempotent). @default jcrkit */
  name: named('VPC name', VPC_NAME).default('jcrkit'),
  /** VPC CIDR, private, /16–/28 (/16–/18 for a Kubernetes VPC per the console). @default 10.0.0.0/16 */
  cidr: cidrField(VPC_RULE).default('10.0.0.0/16'),
  description: description.optional(),
});

const subnetSchema = z.strictObject({
  /** Subnet name, unique in the VPC. */
  name: named('subnet name', VPC_NAME),
  /** Inside the VPC CIDR, /16–/28, not overlapping another subnet. */
  cidr: cidrField(SUBNET_RULE),
  description: description.optional(),
});

const nodeGroupSchema = z.strictObject({
  /** @default default */
  name: named('node group name', CLUSTER_NAME).default('default'),
  /**
   * Only "Generation II" instance types are offered (create-cluster guide). @default g.n2.large — a
   * Generation II general-purpose type; its availability per zone is not checked here.
   */
  instanceType: z.string().regex(/^[a-z0-9]+(\.[a-z0-9]+)+$/, 'is not an instance type. Fix: write e.g. g.n2.large').default('g.n2.large'),
  /** initialNodeCount, ≥ 1. @default 2 */
  count: z.number().int().check((ctx) => {
    if (ctx.value < 1 || ctx.value > 100) ctx.issues.push({ code: 'custom', input: ctx.value, message: `${ctx.value} nodes is outside 1-100. Fix: choose a node count from 1 to 100` });
  }).default(2),
  /** System disk size in GB (service default when unset). */
  systemDiskSize: z.number().int().positive().optional(),
  systemDiskType: z.enum(['hdd.std1', 'ssd.gp1', 'ssd.io1']).optional(),
  /** SSH key pair names for the nodes (no password is ever taken from the config). @default [] */
  keyNames: z.array(z.string().min(1)).default([]),
});

const clusterSchema = z.strictObject({
  /** Cluster name; found by name on later runs. @default jcrkit */
  name: named('cluster name', CLUSTER_NAME).default('jcrkit'),
  description: description.optional(),
  /** Kubernetes version as DescribeVersions lists it, e.g. 1.30.1-jcs.1. @default the service's default */
  version: z.string().regex(/^\d+\.\d+\.\d+[\w.-]*$/, 'is not a version. Fix: write one DescribeVersions lists, e.g. 1.30.1-jcs.1').optional(),
  /** Availability zones. @default ["<region>a"] */
  azs: z.array(z.string().regex(AZ_ID, 'is not an availability zone id. Fix: write e.g. cn-north-1a')).default([]),
  /** clusterNetworkType: `auto` lets JD Cloud split nodeNetworkCidr; `customized` uses your subnets. @default auto */
  network: z.enum(['auto', 'customized']).default('auto'),
  /** Expose the API server on a public address (needed for kubectl from a workstation). @default true */
  publicApiServer: z.boolean().default(true),
  /** Control-plane CIDR, /24–/27, outside the VPC. @default 192.168.0.0/24 */
  masterCidr: cidrField(MASTER_RULE).default('192.168.0.0/24'),
  /** auto: block of the VPC for nodes and pods. @default the VPC CIDR */
  nodeNetworkCidr: cidrField(NODE_RULE).optional(),
  /** customized: Service CIDR, outside the VPC and the master CIDR. @default 172.16.0.0/16 */
  serviceCidr: cidrField(SERVICE_RULE).optional(),
  /** customized: names of entries of cloud.subnets for nodes, pods and load balancers. */
  subnets: z.strictObject({ node: z.string(), pod: z.string(), lb: z.string() }).optional(),
  nodeGroup: nodeGroupSchema.prefault({}),
});

export const DEFAULT_SERVICE_CIDR = '172.16.0.0/16';

export const cloudSchema = z
  .strictObject({
    /** Region of the VPC and cluster. @default registry.region */
    region: z.string().regex(/^[a-z]{2}-[a-z]+-\d+$/, 'is not a JD Cloud region id. Fix: use e.g. cn-north-1').optional(),
    vpc: vpcSchema.prefault({}),
    /** Subnets to create in the VPC (the runbook's "划分子网"). @default [] (auto mode needs none) */
    subnets: z.array(subnetSchema).default([]),
    cluster: clusterSchema.prefault({}),
  })
  .superRefine((cloud, ctx) => {
    for (const issue of networkProblems(cloud)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: undefined });
  });

export type CloudConfig = z.output<typeof cloudSchema>;
export type CloudConfigInput = z.input<typeof cloudSchema>;

export interface NetworkIssue {
  /** path below `cloud`, e.g. ['subnets', 1, 'cidr'] */
  path: (string | number)[];
  message: string;
}

/**
 * The cross-field network rules: subnets inside the VPC and disjoint, names
 * unique, the master CIDR outside the VPC, the auto node network inside the VPC and clear of the
 * listed subnets, customized subnets that exist and a service CIDR clear of the VPC and master.
 * Single-field problems are skipped here (the field's own check reports them).
 */
export function networkProblems(cloud: Pick<CloudConfig, 'vpc' | 'subnets' | 'cluster'>): NetworkIssue[] {
  return [...vpcSubnetProblems(cloud), ...clusterNetworkProblems(cloud)];
}

/** VPC and subnet rules alone (what `network ensure` creates), including the single-field ones. */
export function vpcSubnetProblems(cloud: Pick<CloudConfig, 'vpc' | 'subnets'>, opts: { includeFieldRules?: boolean } = {}): NetworkIssue[] {
  const issues: NetworkIssue[] = [];
  if (opts.includeFieldRules) {
    const vpcProblem = cidrProblem(cloud.vpc.cidr, VPC_RULE);
    if (vpcProblem) issues.push({ path: ['vpc', 'cidr'], message: vpcProblem });
    cloud.subnets.forEach((s, index) => {
      const problem = cidrProblem(s.cidr, SUBNET_RULE);
      if (problem) issues.push({ path: ['subnets', index, 'cidr'], message: problem });
    });
  }
  const vpc = validCidr(cloud.vpc.cidr, VPC_RULE);
  const seen = new Map<string, number>();
  const subnets: { index: number; name: string; cidr: Ipv4Cidr }[] = [];
  cloud.subnets.forEach((s, index) => {
    if (seen.has(s.name)) issues.push({ path: ['subnets', index, 'name'], message: `${quote(s.name)} is also the name of subnets[${seen.get(s.name)}]. Fix: give every subnet its own name` });
    seen.set(s.name, index);
    const c = validCidr(s.cidr, SUBNET_RULE);
    if (!c) return;
    if (vpc && !cidrContains(vpc, c)) {
      issues.push({ path: ['subnets', index, 'cidr'], message: `${s.cidr} is not inside the VPC CIDR ${cloud.vpc.cidr}. Fix: choose a block inside ${cloud.vpc.cidr}` });
      return;
    }
    const clash = subnets.find((o) => cidrOverlaps(o.cidr, c));
    if (clash) {
      issues.push({ path: ['subnets', index, 'cidr'], message: `${s.cidr} overlaps subnets[${clash.index}] ${quote(clash.name)} (${clash.cidr.text}). Fix: choose a block that overlaps no other subnet` });
      return;
    }
    subnets.push({ index, name: s.name, cidr: c });
  });
  return issues;
}

/** The cluster's CIDR rules against the VPC and the listed subnets. */
export function clusterNetworkProblems(cloud: Pick<CloudConfig, 'vpc' | 'subnets' | 'cluster'>): NetworkIssue[] {
  const issues: NetworkIssue[] = [];
  const vpc = validCidr(cloud.vpc.cidr, VPC_RULE);
  const subnets = validSubnets(cloud);
  const cluster = cloud.cluster;
  const master = validCidr(cluster.masterCidr, MASTER_RULE);
  if (master && vpc && cidrOverlaps(master, vpc)) {
    issues.push({ path: ['cluster', 'masterCidr'], message: `${cluster.masterCidr} overlaps the VPC CIDR ${cloud.vpc.cidr}; the control plane needs its own block. Fix: choose a /24-/27 outside the VPC, e.g. ${vpc.text.startsWith('192.168.') ? '172.31.0.0/24' : '192.168.0.0/24'}` });
  }
  if (cluster.network === 'auto') {
    const text = cluster.nodeNetworkCidr ?? cloud.vpc.cidr;
    const nodes = validCidr(text, NODE_RULE);
    const path = ['cluster', 'nodeNetworkCidr'];
    if (nodes && vpc && !cidrContains(vpc, nodes)) {
      issues.push({ path, message: `${text} is not inside the VPC CIDR ${cloud.vpc.cidr}. Fix: choose a block inside the VPC` });
    } else if (nodes) {
      const clash = subnets.find((s) => cidrOverlaps(s.cidr, nodes));
      if (clash) {
        const why = cluster.nodeNetworkCidr ? text : `${text} (the default: the whole VPC)`;
        issues.push({ path, message: `${why} overlaps subnets[${clash.index}] ${quote(clash.name)} (${clash.cidr.text}); JD Cloud splits this block into new subnets itself. Fix: set cloud.cluster.nodeNetworkCidr to a free block of the VPC, or use cloud.cluster.network: customized` });
      }
    }
    if (cluster.subnets) issues.push({ path: ['cluster', 'subnets'], message: 'only applies to network: customized. Fix: remove it or set cloud.cluster.network: customized' });
    if (cluster.serviceCidr) issues.push({ path: ['cluster', 'serviceCidr'], message: 'only applies to network: customized (auto mode chooses it). Fix: remove it or set cloud.cluster.network: customized' });
  } else {
    if (cluster.nodeNetworkCidr) issues.push({ path: ['cluster', 'nodeNetworkCidr'], message: 'only applies to network: auto. Fix: remove it (customized mode uses cloud.cluster.subnets)' });
    if (!cluster.subnets) {
      issues.push({ path: ['cluster', 'subnets'], message: 'is required for network: customized. Fix: add {node, pod, lb} naming three entries of cloud.subnets' });
    } else {
      for (const role of ['node', 'pod', 'lb'] as const) {
        const name = cluster.subnets[role];
        if (!cloud.subnets.some((s) => s.name === name)) {
          issues.push({ path: ['cluster', 'subnets', role], message: `${quote(name)} is not the name of an entry of cloud.subnets. Fix: add a subnet named ${quote(name)} to cloud.subnets or name an existing one` });
        }
      }
    }
    const serviceText = cluster.serviceCidr ?? DEFAULT_SERVICE_CIDR;
    const service = validCidr(serviceText, SERVICE_RULE);
    for (const [other, label] of [[vpc, `the VPC CIDR ${cloud.vpc.cidr}`], [master, `the master CIDR ${cluster.masterCidr}`]] as const) {
      if (service && other && cidrOverlaps(service, other)) {
        issues.push({ path: ['cluster', 'serviceCidr'], message: `${serviceText} overlaps ${label}. Fix: choose a private block outside both, e.g. 172.31.0.0/16` });
      }
    }
  }
  return issues;
}

/** The listed subnets that pass their own rules and lie inside the VPC, with their index. */
function validSubnets(cloud: Pick<CloudConfig, 'vpc' | 'subnets'>): { index: number; name: string; cidr: Ipv4Cidr }[] {
  const vpc = validCidr(cloud.vpc.cidr, VPC_RULE);
  return cloud.subnets.flatMap((s, index) => {
    const c = validCidr(s.cidr, SUBNET_RULE);
    return c && (!vpc || cidrContains(vpc, c)) ? [{ index, name: s.name, cidr: c }] : [];
  });
}

function validCidr(text: string, rule: CidrRule): Ipv4Cidr | undefined {
  return cidrProblem(text, rule) ? undefined : parseIpv4Cidr(text);
}

/** True when the VPC mask is outside the console's /16–/18 for Kubernetes (a warning, not an error). */
export function vpcMaskOutsideK8sRange(cidr: string): boolean {
  const c = parseIpv4Cidr(cidr);
  return !!c && (c.prefix < MASKS.k8sVpc[0] || c.prefix > MASKS.k8sVpc[1]);
}
