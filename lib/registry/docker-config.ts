/**
 * Credentials from a Docker CLI config file (`~/.docker/config.json`, `$DOCKER_CONFIG/config.json`
 * or `--authfile`). Only the `auths` section is read: credential helpers (`credsStore`,
 * `credHelpers`) run external programs and are deliberately not supported.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CredentialProvider, Credentials } from './credentials';

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** The key `docker login` writes for Docker Hub. */
const DOCKER_HUB_KEYS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export function defaultDockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'config.json');
}

/** `https://index.docker.io/v1/` → `docker.io`; `https://host:5000/v2/` → `host:5000`. */
export function normalizeAuthKey(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').split('/')[0].toLowerCase();
  return DOCKER_HUB_KEYS.has(host) ? 'docker.io' : host;
}

export class DockerConfig {
  constructor(
    readonly path: string,
    private readonly file: DockerConfigFile,
  ) {}

  /** Read a config file; a missing file is an empty config, a malformed one is an error naming the path. */
  static async load(path: string): Promise<DockerConfig> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new DockerConfig(path, {});
      throw new Error(`cannot read registry credentials file ${path}: ${(err as Error).message}`);
    }
    try {
      const parsed = JSON.parse(text) as DockerConfigFile;
      return new DockerConfig(path, parsed && typeof parsed === 'object' ? parsed : {});
    } catch {
      throw new Error(`registry credentials file ${path} is not valid JSON`);
    }
  }

  /** Credentials stored for a registry host, if any. */
  credentialsFor(host: string): Credentials | undefined {
    const wanted = normalizeAuthKey(host);
    for (const [key, entry] of Object.entries(this.file.auths ?? {})) {
      if (normalizeAuthKey(key) !== wanted || !entry) continue;
      if (entry.username && entry.password !== undefined) return { username: entry.username, password: entry.password };
      if (entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
      }
    }
    return undefined;
  }

  /** Name of the credential helper configured for a host, so errors can say why it was not used. */
  helperFor(host: string): string | undefined {
    const wanted = normalizeAuthKey(host);
    for (const [key, helper] of Object.entries(this.file.credHelpers ?? {})) {
      if (normalizeAuthKey(key) === wanted) return helper;
    }
    return this.file.credsStore;
  }
}

/** A provider over a config file, loaded once on first use (the file is small and read-only for us). */
export function dockerConfigCredentialProvider(path: string = defaultDockerConfigPath()): CredentialProvider {
  let loading: Promise<DockerConfig> | undefined;
  return async (host) => {
    loading ??= DockerConfig.load(path);
    return (await loading).credentialsFor(host);
  };
}
