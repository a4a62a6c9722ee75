/** The Kubernetes option group, named as kubectl names them: --kubeconfig, --context, -n/--namespace. */
import type { Argv } from 'yargs';

export interface KubeArgs {
  kubeconfig?: string;
  context?: string;
}

const GROUP = 'Kubernetes:';

export interface KubeOptionText {
  kubeconfig?: string;
  context?: string;
  /** adds -n/--namespace (repeatable) with this description */
  namespace?: string;
}

export function withKubeOptions<T>(y: Argv<T>, text: KubeOptionText = {}): Argv<T & KubeArgs> {
  let b = y
    .option('kubeconfig', { type: 'string', describe: text.kubeconfig ?? 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)', group: GROUP })
    .option('context', { type: 'string', describe: text.context ?? 'kubeconfig context (default: current-context)', group: GROUP });
  if (text.namespace) b = b.option('namespace', { alias: 'n', type: 'string', array: true, describe: text.namespace, group: GROUP });
  return b as unknown as Argv<T & KubeArgs>;
}
