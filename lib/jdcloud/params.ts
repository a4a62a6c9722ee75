/**
 * Turning request parameters into a URL: path templates and query flattening, the way the official
 * SDKs do it (https://github.com/jdcloud-api/jdcloud-sdk-go/blob/v1.66.0/core/ParameterBuilder.go).
 */
import { JdcloudValidationError } from './errors';
import { QueryPair, canonicalQuery, uriEncode } from './canonical-request';

/** Filter object of list APIs: `{name, operator? (default eq), values[]}`. */
export interface Filter {
  name: string;
  operator?: string;
  values: string[];
}

/**
 * Substitute `{name}` placeholders with percent-encoded values, e.g.
 * `/regions/{regionId}/registries/{registryName}:getAuthorizationToken`.
 * Throws when a placeholder has no (non-empty) value, so no request goes to a wrong URL.
 */
export function expandPath(template: string, params: Readonly<Record<string, string | number | undefined>>): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || String(value) === '') throw new JdcloudValidationError(name, 'is required');
    return uriEncode(String(value));
  });
}

/**
 * Flatten GET/DELETE parameters the way the SDKs do: arrays become `name.N`
 * (1-based), objects `name.field`, recursively, e.g. `filters.1.name=vpcId&filters.1.values.1=vpc-1`.
 * `undefined` and `null` are left out.
 */
export function flattenParams(params: Readonly<Record<string, unknown>> | undefined): QueryPair[] {
  const pairs: QueryPair[] = [];
  const visit = (prefix: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(`${prefix}.${index + 1}`, item));
    } else if (typeof value === 'object') {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) visit(`${prefix}.${key}`, item);
    } else {
      pairs.push([prefix, String(value)]);
    }
  };
  for (const [key, value] of Object.entries(params ?? {})) visit(key, value);
  return pairs;
}

/** The query string to send: flattened, encoded and sorted, so it is exactly what gets signed. */
export function buildQueryString(params: Readonly<Record<string, unknown>> | undefined): string {
  return canonicalQuery(flattenParams(params));
}
