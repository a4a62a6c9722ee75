import type { CommandModule } from 'yargs';
import { clusterCommand } from './cluster';
import { cmpGenerateCommand, cmpManifestsCommand } from './cmp';
import { credentialsCommand } from './credentials';
import { fnCommand } from './fn';
import { kubeconfigCommand } from './kubeconfig';
import { loginTokenCommand } from './login-token';
import { jcrMirrorCommand } from './mirror';
import { networkCommand } from './network';
import { pullSecretCommand } from './pull-secret';
import { refreshCommand } from './refresh';
import { registryCommand } from './registry';
import { statusCommand } from './status';
import { synthCommand } from './synth';
import { tokenCommand } from './token';
import { upCommand } from './up';

/** Every `jcrkit` subcommand, in --help order: render, run in the cluster, then the cloud side. */
export const COMMANDS: CommandModule<any, any>[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
  synthCommand,
  fnCommand,
  cmpGenerateCommand,
  cmpManifestsCommand,
  loginTokenCommand,
  refreshCommand,
  statusCommand,
  jcrMirrorCommand,
  registryCommand,
  tokenCommand,
  credentialsCommand,
  pullSecretCommand,
  networkCommand,
  clusterCommand,
  kubeconfigCommand,
  upCommand,
];
