/**
 * The config option group: --config, --set, and named shortcuts that override single config
 * values. Each command lists only the shortcuts it reads, so its --help shows what it uses.
 * Overrides are applied by dotted path before validation, so a flag is checked exactly like the
 * same value in the file, and an error about it names the flag (or the --set argument).
 *
 * Only option specs live here: the command definitions (lib/cli/commands/) build their --help and
 * parsers from them at start-up, so this module must not import the config schema or any client.
 * Turning the flags into a loaded config is lib/cli/handlers/args.ts, loaded when a command runs.
 */
import type { Argv } from 'yargs';

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
