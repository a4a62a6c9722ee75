/**
 * The TokenSource over JD Cloud's container-registry API (lib/jdcloud): GetAuthorizationToken,
 * DescribeAuthorizationTokens (all pages) and ReleaseAuthorizationToken. Retries of 5xx/429 and
 * network errors are the JdcloudClient's (exponential backoff), so none are added here.
 */
import { JdcloudClient, type JdcloudClientOptions } from '../jdcloud/client';
import { CrApi, type CrServiceName } from '../jdcloud/cr';
import type { IssuedToken, TokenSource } from './token-source';

export interface JdcloudTokenSourceOptions {
  accessKey: string;
  secretKey: string;
  regionId: string;
  registryName: string;
  service?: CrServiceName;
  /** every service's calls go here (env JDCLOUD_ENDPOINT, --endpoint) */
  endpoint?: string;
  /** passed through to the client: retries, timeouts, sleep (tests) */
  client?: Partial<JdcloudClientOptions>;
}

const PAGE_SIZE = 100; // the API's maximum (pageSize 10–100)

export function jdcloudTokenSource(opts: JdcloudTokenSourceOptions): TokenSource {
  const client = new JdcloudClient({ ...opts.client, accessKey: opts.accessKey, secretKey: opts.secretKey, endpoint: opts.endpoint });
  const cr = new CrApi(client, { service: opts.service ?? 'cr' });
  const registry = { regionId: opts.regionId, registryName: opts.registryName };
  return {
    async fetch(hours) {
      const r = await cr.getAuthorizationToken({ ...registry, expiredAfterHours: hours });
      return { authorizationToken: r.authorizationToken, expiresAt: r.expiresAt };
    },
    async list() {
      const all: IssuedToken[] = [];
      for (let page = 1; ; page++) {
        const r = await cr.describeAuthorizationTokens({ ...registry, pageNumber: page, pageSize: PAGE_SIZE });
        const items = r.authorizationTokens ?? [];
        all.push(...items.map((t) => ({ authorizationToken: t.authorizationToken, expiresAt: t.expiresAt })));
        if (items.length < PAGE_SIZE || all.length >= (r.totalCount ?? 0)) return all;
      }
    },
    async release(authorizationToken) {
      await cr.releaseAuthorizationToken({ ...registry, authorizationToken });
    },
  };
}
