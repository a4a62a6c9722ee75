/** `jcrkit pull-secret apply`, run: `jcrkit refresh`'s command body with the config's plan. */
import { refreshPlanFromConfig } from '../../config';
import type { Redactor } from '../../core/redact';
import type { CloudArgs } from '../options/cloud';
import type { ConfigArgs } from '../options/config';
import type { KubeArgs } from '../options/kube';
import type { OutputArgs } from '../options/output';
import type { CommandIo } from '../run-command';
import { loadConfigFromArgs } from './args';
import { runRefreshCommand } from './refresh';

export type PullSecretArgs = ConfigArgs &
  CloudArgs &
  KubeArgs &
  OutputArgs & {
    'dry-run'?: boolean;
    force?: boolean;
  };

export async function apply(args: PullSecretArgs, io: CommandIo, redactor: Redactor): Promise<number | void> {
  // the config (or --set) is checked first: a ConfigError is bad input, exit 2
  const { config } = loadConfigFromArgs(args, io.env);
  const plan = refreshPlanFromConfig(config);
  return runRefreshCommand(io, { ...args, output: args.output === 'json' ? 'json' : 'text', concurrency: 16 }, () => plan, redactor, { client: io.jdcloud });
}
