/**
 * Which proxy, if any, a request to a URL goes through: HTTP_PROXY / HTTPS_PROXY / NO_PROXY (and
 * their lower-case forms) read the way Go's net/http does (golang.org/x/net/http/httpproxy,
 * `FromEnvironment` and `Config.ProxyFunc`), because that is what skopeo, crane, docker and kubectl
 * do in the same shell, and a user expects jcrkit to agree with them:
 *
 * - HTTPS_PROXY is used for https:// URLs, HTTP_PROXY for http:// URLs; upper case wins over lower
 *   case; HTTP_PROXY is ignored when REQUEST_METHOD is set (CGI, "httpoxy", CVE-2016-5385).
 * - A proxy written without a scheme (`proxy.corp:3128`) is `http://proxy.corp:3128`.
 * - NO_PROXY is a comma-separated list: `*` (no proxy at all), an IP address, a CIDR block, or a
 *   host name, each optionally with a `:port`. `example.com` matches it and its subdomains;
 *   `.example.com` and `*.example.com` match subdomains only.
 * - localhost and loopback addresses never go through a proxy.
 *
 * Pure: no sockets here (lib/core/proxy-agents.ts makes the connections), so the refresher bundle
 * could use it without carrying an agent library.
 */
import { isIP } from 'node:net';

export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

/** A proxy setting that can't be used; the CLI turns it into exit 2 with the variable's name. */
export class ProxyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxyConfigError';
  }
}

/**
 * The settings from the environment, with `--proxy URL` (if given) standing in for both
 * HTTP_PROXY and HTTPS_PROXY, as curl's `--proxy` does. NO_PROXY still applies to `--proxy`.
 */
export function proxySettingsFromEnv(env: NodeJS.ProcessEnv, override?: string): ProxySettings {
  const pick = (upper: string, lower: string) => {
    const value = env[upper] ?? env[lower];
    return value?.trim() ? value.trim() : undefined;
  };
  const forced = override?.trim() || undefined;
  return {
    httpProxy: forced ?? (env.REQUEST_METHOD ? undefined : pick('HTTP_PROXY', 'http_proxy')),
    httpsProxy: forced ?? pick('HTTPS_PROXY', 'https_proxy'),
    noProxy: pick('NO_PROXY', 'no_proxy'),
  };
}

/** Parse a proxy URL as the variables hold it; throws `ProxyConfigError` naming `what`. */
export function parseProxyUrl(text: string, what = 'proxy'): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ProxyConfigError(`${what} "${redactProxyUrl(text)}" is not a URL. Fix: write http://HOST:PORT (or http://USER:PASSWORD@HOST:PORT)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyConfigError(`${what} "${redactProxyUrl(text)}" uses ${url.protocol.replace(/:$/, '')}://, which jcrkit does not speak. Fix: use an http:// or https:// proxy`);
  }
  if (!url.hostname) throw new ProxyConfigError(`${what} "${redactProxyUrl(text)}" has no host. Fix: write http://HOST:PORT`);
  return url;
}

/** A proxy URL fit for messages: any user:password replaced by `***`. */
export function redactProxyUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@\s]*@/i, (_m, scheme: string | undefined) => `${scheme ?? ''}***@`);
}

interface NoProxyRule {
  kind: 'all' | 'cidr' | 'ip' | 'domain';
  /** domain: lower case, without leading `.`/`*.` */
  host?: string;
  /** domain: `.example.com` / `*.example.com` (subdomains only) */
  subdomainsOnly?: boolean;
  port?: string;
  network?: { bytes: number[]; bits: number };
}

function ipBytes(ip: string): number[] | undefined {
  const version = isIP(ip);
  if (version === 4) return ip.split('.').map(Number);
  if (version !== 6) return undefined;
  // Expand `::` and a trailing dotted quad into 16 bytes.
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1].split('.').map(Number);
    text = text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

function inNetwork(ip: number[], network: { bytes: number[]; bits: number }): boolean {
  if (ip.length !== network.bytes.length) return false;
  for (let bit = 0; bit < network.bits; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((ip[byte] & mask) !== (network.bytes[byte] & mask)) return false;
  }
  return true;
}

/** Split `host:port` / `[v6]:port` / `v6`; IPv6 without brackets has no port. */
function splitHostPort(text: string): { host: string; port?: string } {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracket) return { host: bracket[1], port: bracket[2] };
  if (isIP(text) === 6) return { host: text };
  const m = /^(.*):(\d+)$/.exec(text);
  return m ? { host: m[1], port: m[2] } : { host: text };
}

export function parseNoProxy(text: string | undefined): NoProxyRule[] {
  const rules: NoProxyRule[] = [];
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') {
      rules.push({ kind: 'all' });
      continue;
    }
    const slash = entry.indexOf('/');
    if (slash > 0) {
      const bytes = ipBytes(entry.slice(0, slash));
      const bits = Number(entry.slice(slash + 1));
      if (bytes && Number.isInteger(bits) && bits >= 0 && bits <= bytes.length * 8) rules.push({ kind: 'cidr', network: { bytes, bits } });
      continue; // an unparsable CIDR matches nothing, as in Go
    }
    const { host, port } = splitHostPort(entry);
    if (isIP(host)) {
      rules.push({ kind: 'ip', network: { bytes: ipBytes(host)!, bits: isIP(host) === 4 ? 32 : 128 }, port });
      continue;
    }
    const subdomainsOnly = host.startsWith('.') || host.startsWith('*.');
    rules.push({ kind: 'domain', host: host.replace(/^\*?\./, ''), subdomainsOnly, port });
  }
  return rules;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const bytes = ipBytes(host);
  if (!bytes) return false;
  if (bytes.length === 4) return bytes[0] === 127;
  return bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1;
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** Whether NO_PROXY (already parsed) sends a request to `url` directly. */
export function bypassesProxy(url: URL, rules: NoProxyRule[]): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (isLoopback(host)) return true;
  const port = defaultPort(url);
  const ip = ipBytes(host);
  for (const rule of rules) {
    if (rule.port && rule.port !== port) continue;
    if (rule.kind === 'all') return true;
    if (rule.kind === 'cidr' || rule.kind === 'ip') {
      if (ip && inNetwork(ip, rule.network!)) return true;
      continue;
    }
    if (ip) continue;
    const name = rule.host!;
    if (host.endsWith(`.${name}`) || (!rule.subdomainsOnly && host === name)) return true;
  }
  return false;
}

/** Resolves the proxy for each URL from one set of settings (parsed once). */
export class ProxyResolver {
  private readonly http?: URL;
  private readonly https?: URL;
  private readonly rules: NoProxyRule[];

  constructor(readonly settings: ProxySettings = {}) {
    this.http = settings.httpProxy ? parseProxyUrl(settings.httpProxy, 'HTTP_PROXY') : undefined;
    this.https = settings.httpsProxy ? parseProxyUrl(settings.httpsProxy, 'HTTPS_PROXY') : undefined;
    this.rules = parseNoProxy(settings.noProxy);
  }

  /** True when no request would ever use a proxy. */
  get direct(): boolean {
    return !this.http && !this.https;
  }

  /** The proxy for a request to `url`, or undefined to connect directly. */
  proxyFor(url: URL): URL | undefined {
    const proxy = url.protocol === 'https:' ? this.https : url.protocol === 'http:' ? this.http : undefined;
    if (!proxy || bypassesProxy(url, this.rules)) return undefined;
    return proxy;
  }
}
