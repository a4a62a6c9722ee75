import * as fs from 'fs';
import * as path from 'path';
import type { KubeConnection } from './connection';
import { KubeconfigError } from './errors';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface InClusterOptions {
  env?: NodeJS.ProcessEnv;
  /** the mounted service-account directory; tests point it at a temp dir */
  serviceAccountDir?: string;
}

/** True when the process looks like it runs in a pod with a mounted service-account token. */
export function isInCluster(opts: InClusterOptions = {}): boolean {
  const env = opts.env ?? process.env;
  const dir = opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  return Boolean(env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) && fs.existsSync(path.join(dir, 'token'));
}

/**
 * The pod's own identity, as client-go's rest.InClusterConfig builds it. The token file is read
 * on every request: bound service-account tokens are rotated on disk (about hourly) and a cached
 * one would start failing with 401 in a long run.
 */
export function inClusterConnection(opts: InClusterOptions = {}): KubeConnection {
  const env = opts.env ?? process.env;
  const dir = opts.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new KubeconfigError('not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set (use --kubeconfig)');
  }
  const tokenFile = path.join(dir, 'token');
  if (!fs.existsSync(tokenFile)) {
    throw new KubeconfigError(`not running in a cluster: no service-account token at ${tokenFile} (is automountServiceAccountToken false?)`);
  }
  const caFile = path.join(dir, 'ca.crt');
  const nsFile = path.join(dir, 'namespace');
  // IPv6 service hosts need brackets in a URL
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    server: `https://${hostPart}:${port}`,
    ca: fs.existsSync(caFile) ? fs.readFileSync(caFile) : undefined,
    bearerToken: () => fs.readFileSync(tokenFile, 'utf8').trim(),
    namespace: fs.existsSync(nsFile) ? fs.readFileSync(nsFile, 'utf8').trim() : 'default',
    source: 'in-cluster service account',
  };
}
