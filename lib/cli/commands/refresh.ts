/**
 * `jcrkit refresh`: the CronJob's refresh run from a workstation (kubeconfig identity) — or its
 * read-only preview with --dry-run. The plan comes from --plan-file and/or flags; flags win.
 */
import { loadConfig, refreshPlanFromConfig } from '../../config';
import * as fs from 'fs';
import type { Argv, CommandModule } from 'yargs';
import { endpointOverrideFrom } from '../../jdcloud/endpoints';
import { kubeClientFromEnvironment } from '../../kube';
import type { KubeClient } from '../../kube/client';
import { dryRunRefresh, type DryRunReport } from '../../refresher/dry-run';
import { jdcloudTokenSource } from '../../refresher/jdcloud-token-source';
import { jsonLineLogger, textLogger } from '../../refresher/logger';
import { validateRefreshPlan, type RefreshPlan } from '../../model/refresh-plan';
import { redactorFromEnv } from '../../core/redact';
import { EXIT_BAD_INPUT, runRefresh } from '../../refresher/run';

export interface RefreshArgs {
  kubeconfig?: string;
  context?: string;
  'plan-file'?: string;
  config?: string;
  namespace?: string[];
  'service-account'?: string[];
  'registry-name'?: string;
  region?: string;
  'registry-host'?: string;
  'secret-name'?: string;
  email?: string;
  'token-hours'?: number;
  'cr-service'?: string;
  'verify-registry'?: boolean;
  'release-superseded-tokens'?: boolean;
  endpoint?: string;
  'dry-run'?: boolean;
  output: 'text' | 'json';
  concurrency: number;
}

export const refreshCommand: CommandModule<object, RefreshArgs> = {
  command: 'refresh',
  describe: 'Get a JCR temporary token and write it into the pull Secret of every target namespace (what the CronJob runs)',
  builder: (y: Argv) =>
    y
      .option('kubeconfig', { type: 'string', describe: 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config; in a pod: the service account)', group: 'Kubernetes:' })
      .option('context', { type: 'string', describe: 'kubeconfig context (default: current-context)', group: 'Kubernetes:' })
      .option('config', { type: 'string', describe: 'jcrkit config file the plan is derived from (default: $JCRKIT_CONFIG; the embedded default when neither --plan-file nor --registry-name is given); flags override it', group: 'Plan:' })
      .option('plan-file', { type: 'string', describe: 'refresh plan as JSON (the JCRKIT_REFRESH_PLAN the CronJob gets); flags override it', group: 'Plan:' })
      .option('namespace', { alias: 'n', type: 'string', array: true, describe: 'namespace to write the Secret into (repeatable; replaces the plan\'s list; default: the context namespace)', group: 'Plan:' })
      .option('service-account', { type: 'string', array: true, describe: 'ServiceAccount to point at the Secret in every namespace (repeatable; replaces the plan\'s list)', group: 'Plan:' })
      .option('registry-name', { type: 'string', describe: 'JCR registry name', group: 'Plan:' })
      .option('region', { type: 'string', describe: 'JCR region, e.g. cn-north-1', group: 'Plan:' })
      .option('registry-host', { type: 'string', describe: 'registry host (default {name}-{region}.jcr.service.jdcloud.com)', group: 'Plan:' })
      .option('secret-name', { type: 'string', describe: 'pull Secret name', group: 'Plan:' })
      .option('email', { type: 'string', describe: 'docker email field (omitted when empty, as kubectl does)', group: 'Plan:' })
      .option('token-hours', { type: 'number', describe: 'token validity, 1–24 hours (default 12)', group: 'Plan:' })
      .option('cr-service', { type: 'string', choices: ['cr', 'containerregistry'], describe: 'JD Cloud service name to call (default cr)', group: 'Plan:' })
      .option('verify-registry', { type: 'boolean', describe: 'check the token against https://{host}/v2/ before writing (default true; skipped with a warning when unreachable)', group: 'Plan:' })
      .option('release-superseded-tokens', {
        type: 'boolean',
        describe: 'after all namespaces hold the new token, release the registry\'s other tokens (JCR issues at most 5 per hour; only if nothing else uses this registry\'s tokens)',
        group: 'Plan:',
      })
      .option('endpoint', { type: 'string', describe: 'JD Cloud API base URL for every call (env JDCLOUD_ENDPOINT)' })
      .option('dry-run', { type: 'boolean', describe: 'fetch no token and write nothing: read the cluster and print what would be created, updated or patched' })
      .option('output', { alias: 'o', choices: ['text', 'json'] as const, default: 'text' as const, describe: 'text lines, or JSON (one line per namespace; the dry-run report as one document)' })
      .option('concurrency', { type: 'number', default: 16, describe: 'namespaces processed at once' })
      .example('$0 refresh --registry-name myreg --region cn-north-1 --secret-name jcr-pull -n default -n apps --service-account default', 'refresh two namespaces')
      .example('$0 refresh --plan-file plan.json --dry-run', 'show what a run would change') as never,
  handler: async (args) => {
    process.exitCode = await refreshHandler(args, { stdout: process.stdout, stderr: process.stderr, env: process.env });
  },
};

export interface RefreshIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
  /** tests inject a client; default from --kubeconfig/--context/environment */
  kube?: KubeClient;
}

