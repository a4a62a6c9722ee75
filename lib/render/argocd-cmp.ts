/**
 * jcrkit as an Argo CD Config Management Plugin (deploy/argocd-cmp/): the inputs the cmp-server
 * hands the generate command, and the manifests that install the plugin.
 *
 * Inputs (https://argo-cd.readthedocs.io/en/stable/operator-manual/config-management-plugins/#using-environment-variables-in-your-plugin):
 * the command runs in the Application's source directory with the sidecar's environment, the
 * build variables (ARGOCD_APP_NAME, ARGOCD_APP_NAMESPACE, ARGOCD_APP_REVISION, ...), every
 * `spec.source.plugin.env` entry prefixed ARGOCD_ENV_, and `spec.source.plugin.parameters` as JSON
 * in ARGOCD_APP_PARAMETERS. Announced parameter defaults are not sent, so a parameter that is not
 * set simply leaves the config file's value (or jcrkit's default).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isMap, isSeq, parseDocument, stringify } from 'yaml';
import { UsageError } from '../core/errors';
import { packageRoot } from '../core/package-root';
import { parseSetArg } from '../core/set-arg';

/** The file the plugin discovers and renders, relative to the Application's source directory. */
export const CMP_CONFIG_FILE = 'jcrkit.yaml';
/** Where `npm run build` writes the single-file CLI the sidecar runs. */
export const CLI_BUNDLE_PATH = 'build/bundle/jcrkit.js';
export const CMP_DIR = 'deploy/argocd-cmp';
export const CMP_CONFIGMAP = 'jcrkit-cmp';
/** The pinned stock image in deploy/argocd-cmp/repo-server-patch.yaml. */
export const CMP_DEFAULT_IMAGE = 'docker.io/library/node:22.12.0-alpine';

type Env = Record<string, string | undefined>;

/** Config paths that would reach an object's prototype through setByPath. */
const FORBIDDEN_SEGMENT = /^(__proto__|prototype|constructor)$/;

function checkKey(key: string, where: string): string {
  if (key === '' || key.split('.').some((s) => s === '' || FORBIDDEN_SEGMENT.test(s))) {
    throw new UsageError(`${where}: "${key}" is not a dotted config key. Fix: write a config path such as registry.region`);
  }
  return key;
}

/** A value as `--set key=value` reads it (YAML scalar syntax: 443 is a number, [a, b] a list). */
const scalar = (key: string, value: string): unknown => parseSetArg(`${key}=${value}`)[1];

/**
 * The config file the plugin renders: ARGOCD_ENV_JCRKIT_CONFIG (an Application env entry
 * JCRKIT_CONFIG) relative to the source directory, else jcrkit.yaml.
 */
export function cmpConfigFile(env: Env): string {
  const named = env.ARGOCD_ENV_JCRKIT_CONFIG;
  if (named === undefined || named === '') return CMP_CONFIG_FILE;
  if (named.startsWith('/') || named.split('/').includes('..')) {
    throw new UsageError(`ARGOCD_ENV_JCRKIT_CONFIG "${named}" leaves the Application's source directory. Fix: name a file inside it, e.g. jcrkit.yaml or clusters/prod/jcrkit.yaml`);
  }
  return named;
}

/**
 * Config overrides from the Application, applied in this order (later wins):
 *  1. env entry JCRKIT_SET (ARGOCD_ENV_JCRKIT_SET): one `key=value` per line, like --set;
 *  2. parameter `set` (a map): key → value, like --set;
 *  3. any other parameter, named by its dotted config path: `string` → that value (read like
 *     --set), `array` → a list of such values.
 */
