/**
 * CIDR parsing for loadBalancerSourceRanges and the network checks of the cloud commands.
 * node:net validates the address part (IPv4 and IPv6); we add the prefix length rules.
 */
import { isIPv4, isIPv6 } from 'node:net';

export function isCidr(value: string): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(value);
  if (!m) return false;
  const prefix = Number(m[2]);
  if (isIPv4(m[1])) return prefix <= 32;
  if (isIPv6(m[1])) return prefix <= 128;
  return false;
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
