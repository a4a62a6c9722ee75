/** `jcrkit refresh`, run: the plan from flags, then one refresh run or its dry run. */
import { refreshPlanFromConfig } from '../../config';
import * as fs from 'fs';
import { InputError, UsageError } from '../../core/errors';
import { endpointOverrideFrom } from '../../jdcloud/endpoints';
import { kubeClientFromEnvironment } from '../../kube';
import type { KubeClient } from '../../kube/client';
import { dryRunRefresh, type DryRunReport } from '../../refresher/dry-run';
import { jdcloudTokenSource } from '../../refresher/jdcloud-token-source';
import { textLogger } from '../../refresher/logger';
import { validateRefreshPlan, type RefreshPlan } from '../../model/refresh-plan';
import { runRefresh } from '../../refresher/run';
import { runCommand, writeJson } from '../run-command';
import { loadConfigFromArgs } from './args';

export interface RefreshArgs {
  kubeconfig?: string;
  context?: string;
  'plan-file'?: string;
  config?: string;
  set?: string[];
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

export interface RefreshIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
  /** tests inject a client; default from --kubeconfig/--context/environment */
  kube?: KubeClient;
  /** receives the exit code (the command sets process.exitCode) */
  exit?: (code: number) => void;
}

/** The command's work, separated from yargs so tests can call it; resolves with the exit code. */
export function refreshHandler(args: RefreshArgs, io: RefreshIo): Promise<number> {
  return runCommand(io, async (redactor) => {
    // the plan (config, --plan-file, flags) is checked before the cluster is even looked at
    const base = planBaseFromArgs(args, io.env);
    const kube = io.kube ?? kubeClientFromEnvironment({ kubeconfig: args.kubeconfig, context: args.context, env: io.env });
    try {
      const plan = planOnBase(base, args, kube.namespace);
      if (args['dry-run']) {
        const report = await dryRunRefresh(plan, kube, args.concurrency);
        io.stdout.write(args.output === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatDryRun(report));
        return report.namespaces.some((n) => n.error) ? 1 : 0;
      }
      const accessKey = io.env.JDCLOUD_ACCESS_KEY;
      const secretKey = io.env.JDCLOUD_SECRET_KEY;
      if (!accessKey || !secretKey) throw new InputError('JDCLOUD_ACCESS_KEY and JDCLOUD_SECRET_KEY must be set for a refresh (or use --dry-run). Fix: export the AccessKey pair');
      const tokens = jdcloudTokenSource({
        accessKey,
        secretKey,
        regionId: plan.registry.region,
        registryName: plan.registry.name,
        service: plan.crService,
        endpoint: endpointOverrideFrom(args.endpoint, io.env),
      });
      // with --output json stdout gets the report alone; the lines are progress then
      const json = args.output === 'json';
      const logger = textLogger(json ? io.stderr : io.stdout, redactor);
      const report = await runRefresh(plan, { kube, tokens, logger, redactor, concurrency: args.concurrency });
      if (json) writeJson(io.stdout, report);
      return report.exitCode;
    } finally {
      if (!io.kube) kube.close();
    }
  });
}

/** --plan-file (if any) with flags on top, validated like the pod's JCRKIT_REFRESH_PLAN. */
export function planFromArgs(args: RefreshArgs, defaultNamespace: string, env: NodeJS.ProcessEnv = process.env): RefreshPlan {
  return planOnBase(planBaseFromArgs(args, env), args, defaultNamespace);
}

/** The plan before the flags: from --plan-file, or derived from the config (with --set), or empty. */
function planBaseFromArgs(args: RefreshArgs, env: NodeJS.ProcessEnv): Record<string, unknown> {
  if (args['plan-file'] && args.set?.length) throw new UsageError('--set overrides config values, and --plan-file uses no config. Fix: use the plan flags (--secret-name, --token-hours, …) with --plan-file');
  // The plan the rendered CronJob gets for the same config, when a config is named (--config,
  // JCRKIT_CONFIG, --set) or nothing else describes the registry (then: the embedded default config).
  const useConfig = !args['plan-file'] && (args.config !== undefined || !!env.JCRKIT_CONFIG || !!args.set?.length || args['registry-name'] === undefined);
  if (useConfig) return refreshPlanFromConfig(loadConfigFromArgs({ config: args.config, set: args.set }, env).config) as unknown as Record<string, unknown>;
  if (!args['plan-file']) return {};
  let text: string;
  try {
    text = fs.readFileSync(args['plan-file'], 'utf8');
  } catch (err) {
    throw new InputError(`cannot read --plan-file ${args['plan-file']}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Fix: check the path`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new InputError(`--plan-file ${args['plan-file']} is not valid JSON: ${(err as Error).message}`);
  }
}

function planOnBase(base: Record<string, unknown>, args: RefreshArgs, defaultNamespace: string): RefreshPlan {
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
