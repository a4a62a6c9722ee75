/** Flags → a loaded config: what every handler does first, with the specs of lib/cli/options/config.ts. */
import { LoadOptions, LoadedConfig, loadConfig } from '../../config';
import { LoadedCloudConfig, loadCloudConfig } from '../../cloud/config';
import { parseSetArg } from '../../core/set-arg';
import { CONFIG_SHORTCUTS, type ConfigArgs } from '../options/config';

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
