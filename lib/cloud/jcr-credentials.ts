/**
 * Registry credentials for the user's JCR host from GetAuthorizationToken (reference §3), as a
 * mirror-engine CredentialProvider (lib/registry/credentials.ts). One token serves the whole run
 * (JCR issues at most 5 per hour per registry); a new one is fetched only when the registry
 * rejected the last one (`reason: 'rejected'`, e.g. it expired mid-copy).
 */
import { CrApi } from '../jdcloud/cr';
import { decodeAuthorizationToken } from '../jdcloud/token';
import type { CredentialProvider, Credentials } from '../registry/credentials';

/** The docker login user of JCR (reference §3 Create-Image.md; the runbook's DOCKER_USER=jdcloud). */
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
      current = fetch(request?.reason ?? 'initial');
      // a failed fetch must not be cached: the next ask tries again
      current.catch(() => (current = undefined));
    }
    return current;
  };
}
