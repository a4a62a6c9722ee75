/** Flags → a loaded config: what every handler does first, with the specs of lib/cli/config-options.ts. */
import { LoadedConfig, loadConfig } from '../../config';
import { parseSetArg } from '../../core/set-arg';
import type { CommandIo } from '../../cloud/cli-support';
import { loadCloudConfig } from '../../cloud/config';
import { CloudArgs, ConfigArgs, FLAG_PATHS, cloudFlagOverrides } from '../config-options';

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

/** --config/--set/flags → the loaded config with its cloud section. */
export function loadFromArgs(args: CloudArgs, io: CommandIo) {
  return loadCloudConfig({ path: args.config, overrides: { ...configOverrides(args), ...cloudFlagOverrides(args) }, env: io.env });
}
