/** `jcrkit refresh`, run: the plan from flags (or the config), then the one refresh wiring (lib/refresher/invoke.ts). */
import { refreshPlanFromConfig } from '../../config';
import * as fs from 'fs';
import { parseMinutes } from '../../core/duration';
import { InputError, UsageError } from '../../core/errors';
import type { Redactor } from '../../core/redact';
import { endpointOverrideFrom } from '../../jdcloud/endpoints';
import { proxiedTransport } from '../../cloud/client';
import { kubeClientFromEnvironment } from '../../kube';
import type { KubeClient } from '../../kube/client';
import { RefreshPlanError, validateRefreshPlan, type RefreshPlan } from '../../model/refresh-plan';
import { invokeRefresh, RefreshInputError, type RefreshInvocation } from '../../refresher/invoke';
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
  'renew-before'?: string;
  force?: boolean;
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
    return runRefreshCommand(io, args, (kube) => planOnBase(base, args, kube.namespace), redactor);
  });
}

/**
 * What `jcrkit refresh` and its alias `jcrkit pull-secret apply` share: the Kubernetes client
 * from --kubeconfig/--context, the plan, the one wiring (lib/refresher/invoke.ts). Errors are
 * thrown to the caller's runCommand: exit 2 (bad input) or 1 (the run could not be done).
 * With --output json stdout gets one document (the report); the run's lines go to stderr.
 */
export async function runRefreshCommand(
  io: RefreshIo,
  args: Pick<RefreshArgs, 'kubeconfig' | 'context' | 'endpoint' | 'dry-run' | 'force' | 'output' | 'concurrency'>,
  plan: (kube: KubeClient) => RefreshPlan,
  redactor: Redactor,
  extra: Partial<RefreshInvocation> = {},
): Promise<number> {
  let kube: KubeClient | undefined = io.kube;
  try {
    try {
      kube ??= kubeClientFromEnvironment({ kubeconfig: args.kubeconfig, context: args.context, env: io.env });
    } catch (err) {
      // no request was made: the kubeconfig or context given is unusable, which is bad input
      throw new RefreshInputError((err as Error).message);
    }
    const accessKey = io.env.JDCLOUD_ACCESS_KEY?.trim();
    const secretKey = io.env.JDCLOUD_SECRET_KEY?.trim();
    const json = args.output === 'json';
    const dryRun = !!args['dry-run'];
    const result = await invokeRefresh({
      plan: plan(kube),
      kube,
      credentials: accessKey && secretKey ? { accessKey, secretKey } : undefined,
      endpoint: endpointOverrideFrom(args.endpoint, io.env),
      // a dry run prints its report as one document; a real run's lines are progress when json
      output: dryRun ? args.output : 'text',
      out: json && !dryRun ? io.stderr : io.stdout,
      dryRun,
      force: args.force,
      concurrency: args.concurrency,
      redactor,
      writer: 'jcrkit refresh',
      // HTTPS_PROXY / NO_PROXY (and --proxy, where the command has it) from a workstation; the
      // pod's bundle has no proxy support
      client: { transport: proxiedTransport(io.env, (args as { proxy?: string }).proxy) },
      ...extra,
    });
    if (json && !dryRun && result.report) writeJson(io.stdout, result.report);
    return result.exitCode;
  } finally {
    if (!io.kube) kube?.close();
  }
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
  // -n replaces the namespace list; its ServiceAccounts are then patched in exactly those namespaces
  set('serviceAccountNamespaces', args.namespace);
  set('serviceAccounts', args['service-account']);
  set('tokenHours', args['token-hours']);
  if (args['token-hours'] !== undefined && args['renew-before'] === undefined) delete plan.renewBeforeMinutes; // half of the new lifetime
  if (args['renew-before'] !== undefined) {
    const minutes = parseMinutes(args['renew-before']);
    if (minutes === undefined) throw new RefreshPlanError('--renew-before', `"${args['renew-before']}" is not a duration such as 6h, 90m or 1h30m`);
    plan.renewBeforeMinutes = minutes;
  }
  set('crService', args['cr-service']);
  set('verifyRegistry', args['verify-registry']);
  set('releaseSupersededTokens', args['release-superseded-tokens']);
  plan.namespaces ??= [defaultNamespace];
  return validateRefreshPlan(plan);
}
