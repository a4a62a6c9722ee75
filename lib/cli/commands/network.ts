/** `jcrkit network ensure`: the VPC and subnets of config `cloud`, found by name, created only where missing. */
import type { Argv, CommandModule } from 'yargs';
import type { CommandIo } from '../../cloud/cli-support';
import { CloudArgs, withCloudOptions } from '../config-options';

/** `io` is for tests; without it the handler uses the process's stdout, stderr and environment. */
export function makeNetworkCommand(io?: CommandIo): CommandModule<object, CloudArgs> {
  const ensure: CommandModule<object, CloudArgs> = {
    command: 'ensure',
    describe: 'Create the VPC cloud.vpc and the subnets cloud.subnets where missing (CIDRs checked locally first)',
    builder: (y) =>
      withCloudOptions(y)
        .example('$0 network ensure --config my.yaml', 'VPC and subnets of the config')
        .example('$0 network ensure --vpc-name k8s --vpc-cidr 10.10.0.0/16', 'flags override the config') as never,
    handler: async (args) => (await import('../handlers/network')).networkEnsureHandler(args, io),
  };
  return {
    command: 'network <command>',
    describe: 'The VPC and subnets the cluster lives in',
    builder: (y: Argv) => y.command(ensure as never).demandCommand(1, 'Name a network command: ensure') as never,
    handler: () => undefined,
  };
}

export const networkCommand = makeNetworkCommand();
