/**
 * `jcrkit up --dry-run`: every call the run would make, computed from the config alone — JD Cloud
 * API names with their (redacted) bodies, the Kubernetes writes, the files and the kubectl command —
 * and NO request. Reads are listed too, since a dry run cannot know their answers; the creates
 * are marked "if missing". Local checks (names, CIDRs, the CreateCluster body) still run, so a
 * dry run fails exactly where the real run would fail before its first request.
 */
import type { JdcloudCredentials } from '../jdcloud/credentials';
import { buildCreateClusterRequest } from './cluster';
import type { LoadedCloudConfig } from './config';
import { kubeconfigEntryName } from './kubeconfig';
import { mirrorPairsFromConfig } from './mirror-from-config';
import { checkNetworkSpec } from './network';
import { redactBody } from '../core/redact';
import { refreshPlanFromConfig } from '../config/refresh-plan';
import { checkRegistryNames, repositoriesFromImages } from './registry';
import type { UpSteps } from './up';

export type PlannedCall =
  | { kind: 'jdcloud'; service: string; action: string; method: string; path: string; body?: unknown; note?: string }
  | { kind: 'kube'; method: string; path: string; note?: string }
  | { kind: 'registry'; source: string; destination: string }
  | { kind: 'file'; path: string; note: string }
  | { kind: 'exec'; argv: string[] };

export interface PlannedStep {
  step: keyof UpSteps;
  title: string;
  calls: PlannedCall[];
}

export interface UpPlanOptions {
  steps: UpSteps;
  kubeconfigPath: string;
  /** context for kube steps when the cluster step is skipped (else the new cluster's) */
  context?: string;
  out: string;
  kubectl: string;
}

/** Placeholder credentials: the plan shows the body shape; secrets are redacted anyway. */
const PLACEHOLDER_CREDENTIALS: JdcloudCredentials = { accessKey: 'AK', secretKey: 'SK' };

