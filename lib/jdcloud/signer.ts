/**
 * JD Cloud OpenAPI request signing: JDCLOUD2-HMAC-SHA256 (and its twin JDCLOUD3).
 *
 * The algorithm is AWS SigV4 with three constants changed: key prefix, scope terminator and
 * algorithm name. Official description: https://docs.jdcloud.com/cn/common-declaration/api/authorization-rules;
 * the implementation followed: https://github.com/jdcloud-api/jdcloud-sdk-go/blob/v1.66.0/core/Signer.go.
 * Everything here is a pure function so it can be proven against the SDKs' own test vectors
 * (test/jdcloud/signer.test.ts) and reused by the fake server to verify what the client sends.
 */
import { createHmac, randomUUID } from 'crypto';
import {
  DATE_HEADER,
  DEFAULT_SIGNED_HEADERS,
  NONCE_HEADER,
  canonicalHeaderValue,
  canonicalRequest,
  getHeader,
  normalizeSignedHeaders,
  sha256Hex,
  type SignableRequest,
} from './canonical-request';
import { JDCLOUD2, credentialScope, signingKey, type SigningAlgorithm } from './signing-key';

/** `YYYYMMDDTHHMMSSZ` in UTC, e.g. `20180404T061302Z`. */
export function formatSigningDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
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
