/** `jcrkit network ensure`: the VPC and subnets of config `cloud`, found by name, created only where missing. */
import { VpcApi } from '../../jdcloud/vpc';
import { vpcMaskOutsideK8sRange } from '../../config/cloud-schema';
import { cloudClient } from '../../cloud/client';
import { checkNetworkSpec, ensureNetwork } from '../../cloud/network';
import type { Redactor } from '../../core/redact';
import type { CloudArgs } from '../options/cloud';
import type { ConfigArgs } from '../options/config';
import type { OutputArgs } from '../options/output';
import { CommandIo, writeJson } from '../run-command';
import { loadCloudConfigFromArgs } from './args';

export type NetworkArgs = ConfigArgs & CloudArgs & OutputArgs;

export async function ensure(args: NetworkArgs, io: CommandIo, _redactor: Redactor): Promise<number | void> {
  const { cloud, cloudRegion } = loadCloudConfigFromArgs(args, io.env);
  checkNetworkSpec(cloud);
  if (vpcMaskOutsideK8sRange(cloud.vpc.cidr)) {
    io.stderr.write(`warning: cloud.vpc.cidr ${cloud.vpc.cidr}: the JD Cloud console asks for a /16 to /18 VPC for Kubernetes clusters\n`);
  }
  const { client } = cloudClient({ env: io.env, endpoint: args.endpoint, client: io.jdcloud, proxy: args.proxy });
  const result = await ensureNetwork(new VpcApi(client), { regionId: cloudRegion, spec: cloud, log: (l) => io.stderr.write(`${l}\n`) });
  if (args.output === 'json') {
    writeJson(io.stdout, result);
  } else {
    const state = (created: boolean) => (created ? 'created' : 'exists');
    io.stdout.write(`vpc\t${result.vpc.vpcId}\t${result.vpc.name}\t${result.vpc.cidr}\t${state(result.vpc.created)}\n`);
    for (const s of result.subnets) io.stdout.write(`subnet\t${s.subnetId}\t${s.name}\t${s.cidr}\t${state(s.created)}\n`);
  }
}
