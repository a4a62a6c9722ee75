import type { CommandModule } from 'yargs';
import type { CmpManifestsArgs } from '../handlers/cmp';
import { CommandIo, commandHandler, processIo } from '../run-command';

/**
 * `jcrkit cmp-generate`: the generate command of the Argo CD plugin (deploy/argocd-cmp/plugin.yaml).
 * Renders ./jcrkit.yaml with the Application's parameters and prints one multi-document stream,
 * written in one go at the end: on any error the exit code is non-zero and stdout stays empty.
 */
export function makeCmpGenerateCommand(io: CommandIo = processIo()): CommandModule<object, object> {
  return {
  command: 'cmp-generate',
  describe: 'Argo CD plugin generate step: render ./jcrkit.yaml with ARGOCD_APP_PARAMETERS / ARGOCD_ENV_JCRKIT_* to stdout',
  builder: (y) =>
    y.epilogue(
      'Run by the cmp-server in the Application source directory (see deploy/argocd-cmp). Config: ARGOCD_ENV_JCRKIT_CONFIG or jcrkit.yaml (a jcrkit config or a JcrKit object). ' +
        'Overrides, later wins: ARGOCD_ENV_JCRKIT_SET (key=value lines), parameter set (map), parameters named by a dotted config path (string or array). ' +
        'Nothing on stdout unless the whole render succeeded; an empty render is an error.',
    ),
    // the renderer loads only when the command runs
    handler: commandHandler(io, async (_args, redactor) => (await import('../handlers/cmp')).generate(io, redactor)),
  };
}

export const cmpGenerateCommand = makeCmpGenerateCommand();

/** `jcrkit cmp-manifests`: what installing the plugin needs (ConfigMap with the bundle, repo-server patch). */
export function makeCmpManifestsCommand(io: CommandIo = processIo()): CommandModule<object, CmpManifestsArgs> {
  return {
  command: 'cmp-manifests',
  describe: 'Print the Argo CD plugin install manifests: the jcrkit-cmp ConfigMap (plugin.yaml + CLI bundle) or the repo-server sidecar patch',
  builder: (y) =>
    y
      .option('namespace', { alias: 'n', type: 'string', default: 'argocd', describe: 'Namespace of Argo CD (the ConfigMap lives beside the repo-server)' })
      .option('image', { type: 'string', describe: 'Node.js image of the sidecar and its init container (default: the pinned one in deploy/argocd-cmp/repo-server-patch.yaml; mirror it into your registry if the cluster cannot reach Docker Hub)' })
      .option('patch', { type: 'boolean', describe: 'Print the repo-server patch instead of the ConfigMap' })
      .option('out', { type: 'string', describe: 'Write jcrkit-cmp.yaml, repo-server-patch.yaml and kustomization.yaml (a kustomize Component) into this directory' })
      .example('$0 cmp-manifests | kubectl apply --server-side -f -', 'install or update the ConfigMap (server-side: it is larger than the client-side apply annotation allows)')
      .example('kubectl -n argocd patch deployment argocd-repo-server --patch-file <($0 cmp-manifests --patch)', 'add the sidecar to the repo-server')
      .example('$0 cmp-manifests --out deploy/argocd-cmp', 'regenerate the Component for a kustomize-managed Argo CD') as never,
    handler: commandHandler(io, async (args: CmpManifestsArgs) => (await import('../handlers/cmp')).manifests(args, io)),
  };
}

export const cmpManifestsCommand = makeCmpManifestsCommand();
