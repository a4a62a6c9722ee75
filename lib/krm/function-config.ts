/**
 * The function's config (`ResourceList.functionConfig`, KRM Functions Specification) → a validated
 * jcrkit config. Two forms are accepted:
 *
 * - typed: `apiVersion: jcrkit.io/v1alpha1, kind: JcrKit`, `spec` = the content of a jcrkit config
 *   file. Used by kustomize generators and Kptfile `configPath`.
 * - `v1 ConfigMap`: what `kpt fn eval --exec fn -- key=value` sends (`data` values are always
 *   strings). Keys are dotted config paths (`registry.name=foo`); values are read as YAML like
 *   `jcrkit synth --set`, with the config file's rules (parseConfigValue: core-schema tags only,
 *   bounded aliases), and applied on top of a base config: the package's own
 *   JcrKit object when the items hold exactly one (like `jcrkit synth --config FILE --set k=v`),
 *   else the embedded default config.
 *
 * No functionConfig, an empty one, or kpt's empty `function-input` ConfigMap (which kpt sends when
 * `fn eval` has no `-- k=v`) means: the package's JcrKit if there is one, else the embedded
 * default, as `jcrkit synth` without --config. Validation is `validateConfig`, so issues carry the
 * same dotted paths and messages as synth; `locate` maps each path back to the object field it came
 * from, for the results' resourceRef and field. `fc` and `base` arrive as plain data: run.ts reads
 * their YAML with the config file's rules (yamlToData) first.
 */
import { clip, ConfigError, ConfigIssue, DEFAULT_CONFIG_SOURCE, DEFAULT_CONFIG_YAML, isJcrKit, JCRKIT_API_VERSION, JCRKIT_KIND, parseConfigValue, parseConfigYaml, Resolved, setByPath, validateConfig } from '../config';
import { INDEX, LEGACY_INDEX, LEGACY_PATH, PATH } from './annotations';
import type { FileRef, Located, ResourceRef, ResultTarget } from './results';

// The JcrKit kind is defined in lib/config (every --config accepts it); re-exported for callers of this module.
export { isJcrKit, JCRKIT_API_VERSION, JCRKIT_GROUP, JCRKIT_KIND } from '../config';

export type LoadedFunctionConfig = { target: ResultTarget; source: string } & ({ resolved: Resolved; error?: undefined } | { resolved?: undefined; error: ConfigError });

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const isConfigMap = (v: Obj): boolean => v.kind === 'ConfigMap' && v.apiVersion === 'v1';

/** A functionConfig that sets nothing: absent, `{}`, or a ConfigMap without data (kpt's default). */
export function setsNothing(fc: unknown): boolean {
  if (fc === undefined || fc === null || (isObj(fc) && Object.keys(fc).length === 0)) return true;
  return isObj(fc) && isConfigMap(fc) && fc.binaryData === undefined && (fc.data === undefined || fc.data === null || (isObj(fc.data) && Object.keys(fc.data).length === 0));
}

/** True when loadFunctionConfig(fc, base) reads `base`: fc sets nothing, or is a ConfigMap applied on top of it. */
export function usesBase(fc: unknown): boolean {
  return setsNothing(fc) || (isObj(fc) && isConfigMap(fc));
}

/**
 * @param fc   the functionConfig
 * @param base the package's JcrKit object, when the items hold exactly one: the config when `fc`
 *             sets nothing, the base a ConfigMap's keys apply to otherwise
 */
