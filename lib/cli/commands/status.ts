/**
 * `jcrkit status`: per target namespace, the pull Secret's expiry and time left, who wrote it and
 * whether the configured ServiceAccounts reference it; the refresher CronJob's last schedule and
 * last success; pods stuck pulling from the registry. Exit 0 when everything is fresh, 1 when
 * something expires within the renew window, is missing or cannot be pulled (each with its fix),
 * 2 for bad input. The run itself is lib/cli/handlers/status.ts.
 */
import type { Argv, CommandModule } from 'yargs';
import { withConfigOptions } from '../options/config';
import { withKubeOptions } from '../options/kube';
import { withOutputOption } from '../options/output';
import { processIo } from '../run-command';
import type { StatusArgs } from '../handlers/status';

export type { StatusArgs };

export const statusCommand: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe: 'Is the pull Secret fresh? Expiry per namespace, ServiceAccounts, the refresher CronJob, pods that cannot pull (exit 1 on any problem)',
  builder: (y: Argv) =>
    withOutputOption(withKubeOptions(withConfigOptions(y, [])), 'a table for people, or one JSON document')
      .example('$0 status --config my.yaml', 'after the first apply and refresh, and whenever pulls fail') as never,
  // the Kubernetes client and the config schema load only when the command runs
  handler: async (args) => {
    const { statusHandler } = await import('../handlers/status');
    const { stdout, stderr, env, exit } = processIo();
    await statusHandler(args, { stdout, stderr, env, exit });
  },
};

