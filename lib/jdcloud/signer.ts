/**
 * JD Cloud OpenAPI request signing: JDCLOUD2-HMAC-SHA256 (and its twin JDCLOUD3).
 *
 * The algorithm is AWS SigV4 with three constants changed: key prefix, scope terminator and
 * algorithm name. Official description: https://docs.jdcloud.com/cn/common-declaration/api/authorization-rules;
 * the implementation followed: https://github.com/jdcloud-api/jdcloud-sdk-go/blob/v1.66.0/core/Signer.go.
 * Everything here is a pure function so it can be proven against the SDKs' own test vectors
 * (test/jdcloud/signer.test.ts) and reused by the fake server to verify what the client sends.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'crypto';

/** The three constants that differ between JDCLOUD2 and JDCLOUD3; the algorithm is otherwise the same. */
export interface SigningAlgorithm {
  /** Appears first in the Authorization header and in the string to sign. */
  readonly name: string;
  /** Prefixed to the secret key to seed the key derivation: kDate = HMAC(prefix + secretKey, day). */
  readonly keyPrefix: string;
  /** Last element of the credential scope and last HMAC step of key derivation. */
  readonly scopeTerminator: string;
}

export const JDCLOUD2: SigningAlgorithm = Object.freeze({
  name: 'JDCLOUD2-HMAC-SHA256',
  keyPrefix: 'JDCLOUD2',
  scopeTerminator: 'jdcloud2_request',
});

export const JDCLOUD3: SigningAlgorithm = Object.freeze({
  name: 'JDCLOUD3-HMAC-SHA256',
  keyPrefix: 'JDCLOUD3',
  scopeTerminator: 'jdcloud3_request',
});

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

/** SDKs use this scope region when an API has no regionId (Go SDK core/JdcloudClient.go `Send`). */
export const NO_REGION = 'jdcloud-api';

export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export type HeaderValue = string | number | readonly string[] | undefined;
export type HeaderBag = Readonly<Record<string, HeaderValue>>;

/** `YYYYMMDDTHHMMSSZ` in UTC, e.g. `20180404T061302Z`. */
export function formatSigningDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Inverse of {@link formatSigningDate}; undefined when the text is not in that exact shape. */
export function parseSigningDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Reject impossible dates such as 20190231 that Date.UTC would silently roll over.
  return formatSigningDate(date) === text ? date : undefined;
}

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

/** `YYYYMMDD/region/service/terminator`. */
export function credentialScope(
  day: string,
  region: string,
  service: string,
  algorithm: SigningAlgorithm = JDCLOUD2,
): string {
  return `${day}/${region}/${service}/${algorithm.scopeTerminator}`;
}

/** Algorithm name, x-jdcloud-date, scope and the canonical request's hex SHA-256, joined by `\n`. `signingDate` is the full x-jdcloud-date value. */
export function stringToSign(
  signingDate: string,
  scope: string,
  canonical: string,
  algorithm: SigningAlgorithm = JDCLOUD2,
): string {
  return [algorithm.name, signingDate, scope, sha256Hex(canonical)].join('\n');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Key derivation chain: HMAC over day, region, service and terminator in turn. `day` is `YYYYMMDD`. */
export function signingKey(
  secretKey: string,
  day: string,
  region: string,
  service: string,
  algorithm: SigningAlgorithm = JDCLOUD2,
): Buffer {
  const kDate = hmac(algorithm.keyPrefix + secretKey, day);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, algorithm.scopeTerminator);
}

/** Who signs and for which scope. */
export interface SigningContext {
  readonly accessKey: string;
  readonly secretKey: string;
  /** The request's regionId, or {@link NO_REGION} for region-less APIs. */
  readonly region: string;
  /** Lower-case service name (`cr`, `containerregistry`, `vpc`, `kubernetes` …). */
  readonly service: string;
  readonly algorithm?: SigningAlgorithm;
}

/** Every intermediate value, so tests (and debugging) can compare each step. */
export interface SignatureDetails {
  readonly canonicalRequest: string;
  readonly scope: string;
  readonly stringToSign: string;
  readonly signature: string;
  readonly signedHeaders: string;
  readonly authorization: string;
}

/**
 * Sign a request whose headers already carry x-jdcloud-date (and the nonce, when signed).
 * The scope date is the first 8 characters of x-jdcloud-date.
 */
