/**
 * `jcrkit up`: the whole runbook in order — registry and repositories, mirror, VPC and subnets,
 * cluster, kubeconfig, the rendered manifests, the AK/SK Secret, then the first token refresh from
 * this machine: the CronJob's pod pulls its own image with the pull Secret, so it cannot make the
 * first one. The apply comes before the AK/SK Secret because it creates a custom refresher
 * namespace. Every step is idempotent, so a failed or interrupted run is simply run again.
 */
import type { Redactor } from '../core/redact';
import type { JdcloudClient } from '../jdcloud/client';
import type { JdcloudCredentials } from '../jdcloud/credentials';
import type { Transport } from '../jdcloud/transport';
import { CrApi } from '../jdcloud/cr';
import { KubernetesApi } from '../jdcloud/kubernetes';
import { VpcApi } from '../jdcloud/vpc';
import { kubeClientFromEnvironment } from '../kube';
import type { KubeClient } from '../kube/client';
import type { MirrorOptions } from '../registry';
import type { RefreshReport } from '../refresher/run';
import { renderStack, writeRendered } from '../render';
import { buildCreateClusterRequest, ensureCluster, type EnsureClusterResult } from './cluster';
import type { LoadedCloudConfig } from './config';
import { applyCredentialsSecret, type CredentialsSecretResult } from './credentials-secret';
import { CloudStateError } from './errors';
import { kubeconfigEntryFromCluster, updateKubeconfigFile } from './kubeconfig';
import type { Log, StatusLine } from './log';
import { mirrorFromConfig, type MirrorFromConfigResult } from './mirror-from-config';
import { ensureNetwork, type NetworkResult } from './network';
import type { UpSteps } from './up-steps';
import { applyPullSecret } from './pull-secret';
import { ensureRegistry, repositoriesFromImages, type EnsureRegistryResult } from './registry';

export { UP_STEP_NAMES, type UpSteps } from './up-steps';

export interface UpOptions {
  client: JdcloudClient;
  credentials: JdcloudCredentials;
  endpoint?: string;
  steps: UpSteps;
  /** kubeconfig file merged into and used for the kube steps */
  kubeconfigPath: string;
  /** context for the kube steps when the cluster/kubeconfig steps are skipped (default current-context) */
  context?: string;
  setCurrentContext: boolean;
  out: string;
  kubectl: string;
  timeoutMs: number;
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log: Log;
  status?: StatusLine;
  /** runs kubectl; resolves with its exit code */
  run: (command: string, args: string[]) => Promise<number>;
  /** where refresh lines go */
  refreshSink: { write(s: string): unknown };
  output: 'text' | 'json';
  /** scrubs the refresh's lines (see applyPullSecret) */
  redactor: Redactor;
  mirrorOptions?: MirrorOptions;
  /** the OpenAPI transport (a proxied one) for the refresh step's own client */
  jdcloudTransport?: Transport;
  /** test hook: registry probe of the refresh */
  probeRegistry?: Parameters<typeof applyPullSecret>[1]['probeRegistry'];
}

export interface UpResult {
  registry?: EnsureRegistryResult;
  mirror?: Pick<MirrorFromConfigResult, 'pairs' | 'digests' | 'repositoriesCreated'>;
  network?: NetworkResult;
  cluster?: { clusterId: string; name: string; state: string; created: boolean };
  kubeconfig?: { path: string; context: string; server: string };
  credentials?: CredentialsSecretResult;
  deploy?: { out: string; files: string[] };
  refresh?: Pick<RefreshReport, 'exitCode' | 'failedNamespaces' | 'expiresAt'>;
  exitCode: number;
}