export function planUp(loaded: LoadedCloudConfig, opts: UpPlanOptions): PlannedStep[] {
  const { config, cloud, cloudRegion } = loaded;
  const { name: registryName, region, host, crService: cr } = config.registry;
  const repositories = repositoriesFromImages(config.images);
  const steps: PlannedStep[] = [];
  const add = (step: keyof UpSteps, title: string, calls: PlannedCall[]) => {
    if (opts.steps[step]) steps.push({ step, title, calls });
  };
  const j = (service: string, action: string, method: string, path: string, body?: unknown, note?: string): PlannedCall => ({ kind: 'jdcloud', service, action, method, path: `/v1${path}`, body, note });

  if (opts.steps.registry) checkRegistryNames(registryName, repositories);
  add('registry', `registry ${registryName} and its repositories (${host})`, [
    j(cr, 'CheckRegistryName', 'POST', `/regions/${region}/registries:checkRegistryName`, { registryName }),
    j(cr, 'DescribeRegistry', 'GET', `/regions/${region}/registries/${registryName}`, undefined, 'when the name is taken'),
    j(cr, 'CreateRegistry', 'POST', `/regions/${region}/registries`, { registryName, description: 'created by jcrkit' }, 'if missing'),
    j(cr, 'DescribeRepositories', 'POST', `/regions/${region}/listRepositories`, { registryName, pageNumber: 1, pageSize: 100 }),
    ...repositories.map((repositoryName) => j(cr, 'CreateRepository', 'POST', `/regions/${region}/registries/${registryName}/repositories`, { repositoryName, description: 'created by jcrkit' }, 'if missing')),
  ]);

  const pairs = mirrorPairsFromConfig(config);
  add('mirror', `mirror ${pairs.length} image(s) into ${host}`, [
    j(cr, 'GetAuthorizationToken', 'POST', `/regions/${region}/registries/${registryName}:getAuthorizationToken`, { expiredAfterHours: 1 }, 'push credentials for the mirror'),
    ...pairs.map((p): PlannedCall => ({ kind: 'registry', source: p.source, destination: p.destination })),
  ]);

  if (opts.steps.network) checkNetworkSpec(cloud);
  add('network', `VPC ${cloud.vpc.name} (${cloud.vpc.cidr}) and ${cloud.subnets.length} subnet(s) in ${cloudRegion}`, [
    j('vpc', 'DescribeVpcs', 'GET', `/regions/${cloudRegion}/vpcs/`, { filters: [{ name: 'vpcNames', values: [cloud.vpc.name] }] }),
    j('vpc', 'CreateVpc', 'POST', `/regions/${cloudRegion}/vpcs/`, { vpcName: cloud.vpc.name, addressPrefix: cloud.vpc.cidr, description: cloud.vpc.description }, 'if missing'),
    j('vpc', 'DescribeSubnets', 'GET', `/regions/${cloudRegion}/subnets/`, { filters: [{ name: 'vpcId', values: [`<vpcId of ${cloud.vpc.name}>`] }] }),
    ...cloud.subnets.map((s) =>
      j('vpc', 'CreateSubnet', 'POST', `/regions/${cloudRegion}/subnets/`, { vpcId: `<vpcId of ${cloud.vpc.name}>`, subnetName: s.name, addressPrefix: s.cidr, description: s.description }, 'if missing'),
    ),
  ]);

  const subnetIds = Object.fromEntries(cloud.subnets.map((s) => [s.name, `<subnetId of ${s.name}>`]));
  const body = buildCreateClusterRequest(cloud, cloudRegion, { vpcId: `<vpcId of ${cloud.vpc.name}>`, vpcCidr: cloud.vpc.cidr, subnetIds }, PLACEHOLDER_CREDENTIALS);
  const { regionId: _region, ...createBody } = body;
  add('cluster', `cluster ${cloud.cluster.name} (${cloud.cluster.network} network, ${cloud.cluster.nodeGroup.count} x ${cloud.cluster.nodeGroup.instanceType})`, [
    j('kubernetes', 'DescribeClusters', 'GET', `/regions/${cloudRegion}/clusters`, { filters: [{ name: 'name', values: [cloud.cluster.name] }] }),
    j('vpc', 'DescribeVpcs', 'GET', `/regions/${cloudRegion}/vpcs/`, { filters: [{ name: 'vpcNames', values: [cloud.vpc.name] }] }, 'the VPC id for the body'),
    j('kubernetes', 'CreateCluster', 'POST', `/regions/${cloudRegion}/clusters`, redactBody(createBody), 'if missing'),
    j('kubernetes', 'DescribeCluster', 'GET', `/regions/${cloudRegion}/clusters/<clusterId>`, undefined, 'polled until running'),
  ]);

  const context = opts.steps.cluster || opts.steps.kubeconfig ? kubeconfigEntryName(cloudRegion, cloud.cluster.name) : opts.context;
  add('kubeconfig', `kubeconfig context ${kubeconfigEntryName(cloudRegion, cloud.cluster.name)}`, [
    j('kubernetes', 'DescribeCluster', 'GET', `/regions/${cloudRegion}/clusters/<clusterId>`),
    { kind: 'file', path: opts.kubeconfigPath, note: `merge cluster/user/context ${kubeconfigEntryName(cloudRegion, cloud.cluster.name)}, set current-context (mode 0600)` },
  ]);

  const kubectlArgs = [opts.kubectl, '--kubeconfig', opts.kubeconfigPath, ...(context ? ['--context', context] : []), 'apply', '-f', opts.out];
  add('deploy', `render the manifests into ${opts.out}/ and apply them`, [
    { kind: 'file', path: opts.out, note: 'rendered manifests (replaced atomically)' },
    { kind: 'exec', argv: kubectlArgs },
  ]);

  const secretPath = `/api/v1/namespaces/${config.refresher.namespace}/secrets`;
  add('credentials', `AK/SK Secret ${config.refresher.namespace}/${config.refresher.credentialsSecret}`, [
    { kind: 'kube', method: 'GET', path: `${secretPath}/${config.refresher.credentialsSecret}` },
    { kind: 'kube', method: 'POST', path: secretPath, note: `create ${config.refresher.credentialsSecret} (keys JDCLOUD_ACCESS_KEY, JDCLOUD_SECRET_KEY) if missing` },
    { kind: 'kube', method: 'PUT', path: `${secretPath}/${config.refresher.credentialsSecret}`, note: 'update in place (resourceVersion) if it differs' },
  ]);

  const plan = refreshPlanFromConfig(config);
  add('refresh', `first token refresh: Secret ${plan.secretName} in ${plan.namespaces.join(', ')}`, [
    ...plan.namespaces.map((ns): PlannedCall => ({ kind: 'kube', method: 'GET', path: `/api/v1/namespaces/${ns}/secrets/${plan.secretName}`, note: 'the expiry jcrkit recorded' })),
    ...plan.namespaces.map((ns): PlannedCall => ({ kind: 'kube', method: 'POST', path: `/api/v1/namespaces/${ns}/secrets?dryRun=All`, note: 'server-side dry run before minting (PUT for an existing Secret)' })),
    j(plan.crService, 'GetAuthorizationToken', 'POST', `/regions/${region}/registries/${registryName}:getAuthorizationToken`, { expiredAfterHours: plan.tokenHours }, 'only when no recorded token is valid for longer than renewBefore'),
    ...plan.namespaces.flatMap((ns): PlannedCall[] => [
      { kind: 'kube', method: 'PUT', path: `/api/v1/namespaces/${ns}/secrets/${plan.secretName}?fieldManager=jcrkit-refresher`, note: 'create (POST) or update in place' },
      ...(plan.serviceAccountNamespaces.includes(ns)
        ? plan.serviceAccounts.map((sa): PlannedCall => ({ kind: 'kube', method: 'PATCH', path: `/api/v1/namespaces/${ns}/serviceaccounts/${sa}?fieldManager=jcrkit-refresher`, note: `add imagePullSecrets ${plan.secretName} if absent` }))
        : []),
    ]),
    { kind: 'kube', method: 'POST', path: `/api/v1/namespaces/${plan.refresherNamespace}/events`, note: 'the run, recorded on the CronJob' },
  ]);
  return steps;
}

