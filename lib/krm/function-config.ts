/**
 * The function's config (`ResourceList.functionConfig`, KRM Functions Specification) → a validated
 * jcrkit config. Two forms are accepted:
 *
 * - typed: `apiVersion: jcrkit.io/v1alpha1, kind: JcrKit`, `spec` = the content of a jcrkit config
 *   file. Used by kustomize generators and Kptfile `configPath`.
 * - `v1 ConfigMap`: what `kpt fn eval --exec fn -- key=value` sends (`data` values are always
 *   strings). Keys are dotted config paths (`registry.name=foo`); values are read as YAML scalars
 *   exactly like `jcrkit synth --set`, and applied on top of the embedded default config.
 *
 * No functionConfig (or an empty one) renders the embedded default config, as `jcrkit synth` does.
 * Validation is `validateConfig`, so issues carry the same dotted paths and messages as synth.
 */
import { ConfigError, ConfigIssue, DEFAULT_CONFIG_SOURCE, DEFAULT_CONFIG_YAML, parseConfigYaml, Resolved, setByPath, validateConfig } from '../config';
import { parseSetArg } from '../cli/config-options';
import { INDEX, LEGACY_INDEX, LEGACY_PATH, PATH } from './annotations';
import type { FileRef, ResourceRef, ResultTarget } from './results';

export const JCRKIT_GROUP = 'jcrkit.io';
export const JCRKIT_API_VERSION = `${JCRKIT_GROUP}/v1alpha1`;
export const JCRKIT_KIND = 'JcrKit';

export type LoadedFunctionConfig = { target: ResultTarget; source: string } & ({ resolved: Resolved; error?: undefined } | { resolved?: undefined; error: ConfigError });

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** True for a `jcrkit.io/<any version>` `JcrKit` object (wrong versions get a clear error later). */
export function isJcrKit(v: unknown): boolean {
  return isObj(v) && v.kind === JCRKIT_KIND && typeof v.apiVersion === 'string' && v.apiVersion.split('/')[0] === JCRKIT_GROUP;
}

