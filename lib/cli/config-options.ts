/**
 * The config flags every command shares: --config, --set, and named shortcuts that override single
 * config values; for the cloud commands also the `cloud.*` shortcuts, --endpoint and --output.
 * Overrides are applied by dotted path before validation, so a flag is checked exactly like the
 * same value in the file.
 *
 * Only option specs live here: the command definitions (lib/cli/commands/) build their --help and
 * parsers from them at start-up, so this module must not import the config schema or any client.
 * Turning the flags into a loaded config is lib/cli/handlers/args.ts, loaded when a command runs.
 */
import type { Argv } from 'yargs';

export interface ConfigArgs {
  config?: string;
  set?: string[];
  'registry-name'?: string;
  region?: string;
  'registry-host'?: string;
  'secret-name'?: string;
  preset?: string;
  'pull-namespace'?: string[];
}

/** Flag → dotted config path. */
export const FLAG_PATHS: Record<string, string> = {
  'registry-name': 'registry.name',
  region: 'registry.region',
  'registry-host': 'registry.host',
  'secret-name': 'pullSecret.name',
  preset: 'dashboard.preset',
  'pull-namespace': 'pullSecret.namespaces',
};

export function withConfigOptions<T>(y: Argv<T>): Argv<T & ConfigArgs> {
  return y
    .option('config', { type: 'string', describe: 'Config file (YAML). Default: $JCRKIT_CONFIG, else the embedded default', group: 'Config:' })
    .option('set', { type: 'string', array: true, describe: 'Override a config value by dotted path, e.g. --set dashboard.service.port=8443 (YAML scalar syntax)', group: 'Config:' })
    .option('registry-name', { type: 'string', describe: 'registry.name', group: 'Config:' })
    .option('region', { type: 'string', describe: 'registry.region', group: 'Config:' })
    .option('registry-host', { type: 'string', describe: 'registry.host', group: 'Config:' })
    .option('secret-name', { type: 'string', describe: 'pullSecret.name', group: 'Config:' })
    .option('preset', { type: 'string', describe: 'dashboard.preset (v2.7.0 | headlamp | v1.10.1)', group: 'Config:' })
    .option('pull-namespace', { type: 'string', array: true, describe: 'pullSecret.namespaces (repeatable; replaces the file\'s list)', group: 'Config:' }) as Argv<T & ConfigArgs>;
}

export interface CloudArgs extends ConfigArgs {
  endpoint?: string;
  output: 'text' | 'json';
  [flag: string]: unknown;
}

/** The shared cloud options, as yargs option specs (`.options(CLOUD_OPTIONS)`). */
export const CLOUD_OPTIONS = {
  endpoint: { type: 'string', describe: 'JD Cloud API base URL for every service (env JDCLOUD_ENDPOINT); default https://{service}.jdcloud-api.com', group: 'JD Cloud:' },
  output: { choices: ['text', 'json'], default: 'text', describe: 'text for people, or json on stdout for scripts (progress stays on stderr)', group: 'Output:' },
} as const;

/** Flags that override `cloud.*` config values, as dotted paths. */
export const CLOUD_FLAG_PATHS: Readonly<Record<string, string>> = {
  'cloud-region': 'cloud.region',
  'vpc-name': 'cloud.vpc.name',
  'vpc-cidr': 'cloud.vpc.cidr',
  'cluster-name': 'cloud.cluster.name',
  'cluster-version': 'cloud.cluster.version',
  'node-count': 'cloud.cluster.nodeGroup.count',
  'instance-type': 'cloud.cluster.nodeGroup.instanceType',
};

export const CLOUD_FLAG_OPTIONS = {
  'cloud-region': { type: 'string', describe: 'cloud.region (VPC and cluster region; default registry.region)', group: 'Config:' },
  'vpc-name': { type: 'string', describe: 'cloud.vpc.name', group: 'Config:' },
  'vpc-cidr': { type: 'string', describe: 'cloud.vpc.cidr', group: 'Config:' },
  'cluster-name': { type: 'string', describe: 'cloud.cluster.name', group: 'Config:' },
  'cluster-version': { type: 'string', describe: 'cloud.cluster.version', group: 'Config:' },
  'node-count': { type: 'number', describe: 'cloud.cluster.nodeGroup.count', group: 'Config:' },
  'instance-type': { type: 'string', describe: 'cloud.cluster.nodeGroup.instanceType', group: 'Config:' },
} as const;

/** The config and cloud flags every cloud command takes. */
export function withCloudOptions<T>(y: Argv<T>): Argv<T & CloudArgs> {
  return withConfigOptions(y).options(CLOUD_FLAG_OPTIONS as never).options(CLOUD_OPTIONS as never) as unknown as Argv<T & CloudArgs>;
}

export function cloudFlagOverrides(args: Record<string, unknown>): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  for (const [flag, path] of Object.entries(CLOUD_FLAG_PATHS)) if (args[flag] !== undefined) overrides[path] = args[flag];
  return overrides;
}