/**
 * What `jcrkit up` warns about before it does anything (dry run included): the render warnings
 * of the config, and a v1.10.1 Dashboard headed for a cluster it cannot run on.
 */
export function upWarnings(loaded: LoadedCloudConfig, steps: UpSteps): string[] {
  const warnings = [...loaded.warnings];
  const { config, cloud } = loaded;
  if (config.dashboard.enabled && config.dashboard.preset === 'v1.10.1' && steps.deploy) {
    const m = /^(\d+)\.(\d+)\./.exec(cloud.cluster.version ?? '');
    if (m && (Number(m[1]) > 1 || Number(m[2]) >= 16)) {
      warnings.push(`cloud.cluster.version ${cloud.cluster.version}: the v1.10.1 Dashboard this config deploys does not run on Kubernetes >= 1.16 (its UI answers 404). Fix: use dashboard.preset: v2.7.0 or headlamp`);
    } else if (!m && steps.cluster) {
      warnings.push('the cluster step creates a cluster at JD Cloud\'s default Kubernetes version (well past 1.15, unless cloud.cluster.version says otherwise), where the v1.10.1 Dashboard this config deploys does not run. Fix: use dashboard.preset: v2.7.0 or headlamp');
    }
  }
  return warnings;
}

export function formatPlannedSteps(steps: PlannedStep[]): string {
  const lines = ['dry run: nothing is created, written or applied; this is what `jcrkit up` would do:'];
  steps.forEach((s, i) => {
    lines.push(`${i + 1}. [${s.step}] ${s.title}`);
    for (const c of s.calls) lines.push(`   ${formatCall(c)}`);
  });
  return `${lines.join('\n')}\n`;
}

function formatCall(c: PlannedCall): string {
  const note = 'note' in c && c.note ? ` (${c.note})` : '';
  switch (c.kind) {
    case 'jdcloud':
      return `JD Cloud ${c.service} ${c.action}: ${c.method} ${c.path}${c.body === undefined ? '' : ` ${JSON.stringify(c.body)}`}${note}`;
    case 'kube':
      return `Kubernetes ${c.method} ${c.path}${note}`;
    case 'registry':
      return `copy image ${c.source} -> ${c.destination}`;
    case 'file':
      return `write ${c.path}: ${c.note}`;
    case 'exec':
      return `run ${c.argv.join(' ')}`;
  }
}