export function loadFunctionConfig(fc: unknown): LoadedFunctionConfig {
  if (fc === undefined || fc === null || (isObj(fc) && Object.keys(fc).length === 0)) {
    return withTarget({ ref: undefined, fieldFor: () => undefined }, DEFAULT_CONFIG_SOURCE, () => parseConfigYaml(DEFAULT_CONFIG_YAML, DEFAULT_CONFIG_SOURCE));
  }
  const ref = refOf(fc);
  const file = fileOf(fc);
  const source = `functionConfig ${ref.kind}/${ref.name}`;
  const fail = (issues: ConfigIssue[], fieldFor: (p: string) => string | undefined = () => undefined): LoadedFunctionConfig => ({
    target: { ref, file, fieldFor },
    source,
    error: new ConfigError(source, issues),
  });
  if (!isObj(fc)) return fail([{ path: '(root)', message: 'functionConfig is not an object. Fix: give a JcrKit object or a ConfigMap' }]);

  if (fc.kind === JCRKIT_KIND && typeof fc.apiVersion === 'string' && fc.apiVersion.split('/')[0] === JCRKIT_GROUP) {
    if (fc.apiVersion !== JCRKIT_API_VERSION) {
      return fail([{ path: '(root)', message: `apiVersion ${fc.apiVersion} is not supported. Fix: use apiVersion: ${JCRKIT_API_VERSION}` }], () => 'apiVersion');
    }
    // Issue paths are config paths; in the object they sit below `spec`.
    const fieldFor = (p: string) => (p === '(root)' ? 'spec' : `spec.${p}`);
    const secrets = passwordKeys(fc, '');
    if (secrets.length > 0) {
      // Report spec keys by their config path (as synth would), anything else by its object path.
      const issues = secrets.map((path) => passwordIssue(path.startsWith('spec.') ? path.slice(5) : path));
      return fail(issues, (p) => (secrets.includes(p) ? p : `spec.${p}`));
    }
    if (fc.spec === undefined || fc.spec === null) {
      return fail([{ path: '(root)', message: 'spec is required: it holds the jcrkit config (registry, pullSecret, refresher, dashboard, admin). Fix: add spec.registry.name and spec.registry.region' }], () => 'spec');
    }
    return withTarget({ ref, file, fieldFor }, source, () => fc.spec);
  }

  if (fc.kind === 'ConfigMap' && fc.apiVersion === 'v1') {
    const data = fc.data ?? {};
    if (!isObj(data)) return fail([{ path: '(root)', message: 'data is not a mapping. Fix: write key: value pairs with dotted config paths as keys' }], () => 'data');
    const fieldFor = (p: string) => dataFieldFor(Object.keys(data), p);
    const secrets = Object.keys(data).filter(isPasswordKey);
    if (secrets.length > 0) return fail(secrets.map((key) => passwordIssue(key)), fieldFor);
    if (fc.binaryData !== undefined) return fail([{ path: '(root)', message: 'binaryData is not read. Fix: put the settings into data' }], () => 'binaryData');
    return withTarget({ ref, file, fieldFor }, source, () => {
      const raw = parseConfigYaml(DEFAULT_CONFIG_YAML, DEFAULT_CONFIG_SOURCE) as Obj;
      for (const [key, value] of Object.entries(data)) {
        // kpt passes every value as a string; read it like `--set key=value`. Non-strings (a
        // hand-written --fn-config file) are taken as they are.
        const v = typeof value === 'string' ? parseSetArg(`${key}=${value}`)[1] : value;
        setByPath(raw, key, v);
      }
      return raw;
    });
  }

  return fail(
    [{ path: '(root)', message: `functionConfig kind ${String(fc.apiVersion)}/${String(fc.kind)} is not supported. Fix: use apiVersion: ${JCRKIT_API_VERSION}, kind: ${JCRKIT_KIND} with the config in spec, or a v1 ConfigMap of dotted keys (kpt fn eval ... -- registry.name=NAME)` }],
    () => 'kind',
  );
}

function withTarget(target: ResultTarget, source: string, raw: () => unknown): LoadedFunctionConfig {
  try {
    return { target, source, resolved: validateConfig(raw(), source) };
  } catch (e) {
    if (e instanceof ConfigError) return { target, source, error: new ConfigError(source, e.issues) };
    throw e;
  }
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

// ---- the password rule ------------------------------------------------------------------------

/**
 * A pull-Secret password in a functionConfig would be committed to Git with the package (the
 * design's "no credential in Git" rule), so any key that looks like one is refused with its own
 * message instead of the generic "unknown key". The only ways to render the bootstrap Secret are
 * `jcrkit synth --password-stdin` and JCR_PASSWORD, both outside any file.
 */
const PASSWORD_KEY = /passw(or)?d|^pwd$|^(jcr|registry|docker)?_?token$/i;

function isPasswordKey(dotted: string): boolean {
  return dotted.split('.').some((seg) => PASSWORD_KEY.test(seg));
}

/** Dotted paths (below the object, `metadata` excluded) of keys that look like a password. */
function passwordKeys(v: unknown, prefix: string): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => passwordKeys(x, `${prefix}[${i}]`));
  if (!isObj(v)) return [];
  return Object.entries(v).flatMap(([k, x]) => {
    if (prefix === '' && k === 'metadata') return [];
    const path = prefix ? `${prefix}.${k}` : k;
    return PASSWORD_KEY.test(k) ? [path] : passwordKeys(x, path);
  });
}

function passwordIssue(path: string): ConfigIssue {
  return {
    path,
    message:
      'a registry password is never read from a functionConfig: it would be committed to Git with the package. ' +
      'Fix: remove the key; the token refresher creates and refreshes the pull Secret in the cluster ' +
      '(jcrkit credentials apply), or render the bootstrap Secret outside Git with `jcrkit token | jcrkit synth --password-stdin`',
  };
}
