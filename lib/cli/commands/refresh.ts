/**
 * `jcrkit refresh`: the CronJob's refresh run from a workstation (kubeconfig identity) — the first
 * token after the first apply, and the recovery — or its checked preview with --dry-run. The plan
 * comes from --config, --plan-file and/or flags; flags win.
 * The run itself is lib/cli/handlers/refresh.ts.
 */
import type { Argv, CommandModule } from 'yargs';
import type { RefreshArgs } from '../handlers/refresh';
import { withCloudOptions } from '../options/cloud';
import { withConfigOptions } from '../options/config';
import { withKubeOptions } from '../options/kube';
import { withOutputOption } from '../options/output';
import { processIo } from '../run-command';

export type { RefreshArgs };

export const refreshCommand: CommandModule<object, RefreshArgs> = {
  command: 'refresh',
  describe: 'Get a JCR temporary token and write it into the pull Secret of every target namespace (what the CronJob runs)',
  builder: (y: Argv) =>
    withOutputOption(
      withCloudOptions(
        withKubeOptions(
          withConfigOptions(y, [], {
            configDescribe: 'jcrkit config file the plan is derived from (default: $JCRKIT_CONFIG; the embedded default when neither --plan-file nor --registry-name is given); --set and the plan flags override it',
          }),
          {
            kubeconfig: 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config; in a pod: the service account)',
            namespace: "namespace to write the Secret into (repeatable; replaces the plan's list; default: the context namespace)",
          },
        ),
      ),
      'text lines, or one JSON document on stdout: the run\'s report (or the dry-run report); progress lines go to stderr',
    )
      .option('plan-file', { type: 'string', describe: 'refresh plan as JSON (the JCRKIT_REFRESH_PLAN the CronJob gets); flags override it', group: 'Plan:' })
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
      .option('dry-run', { type: 'boolean', describe: 'fetch no token and write nothing: read the cluster, send every write as a server-side dry run, print what would happen and any problem (exit 1 if one)' })
      .option('concurrency', { type: 'number', default: 16, describe: 'namespaces processed at once' })
      .example('$0 refresh --registry-name myreg --region cn-north-1 --secret-name jcr-pull -n default -n apps --service-account default', 'refresh two namespaces')
      .example('$0 refresh --config my.yaml', 'the first refresh, right after the first apply (the CronJob cannot pull its image before it)')
      .example('$0 refresh --plan-file plan.json --dry-run', 'show what a run would change') as never,
  // the Kubernetes client, the token source and the config schema load only when the command runs
  handler: async (args) => {
    const { refreshHandler } = await import('../handlers/refresh');
    await refreshHandler(args, processIo());
  },
};

