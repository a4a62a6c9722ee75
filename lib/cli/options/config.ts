/**
 * The config option group: --config, --set, and named shortcuts that override single config
 * values. Each command lists only the shortcuts it reads, so its --help shows what it uses.
 * Overrides are applied by dotted path before validation, so a flag is checked exactly like the
 * same value in the file, and an error about it names the flag (or the --set argument).
 */
import type { Argv } from 'yargs';
import { LoadOptions, LoadedConfig, loadConfig } from '../../config';
import { LoadedCloudConfig, loadCloudConfig } from '../../cloud/config';
import { parseSetArg } from '../../core/set-arg';

export interface ConfigArgs {
  config?: string;
  set?: string[];
  [flag: string]: unknown;
}

interface Shortcut {
  path: string;
  type: 'string' | 'number';
  array?: true;
  describe?: string;
}

/** Flag → the config value it sets. */
export const CONFIG_SHORTCUTS = {
  'registry-name': { path: 'registry.name', type: 'string' },
  region: { path: 'registry.region', type: 'string' },
  'registry-host': { path: 'registry.host', type: 'string' },
  'secret-name': { path: 'pullSecret.name', type: 'string' },
  preset: { path: 'dashboard.preset', type: 'string', describe: 'dashboard.preset (v2.7.0 | headlamp | v1.10.1)' },
  'pull-namespace': { path: 'pullSecret.namespaces', type: 'string', array: true, describe: "pullSecret.namespaces (repeatable; replaces the file's list)" },
  'cloud-region': { path: 'cloud.region', type: 'string', describe: 'cloud.region (VPC and cluster region; default registry.region)' },
  'vpc-name': { path: 'cloud.vpc.name', type: 'string' },
  'vpc-cidr': { path: 'cloud.vpc.cidr', type: 'string' },
  'cluster-name': { path: 'cloud.cluster.name', type: 'string' },
  'cluster-version': { path: 'cloud.cluster.version', type: 'string' },
  'node-count': { path: 'cloud.cluster.nodeGroup.count', type: 'number' },
  'instance-type': { path: 'cloud.cluster.nodeGroup.instanceType', type: 'string' },
} satisfies Record<string, Shortcut>;

export type ShortcutFlag = keyof typeof CONFIG_SHORTCUTS;

/** The shortcut sets commands pick from. */
export const REGISTRY_FLAGS: readonly ShortcutFlag[] = ['registry-name', 'region', 'registry-host'];
export const IMAGE_FLAGS: readonly ShortcutFlag[] = [...REGISTRY_FLAGS, 'preset'];
export const PULL_SECRET_FLAGS: readonly ShortcutFlag[] = [...REGISTRY_FLAGS, 'secret-name', 'pull-namespace'];
export const RENDER_FLAGS: readonly ShortcutFlag[] = [...REGISTRY_FLAGS, 'secret-name', 'preset', 'pull-namespace'];
export const NETWORK_FLAGS: readonly ShortcutFlag[] = ['region', 'cloud-region', 'vpc-name', 'vpc-cidr'];
export const CLUSTER_LOOKUP_FLAGS: readonly ShortcutFlag[] = ['region', 'cloud-region', 'cluster-name'];
export const CLUSTER_FLAGS: readonly ShortcutFlag[] = [...NETWORK_FLAGS, 'cluster-name', 'cluster-version', 'node-count', 'instance-type'];
export const ALL_FLAGS = Object.keys(CONFIG_SHORTCUTS) as ShortcutFlag[];

const GROUP = 'Config:';

/** --config, --set and the given shortcuts. */
export function withConfigOptions<T>(y: Argv<T>, shortcuts: readonly ShortcutFlag[], opts: { configDescribe?: string } = {}): Argv<T & ConfigArgs> {
  let b = y
    .option('config', { type: 'string', describe: opts.configDescribe ?? 'Config file (YAML). Default: $JCRKIT_CONFIG, else the embedded default', group: GROUP })
    .option('set', { type: 'string', array: true, describe: 'Override a config value by dotted path, e.g. --set dashboard.service.port=8443 (YAML scalar syntax; repeatable)', group: GROUP });
  for (const flag of shortcuts) {
    const s: Shortcut = CONFIG_SHORTCUTS[flag];
    b = b.option(flag, { type: s.type, ...(s.array ? { array: true } : {}), describe: s.describe ?? s.path, group: GROUP });
  }
  return b as unknown as Argv<T & ConfigArgs>;
}

/**
 * --set and shortcut values as dotted-path overrides, with where each came from. A shortcut wins
 * over a --set of the same path (the named flag is the more specific); later --set wins over earlier.
 */
export function configOverrides(args: ConfigArgs): Pick<LoadOptions, 'overrides' | 'overrideOrigins'> {
  const overrides: Record<string, unknown> = {};
  const overrideOrigins: Record<string, string> = {};
  for (const s of args.set ?? []) {
    const [key, value] = parseSetArg(s);
    overrides[key] = value;
    overrideOrigins[key] = `--set ${s.length > 60 ? `${s.slice(0, 57)}...` : s}`;
  }
  for (const [flag, shortcut] of Object.entries(CONFIG_SHORTCUTS)) {
    const value = args[flag];
    if (value === undefined) continue;
    overrides[shortcut.path] = value;
    overrideOrigins[shortcut.path] = `--${flag}`;
  }
  return { overrides, overrideOrigins };
}

export function configLoadOptions(args: ConfigArgs, env: NodeJS.ProcessEnv): LoadOptions {
  return { path: args.config, env, ...configOverrides(args) };
}

/** --config/--set/shortcuts → the validated config. */
export function loadConfigFromArgs(args: ConfigArgs, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  return loadConfig(configLoadOptions(args, env));
}

/** The same, with the `cloud:` section (cloud commands). */
export function loadCloudConfigFromArgs(args: ConfigArgs, env: NodeJS.ProcessEnv = process.env): LoadedCloudConfig {
  return loadCloudConfig(configLoadOptions(args, env));
}