export function loadFunctionConfig(fc: unknown, base?: unknown): LoadedFunctionConfig {
  if (setsNothing(fc)) {
    if (base !== undefined) return loadFunctionConfig(base);
    return validated({ locate: () => ({}) }, DEFAULT_CONFIG_SOURCE, () => parseConfigYaml(DEFAULT_CONFIG_YAML, DEFAULT_CONFIG_SOURCE));
  }
  const here = placeOf(fc);
  const source = `functionConfig ${clip(here.ref!.kind, 60)}/${clip(here.ref!.name, 60)}`;
  if (!isObj(fc)) return failed({ ...here, locate: () => here }, source, [{ path: '(root)', message: 'functionConfig is not an object. Fix: give a JcrKit object or a ConfigMap' }]);

  if (isJcrKit(fc)) {
    const typed = readJcrKit(fc);
    return 'issues' in typed ? failed(typed.target, source, typed.issues) : validated(typed.target, source, () => typed.spec);
  }

  if (isConfigMap(fc)) {
    const data = fc.data ?? {};
    const at = (field: string): Located => ({ ...here, field });
    if (!isObj(data)) return failed({ ...here, locate: () => at('data') }, source, [{ path: '(root)', message: 'data is not a mapping. Fix: write key: value pairs with dotted config paths as keys' }]);
    if (fc.binaryData !== undefined) return failed({ ...here, locate: () => at('binaryData') }, source, [{ path: '(root)', message: 'binaryData is not read. Fix: put the settings into data' }]);
    const keys = Object.keys(data);
    const secrets = keys.filter(isCredentialKey);
    const fromData = (p: string): Located | undefined => {
      const field = dataFieldFor(keys, p);
      return field ? at(field) : undefined;
    };
    if (secrets.length > 0) return failed({ ...here, locate: (p) => fromData(p) ?? here }, source, secrets.map(credentialIssue));

    // The base: the package's JcrKit (its own problems are reported against it) or the default.
    let baseSpec: () => Obj = () => parseConfigYaml(DEFAULT_CONFIG_YAML, DEFAULT_CONFIG_SOURCE) as Obj;
    let baseLocate: (p: string) => Located = () => here;
    let fullSource = source;
    if (base !== undefined) {
      const typed = readJcrKit(base);
      const baseSource = `functionConfig ${clip(typed.target.ref?.kind, 60)}/${clip(typed.target.ref?.name, 60)}`;
      if ('issues' in typed) return failed(typed.target, baseSource, typed.issues);
      baseSpec = () => structuredClone(typed.spec) as Obj;
      baseLocate = typed.target.locate;
      fullSource = `${source} over ${baseSource.replace('functionConfig ', '')}`;
    }
    return validated({ ...here, locate: (p) => fromData(p) ?? baseLocate(p) }, fullSource, () => {
      const raw = baseSpec();
      if (!isObj(raw)) return raw; // a non-mapping spec: validateConfig says so
      for (const [key, value] of Object.entries(data)) {
        // kpt passes every value as a string; read it like `--set key=value` (with the config
        // file's YAML rules). Non-strings (a hand-written --fn-config file) are taken as they are.
        const v = typeof value === 'string' ? parseConfigValue(value, key, fullSource) : value;
        setByPath(raw, key, v);
      }
      return raw;
    });
  }

  return failed({ ...here, locate: () => ({ ...here, field: 'kind' }) }, source, [
    {
      path: '(root)',
      message: `functionConfig kind ${clip(fc.apiVersion, 60)}/${clip(fc.kind, 60)} is not supported. Fix: use apiVersion: ${JCRKIT_API_VERSION}, kind: ${JCRKIT_KIND} with the config in spec, or a v1 ConfigMap of dotted keys (kpt fn eval ... -- registry.name=NAME)`,
    },
  ]);
}

/** A JcrKit object's spec, or the issues that stop it from being used, each located in the object. */
function readJcrKit(o: unknown): { spec: unknown; target: ResultTarget } | { issues: ConfigIssue[]; target: ResultTarget } {
  const here = placeOf(o);
  const obj = isObj(o) ? o : {};
  const at = (field: string): Located => ({ ...here, field });
  // Issue paths are config paths; in the object they sit below `spec`.
  const target: ResultTarget = { ...here, locate: (p) => at(p === '(root)' ? 'spec' : `spec.${p}`) };
  if (obj.apiVersion !== JCRKIT_API_VERSION) {
    return { target: { ...here, locate: () => at('apiVersion') }, issues: [{ path: '(root)', message: `apiVersion ${clip(obj.apiVersion, 60)} is not supported. Fix: use apiVersion: ${JCRKIT_API_VERSION}` }] };
  }
  const secrets = credentialKeys(obj, '');
  if (secrets.length > 0) {
    // Report spec keys by their config path (as synth would), anything else by its object path.
    const issues = secrets.map((path) => credentialIssue(path.startsWith('spec.') ? path.slice(5) : path));
    return { target: { ...here, locate: (p) => at(secrets.includes(p) ? p : `spec.${p}`) }, issues };
  }
  if (obj.spec === undefined || obj.spec === null) {
    return {
      target: { ...here, locate: () => at('spec') },
      issues: [{ path: '(root)', message: 'spec is required: it holds the jcrkit config (registry, pullSecret, refresher, dashboard, admin). Fix: add spec.registry.name and spec.registry.region' }],
    };
  }
  return { spec: obj.spec, target };
}

