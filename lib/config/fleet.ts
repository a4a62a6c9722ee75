/**
 * A fleet file: one config per cluster, from shared defaults.
 *
 *   defaults:            # any config keys
 *     registry: {name: acme, region: cn-north-1}
 *   clusters:            # cluster name → config keys, deep-merged over the defaults
 *     prod-a: {}
 *     prod-b:
 *       pullSecret: {namespaces: [shop]}   # lists replace the default's list
 *
 * Mappings merge key by key, lists and scalars replace, and `key: null` removes a default (the
 * jcrkit default applies again). Every cluster is validated before anything is rendered; the
 * messages name the cluster and the field.
 */
import { ConfigError, ConfigIssue } from './errors';
import type { LoadedConfig } from './load';
import { parseYamlData, readConfigFile, setByPath, validateConfig } from './load';
import { DNS1123_LABEL } from './schema';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface FleetCluster {
  name: string;
  /** The merged config (defaults + the cluster's keys + overrides), before validation. */
  raw: Obj;
  loaded: LoadedConfig;
}

export interface Fleet {
  source: string;
  /** In the file's order. */
  clusters: FleetCluster[];
}

/** Deep merge: mappings merge recursively, anything else in `over` replaces; null removes the key. */
export function mergeConfig(base: Obj, over: Obj): Obj {
  const out: Obj = structuredClone(base);
  // own properties only: a key such as __proto__ is data, never the object's prototype
  const set = (k: string, v: unknown) => Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else if (isObj(v) && Object.hasOwn(out, k) && isObj(out[k])) set(k, mergeConfig(out[k] as Obj, v));
    else set(k, structuredClone(v));
  }
  return out;
}

/** Whether a config issue path (`a.b[0].c`) names a key present in `o`. */
function hasPath(o: unknown, path: string): boolean {
  let v: unknown = o;
  for (const seg of path.replace(/\[\d+\]/g, '').split('.')) {
    if (!isObj(v) || !(seg in v)) return false;
    v = v[seg];
  }
  return true;
}

export function loadFleet(path: string, opts: { overrides?: Record<string, unknown> } = {}): Fleet {
  const source = path;
  // The config file's rules: a regular file of at most 1 MiB, strict UTF-8, core-schema YAML with
  // bounded aliases, plain values only.
  const root = parseYamlData(readConfigFile(path, '--fleet'), source);
  const shape: ConfigIssue[] = [];
  if (!isObj(root)) throw new ConfigError(source, [{ path: '(root)', message: 'must be a mapping with defaults: and clusters:. Fix: see examples/fleet/fleet.yaml' }]);
  for (const k of Object.keys(root)) if (k !== 'defaults' && k !== 'clusters') shape.push({ path: k, message: 'unknown key. Fix: remove it or use one of: defaults, clusters' });
  const defaults = root.defaults ?? {};
  if (!isObj(defaults)) shape.push({ path: 'defaults', message: 'must be a mapping of config keys. Fix: write e.g. defaults: {registry: {name: NAME, region: REGION}}' });
  const clusters = root.clusters;
  if (!isObj(clusters) || Object.keys(clusters).length === 0) {
    shape.push({ path: 'clusters', message: `${clusters === undefined ? 'is required' : 'must be a non-empty mapping'}: cluster name → config keys. Fix: add e.g. clusters: {prod-a: {}}` });
  } else {
    for (const [name, v] of Object.entries(clusters)) {
      if (!DNS1123_LABEL.test(name) || name.length > 63) {
        shape.push({ path: `clusters.${name}`, message: `"${name}" is not a valid cluster name (it names the output directory and the Argo CD Application). Fix: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit` });
      }
      if (v !== null && !isObj(v)) shape.push({ path: `clusters.${name}`, message: 'must be a mapping of config keys (or empty). Fix: write e.g. prod-a: {pullSecret: {namespaces: [shop]}}' });
    }
  }
  if (shape.length > 0) throw new ConfigError(source, shape);

  const issues: ConfigIssue[] = [];
  const out: FleetCluster[] = [];
  for (const [name, own] of Object.entries(clusters as Obj)) {
    const clusterSource = `${source} (cluster ${name})`;
    try {
      const raw = mergeConfig(defaults as Obj, (own ?? {}) as Obj);
      for (const [key, value] of Object.entries(opts.overrides ?? {})) if (value !== undefined) setByPath(raw, key, value);
      out.push({ name, raw, loaded: { ...validateConfig(raw, clusterSource), source: clusterSource } });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      for (const i of e.issues) {
        const fromDefaults = !hasPath(own, i.path) && hasPath(defaults, i.path) ? ' (from defaults)' : '';
        issues.push({ path: `cluster ${name}: ${i.path}${fromDefaults}`, message: i.message });
      }
    }
  }
  if (issues.length > 0) throw new ConfigError(source, issues);
  return { source, clusters: out };
}
