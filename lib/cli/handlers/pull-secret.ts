/** `jcrkit pull-secret apply`, run: `jcrkit refresh`'s command body with the config's plan. */
import { processIo, type CommandIo } from '../../cloud/cli-support';
import { refreshPlanFromConfig } from '../../config';
import { loadFromArgs } from './args';
import { runRefreshCommand } from './refresh';
import type { CloudArgs } from '../config-options';

export interface PullSecretArgs extends CloudArgs {
  kubeconfig?: string;
  context?: string;
  'dry-run'?: boolean;
  force?: boolean;
}

export async function pullSecretApplyHandler(args: PullSecretArgs, io: CommandIo = processIo()): Promise<void> {
  let code: number;
  try {
    const { config } = loadFromArgs(args, io);
    code = await runRefreshCommand(io, { ...args, output: args.output === 'json' ? 'json' : 'text', concurrency: 16 }, () => refreshPlanFromConfig(config));
  } catch (err) {
    // the config (or --set) is unusable: one line, bad input
    io.stderr.write(`error: ${(err as Error).message.replace(/\s*\n\s*/g, ' ')}\n`);
    code = 2;
  }
  io.exit(code);
}
