/**
 * The server side of JDCLOUD2/JDCLOUD3 signing, as the fake JD Cloud gateway needs it: parse the
 * Authorization header, recompute the signature with the library's signer and say why a request
 * is refused, in the gateway's words. Only the fake and its tests use it, so it lives here rather
 * than in lib/, where it would be shipped in the refresher bundle.
 */
import { timingSafeEqual } from 'crypto';
import { DATE_HEADER, NONCE_HEADER, canonicalHeaderValue, getHeader, normalizeSignedHeaders, type HeaderBag } from '../../../lib/jdcloud/canonical-request';
import { computeSignature, formatSigningDate } from '../../../lib/jdcloud/signer';
import { JDCLOUD2, JDCLOUD3, type SigningAlgorithm } from '../../../lib/jdcloud/signing-key';

/** Inverse of {@link formatSigningDate}; undefined when the text is not in that exact shape. */
export function parseSigningDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Reject impossible dates such as 20190231 that Date.UTC would silently roll over.
  return formatSigningDate(date) === text ? date : undefined;
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
