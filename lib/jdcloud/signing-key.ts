/**
 * The signing key and the credential scope it is bound to. The secret key never signs directly: it
 * seeds a chain of HMACs over the day, region and service, so a derived key is only good for that
 * scope; the Authorization header names the scope so the server can derive the same key.
 */
import { createHmac } from 'crypto';

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

/** SDKs use this scope region when an API has no regionId (Go SDK core/JdcloudClient.go `Send`). */
export const NO_REGION = 'jdcloud-api';

/** `YYYYMMDD/region/service/terminator`. */
export function credentialScope(
  day: string,
  region: string,
  service: string,
  algorithm: SigningAlgorithm = JDCLOUD2,
): string {
  return `${day}/${region}/${service}/${algorithm.scopeTerminator}`;
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
