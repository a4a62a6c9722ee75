/**
 * `jcrkit kubeconfig`: the runbook's "配置集群凭证" (copy the console's text into
 * ~/.kube/config) done like `aws eks update-kubeconfig`. JD Cloud has no kubeconfig API; it is built
 * from DescribeCluster the way `jdc kubernetes get-credential` does it (server
 * `https://{endpoint}:{endpointPort}`, CA and client certificate/key from masterAuth, base64) and
 * MERGED into the file: entries of other clusters stay, entries of the same name are replaced, the file is replaced atomically with mode 0600.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { Cluster } from '../jdcloud/kubernetes';
import { CloudInputError, CloudStateError } from './errors';

export interface KubeconfigEntry {
  /** cluster, user and context name: `jdcloud-<region>-<clusterName>` */
  name: string;
  server: string;
  certificateAuthorityData: string;
  clientCertificateData: string;
  clientKeyData: string;
}

export function kubeconfigEntryName(regionId: string, clusterName: string): string {
  return `jdcloud-${regionId}-${clusterName}`;
}

/** The entry for a running cluster; `privateEndpoint` for clusters without a public API server (our inference; JD Cloud documents none). */
export function kubeconfigEntryFromCluster(cluster: Cluster, regionId: string, opts: { usePrivateEndpoint?: boolean; name?: string } = {}): KubeconfigEntry {
  const where = `cluster ${cluster.name} (${cluster.clusterId})`;
  if (cluster.clusterState !== 'running') {
    throw new CloudStateError(`${where} is ${cluster.clusterState}, not running; its API endpoint and credentials are not available yet. Fix: wait (jcrkit cluster ensure) and run again`);
  }
  const host = opts.usePrivateEndpoint ? cluster.privateEndpoint : cluster.endpoint;
  if (!host) {
    throw new CloudStateError(`${where} reports no ${opts.usePrivateEndpoint ? 'privateEndpoint' : 'endpoint'}. Fix: ${opts.usePrivateEndpoint ? 'drop --private-endpoint' : 'use --private-endpoint for a cluster without a public API server'}`);
  }
  const auth = cluster.masterAuth ?? {};
  const missing = (['clusterCaCertificate', 'clientCertificate', 'clientKey'] as const).filter((k) => !auth[k]);
  if (missing.length) throw new CloudStateError(`${where}: DescribeCluster returned no masterAuth ${missing.join(', ')}. Fix: check the cluster in the JD Cloud console (kubectl client page)`);
  const port = cluster.endpointPort ? `:${cluster.endpointPort}` : '';
  return {
    name: opts.name ?? kubeconfigEntryName(regionId, cluster.name),
    server: `https://${host}${port}`,
    certificateAuthorityData: asBase64Pem(auth.clusterCaCertificate!),
    clientCertificateData: asBase64Pem(auth.clientCertificate!),
    clientKeyData: asBase64Pem(auth.clientKey!),
  };
}

/** masterAuth values are base64 of PEM (per the SDK model); tolerate raw PEM too. */
function asBase64Pem(value: string): string {
  const text = value.trim();
  return text.startsWith('-----BEGIN') ? Buffer.from(text, 'utf8').toString('base64') : text.replace(/\s+/g, '');
}

type Named = { name?: string; [key: string]: unknown };
type KubeconfigDoc = Record<string, unknown> & { clusters?: Named[]; users?: Named[]; contexts?: Named[]; 'current-context'?: string };

/** The merged kubeconfig YAML: `existing` (may be empty) with the entry added or replaced. */
export function mergeKubeconfig(existing: string | undefined, entry: KubeconfigEntry, opts: { setCurrent: boolean; source?: string }): string {
  let doc: KubeconfigDoc = {};
  if (existing && existing.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = parseYaml(existing);
    } catch (err) {
      throw new CloudInputError(`${opts.source ?? 'kubeconfig'} is not valid YAML (${(err as Error).message.split('\n')[0]}); it was left untouched. Fix: repair it, or write elsewhere with --out`);
    }
    if (parsed !== null && parsed !== undefined) {
      if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new CloudInputError(`${opts.source ?? 'kubeconfig'} is not a kubeconfig mapping; it was left untouched. Fix: repair it, or write elsewhere with --out`);
      doc = parsed as KubeconfigDoc;
    }
  }
  for (const key of ['clusters', 'users', 'contexts'] as const) {
    if (doc[key] !== undefined && doc[key] !== null && !Array.isArray(doc[key])) {
      throw new CloudInputError(`${opts.source ?? 'kubeconfig'}: "${key}" is not a list; the file was left untouched. Fix: repair it, or write elsewhere with --out`);
    }
  }
  const out: KubeconfigDoc = { apiVersion: doc.apiVersion ?? 'v1', kind: doc.kind ?? 'Config', ...doc };
  out.clusters = upsert(doc.clusters, {
    name: entry.name,
    cluster: { server: entry.server, 'certificate-authority-data': entry.certificateAuthorityData },
  });
  out.users = upsert(doc.users, {
    name: entry.name,
    user: { 'client-certificate-data': entry.clientCertificateData, 'client-key-data': entry.clientKeyData },
  });
  out.contexts = upsert(doc.contexts, { name: entry.name, context: { cluster: entry.name, user: entry.name } });
  if (opts.setCurrent || !out['current-context']) out['current-context'] = entry.name;
  out.preferences ??= {};
  return stringifyYaml(out, { lineWidth: 0 });
}

function upsert(list: Named[] | undefined | null, item: Named): Named[] {
  const items = [...(list ?? [])];
  const index = items.findIndex((i) => i?.name === item.name);
  if (index >= 0) items[index] = item;
  else items.push(item);
  return items;
}

/** Where to write: --out, else the first path of $KUBECONFIG (as kubectl writes new entries), else ~/.kube/config. */
export function targetKubeconfigPath(opts: { out?: string; env?: NodeJS.ProcessEnv; homeDir?: string } = {}): string {
  if (opts.out) return opts.out;
  const first = (opts.env ?? process.env).KUBECONFIG?.split(delimiter).find(Boolean);
  if (first) return first;
  return join(opts.homeDir ?? homedir(), '.kube', 'config');
}

/** Write `text` to `path` via a temporary sibling and rename: readers see the old or the new file, never half. Mode 0600. */
export function writeFileAtomic(path: string, text: string, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = join(dirname(path), `.${basename(path)}.jcrkit-${process.pid}-${Date.now()}`);
  const fd = openSync(temp, 'wx', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/** Merge the entry into the kubeconfig file at `path` (created when missing). */
export function updateKubeconfigFile(path: string, entry: KubeconfigEntry, opts: { setCurrent: boolean }): void {
  let existing: string | undefined;
  try {
    existing = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new CloudInputError(`cannot read ${path} (${(err as NodeJS.ErrnoException).code}). Fix: check its permissions, or write elsewhere with --out`);
  }
  writeFileAtomic(path, mergeKubeconfig(existing, entry, { setCurrent: opts.setCurrent, source: path }));
}
