/**
 * The config flags every command shares: --config, --set, and named shortcuts that override single
 * config values. Overrides are applied by dotted path before validation, so a flag is checked
 * exactly like the same value in the file.
 */
import type { Argv } from 'yargs';
import { LoadedConfig, loadConfig } from '../config';
import { parseSetArg } from '../core/set-arg';

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

export function configOverrides(args: ConfigArgs): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  for (const s of args.set ?? []) {
    const [k, v] = parseSetArg(s);
    overrides[k] = v;
  }
  for (const [flag, path] of Object.entries(FLAG_PATHS)) {
    const v = (args as Record<string, unknown>)[flag];
    if (v !== undefined) overrides[path] = v;
  }
  return overrides;
}

export function loadConfigFromArgs(args: ConfigArgs): LoadedConfig {
  return loadConfig({ path: args.config, overrides: configOverrides(args) });
}
