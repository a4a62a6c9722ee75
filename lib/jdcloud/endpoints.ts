/**
 * Where each service's API lives. Default `https://{service}.jdcloud-api.com`, as the SDKs'
 * service clients set it (e.g. `cr.jdcloud-api.com`);
 * an override (CLI `--endpoint`, env `JDCLOUD_ENDPOINT`) sends every service to one host,
 * e.g. a private endpoint or the fake server in tests.
 */

import { REDACTED } from '../core/redact';
import { JdcloudValidationError } from './errors';

/** Environment variable holding the endpoint override; every `--endpoint` flag falls back to it. */
export const ENDPOINT_ENV = 'JDCLOUD_ENDPOINT';

/** Placeholder an override may contain for per-service hosts, e.g. `http://{service}.internal.cn-north-1.jdcloud-api.com`. */
const SERVICE_PLACEHOLDER = '{service}';

/** `https://{service}.jdcloud-api.com`. */
export function defaultEndpoint(service: string): string {
  return `https://${service}.jdcloud-api.com`;
}

/**
 * Base URL (scheme, host, optional port and path prefix; no trailing slash) for `service`.
 * `override` wins when given and non-blank; `{service}` inside it is replaced by the service name.
 * Throws a `JdcloudValidationError` (field `endpoint`) when the override is not an http(s) URL.
 */
export function resolveEndpoint(service: string, override?: string): string {
  if (override === undefined || override.trim() === '') return defaultEndpoint(service);
  const text = override.trim().split(SERVICE_PLACEHOLDER).join(service);
  // Never echo userinfo (`https://user:password@host`) in an error message.
  const shown = override.trim().replace(/\/\/[^/@]*@/, `//${REDACTED}@`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new JdcloudValidationError('endpoint', `"${shown}" is not a URL; expected e.g. https://cr.jdcloud-api.com or http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new JdcloudValidationError('endpoint', `"${shown}" must use http:// or https://`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new JdcloudValidationError('endpoint', `"${shown}" must not contain a query, fragment or credentials`);
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** The override to use: the flag when set, else `JDCLOUD_ENDPOINT`, else undefined. */
export function endpointOverrideFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const candidate of [flag, env[ENDPOINT_ENV]]) {
    if (candidate !== undefined && candidate.trim() !== '') return candidate.trim();
  }
  return undefined;
}
