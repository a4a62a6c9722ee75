/**
 * The canonical request of JDCLOUD2/JDCLOUD3 signing: the method, path, query, signed headers and
 * body hash, each normalised so that client and server arrive at the same text however the request
 * was spelled on the wire. The signature is an HMAC over a hash of this text (signer.ts), so a rule
 * that differs from the gateway's makes it refuse the request.
 */
import { createHash } from 'crypto';

export const DATE_HEADER = 'x-jdcloud-date';
export const NONCE_HEADER = 'x-jdcloud-nonce';

/**
 * What our client signs: the set the Go SDK normally signs (every header but Authorization,
 * User-Agent and X-Jdcloud-Request-Id), which includes the host, date and nonce the official doc requires.
 */
export const DEFAULT_SIGNED_HEADERS: readonly string[] = Object.freeze([
  'content-type',
  'host',
  DATE_HEADER,
  NONCE_HEADER,
]);

export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export type HeaderValue = string | number | readonly string[] | undefined;
export type HeaderBag = Readonly<Record<string, HeaderValue>>;

/**
 * RFC 3986 percent-encoding: only `A-Z a-z 0-9 - _ . ~` stay as they are, upper-case hex,
 * UTF-8 bytes: the encoding of both the canonical URI and the canonical query.
 */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/**
 * Percent-decode leniently: valid `%XX` sequences (as UTF-8) are decoded, a stray `%` stays a
 * literal `%` (the rust-signer's test table: `/?a=%` → `a=%25`).
 */
export function lenientDecode(text: string, plusIsSpace = false): string {
  const spaced = plusIsSpace ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    // Decode each maximal run of valid escapes, keep the rest literally.
    return spaced.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/**
 * Canonical URI: every path segment percent-decoded then re-encoded with the
 * unreserved set, `/` kept, empty path → `/`, a missing leading slash added (py vectors `v1` →
 * `/v1`). Decode-then-encode makes the result the same whether the caller passes the raw path
 * (`…/中文:GET`) or the path as sent on the wire (`…/%E4%B8%AD%E6%96%87%3AGET`), which is what
 * lets the fake server recompute the client's signature from `req.url`. `+` is a literal in a
 * path (RFC 3986), unlike in a query. Trailing slashes are kept: they are significant (`…/vpcs/`
 * and `…/vpcs` sign differently).
 */
export function canonicalUri(path: string): string {
  const withSlash = path.startsWith('/') ? path : '/' + path;
  return withSlash
    .split('/')
    .map((segment) => uriEncode(lenientDecode(segment)))
    .join('/');
}

/** One query parameter, raw (decoded) key and value. */
export type QueryPair = readonly [string, string];

/**
 * Parse a wire query string (with or without the leading `?`) into decoded pairs:
 * `+` means space, a key without `=` has an empty value, an empty key is dropped
 * (the rust-signer's query table and the Python SDK's `=a&a=a` vector).
 */
export function parseQueryString(query: string): QueryPair[] {
  const text = query.startsWith('?') ? query.slice(1) : query;
  const pairs: QueryPair[] = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? '' : part.slice(eq + 1);
    const key = lenientDecode(rawKey, true);
    if (key === '') continue;
    pairs.push([key, lenientDecode(rawValue, true)]);
  }
  return pairs;
}

/**
 * Canonical query: encode keys and values, sort by encoded key then encoded
 * value in plain byte order, join `k=v` with `&`. Accepts a wire query string or decoded pairs.
 * The client sends exactly this string, so what it signs is what the server sees.
 */
export function canonicalQuery(query: string | Iterable<QueryPair> | undefined): string {
  if (query === undefined) return '';
  const pairs = typeof query === 'string' ? parseQueryString(query) : [...query];
  return pairs
    .filter(([key]) => key !== '')
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([ka, va], [kb, vb]) => compareBytes(ka, kb) || compareBytes(va, vb))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/** Encoded strings are ASCII, so code-unit order is byte order. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Trim, and collapse inner whitespace runs to one space (the rust-signer's test table: `Wor  ld` → `Wor ld`). */
export function canonicalHeaderValue(value: HeaderValue): string {
  const text = Array.isArray(value) ? value.join(',') : value === undefined ? '' : String(value);
  return text.trim().replace(/\s+/g, ' ');
}

/** Case-insensitive header lookup in a plain object. */
export function getHeader(headers: HeaderBag, name: string): HeaderValue {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** Lower-case, de-duplicate and sort header names: the SignedHeaders list. */
export function normalizeSignedHeaders(names: Iterable<string>): string[] {
  return [...new Set([...names].map((n) => n.trim().toLowerCase()).filter((n) => n !== ''))].sort();
}

/** `name:value\n` for each signed header, sorted by name. Throws on a missing header. */
export function canonicalHeaders(headers: HeaderBag, signedHeaders: readonly string[]): string {
  return normalizeSignedHeaders(signedHeaders)
    .map((name) => {
      const value = getHeader(headers, name);
      if (value === undefined) throw new Error(`header "${name}" is listed as signed but not present`);
      return `${name}:${canonicalHeaderValue(value)}\n`;
    })
    .join('');
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Lower-case hex SHA-256 of the exact body bytes; no body hashes like an empty one. */
export function hashBody(body: string | Uint8Array | undefined): string {
  return body === undefined || body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(body);
}

/** The parts of an HTTP request that are signed. */
export interface SignableRequest {
  readonly method: string;
  /** Raw or wire-encoded path including the `/v1` prefix; see {@link canonicalUri}. */
  readonly path: string;
  /** Wire query string (leading `?` optional) or decoded pairs. */
  readonly query?: string | Iterable<QueryPair>;
  /** Must contain every header named in `signedHeaders` (including date and nonce if signed). */
  readonly headers: HeaderBag;
  readonly body?: string | Uint8Array;
  /** Header names to sign; default {@link DEFAULT_SIGNED_HEADERS}. */
  readonly signedHeaders?: readonly string[];
}

/** Method, URI, query, headers (ending in `\n`), signed names, body hash, joined by `\n`. */
export function canonicalRequest(request: SignableRequest): string {
  const signed = normalizeSignedHeaders(request.signedHeaders ?? DEFAULT_SIGNED_HEADERS);
  return [
    request.method.toUpperCase(),
    canonicalUri(request.path),
    canonicalQuery(request.query),
    canonicalHeaders(request.headers, signed),
    signed.join(';'),
    hashBody(request.body),
  ].join('\n');
}
