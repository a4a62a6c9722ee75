/**
 * `jcrkit token`: one JCR temporary token (GetAuthorizationToken) in the shapes a
 * script needs. The password is the part of the decoded token after the FIRST colon
 * (lib/jdcloud/token.ts), which the runbook's `cut -d ':' -f2` gets wrong for passwords with `:`.
 */
import { CrApi } from '../jdcloud/cr';
import { decodeAuthorizationToken, parseExpiresAt } from '../jdcloud/token';

export interface RegistryToken {
  registry: string;
  host: string;
  username: string;
  password: string;
  /** ISO-8601 when the API's value could be parsed, else the API's text */
  expiresAt: string;
}

export async function issueRegistryToken(cr: CrApi, opts: { regionId: string; registryName: string; host: string; hours: number }): Promise<RegistryToken> {
  const data = await cr.getAuthorizationToken({ regionId: opts.regionId, registryName: opts.registryName, expiredAfterHours: opts.hours });
  const { username, password } = decodeAuthorizationToken(data.authorizationToken);
  const expires = parseExpiresAt(data.expiresAt);
  return { registry: opts.registryName, host: opts.host, username, password, expiresAt: expires ? expires.toISOString() : String(data.expiresAt ?? '') };
}

export type TokenFormat = 'password' | 'docker-config' | 'json';

/** The exact stdout text for each format; nothing else is ever printed to stdout. */
export function formatToken(token: RegistryToken, format: TokenFormat): string {
  switch (format) {
    case 'password':
      // for `docker login -u jdcloud --password-stdin` and `jcrkit synth --password-stdin`
      return `${token.password}\n`;
    case 'docker-config':
      // a ~/.docker/config.json fragment: auth = base64(user:password), as docker login writes it
      return `${JSON.stringify({ auths: { [token.host]: { auth: Buffer.from(`${token.username}:${token.password}`, 'utf8').toString('base64') } } }, null, 2)}\n`;
    case 'json':
      return `${JSON.stringify({ registry: token.registry, host: token.host, username: token.username, password: token.password, expiresAt: token.expiresAt }, null, 2)}\n`;
  }
}
