/**
 * A `JcrKit` object (`apiVersion: jcrkit.io/v1alpha1`, `kind: JcrKit`, `spec:` = a jcrkit config):
 * the form a kpt package or a kustomize generator holds its config in. Every `--config` accepts it
 * too, so one file serves kpt, kustomize, the CLI, the cdk8s app and the Argo CD plugin.
 */
import { clip, ConfigError } from './errors';

export const JCRKIT_GROUP = 'jcrkit.io';
export const JCRKIT_API_VERSION = `${JCRKIT_GROUP}/v1alpha1`;
export const JCRKIT_KIND = 'JcrKit';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** True for a `jcrkit.io/<any version>` `JcrKit` object (wrong versions get a clear error later). */
export function isJcrKit(v: unknown): boolean {
  return isObj(v) && v.kind === JCRKIT_KIND && typeof v.apiVersion === 'string' && v.apiVersion.split('/')[0] === JCRKIT_GROUP;
}

/**
 * The config inside a parsed config file: the file itself, or the `spec` of a JcrKit object.
 * Field paths in later messages stay config paths (`registry.name`), as for a plain file.
 */
export function configFromFile(raw: unknown, source: string): unknown {
  if (!isJcrKit(raw)) return raw;
  const o = raw as Obj;
  if (o.apiVersion !== JCRKIT_API_VERSION) {
    throw new ConfigError(source, [{ path: 'apiVersion', message: `${clip(o.apiVersion, 60)} is not supported. Fix: use apiVersion: ${JCRKIT_API_VERSION}` }]);
  }
  if (!isObj(o.spec)) {
    throw new ConfigError(source, [
      { path: 'spec', message: `${o.spec === undefined || o.spec === null ? 'is required' : 'must be a mapping'}: it holds the jcrkit config (registry, pullSecret, refresher, dashboard, admin). Fix: add spec.registry.name and spec.registry.region` },
    ]);
  }
  return o.spec;
}
