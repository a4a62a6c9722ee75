/** `jcrkit credentials apply`: the AK/SK Secret the refresher reads, created or updated in place. */
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../../core/errors';
import { readStdin } from '../../core/stdin';
import { cloudCredentials } from '../../cloud/client';
import { applyCredentialsSecret, parseCredentialsText } from '../../cloud/credentials-secret';
import { kubeClientFromEnvironment } from '../../kube';
import { ConfigArgs, loadConfigFromArgs, withConfigOptions } from '../options/config';
import { KubeArgs, withKubeOptions } from '../options/kube';
import { OutputArgs, withOutputOption } from '../options/output';
import { CommandIo, commandHandler, processIo, writeJson } from '../run-command';

interface CredentialsArgs extends ConfigArgs, KubeArgs, OutputArgs {
  stdin?: boolean;
  'dry-run'?: boolean;
}

export function makeCredentialsCommand(io: CommandIo = processIo()): CommandModule<object, CredentialsArgs> {
  const apply: CommandModule<object, CredentialsArgs> = {
    command: 'apply',
    describe: 'Create or update (in place) the Secret refresher.credentialsSecret in refresher.namespace with JDCLOUD_ACCESS_KEY/JDCLOUD_SECRET_KEY',
    builder: (y) =>
      withOutputOption(withKubeOptions(withConfigOptions(y, [])))
        .option('stdin', { type: 'boolean', describe: 'read the AccessKey and SecretKey from stdin (two lines) instead of the environment' })
        .option('dry-run', { type: 'boolean', describe: 'read the Secret and say whether it would be created, updated or left alone; write nothing' })
        .example('JDCLOUD_ACCESS_KEY=… JDCLOUD_SECRET_KEY=… $0 credentials apply', 'from the environment')
        .example("printf '%s\\n%s\\n' \"$AK\" \"$SK\" | $0 credentials apply --stdin", 'from stdin') as never,
    handler: commandHandler(io, async (args, redactor) => {
        const { refresher } = loadConfigFromArgs(args, io.env).config;
        let credentials;
        if (args.stdin) {
          if (io.stdin.isTTY) throw new UsageError('--stdin reads two lines (AccessKey, SecretKey) but stdin is a terminal. Fix: pipe them in');
          credentials = parseCredentialsText(await readStdin(io.stdin));
          redactor.add(credentials.accessKey).add(credentials.secretKey);
        } else {
          credentials = cloudCredentials(io.env);
        }
        const kube = kubeClientFromEnvironment({ kubeconfig: args.kubeconfig, context: args.context, env: io.env });
        try {
          const result = await applyCredentialsSecret(kube, { namespace: refresher.namespace, name: refresher.credentialsSecret, credentials, dryRun: args['dry-run'] });
          if (args.output === 'json') {
            writeJson(io.stdout, result);
          } else {
            const verb = result.dryRun ? `would be ${result.action === 'unchanged' ? 'left unchanged' : result.action}` : result.action;
            io.stdout.write(`Secret ${result.namespace}/${result.name} (keys JDCLOUD_ACCESS_KEY, JDCLOUD_SECRET_KEY): ${verb}\n`);
          }
        } finally {
          kube.close();
        }
      }),
  };
  return {
    command: 'credentials <command>',
    describe: 'The JD Cloud AccessKey Secret the token refresher uses',
    builder: (y: Argv) => y.command(apply as never).demandCommand(1, 'Name a credentials command: apply') as never,
    handler: () => undefined,
  };
}

export const credentialsCommand = makeCredentialsCommand();
