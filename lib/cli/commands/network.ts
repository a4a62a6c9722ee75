/** `jcrkit network ensure`: the VPC and subnets of config `cloud`, found by name, created only where missing. */
import type { Argv, CommandModule } from 'yargs';
import type { NetworkArgs } from '../handlers/network';
import { withCloudOptions } from '../options/cloud';
import { NETWORK_FLAGS, withConfigOptions } from '../options/config';
import { withOutputOption } from '../options/output';
import { CommandIo, commandHandler, processIo } from '../run-command';

export type { NetworkArgs };

export function makeNetworkCommand(io: CommandIo = processIo()): CommandModule<object, NetworkArgs> {
  const ensure: CommandModule<object, NetworkArgs> = {
    command: 'ensure',
    describe: 'Create the VPC cloud.vpc and the subnets cloud.subnets where missing (CIDRs checked locally first)',
    builder: (y) =>
      withOutputOption(withCloudOptions(withConfigOptions(y, NETWORK_FLAGS)))
        .example('$0 network ensure --config my.yaml', 'VPC and subnets of the config')
        .example('$0 network ensure --vpc-name k8s --vpc-cidr 10.10.0.0/16', 'flags override the config') as never,
    handler: commandHandler(io, async (args, redactor) => (await import('../handlers/network')).ensure(args, io, redactor)),
  };
  return {
    command: 'network <command>',
    describe: 'The VPC and subnets the cluster lives in',
    builder: (y: Argv) => y.command(ensure as never).demandCommand(1, 'Name a network command: ensure') as never,
    handler: () => undefined,
  };
}

export const networkCommand = makeNetworkCommand();