function validated(target: ResultTarget, source: string, raw: () => unknown): LoadedFunctionConfig {
  try {
    return { target, source, resolved: validateConfig(raw(), source) };
  } catch (e) {
    if (e instanceof ConfigError) return failed(target, source, e.issues);
    throw e;
  }
}

function failed(target: ResultTarget, source: string, issues: ConfigIssue[]): LoadedFunctionConfig {
  return { target, source, error: new ConfigError(source, issues) };
}

/** Where results about an object point: its reference and, when an orchestrator says, its file. */
function placeOf(o: unknown): { ref: ResourceRef; file?: FileRef } {
  const ref = refOf(o);
  const file = fileOf(o);
  return file ? { ref, file } : { ref };
}

function refOf(fc: unknown): ResourceRef {
  const o = isObj(fc) ? fc : {};
  const meta = isObj(o.metadata) ? o.metadata : {};
  const ref: ResourceRef = { apiVersion: String(o.apiVersion ?? ''), kind: String(o.kind ?? ''), name: String(meta.name ?? '') };
  if (typeof meta.namespace === 'string' && meta.namespace) ref.namespace = meta.namespace;
  return ref;
}

/** The file an orchestrator read the functionConfig from (kpt `configPath`), if it says. */
function fileOf(fc: unknown): FileRef | undefined {
  const meta = isObj(fc) && isObj(fc.metadata) ? fc.metadata : {};
  const annotations = isObj(meta.annotations) ? meta.annotations : {};
  const path = annotations[PATH] ?? annotations[LEGACY_PATH];
  if (typeof path !== 'string' || !path) return undefined;
  const index = Number(annotations[INDEX] ?? annotations[LEGACY_INDEX] ?? 0);
  return { path, index: Number.isInteger(index) ? index : 0 };
}

/**
 * The data key a config issue came from: the key itself or the key of a mapping above it. Keys
 * contain dots, so they are written in JSONPath bracket form (`data['registry.name']`).
 */
function dataFieldFor(keys: string[], issuePath: string): string | undefined {
  const key = keys
    .filter((k) => issuePath === k || issuePath.startsWith(`${k}.`) || issuePath.startsWith(`${k}[`))
    .sort((a, b) => b.length - a.length)[0];
  if (key === undefined) return undefined;
  return /^[A-Za-z0-9_-]+$/.test(key) ? `data.${key}` : `data['${key}']`;
}

// ---- the credential rule ----------------------------------------------------------------------

/**
 * A pull-Secret password (or a token, or JD Cloud keys) in a functionConfig would be committed to
 * Git with the package (the design's "no credential in Git" rule), so any key that looks like one
 * is refused with its own message instead of the generic "unknown key". The bootstrap pull Secret
 * is rendered only by `jcrkit synth --password-stdin` / JCR_PASSWORD, outside any file.
 */
const CREDENTIAL_KEY = /passw(or)?d|^pwd$|^(jcr|registry|docker|auth)?_?token$|^(jdcloud_?)?(access|secret)_?key$/i;

function isCredentialKey(dotted: string): boolean {
  return dotted.split('.').some((seg) => CREDENTIAL_KEY.test(seg));
}

/** Dotted paths (below the object, `metadata` excluded) of keys that look like a credential. */
function credentialKeys(v: unknown, prefix: string): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => credentialKeys(x, `${prefix}[${i}]`));
  if (!isObj(v)) return [];
  return Object.entries(v).flatMap(([k, x]) => {
    if (prefix === '' && k === 'metadata') return [];
    const path = prefix ? `${prefix}.${k}` : k;
    return CREDENTIAL_KEY.test(k) ? [path] : credentialKeys(x, path);
  });
}

function credentialIssue(path: string): ConfigIssue {
  return {
    path,
    message:
      'a registry password (or any credential) is never read from a functionConfig: it would be committed to Git with the package. ' +
      'Fix: remove the key; the token refresher creates and refreshes the pull Secret in the cluster from the JD Cloud keys in the Secret ' +
      '`jcrkit credentials apply` creates, or render the bootstrap pull Secret outside Git with `jcrkit token | jcrkit synth --password-stdin`',
  };
}
