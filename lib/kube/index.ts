/**
 * lib/kube: a tiny Kubernetes REST client. `kubeClientFromEnvironment` picks the identity the way
 * kubectl users expect: an explicit kubeconfig wins, a pod uses its service account, otherwise
 * KUBECONFIG / ~/.kube/config.
 *
 * The pod bundle imports ./client and ./in-cluster directly so that the YAML parser needed here
 * for kubeconfig files stays out of it.
 */
import { createKubeClient, type KubeClient, type KubeClientOptions } from './client';
import { inClusterConnection, isInCluster } from './in-cluster';
import { kubeconfigConnection } from './kubeconfig';

export * from './types';
export * from './errors';
export * from './connection';
export * from './client';
export * from './in-cluster';
export * from './kubeconfig';
export * from './token-request';

export interface EnvironmentClientOptions extends KubeClientOptions {
  kubeconfig?: string;
  context?: string;
  env?: NodeJS.ProcessEnv;
}

export function kubeClientFromEnvironment(opts: EnvironmentClientOptions = {}): KubeClient {
  const env = opts.env ?? process.env;
  if (!opts.kubeconfig && !opts.context && !env.KUBECONFIG && isInCluster({ env })) {
    return createKubeClient(inClusterConnection({ env }), opts);
  }
  return createKubeClient(kubeconfigConnection({ path: opts.kubeconfig, context: opts.context, env }), opts);
}
