/**
 * CIDR parsing for loadBalancerSourceRanges and the network checks of the cloud commands.
 * node:net validates the address part (IPv4 and IPv6); we add the prefix length rules.
 */
import { isIPv4, isIPv6 } from 'node:net';

/**
 * Why `value` is not a CIDR (address/prefix, IPv4 or IPv6), or undefined when it is one. A zone id
 * (`fe80::1%eth0/64`) is refused: node:net accepts it in an address, but a zone names an interface
 * of one host and means nothing in an address block (Kubernetes' net.ParseCIDR refuses it too).
 */
export function cidrSyntaxProblem(value: string): string | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(value);
  if (!m) return 'is not a CIDR';
  const [, address, prefixText] = m;
  if (address.includes('%')) return 'is not a CIDR: it has a zone id (the part from "%"), which an address block cannot carry';
  if (prefixText.length > 1 && prefixText.startsWith('0')) return 'is not a CIDR: its prefix length has a leading zero';
  const prefix = Number(prefixText);
  if (isIPv4(address)) return prefix <= 32 ? undefined : 'is not a CIDR: an IPv4 prefix length is at most 32';
  if (isIPv6(address)) return prefix <= 128 ? undefined : 'is not a CIDR: an IPv6 prefix length is at most 128';
  return 'is not a CIDR: the address is neither IPv4 nor IPv6';
}

export function isCidr(value: string): boolean {
  return cidrSyntaxProblem(value) === undefined;
}

/**
 * For a valid CIDR with host bits set (`10.0.1.5/16`), the network it stands for (`10.0.0.0/16`);
 * undefined when the address already is the network address (or the value is not a CIDR). The
 * Kubernetes API server accepts such ranges and warns, so jcrkit warns too.
 */
export function hostBitsNetwork(value: string): string | undefined {
  if (!isCidr(value)) return undefined;
  const [address, prefixText] = value.split('/');
  const prefix = Number(prefixText);
  const v4 = isIPv4(address);
  const bits = v4 ? 32 : 128;
  const n = v4 ? BigInt(ipv4ToNumber(address)) : ipv6ToBigInt(address);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  if ((n & hostMask) === 0n) return undefined;
  const net = n & ~hostMask;
  return `${v4 ? bigintToIpv4(net) : bigintToIpv6(net)}/${prefix}`;
}

/** A valid IPv6 address (checked by isIPv6, no zone) as a 128-bit number. */
function ipv6ToBigInt(address: string): bigint {
  let text = address;
  // An embedded IPv4 tail (::ffff:192.0.2.1) is two 16-bit groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToNumber(v4[1]);
    text = `${text.slice(0, -v4[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [left, right] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const l = groups(left);
  const r = groups(right);
  const all = right === undefined ? l : [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function bigintToIpv4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
}

/** The canonical (RFC 5952, as WHATWG URL serialises it) text of a 128-bit address. */
function bigintToIpv6(n: bigint): string {
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) => ((n >> s) & 0xffffn).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
  text: string;
}

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** Parses an IPv4 CIDR; returns undefined for anything else. */
export function parseIpv4Cidr(value: string): Ipv4Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(value);
  if (!m || !isIPv4(m[1])) return undefined;
  const prefix = Number(m[2]);
  if (prefix > 32) return undefined;
  return { base: ipv4ToNumber(m[1]), prefix, text: value };
}

/** True when the address has no bits set beyond the prefix (10.0.0.0/16, not 10.0.1.0/16). */
export function isNetworkAddress(c: Ipv4Cidr): boolean {
  const size = 2 ** (32 - c.prefix);
  return c.base % size === 0;
}

export function cidrRange(c: Ipv4Cidr): [number, number] {
  const size = 2 ** (32 - c.prefix);
  const start = c.base - (c.base % size);
  return [start, start + size - 1];
}

export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  const [os, oe] = cidrRange(outer);
  const [is, ie] = cidrRange(inner);
  return is >= os && ie <= oe;
}

export function cidrOverlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const [as, ae] = cidrRange(a);
  const [bs, be] = cidrRange(b);
  return as <= be && bs <= ae;
}

/** RFC 1918 private ranges, the only ones JD Cloud VPCs and subnets accept (CreateVpc/CreateSubnet `addressPrefix`). */
export const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((r) => parseIpv4Cidr(r)!);

export function isPrivate(c: Ipv4Cidr): boolean {
  return PRIVATE_RANGES.some((r) => cidrContains(r, c));
}
