/**
 * `jcrkit refresh`: the CronJob's refresh run from a workstation (kubeconfig identity) — the first
 * token after the first apply, and the recovery — or its checked preview with --dry-run. The plan
 * comes from --config, --plan-file and/or flags; flags win.
 * The run itself is lib/cli/handlers/refresh.ts.
 */
import type { Argv, CommandModule } from 'yargs';
import type { RefreshArgs } from '../handlers/refresh';

export type { RefreshArgs };

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
      .option('renew-before', { type: 'string', describe: 'mint only when the freshest recorded token expires within this span, e.g. 6h or 90m (default: half of the token hours)', group: 'Plan:' })
      .option('force', { type: 'boolean', describe: 'mint a new token even when the recorded one is fresh (costs one of the registry\'s 5 tokens per hour)' })
      .option('cr-service', { type: 'string', choices: ['cr', 'containerregistry'], describe: 'JD Cloud service name to call (default cr)', group: 'Plan:' })
      .option('verify-registry', { type: 'boolean', describe: 'check the token against https://{host}/v2/ before writing (default true; skipped with a warning when unreachable)', group: 'Plan:' })
      .option('release-superseded-tokens', {
        type: 'boolean',
        describe: 'after all namespaces hold the new token, release the registry\'s other tokens (JCR issues at most 5 per hour; only if nothing else uses this registry\'s tokens)',
        group: 'Plan:',
      })
      .option('endpoint', { type: 'string', describe: 'JD Cloud API base URL for every call (env JDCLOUD_ENDPOINT)' })
      .option('dry-run', { type: 'boolean', describe: 'fetch no token and write nothing: read the cluster, send every write as a server-side dry run, print what would happen and any problem (exit 1 if one)' })
      .option('output', { alias: 'o', choices: ['text', 'json'] as const, default: 'text' as const, describe: 'text lines, or JSON (one line per namespace; the dry-run report as one document)' })
      .option('concurrency', { type: 'number', default: 16, describe: 'namespaces processed at once' })
      .example('$0 refresh --registry-name myreg --region cn-north-1 --secret-name jcr-pull -n default -n apps --service-account default', 'refresh two namespaces')
      .example('$0 refresh --config my.yaml', 'the first refresh, right after the first apply (the CronJob cannot pull its image before it)')
      .example('$0 refresh --plan-file plan.json --dry-run', 'show what a run would change') as never,
  // the Kubernetes client, the token source and the config schema load only when the command runs
  handler: async (args) => {
    const { refreshHandler } = await import('../handlers/refresh');
    process.exitCode = await refreshHandler(args, { stdout: process.stdout, stderr: process.stderr, env: process.env });
  },
};