export function computeSignature(request: SignableRequest, context: SigningContext): SignatureDetails {
  const algorithm = context.algorithm ?? JDCLOUD2;
  const dateValue = getHeader(request.headers, DATE_HEADER);
  const signingDate = canonicalHeaderValue(dateValue);
  if (dateValue === undefined || !/^\d{8}T\d{6}Z$/.test(signingDate)) {
    throw new Error(`${DATE_HEADER} header must be present as YYYYMMDDTHHMMSSZ`);
  }
  const day = signingDate.slice(0, 8);
  const canonical = canonicalRequest(request);
  const scope = credentialScope(day, context.region, context.service, algorithm);
  const toSign = stringToSign(signingDate, scope, canonical, algorithm);
  const key = signingKey(context.secretKey, day, context.region, context.service, algorithm);
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  const signedHeaders = normalizeSignedHeaders(request.signedHeaders ?? DEFAULT_SIGNED_HEADERS).join(';');
  return {
    canonicalRequest: canonical,
    scope,
    stringToSign: toSign,
    signature,
    signedHeaders,
    authorization: `${algorithm.name} Credential=${context.accessKey}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/** Input of {@link signRequest}: the request without date/nonce, plus injectable date and nonce. */
export interface SignRequestInput extends SignableRequest {
  /** Default: now. */
  readonly date?: Date;
  /** Default: a random UUID v4, as the SDKs send. */
  readonly nonce?: string;
}

/**
 * Add x-jdcloud-date, x-jdcloud-nonce and Authorization to a copy of the request headers.
 * Returns the headers to send and the signature details.
 */
export function signRequest(
  input: SignRequestInput,
  context: SigningContext,
): { headers: Record<string, string>; details: SignatureDetails } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || lower === DATE_HEADER || lower === NONCE_HEADER || lower === 'authorization') continue;
    headers[name] = Array.isArray(value) ? value.join(',') : String(value);
  }
  headers[DATE_HEADER] = formatSigningDate(input.date ?? new Date());
  headers[NONCE_HEADER] = input.nonce ?? randomUUID();
  const details = computeSignature({ ...input, headers }, context);
  headers['authorization'] = details.authorization;
  return { headers, details };
}

/** The fields of an Authorization header: `ALG Credential=AK/scope, SignedHeaders=a;b, Signature=hex`. */
export interface ParsedAuthorization {
  readonly algorithm: SigningAlgorithm;
  readonly accessKey: string;
  readonly day: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: string[];
  readonly signature: string;
}

/**
 * Why a request failed verification. Messages follow the API gateway's 401 ACCESS_ERROR texts
 * (JD Cloud API Gateway's public error-code table, e.g. "sign result is not same") where one
 * exists; the others are ours (marked in {@link VERIFY_MESSAGES}).
 */
export type VerifyFailure =
  | 'missing-authorization'
  | 'missing-credential'
  | 'malformed-authorization'
  | 'missing-signed-headers'
  | 'missing-date'
  | 'missing-nonce'
  | 'unsigned-date'
  | 'unsigned-nonce'
  | 'missing-signed-header'
  | 'scope-date-mismatch'
  | 'clock-skew'
  | 'unknown-access-key'
  | 'signature-mismatch';

export const VERIFY_MESSAGES: Readonly<Record<VerifyFailure, string>> = Object.freeze({
  'missing-authorization': 'lack of header authorization',
  'missing-credential': 'lack of credential in the header authorization',
  'malformed-authorization': 'Invalid authentication credentials',
  'missing-signed-headers': 'lack of header signedHeaders',
  'missing-date': 'lack of header x-jdcloud-date',
  // Ours: the gateway's error table has no message for these.
  'missing-nonce': 'lack of header x-jdcloud-nonce',
  'unsigned-date': 'x-jdcloud-date must be a signed header',
  'unsigned-nonce': 'x-jdcloud-nonce must be a signed header',
  'missing-signed-header': 'a header listed in signedHeaders is missing',
  'scope-date-mismatch': 'credential scope date does not match x-jdcloud-date',
  'clock-skew': 'x-jdcloud-date is too far from the server time',
  'unknown-access-key': 'Invalid accessKey',
  'signature-mismatch': 'sign result is not same',
});

type ParseResult = { ok: true; value: ParsedAuthorization } | { ok: false; reason: VerifyFailure };

/** Parse `ALG Credential=AK/day/region/service/term, SignedHeaders=a;b, Signature=hex`. */
export function parseAuthorization(
  header: string,
  algorithms: readonly SigningAlgorithm[] = [JDCLOUD2, JDCLOUD3],
): ParseResult {
  const text = header.trim();
  const space = text.indexOf(' ');
  const algorithm = algorithms.find((a) => a.name === (space === -1 ? text : text.slice(0, space)));
  if (!algorithm) return { ok: false, reason: 'malformed-authorization' };
  const fields = new Map<string, string>();
  for (const part of text.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  if (!credential) return { ok: false, reason: 'missing-credential' };
  const scopeParts = credential.split('/');
  if (scopeParts.length !== 5 || scopeParts[4] !== algorithm.scopeTerminator || !/^\d{8}$/.test(scopeParts[1])) {
    return { ok: false, reason: 'malformed-authorization' };
  }
  const signedHeaders = fields.get('SignedHeaders');
  if (!signedHeaders) return { ok: false, reason: 'missing-signed-headers' };
  const signature = fields.get('Signature');
  if (!signature || !/^[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'malformed-authorization' };
  const [accessKey, day, region, service] = scopeParts;
  return {
    ok: true,
    value: { algorithm, accessKey, day, region, service, signedHeaders: signedHeaders.split(';'), signature },
  };
}

/** A request as a server received it. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path as on the wire (e.g. Node's `req.url` before `?`). */
  readonly path: string;
  /** Query as on the wire, without or with the leading `?`. */
  readonly query: string;
  /** Header names in any case (Node gives lower case). */
  readonly headers: HeaderBag;
  readonly body: string | Uint8Array;
}

export interface VerifyOptions {
  /** Secret key for an access key, or undefined when the key is unknown. */
  readonly lookupSecret: (accessKey: string) => string | undefined;
  /** Accepted algorithms; default both JDCLOUD2 and JDCLOUD3. */
  readonly algorithms?: readonly SigningAlgorithm[];
  /** Server time for the skew check; with `maxSkewMs` unset no skew check is made. */
  readonly now?: Date;
  readonly maxSkewMs?: number;
}

export type VerifyResult =
  | {
      readonly ok: true;
      readonly accessKey: string;
      readonly region: string;
      readonly service: string;
      readonly algorithm: SigningAlgorithm;
      readonly date: Date;
      readonly nonce: string;
      readonly signedHeaders: readonly string[];
    }
  | { readonly ok: false; readonly reason: VerifyFailure; readonly message: string };

function fail(reason: VerifyFailure): VerifyResult {
  return { ok: false, reason, message: VERIFY_MESSAGES[reason] };
}

/**
 * Server-side check: recompute the signature over the headers the client says it signed (the
 * SDKs sign different header sets and the gateway accepts them all, so it must), require
 * x-jdcloud-date and x-jdcloud-nonce among them, and compare in constant time.
 */
export function verify(request: ReceivedRequest, options: VerifyOptions): VerifyResult {
  const authorization = getHeader(request.headers, 'authorization');
  if (authorization === undefined || canonicalHeaderValue(authorization) === '') return fail('missing-authorization');
  const parsed = parseAuthorization(canonicalHeaderValue(authorization), options.algorithms);
  if (!parsed.ok) return fail(parsed.reason);
  const auth = parsed.value;

  const dateText = canonicalHeaderValue(getHeader(request.headers, DATE_HEADER));
  if (dateText === '') return fail('missing-date');
  const date = parseSigningDate(dateText);
  if (!date) return fail('missing-date');
  const nonce = canonicalHeaderValue(getHeader(request.headers, NONCE_HEADER));
  if (nonce === '') return fail('missing-nonce');
  const signed = normalizeSignedHeaders(auth.signedHeaders);
  if (!signed.includes(DATE_HEADER)) return fail('unsigned-date');
  if (!signed.includes(NONCE_HEADER)) return fail('unsigned-nonce');
  if (signed.some((name) => getHeader(request.headers, name) === undefined)) return fail('missing-signed-header');
  if (auth.day !== dateText.slice(0, 8)) return fail('scope-date-mismatch');
  if (options.maxSkewMs !== undefined) {
    const now = (options.now ?? new Date()).getTime();
    if (Math.abs(now - date.getTime()) > options.maxSkewMs) return fail('clock-skew');
  }

  const secretKey = options.lookupSecret(auth.accessKey);
  if (secretKey === undefined) return fail('unknown-access-key');
  const expected = computeSignature(
    { method: request.method, path: request.path, query: request.query, headers: request.headers, body: request.body, signedHeaders: signed },
    { accessKey: auth.accessKey, secretKey, region: auth.region, service: auth.service, algorithm: auth.algorithm },
  );
  const a = Buffer.from(expected.signature, 'utf8');
  const b = Buffer.from(auth.signature, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return fail('signature-mismatch');
  return {
    ok: true,
    accessKey: auth.accessKey,
    region: auth.region,
    service: auth.service,
    algorithm: auth.algorithm,
    date,
    nonce,
    signedHeaders: signed,
  };
}
