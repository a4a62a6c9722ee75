/**
 * Registry credentials for the user's JCR host from GetAuthorizationToken, as a
 * mirror-engine CredentialProvider (lib/registry/credentials.ts). One token serves the whole run
 * (JCR issues at most 5 per hour per registry); a new one is fetched only when the registry
 * rejected the last one (`reason: 'rejected'`, e.g. it expired mid-copy).
 */
import { JdcloudClient, type JdcloudClientOptions } from '../jdcloud/client';
import { CrApi } from '../jdcloud/cr';
import { endpointOverrideFrom } from '../jdcloud/endpoints';
import { decodeAuthorizationToken } from '../jdcloud/token';
import type { CredentialProvider, Credentials } from '../registry/credentials';
import { proxiedTransport } from './client';

/** The docker login user of JCR (`docker login -u jdcloud` in https://docs.jdcloud.com/en/container-registry/create-image; the runbook's DOCKER_USER=jdcloud). */
export const JCR_USERNAME = 'jdcloud';

export interface JcrCredentialOptions {
  regionId: string;
  registryName: string;
  /** registry host the credentials are for (config registry.host) */
  host: string;
  /** token lifetime, 1–24 h */
  hours: number;
  /** told once per fetched token (never the token itself) */
  onFetch?: (reason: 'initial' | 'rejected') => void;
  /** every password fetched, so callers can redact output */
  onSecret?: (password: string) => void;
}

export function jcrCredentialProvider(cr: CrApi, opts: JcrCredentialOptions): CredentialProvider {
  const host = opts.host.toLowerCase();
  let current: Promise<Credentials> | undefined;
  const fetch = async (reason: 'initial' | 'rejected'): Promise<Credentials> => {
    opts.onFetch?.(reason);
    const data = await cr.getAuthorizationToken({ regionId: opts.regionId, registryName: opts.registryName, expiredAfterHours: opts.hours });
    const { password } = decodeAuthorizationToken(data.authorizationToken);
    opts.onSecret?.(password);
    return { username: JCR_USERNAME, password };
  };
  return async (asked, request) => {
    if (asked.toLowerCase() !== host) return undefined;
    if (!current || request?.reason === 'rejected') {
      const fetching = fetch(request?.reason ?? 'initial');
      current = fetching;
      // a failed fetch must not be cached: the next ask tries again
      fetching.catch(() => {
        if (current === fetching) current = undefined;
      });
    }
    return current;
  };
}

/** `{registryName}-{regionId}.jcr.service.jdcloud.com` → its parts, else undefined. */
export function parseJcrHost(host: string): { registryName: string; regionId: string } | undefined {
  const m = /^([a-z0-9][a-z0-9-]*)-([a-z]{2}-[a-z]+-\d+)\.jcr\.service\.jdcloud\.com$/.exec(host.toLowerCase().replace(/:443$/, ''));
  return m ? { registryName: m[1], regionId: m[2] } : undefined;
}

/**
 * A hook for `jcrkit mirror SRC DST` without a config: any destination that is a JCR host gets a
 * token of that registry, when JDCLOUD_ACCESS_KEY/JDCLOUD_SECRET_KEY are set; other hosts (and
 * no credentials) answer undefined, so flags and ~/.docker/config.json still decide.
 */
export function jcrHostCredentialProvider(opts: {
  env: NodeJS.ProcessEnv;
  endpoint?: string;
  hours?: number;
  service?: 'cr' | 'containerregistry';
  client?: Partial<JdcloudClientOptions>;
  /** `--proxy`; HTTPS_PROXY / NO_PROXY of `env` apply either way */
  proxy?: string;
}): CredentialProvider {
  const providers = new Map<string, CredentialProvider>();
  return async (host, request) => {
    const parsed = parseJcrHost(host);
    const accessKey = opts.env.JDCLOUD_ACCESS_KEY?.trim();
    const secretKey = opts.env.JDCLOUD_SECRET_KEY?.trim();
    if (!parsed || !accessKey || !secretKey) return undefined;
    let provider = providers.get(host.toLowerCase());
    if (!provider) {
      const transport = opts.client?.transport ?? (opts.client?.fetchImpl ? undefined : proxiedTransport(opts.env, opts.proxy));
      const client = new JdcloudClient({ ...opts.client, ...(transport ? { transport } : {}), accessKey, secretKey, endpoint: endpointOverrideFrom(opts.endpoint, opts.env) });
      provider = jcrCredentialProvider(new CrApi(client, { service: opts.service ?? 'cr' }), { ...parsed, host, hours: opts.hours ?? 1 });
      providers.set(host.toLowerCase(), provider);
    }
    return provider(host, request);
  };
}
