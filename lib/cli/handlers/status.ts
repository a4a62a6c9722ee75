/** `jcrkit status`, run: the config's plan, then lib/refresher/status.ts. */
import { refreshPlanFromConfig } from '../../config';
import { EXIT_FAILED, EXIT_OK, InputError } from '../../core/errors';
import { kubeClientFromEnvironment } from '../../kube';
import type { KubeClient } from '../../kube/client';
import { collectStatus, formatStatus } from '../../refresher/status';
import type { ConfigArgs } from '../options/config';
import { runCommand } from '../run-command';
import { loadConfigFromArgs } from './args';

export interface StatusArgs extends ConfigArgs {
  kubeconfig?: string;
  context?: string;
  output: 'text' | 'json';
}

export interface StatusIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
  kube?: KubeClient;
  now?: () => Date;
  exit?: (code: number) => void;
}

/** Resolves with the exit code: 0 all fresh, 1 a problem found, 2 bad input (lib/cli/run-command.ts). */
export function statusHandler(args: StatusArgs, io: StatusIo): Promise<number> {
  return runCommand(io, async () => {
    const { config } = loadConfigFromArgs(args, io.env);
    if (!config.refresher.enabled && config.pullSecret.namespaces.length === 0) throw new InputError('the config renders no refresher and names no pullSecret.namespaces: nothing to check');
    let kube = io.kube;
    try {
      kube ??= kubeClientFromEnvironment({ kubeconfig: args.kubeconfig, context: args.context, env: io.env });
    } catch (err) {
      throw new InputError((err as Error).message); // an unusable kubeconfig or context: bad input, no request made
    }
    try {
      const report = await collectStatus(refreshPlanFromConfig(config), kube, { cronJob: config.refresher.enabled, configHint: args.config, now: io.now });
      io.stdout.write(args.output === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatStatus(report));
      return report.ok ? EXIT_OK : EXIT_FAILED;
    } finally {
      if (!io.kube) kube.close();
    }
  });
}