export function cmpOverrides(env: Env): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const line of (env.ARGOCD_ENV_JCRKIT_SET ?? '').split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const [k, v] = parseSetArg(line);
    out[checkKey(k, 'ARGOCD_ENV_JCRKIT_SET')] = v;
  }
  const text = env.ARGOCD_APP_PARAMETERS;
  if (text === undefined || text.trim() === '') return out;
  let params: unknown;
  try {
    params = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`ARGOCD_APP_PARAMETERS is not valid JSON (${(e as Error).message}). Fix: set spec.source.plugin.parameters as a list of {name, string|array|map}`);
  }
  if (!Array.isArray(params)) throw new UsageError('ARGOCD_APP_PARAMETERS is not a list. Fix: set spec.source.plugin.parameters as a list of {name, string|array|map}');
  const named: Record<string, unknown> = {};
  params.forEach((p: unknown, i) => {
    const where = `parameter ${i}`;
    if (p === null || typeof p !== 'object' || typeof (p as { name?: unknown }).name !== 'string') {
      throw new UsageError(`${where} has no name. Fix: give every spec.source.plugin.parameters entry a name`);
    }
    const { name, string: str, array, map } = p as { name: string; string?: unknown; array?: unknown; map?: unknown };
    if (name === 'set') {
      if (map === undefined || map === null || typeof map !== 'object' || Array.isArray(map)) throw new UsageError('parameter set must be a map (dotted key → value). Fix: write map: {registry.region: cn-east-2}');
      for (const [k, v] of Object.entries(map as Record<string, unknown>)) out[checkKey(k, 'parameter set')] = typeof v === 'string' ? scalar(k, v) : v;
      return;
    }
    const key = checkKey(name, `parameter ${name}`);
    if (array !== undefined) {
      if (!Array.isArray(array)) throw new UsageError(`parameter ${name}: array is not a list. Fix: write array: [a, b]`);
      named[key] = array.map((v) => (typeof v === 'string' ? scalar(key, v) : v));
    } else if (str !== undefined) {
      named[key] = typeof str === 'string' ? scalar(key, str) : str;
    } else if (map !== undefined) {
      throw new UsageError(`parameter ${name} is a map; only the parameter named set takes a map. Fix: use set: {${name}.KEY: VALUE}, or give ${name} a string or an array`);
    }
  });
  return { ...out, ...named };
}

// ---- installing the plugin ---------------------------------------------------------------------

export interface CmpManifests {
  /** The ConfigMap: plugin.yaml, the gzip'd bundle and its sha256. Multi-line YAML text. */
  configMap: string;
  /** deploy/argocd-cmp/repo-server-patch.yaml with the chosen image. */
  patch: string;
  /** deploy/argocd-cmp/kustomization.yaml (a kustomize Component using both). */
  kustomization: string;
  bundleSha256: string;
}

/** Reads a file of the jcrkit package (needs a checkout or an npm install: not the bundle alone). */
function packageFile(rel: string, fix: string): string {
  let root: string;
  try {
    root = packageRoot();
  } catch {
    throw new Error(`${rel} is not available: jcrkit cmp-manifests runs from the jcrkit package, not from the single-file bundle. Fix: run it from a checkout or an npm install of jcrkit`);
  }
  const file = join(root, rel);
  if (!existsSync(file)) throw new Error(`${rel} is missing. Fix: ${fix}`);
  return readFileSync(file, 'utf8');
}

export function cmpManifests(opts: { namespace?: string; image?: string } = {}): CmpManifests {
  const plugin = packageFile(join(CMP_DIR, 'plugin.yaml'), 'restore it from the jcrkit repository');
  const bundle = Buffer.from(packageFile(CLI_BUNDLE_PATH, 'run `npm run build` (npm ci runs it too)'), 'utf8');
  const sha = createHash('sha256').update(bundle).digest('hex');
  // Level 9, no file name or time in the header (Node writes mtime 0): the same bundle always
  // gives the same bytes, so re-rendering the ConfigMap shows no diff.
  const gz = gzipSync(bundle, { level: 9 });
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: CMP_CONFIGMAP,
      namespace: opts.namespace ?? 'argocd',
      labels: { 'app.kubernetes.io/name': CMP_CONFIGMAP, 'app.kubernetes.io/part-of': 'argocd', 'app.kubernetes.io/managed-by': 'jcrkit' },
      annotations: { 'jcrkit.io/bundle-sha256': sha },
    },
    data: { 'plugin.yaml': plugin, 'jcrkit.js.sha256': `${sha}  jcrkit.js\n` },
    binaryData: { 'jcrkit.js.gz': gz.toString('base64') },
  };

  const patchDoc = parseDocument(packageFile(join(CMP_DIR, 'repo-server-patch.yaml'), 'restore it from the jcrkit repository'));
  const image = opts.image ?? CMP_DEFAULT_IMAGE;
  const podSpec = patchDoc.getIn(['spec', 'template', 'spec'], true);
  if (!isMap(podSpec)) throw new Error(`${CMP_DIR}/repo-server-patch.yaml has no spec.template.spec`);
  for (const list of ['initContainers', 'containers']) {
    const seq = podSpec.get(list, true);
    if (isSeq(seq)) for (const c of seq.items) if (isMap(c)) c.set('image', image);
  }
  return {
    configMap: stringify(configMap, { lineWidth: 0 }),
    patch: patchDoc.toString({ lineWidth: 0, flowCollectionPadding: false }),
    kustomization: packageFile(join(CMP_DIR, 'kustomization.yaml'), 'restore it from the jcrkit repository'),
    bundleSha256: sha,
  };
}
