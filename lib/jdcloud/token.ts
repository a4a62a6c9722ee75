/**
 * The JCR temporary token: `authorizationToken` is base64 of `user:password`.
 * The runbook's `jq … | base64 -d | cut -d ':' -f2` keeps jq's quotes and would cut a password
 * containing `:`; this decoder tolerates the quotes and keeps everything after the FIRST colon.
 * Error messages never include the token or any part of it.
 */
import { JdcloudResponseError } from './errors';

export interface RegistryCredentials {
  /** The docker login user; `jdcloud` in every documented example. */
  username: string;
  password: string;
}

const FIELD = 'authorizationToken';

/** Decode an `authorizationToken` into registry credentials; throws `JdcloudResponseError` naming what is wrong. */
export function decodeAuthorizationToken(token: string | null | undefined): RegistryCredentials {
  if (token === null || token === undefined) throw new JdcloudResponseError(FIELD, 'is missing (the API returned no token)');
  let text = token.trim();
  // Surrounding quotes, as `jq` without `-r` prints them (JD Cloud's own CronJob example feeds them to base64 -d).
  while (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0]) {
    text = text.slice(1, -1).trim();
  }
  if (text === '' || text === 'null') throw new JdcloudResponseError(FIELD, 'is empty (the API returned no token)');
  // Line-wrapped base64 (as `base64` prints it) is still base64.
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) throw new JdcloudResponseError(FIELD, 'is not base64');
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) throw new JdcloudResponseError(FIELD, "does not decode to user:password (no ':')");
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (username === '') throw new JdcloudResponseError(FIELD, 'decodes to an empty user name');
  if (password === '') throw new JdcloudResponseError(FIELD, 'decodes to an empty password');
  return { username, password };
}

/**
 * `expiresAt` as a Date. The SDK only calls it "Unix clock", without a unit or format, so accept
 * epoch seconds, epoch milliseconds (13+ digits) and ISO-8601 text; undefined when none fits.
 */
export function parseExpiresAt(value: string | number | null | undefined): Date | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    const n = Number(text);
    const date = new Date(text.split('.')[0].length >= 13 ? n : n * 1000);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
