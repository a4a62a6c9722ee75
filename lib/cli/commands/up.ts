/**
 * `jcrkit up`: the whole runbook, idempotent, in order. `--dry-run` prints every call it would
 * make (JD Cloud APIs with redacted bodies, Kubernetes writes, files, the kubectl command) and
 * makes none.
 */
import type { Argv, CommandModule } from 'yargs';
import { redactorFromEnv } from '../../core/redact';
import { CommandIo, parseDuration, processIo, runCommand, spawnToStderr, writeJson } from '../../cloud/cli-support';
import { cloudClient } from '../../cloud/client';
import { kubeconfigEntryName, targetKubeconfigPath } from '../../cloud/kubeconfig';
import { statusLine } from '../../cloud/log';
import { formatPlannedSteps, planUp, upWarnings } from '../../cloud/up-plan';
import { accessInstructions } from '../../render/access';
import { UP_STEP_NAMES, runUp, type UpSteps } from '../../cloud/up';
import { endpointOverrideFrom } from '../../jdcloud/endpoints';
import { CloudArgs, loadFromArgs, withCloudOptions } from './registry';

interface UpArgs extends CloudArgs {
  out: string;
  'dry-run'?: boolean;
  kubeconfig?: string;
  context?: string;
  'set-current': boolean;
  kubectl: string;
  timeout: string;
  interval: string;
}

export function makeUpCommand(io: CommandIo = processIo()): CommandModule<object, UpArgs> {
  return {
    command: 'up',
    describe: 'The whole runbook: registry, mirror, network, cluster, kubeconfig, credentials Secret, render + kubectl apply, first token refresh',
    builder: (y: Argv) => {
      let b = withCloudOptions(y)
        .option('out', { type: 'string', default: 'dist', describe: 'directory the manifests are rendered into (replaced atomically)' })
        .option('dry-run', { type: 'boolean', describe: 'print every call it would make (JD Cloud APIs with redacted bodies, Kubernetes writes, kubectl) and make none' })
        .option('kubeconfig', { type: 'string', describe: 'kubeconfig file to merge the cluster into and to use (default: first $KUBECONFIG path, else ~/.kube/config)', group: 'Kubernetes:' })
        .option('context', { type: 'string', describe: 'context for the Kubernetes steps when --skip-cluster is given (default current-context)', group: 'Kubernetes:' })
        .option('set-current', { type: 'boolean', default: true, describe: 'make the cluster\'s context current (--no-set-current to keep yours)', group: 'Kubernetes:' })
        .option('kubectl', { type: 'string', default: 'kubectl', describe: 'kubectl binary for the apply step', group: 'Kubernetes:' })
        .option('timeout', { type: 'string', default: '45m', describe: 'how long to wait for the cluster (seconds, or 90s/30m/1h)' })
        .option('interval', { type: 'string', default: '15s', describe: 'time between DescribeCluster calls' });
      for (const step of UP_STEP_NAMES) b = b.option(`skip-${step}`, { type: 'boolean', describe: `skip the ${step} step`, group: 'Steps:' }) as unknown as typeof b;
      return b
        .example('$0 up --config my.yaml --dry-run', 'see every call first')
        .example('$0 up --config my.yaml', 'do it')
        .example('$0 up --skip-network --skip-cluster --skip-kubeconfig --context prod', 'an existing cluster') as never;
    },
    handler: (args) =>
      runCommand(io, async () => {
        const loaded = loadFromArgs(args, io);
        const steps = Object.fromEntries(UP_STEP_NAMES.map((s) => [s, !args[`skip-${s}`]])) as unknown as UpSteps;
        const kubeconfigPath = targetKubeconfigPath({ out: args.kubeconfig, env: io.env, homeDir: io.homeDir });
        const timeoutMs = parseDuration(args.timeout, '--timeout');
        const intervalMs = parseDuration(args.interval, '--interval');
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
        const { client, credentials } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud });
        const redactor = redactorFromEnv(io.env);
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
          status: statusLine(io.stderr),
          run: io.run ?? spawnToStderr(io.stderr),
          // stdout is reserved for the final result; the refresh's lines are progress
          refreshSink: { write: (s: string) => io.stderr.write(redactor.scrub(s)) },
          output: args.output,
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
      }).then(() => undefined),
  };
}

export const upCommand = makeUpCommand();