/** The command's work, separated from yargs so tests can call it; resolves with the exit code. */
export async function refreshHandler(args: RefreshArgs, io: RefreshIo): Promise<number> {
  const redactor = redactorFromEnv(io.env);
  let kube: KubeClient | undefined = io.kube;
  try {
    kube ??= kubeClientFromEnvironment({ kubeconfig: args.kubeconfig, context: args.context, env: io.env });
    const plan = planFromArgs(args, kube.namespace);
    if (args['dry-run']) {
      const report = await dryRunRefresh(plan, kube, args.concurrency);
      io.stdout.write(args.output === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatDryRun(report));
      return report.namespaces.some((n) => n.error) ? 1 : 0;
    }
    const accessKey = io.env.JDCLOUD_ACCESS_KEY;
    const secretKey = io.env.JDCLOUD_SECRET_KEY;
    if (!accessKey || !secretKey) throw new Error('JDCLOUD_ACCESS_KEY and JDCLOUD_SECRET_KEY must be set for a refresh (or use --dry-run)');
    const tokens = jdcloudTokenSource({
      accessKey,
      secretKey,
      regionId: plan.registry.region,
      registryName: plan.registry.name,
      service: plan.crService,
      endpoint: endpointOverrideFrom(args.endpoint, io.env),
    });
    const logger = args.output === 'json' ? jsonLineLogger(io.stdout, redactor) : textLogger(io.stdout, redactor);
    const report = await runRefresh(plan, { kube, tokens, logger, redactor, concurrency: args.concurrency });
    return report.exitCode;
  } catch (err) {
    io.stderr.write(`error: ${redactor.describe(err)}\n`);
    return EXIT_BAD_INPUT;
  } finally {
    if (!io.kube) kube?.close();
  }
}

/** --plan-file (if any) with flags on top, validated like the pod's JCRKIT_REFRESH_PLAN. */
export function planFromArgs(args: RefreshArgs, defaultNamespace: string): RefreshPlan {
  // The plan the rendered CronJob gets for the same config, when a config is named (--config,
  // JCRKIT_CONFIG) or nothing else describes the registry (then: the embedded default config).
  const useConfig = !args['plan-file'] && (args.config !== undefined || !!process.env.JCRKIT_CONFIG || args['registry-name'] === undefined);
  let base: Record<string, unknown> = useConfig ? (refreshPlanFromConfig(loadConfig({ path: args.config }).config) as unknown as Record<string, unknown>) : {};
  if (args['plan-file']) {
    const text = fs.readFileSync(args['plan-file'], 'utf8');
    try {
      base = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`--plan-file ${args['plan-file']} is not valid JSON: ${(err as Error).message}`);
    }
  }
  const registry = { ...((base.registry as Record<string, unknown>) ?? {}) };
  // A new name or region changes the host, unless the host itself is given.
  if ((args['registry-name'] !== undefined || args.region !== undefined) && args['registry-host'] === undefined) delete registry.host;
  if (args['registry-name'] !== undefined) registry.name = args['registry-name'];
  if (args.region !== undefined) registry.region = args.region;
  if (args['registry-host'] !== undefined) registry.host = args['registry-host'];
  const plan: Record<string, unknown> = { ...base, registry };
  const set = (key: string, v: unknown) => {
    if (v !== undefined) plan[key] = v;
  };
  set('secretName', args['secret-name']);
  set('email', args.email);
  set('namespaces', args.namespace);
  set('serviceAccounts', args['service-account']);
  set('tokenHours', args['token-hours']);
  set('crService', args['cr-service']);
  set('verifyRegistry', args['verify-registry']);
  set('releaseSupersededTokens', args['release-superseded-tokens']);
  plan.namespaces ??= [defaultNamespace];
  return validateRefreshPlan(plan);
}

export function formatDryRun(r: DryRunReport): string {
  const lines = [`dry run: no token fetched, nothing written. Registry ${r.registryHost}, Secret ${r.secretName}, token ${r.tokenHours} h`];
  for (const n of r.namespaces) {
    if (n.error) {
      lines.push(`${n.namespace}: cannot read: ${n.error}`);
      continue;
    }
    const s = n.secret;
    let secret = `Secret ${s.name}: would ${s.wouldDo === 'blocked' ? `NOT be written (${s.reason})` : s.wouldDo}`;
    if (s.keptRegistries?.length) secret += ` (keeping entries for ${s.keptRegistries.join(', ')})`;
    const sas = n.serviceAccounts.map((a) => `ServiceAccount ${a.name}: ${a.wouldDo === 'add' ? 'would add the Secret' : a.wouldDo === 'none' ? 'already references it' : 'missing (would not be created)'}`);
    lines.push(`${n.namespace}: ${[secret, ...sas].join('; ')}`);
  }
  return lines.join('\n') + '\n';
}
