/**
 * Loading the config for a cloud command: the resolved stack config (what the renderer and the
 * refresher use) plus the `cloud:` section, which `ResolvedConfig` does not carry. Both come from
 * the same document with the same overrides, validated once by the shared schema.
 */
import { LoadOptions, LoadedConfig, configSchema, readRawConfig, validateConfig, withOrigins } from '../config';
import type { CloudConfig } from '../config/cloud-schema';

/** `path` is `--config` (else JCRKIT_CONFIG, else the embedded default); overrides come from flags and `--set`. */
export type CloudConfigOptions = LoadOptions;

export interface LoadedCloudConfig extends LoadedConfig {
  cloud: CloudConfig;
  /** Region of the VPC and cluster: cloud.region, else registry.region. */
  cloudRegion: string;
}

export function loadCloudConfig(opts: CloudConfigOptions = {}): LoadedCloudConfig {
  const { raw, source, errorSource } = readRawConfig(opts);
  // validateConfig checks the cloud section too and reports problems with field paths.
  const resolved = withOrigins(opts, errorSource, () => validateConfig(raw, errorSource));
  const cloud = configSchema.parse(raw).cloud;
  return { ...resolved, source, cloud, cloudRegion: cloud.region ?? resolved.config.registry.region };
}
