/**
 * Does the registry accept these credentials? Asked the way `docker login` asks: GET /v2/ with
 * basic auth; a 401 with a Bearer challenge sends us to the token realm with the same basic
 * auth (distribution token auth), whose answer decides. Only a definite "no" from the registry
 * counts as invalid; a registry we cannot reach (no route from this pod, DNS, 5xx) is "unknown",
 * and the run goes on with a warning rather than refusing to refresh.
 */
import * as http from 'http';
import * as https from 'https';

export type ProbeResult = { status: 'valid' } | { status: 'invalid'; detail: string } | { status: 'unreachable'; detail: string };

export interface ProbeOptions {
  /** default https://{host}; tests point it at a local registry */
  baseUrl?: string;
  timeoutMs?: number;
  ca?: Buffer;
}

interface Answer {
  status: number;
  challenge?: string;
}

export async function probeRegistry(host: string, username: string, password: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const base = (opts.baseUrl ?? `https://${host}`).replace(/\/+$/, '');
  const basic = 'Basic ' + Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
  let first: Answer;
  try {
    first = await get(`${base}/v2/`, basic, opts);
  } catch (err) {
    return { status: 'unreachable', detail: `${base}/v2/: ${(err as Error).message}` };
  }
  if (first.status === 200) return { status: 'valid' };
  if (first.status !== 401) return { status: 'unreachable', detail: `${base}/v2/ answered ${first.status}` };

  const bearer = first.challenge && parseBearerChallenge(first.challenge);
  if (!bearer) return { status: 'invalid', detail: `${base}/v2/ rejected the credentials (401)` };
  const realm = new URL(bearer.realm);
  if (bearer.service) realm.searchParams.set('service', bearer.service);
  realm.searchParams.set('account', username);
  let token: Answer;
  try {
    token = await get(realm.toString(), basic, opts);
  } catch (err) {
    return { status: 'unreachable', detail: `token endpoint ${realm.origin}${realm.pathname}: ${(err as Error).message}` };
  }
  if (token.status === 200) return { status: 'valid' };
  if (token.status === 401 || token.status === 403) {
    return { status: 'invalid', detail: `token endpoint ${realm.origin}${realm.pathname} rejected the credentials (${token.status})` };
  }
  return { status: 'unreachable', detail: `token endpoint ${realm.origin}${realm.pathname} answered ${token.status}` };
}

/** `Bearer realm="...",service="..."` → its parameters; undefined for Basic or garbage. */
export function parseBearerChallenge(header: string): { realm: string; service?: string } | undefined {
  const m = /^\s*Bearer\s+(.*)$/i.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[1].matchAll(/([a-zA-Z]+)="([^"]*)"/g)) params[p[1].toLowerCase()] = p[2];
  return params.realm ? { realm: params.realm, service: params.service } : undefined;
}

function get(url: string, authorization: string, opts: ProbeOptions): Promise<Answer> {
  const u = new URL(url);
  const transport = u.protocol === 'http:' ? http : https;
  return new Promise<Answer>((resolve, reject) => {
    const req = transport.request(u, { method: 'GET', headers: { Authorization: authorization, 'User-Agent': 'jcrkit' }, ca: opts.ca }, (res) => {
      res.resume(); // the body is of no interest; drain it so the socket is released
      res.on('end', () => resolve({ status: res.statusCode ?? 0, challenge: headerValue(res.headers['www-authenticate']) }));
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 10_000, () => req.destroy(new Error(`no answer within ${opts.timeoutMs ?? 10_000} ms`)));
    req.on('error', (err) => reject(err));
    req.end();
  });
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
