/**
 * Loading the config for a cloud command: the resolved stack config (what the renderer and the
 * refresher use) plus the `cloud:` section, which `ResolvedConfig` does not carry. Both come from
 * the same document with the same overrides, validated once by the shared schema.
 */
import { DEFAULT_CONFIG_YAML, LoadedConfig, configSchema, loadConfig, parseConfigYaml, readConfigFile, setByPath } from '../config';
import type { CloudConfig } from '../config/cloud-schema';

export interface CloudConfigOptions {
  /** `--config`; else JCRKIT_CONFIG; else the embedded default */
  path?: string;
  /** dotted-path overrides (flags, `--set`) */
  overrides?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}

export interface LoadedCloudConfig extends LoadedConfig {
  cloud: CloudConfig;
  /** Region of the VPC and cluster: cloud.region, else registry.region. */
  cloudRegion: string;
}

export function loadCloudConfig(opts: CloudConfigOptions = {}): LoadedCloudConfig {
  const env = opts.env ?? process.env;
  // loadConfig reads, validates (cloud section included) and reports problems with field paths.
  const loaded = loadConfig({ path: opts.path, overrides: opts.overrides, env });
  const path = opts.path ?? (env.JCRKIT_CONFIG || undefined);
  const raw = parseConfigYaml(path ? readConfigFile(path) : DEFAULT_CONFIG_YAML, loaded.source) as Record<string, unknown>;
  for (const [key, value] of Object.entries(opts.overrides ?? {})) if (value !== undefined) setByPath(raw, key, value);
  const cloud = configSchema.parse(raw).cloud;
  return { ...loaded, cloud, cloudRegion: cloud.region ?? loaded.config.registry.region };
}
