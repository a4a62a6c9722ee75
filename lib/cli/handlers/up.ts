/**
 * `jcrkit up`: the whole runbook, idempotent, in order. `--dry-run` prints every call it would
 * make (JD Cloud APIs with redacted bodies, Kubernetes writes, files, the kubectl command) and
 * makes none.
 */
import { cloudClient, proxiedTransport } from '../../cloud/client';
import { proxySettingsFromEnv } from '../../core/proxy';
import { kubeconfigEntryName, targetKubeconfigPath } from '../../cloud/kubeconfig';
import { formatPlannedSteps, planUp, upWarnings } from '../../cloud/up-plan';
import { accessInstructions } from '../../render/access';
import { UP_STEP_NAMES, runUp, type UpSteps } from '../../cloud/up';
import { endpointOverrideFrom } from '../../jdcloud/endpoints';
import { statusLine } from '../status-line';
import type { Redactor } from '../../core/redact';
import type { CloudArgs } from '../options/cloud';
import type { ConfigArgs } from '../options/config';
import type { KubeArgs } from '../options/kube';
import type { OutputArgs } from '../options/output';
import type { WaitArgs } from '../options/wait';
import { CommandIo, spawnToStderr, writeJson } from '../run-command';
import { waitFromArgs } from '../options/wait';
import { loadCloudConfigFromArgs } from './args';

export interface UpArgs extends ConfigArgs, CloudArgs, KubeArgs, OutputArgs, WaitArgs {
  out: string;
  'dry-run'?: boolean;
  'set-current': boolean;
  kubectl: string;
}

export async function run(args: UpArgs, io: CommandIo, redactor: Redactor): Promise<number | void> {
  const loaded = loadCloudConfigFromArgs(args, io.env);
  const steps = Object.fromEntries(UP_STEP_NAMES.map((s) => [s, !args[`skip-${s}`]])) as unknown as UpSteps;
  const kubeconfigPath = targetKubeconfigPath({ out: args.kubeconfig, env: io.env, homeDir: io.homeDir });
  const { timeoutMs, intervalMs } = waitFromArgs(args);
  // Before anything is created or applied, dry run included: the runbook's config used to
  // deploy an open cluster-admin Dashboard without a word.
  const warnings = upWarnings(loaded, steps);
  for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
  // How to reach the UI and log in, with the flags that name this config and cluster.
  const loginArgs = [
    args.config && `--config ${args.config}`,
    args.kubeconfig && `--kubeconfig ${args.kubeconfig}`,
    args.context ? `--context ${args.context}` : !args['set-current'] && steps.kubeconfig && `--context ${kubeconfigEntryName(loaded.cloudRegion, loaded.cloud.cluster.name)}`,
  ].filter(Boolean).join(' ');
  const access = accessInstructions(loaded.config, { configArgs: loginArgs || undefined });
  const accessText = access ? `\n${[...access.reach, ...access.login].join('\n')}\n` : '';
  if (args['dry-run']) {
    const planned = planUp(loaded, { steps, kubeconfigPath, context: args.context, out: args.out, kubectl: args.kubectl });
    if (args.output === 'json') writeJson(io.stdout, { dryRun: true, warnings, steps: planned, access });
    else io.stdout.write(`${formatPlannedSteps(planned)}${accessText && `\nthen:${accessText}`}`);
    return 0;
  }
  const { client, credentials } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud, proxy: args.proxy });
  const result = await runUp(loaded, {
    client,
    credentials,
    endpoint: endpointOverrideFrom(args.endpoint, io.env),
    steps,
    kubeconfigPath,
    context: args.context,
    setCurrentContext: args['set-current'],
    out: args.out,
    kubectl: args.kubectl,
    timeoutMs,
    intervalMs,
    sleep: io.sleep,
    now: io.now,
    log: (line) => io.stderr.write(`${redactor.scrub(line)}\n`),
    status: statusLine(io.stderr, { now: io.now }),
    run: io.run ?? spawnToStderr(io.stderr),
    // stdout is reserved for the final result; the refresh's lines are progress
    refreshSink: { write: (s: string) => io.stderr.write(redactor.scrub(s)) },
    output: args.output,
    mirrorOptions: { proxy: proxySettingsFromEnv(io.env, args.proxy) },
    jdcloudTransport: io.jdcloud?.transport ?? proxiedTransport(io.env, args.proxy),
    redactor,
  });
  if (args.output === 'json') {
    writeJson(io.stdout, { ...result, warnings, access });
  } else {
    const lines = [
      result.registry && `registry     ${result.registry.host}`,
      result.network && `vpc          ${result.network.vpc.vpcId} (${result.network.vpc.cidr})`,
      result.cluster && `cluster      ${result.cluster.clusterId} ${result.cluster.state}`,
      result.kubeconfig && `context      ${result.kubeconfig.context} in ${result.kubeconfig.path}`,
      result.deploy && `manifests    ${result.deploy.out}/ applied`,
      result.refresh && `pull secret  ${result.refresh.exitCode === 0 ? 'written' : `failed in ${result.refresh.failedNamespaces.join(', ') || 'every namespace'}`}`,
    ].filter(Boolean);
    io.stdout.write(`${lines.join('\n')}\n${accessText}`);
  }
  return result.exitCode;
}
