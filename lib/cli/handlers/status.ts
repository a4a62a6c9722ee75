/** `jcrkit status`, run: the config's plan, then lib/refresher/status.ts. */
import { refreshPlanFromConfig } from '../../config';
import { EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, InputError } from '../../core/errors';
import { kubeClientFromEnvironment } from '../../kube';
import type { KubeClient } from '../../kube/client';
import { collectStatus, formatStatus } from '../../refresher/status';
import type { ConfigArgs } from '../config-options';
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
}

export async function statusHandler(args: StatusArgs, io: StatusIo): Promise<number> {
  let kube = io.kube;
  try {
    const { config } = loadConfigFromArgs(args);
    if (!config.refresher.enabled && config.pullSecret.namespaces.length === 0) throw new InputError('the config renders no refresher and names no pullSecret.namespaces: nothing to check');
    try {
      kube ??= kubeClientFromEnvironment({ kubeconfig: args.kubeconfig, context: args.context, env: io.env });
    } catch (err) {
      throw new InputError((err as Error).message); // an unusable kubeconfig or context: bad input, no request made
    }
    const report = await collectStatus(refreshPlanFromConfig(config), kube, { cronJob: config.refresher.enabled, configHint: args.config, now: io.now });
    io.stdout.write(args.output === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatStatus(report));
    return report.ok ? EXIT_OK : EXIT_FAILED;
  } catch (err) {
    const e = err as Error;
    io.stderr.write(`${e.name === 'ConfigError' ? e.message : `error: ${e.message}`}\n`);
    return err instanceof InputError || e.name === 'ConfigError' || e.name === 'KubeconfigError' ? EXIT_BAD_INPUT : EXIT_FAILED;
  } finally {
    if (!io.kube) kube?.close();
  }
}