export async function runUp(loaded: LoadedCloudConfig, opts: UpOptions): Promise<UpResult> {
  const { config, cloud, cloudRegion } = loaded;
  const { steps, log } = opts;
  const cr = new CrApi(opts.client, { service: config.registry.crService });
  const result: UpResult = { exitCode: 0 };
  const header = (n: number, text: string) => log(`==> ${n}/8 ${text}`);

  if (steps.registry) {
    header(1, 'registry');
    result.registry = await ensureRegistry(cr, {
      regionId: config.registry.region,
      registryName: config.registry.name,
      repositories: repositoriesFromImages(config.images),
      host: config.registry.host,
      log,
    });
  }
  if (steps.mirror) {
    header(2, 'mirror');
    const mirrored = await mirrorFromConfig(config, {
      cr,
      skipRepositories: steps.registry, // just ensured
      mirror: { ...opts.mirrorOptions, onEvent: (e) => e.type === 'image-done' && log(`${e.result.destination}: ${e.result.status}${e.result.error ? ` (${e.result.error.message})` : ''}`) },
      log,
    });
    result.mirror = { pairs: mirrored.pairs, digests: mirrored.digests, repositoriesCreated: mirrored.repositoriesCreated };
    if (!mirrored.report.ok) throw new CloudStateError(`mirror failed for ${mirrored.report.totals.failed} image(s); the cluster could not pull them. Fix: see the lines above, then run again (finished images are not copied twice)`);
    if (mirrored.digestsYaml) log(`digests (for images.digests with images.pinDigests: true):\n${mirrored.digestsYaml.trimEnd()}`);
  }

  let network: NetworkResult | undefined;
  if (steps.network) {
    header(3, 'network');
    network = result.network = await ensureNetwork(new VpcApi(opts.client), { regionId: cloudRegion, spec: cloud, log });
  }

  const kubernetes = new KubernetesApi(opts.client);
  let ensured: EnsureClusterResult | undefined;
  if (steps.cluster) {
    header(4, 'cluster');
    network ??= await ensureNetwork(new VpcApi(opts.client), { regionId: cloudRegion, spec: cloud, log, createMissing: false });
    const request = buildCreateClusterRequest(cloud, cloudRegion, { vpcId: network.vpc.vpcId, vpcCidr: network.vpc.cidr, subnetIds: Object.fromEntries(network.subnets.map((s) => [s.name, s.subnetId])) }, opts.credentials);
    ensured = await ensureCluster(kubernetes, request, { timeoutMs: opts.timeoutMs, intervalMs: opts.intervalMs, sleep: opts.sleep, now: opts.now, status: opts.status, log });
    result.cluster = { clusterId: ensured.cluster.clusterId, name: ensured.cluster.name, state: String(ensured.cluster.clusterState), created: ensured.created };
  }

  let context = opts.context;
  if (steps.kubeconfig) {
    header(5, 'kubeconfig');
    if (!ensured) throw new CloudStateError('the kubeconfig step needs the cluster step. Fix: drop --skip-cluster, or add --skip-kubeconfig and pass --kubeconfig/--context of the cluster');
    const entry = kubeconfigEntryFromCluster(ensured.cluster, cloudRegion);
    updateKubeconfigFile(opts.kubeconfigPath, entry, { setCurrent: opts.setCurrentContext });
    context = entry.name;
    result.kubeconfig = { path: opts.kubeconfigPath, context: entry.name, server: entry.server };
    log(`kubeconfig ${opts.kubeconfigPath}: context ${entry.name} (${entry.server})`);
  }

  let kube: KubeClient | undefined;
  const kubeClient = () => (kube ??= kubeClientFromEnvironment({ kubeconfig: opts.kubeconfigPath, context }));
  try {
    if (steps.deploy) {
      header(6, 'deploy');
      const { files } = renderStack(config);
      const written = writeRendered(opts.out, files);
      result.deploy = { out: opts.out, files: written };
      const args = ['--kubeconfig', opts.kubeconfigPath, ...(context ? ['--context', context] : []), 'apply', '-f', opts.out];
      log(`${opts.kubectl} ${args.join(' ')}`);
      const code = await opts.run(opts.kubectl, args);
      if (code !== 0) throw new CloudStateError(`kubectl apply exited with ${code}; see its output above. Fix: correct the cause and run again`);
    }
    if (steps.credentials) {
      header(7, 'credentials');
      result.credentials = await applyCredentialsSecret(kubeClient(), { namespace: config.refresher.namespace, name: config.refresher.credentialsSecret, credentials: opts.credentials });
      log(`Secret ${config.refresher.namespace}/${config.refresher.credentialsSecret}: ${result.credentials.action}`);
    }
    if (steps.refresh) {
      header(8, 'refresh');
      const report = await applyPullSecret(config, {
        kube: kubeClient(),
        credentials: opts.credentials,
        endpoint: opts.endpoint,
        sink: opts.refreshSink,
        output: opts.output,
        redactor: opts.redactor,
        probeRegistry: opts.probeRegistry,
        ...(opts.jdcloudTransport ? { client: { transport: opts.jdcloudTransport } } : {}),
      });
      result.refresh = { exitCode: report.exitCode, failedNamespaces: report.failedNamespaces, expiresAt: report.expiresAt };
      result.exitCode = report.exitCode;
    }
  } finally {
    kube?.close();
  }
  return result;
}
