import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import type { KubeConnection } from './connection';
import { KubeconfigError } from './errors';

export interface KubeconfigOptions {
  /** explicit file (--kubeconfig); else KUBECONFIG (first existing entry), else ~/.kube/config */
  path?: string;
  /** context name (--context); else current-context */
  context?: string;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
}

interface NamedEntry<T> {
  name?: string;
  cluster?: T;
  user?: T;
  context?: T;
}

interface KubeconfigCluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
}

interface KubeconfigUser {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  exec?: unknown;
  'auth-provider'?: unknown;
  username?: string;
}

interface KubeconfigContext {
  cluster?: string;
  user?: string;
  namespace?: string;
}

interface KubeconfigFile {
  'current-context'?: string;
  clusters?: NamedEntry<KubeconfigCluster>[];
  users?: NamedEntry<KubeconfigUser>[];
  contexts?: NamedEntry<KubeconfigContext>[];
}

/** Which kubeconfig file kubectl would read, following the same precedence. */
export function resolveKubeconfigPath(opts: KubeconfigOptions = {}): string {
  if (opts.path) return opts.path;
  const env = opts.env ?? process.env;
  if (env.KUBECONFIG) {
    // kubectl merges every file in the list; the first one that exists is enough for jcrkit
    const candidates = env.KUBECONFIG.split(path.delimiter).filter(Boolean);
    const found = candidates.find((p) => fs.existsSync(p));
    if (found) return found;
    throw new KubeconfigError(`KUBECONFIG names no existing file: ${env.KUBECONFIG}. Fix: point KUBECONFIG (or --kubeconfig) at your kubeconfig file`);
  }
  return path.join(opts.homeDir ?? os.homedir(), '.kube', 'config');
}

/**
 * A connection from a kubeconfig file: current (or named) context, its cluster and user. Supports
 * bearer token, tokenFile (re-read per request), client certificate/key (inline data or file), CA
 * (inline or file) and insecure-skip-tls-verify. exec and auth-provider plugins are refused with a
 * message rather than silently sending no credentials.
 */
export function kubeconfigConnection(opts: KubeconfigOptions = {}): KubeConnection {
  const file = resolveKubeconfigPath(opts);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new KubeconfigError(`cannot read kubeconfig ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}. Fix: pass --kubeconfig FILE or set KUBECONFIG`);
  }
  let doc: KubeconfigFile;
  try {
    doc = (parseYaml(text) ?? {}) as KubeconfigFile;
  } catch (err) {
    throw new KubeconfigError(`kubeconfig ${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const baseDir = path.dirname(path.resolve(file));
  const contextName = opts.context ?? doc['current-context'];
  if (!contextName) throw new KubeconfigError(`kubeconfig ${file} has no current-context; pass --context`);
  const context = findNamed(doc.contexts, contextName, 'context')?.context;
  if (!context) throw new KubeconfigError(`kubeconfig ${file} has no context "${contextName}"`);
  const cluster = context.cluster ? findNamed(doc.clusters, context.cluster, 'cluster')?.cluster : undefined;
  if (!cluster?.server) throw new KubeconfigError(`kubeconfig ${file}: context "${contextName}" names no cluster with a server`);
  const user: KubeconfigUser = (context.user ? findNamed(doc.users, context.user, 'user')?.user : undefined) ?? {};
  if (user.exec || user['auth-provider']) {
    throw new KubeconfigError(`kubeconfig ${file}: user "${context.user}" uses an exec/auth-provider plugin, which jcrkit does not run; use a token or client certificate`);
  }

  const readRef = (data: string | undefined, ref: string | undefined, what: string): Buffer | undefined => {
    if (data) return Buffer.from(data, 'base64');
    if (ref) {
      const p = path.isAbsolute(ref) ? ref : path.join(baseDir, ref);
      try {
        return fs.readFileSync(p);
      } catch {
        throw new KubeconfigError(`kubeconfig ${file}: cannot read ${what} file ${p}`);
      }
    }
    return undefined;
  };

  let bearerToken: (() => string | undefined) | undefined;
  if (user.token) {
    const token = user.token;
    bearerToken = () => token;
  } else if (user.tokenFile) {
    const p = path.isAbsolute(user.tokenFile) ? user.tokenFile : path.join(baseDir, user.tokenFile);
    bearerToken = () => fs.readFileSync(p, 'utf8').trim();
  }

  return {
    server: cluster.server,
    ca: readRef(cluster['certificate-authority-data'], cluster['certificate-authority'], 'certificate-authority'),
    clientCert: readRef(user['client-certificate-data'], user['client-certificate'], 'client-certificate'),
    clientKey: readRef(user['client-key-data'], user['client-key'], 'client-key'),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: cluster['tls-server-name'],
    bearerToken,
    namespace: context.namespace || 'default',
    source: `kubeconfig ${file} (context ${contextName})`,
  };
}

function findNamed<T>(list: NamedEntry<T>[] | undefined, name: string, what: string): NamedEntry<T> | undefined {
  if (list !== undefined && !Array.isArray(list)) throw new KubeconfigError(`kubeconfig: "${what}s" must be a list`);
  return list?.find((e) => e?.name === name);
}
