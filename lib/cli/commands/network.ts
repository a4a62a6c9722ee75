/** `jcrkit network ensure`: the VPC and subnets of config `cloud`, found by name, created only where missing. */
import type { Argv, CommandModule } from 'yargs';
import { VpcApi } from '../../jdcloud/vpc';
import { vpcMaskOutsideK8sRange } from '../../config/cloud-schema';
import { cloudClient } from '../../cloud/client';
import { checkNetworkSpec, ensureNetwork } from '../../cloud/network';
import { CloudArgs, withCloudOptions } from '../options/cloud';
import { ConfigArgs, NETWORK_FLAGS, loadCloudConfigFromArgs, withConfigOptions } from '../options/config';
import { OutputArgs, withOutputOption } from '../options/output';
import { CommandIo, commandHandler, processIo, writeJson } from '../run-command';

type NetworkArgs = ConfigArgs & CloudArgs & OutputArgs;

export function makeNetworkCommand(io: CommandIo = processIo()): CommandModule<object, NetworkArgs> {
  const ensure: CommandModule<object, NetworkArgs> = {
    command: 'ensure',
    describe: 'Create the VPC cloud.vpc and the subnets cloud.subnets where missing (CIDRs checked locally first)',
    builder: (y) =>
      withOutputOption(withCloudOptions(withConfigOptions(y, NETWORK_FLAGS)))
        .example('$0 network ensure --config my.yaml', 'VPC and subnets of the config')
        .example('$0 network ensure --vpc-name k8s --vpc-cidr 10.10.0.0/16', 'flags override the config') as never,
    handler: commandHandler(io, async (args) => {
        const { cloud, cloudRegion } = loadCloudConfigFromArgs(args, io.env);
        checkNetworkSpec(cloud);
        if (vpcMaskOutsideK8sRange(cloud.vpc.cidr)) {
          io.stderr.write(`warning: cloud.vpc.cidr ${cloud.vpc.cidr}: the JD Cloud console asks for a /16 to /18 VPC for Kubernetes clusters\n`);
        }
        const { client } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud });
        const result = await ensureNetwork(new VpcApi(client), { regionId: cloudRegion, spec: cloud, log: (l) => io.stderr.write(`${l}\n`) });
        if (args.output === 'json') {
          writeJson(io.stdout, result);
        } else {
          const state = (created: boolean) => (created ? 'created' : 'exists');
          io.stdout.write(`vpc\t${result.vpc.vpcId}\t${result.vpc.name}\t${result.vpc.cidr}\t${state(result.vpc.created)}\n`);
          for (const s of result.subnets) io.stdout.write(`subnet\t${s.subnetId}\t${s.name}\t${s.cidr}\t${state(s.created)}\n`);
        }
      }),
  };
  return {
    command: 'network <command>',
    describe: 'The VPC and subnets the cluster lives in',
    builder: (y: Argv) => y.command(ensure as never).demandCommand(1, 'Name a network command: ensure') as never,
    handler: () => undefined,
  };
}

export const networkCommand = makeNetworkCommand();
