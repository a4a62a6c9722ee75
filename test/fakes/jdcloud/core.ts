/**
 * Building blocks shared by the fake JD Cloud OpenAPI routes: the error a handler throws,
 * ids, paging and filter parsing, and typed access to request fields.
 */
import { randomBytes } from 'crypto';
import type { Filter } from '../../../lib/jdcloud/params';
import type { QueryPair } from '../../../lib/jdcloud/canonical-request';

/** Service-level statuses by code (https://docs.jdcloud.com/cn/common-declaration/api/error-codes). */
const STATUS_BY_CODE: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'HTTP_FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RATE_LIMIT',
  500: 'INTERNAL',
  502: 'SOURCE_UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'HTTP_SERVER_TIMING_OUT',
};

export function statusForCode(code: number): string {
  return STATUS_BY_CODE[code] ?? 'UNKNOWN';
}

/** Thrown by a handler; becomes `{requestId, error:{code,status,message}}` with HTTP status = code. */
export class FakeApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: string,
    message: string,
    /** extra response headers, e.g. Retry-After */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }
}

export const invalid = (message: string) => new FakeApiError(400, 'INVALID_ARGUMENT', message);
export const notFound = (message: string) => new FakeApiError(404, 'NOT_FOUND', message);
export const alreadyExists = (message: string) => new FakeApiError(409, 'ALREADY_EXISTS', message);
export const quotaExceeded = (message: string, headers?: Readonly<Record<string, string>>) => new FakeApiError(429, 'QUOTA_EXCEEDED', message, headers);
export const failedPrecondition = (message: string) => new FakeApiError(400, 'FAILED_PRECONDITION', message);

/** Lower-case alphanumerics, like the request ids JD Cloud returns (e.g. `ce6ttm6ir2hu3mutbkdpr7j3iecwh77q`). */
export function randomId(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Everything a route handler gets. */
export interface RouteInput {
  readonly regionId: string;
  /** Path parameters, decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** Decoded query pairs (GET/DELETE). */
  readonly query: readonly QueryPair[];
  /** Parsed JSON body (POST/PUT/PATCH), `{}` when empty. */
  readonly body: Readonly<Record<string, unknown>>;
  /** Signing service from the credential scope, e.g. `cr` or `containerregistry`. */
  readonly service: string;
  readonly now: Date;
}

/** Last value of a query key. */
export function queryValue(query: readonly QueryPair[], key: string): string | undefined {
  let found: string | undefined;
  for (const [k, v] of query) if (k === key) found = v;
  return found;
}

/** Rebuild `filters` from flattened query pairs `filters.N.name` / `filters.N.values.M`. */
export function filtersFromQuery(query: readonly QueryPair[]): Filter[] {
  const byIndex = new Map<number, { name?: string; operator?: string; values: Map<number, string> }>();
  for (const [key, value] of query) {
    const m = /^filters\.(\d+)\.(name|operator|values\.(\d+))$/.exec(key);
    if (!m) continue;
    const entry = byIndex.get(Number(m[1])) ?? { values: new Map<number, string>() };
    byIndex.set(Number(m[1]), entry);
    if (m[2] === 'name') entry.name = value;
    else if (m[2] === 'operator') entry.operator = value;
    else entry.values.set(Number(m[3]), value);
  }
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .filter(([, f]) => f.name !== undefined)
    .map(([, f]) => ({
      name: f.name as string,
      operator: f.operator,
      values: [...f.values.entries()].sort(([a], [b]) => a - b).map(([, v]) => v),
    }));
}

/** `filters` from a JSON body, checked for shape. */
export function filtersFromBody(body: Readonly<Record<string, unknown>>): Filter[] {
  const raw = body.filters;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalid('filters must be an array');
  return raw.map((f, i) => {
    if (typeof f !== 'object' || f === null || typeof (f as Filter).name !== 'string' || !Array.isArray((f as Filter).values)) {
      throw invalid(`filters[${i}] must be {name, values[]}`);
    }
    return { name: (f as Filter).name, operator: (f as Filter).operator, values: (f as Filter).values.map(String) };
  });
}

export function filterValues(filters: readonly Filter[], ...names: string[]): string[] | undefined {
  const matching = filters.filter((f) => names.includes(f.name));
  return matching.length ? matching.flatMap((f) => f.values) : undefined;
}

export interface PageOptions {
  /** Allowed pageSize range; the VPC and JCR list APIs document 10–100. */
  min?: number;
  max?: number;
}

/** Slice `items` by pageNumber/pageSize (defaults 1 and 20), rejecting out-of-range values. */
export function paginate<T>(items: readonly T[], pageNumber: unknown, pageSize: unknown, options: PageOptions = {}): T[] {
  const number = pageNumber === undefined ? 1 : Number(pageNumber);
  const size = pageSize === undefined ? 20 : Number(pageSize);
  if (!Number.isInteger(number) || number < 1) throw invalid('pageNumber must be an integer ≥ 1');
  const min = options.min ?? 1;
  const max = options.max ?? 1000;
  if (!Number.isInteger(size) || size < min || size > max) throw invalid(`pageSize must be an integer from ${min} to ${max}`);
  return items.slice((number - 1) * size, number * size);
}

export function requireString(source: Readonly<Record<string, unknown>>, field: string, label = field): string {
  const value = source[field];
  if (typeof value !== 'string' || value === '') throw invalid(`${label} is required`);
  return value;
}

export function optionalString(source: Readonly<Record<string, unknown>>, field: string, label = field): string | undefined {
  const value = source[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${label} must be a string`);
  return value;
}

export function requireObject(source: Readonly<Record<string, unknown>>, field: string, label = field): Record<string, unknown> {
  const value = source[field];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${label} is required`);
  return value as Record<string, unknown>;
}

/** Services the fake serves; `cr` and `containerregistry` share one family (same paths and models). */
export type ServiceFamily = 'cr' | 'vpc' | 'kubernetes';

export const FAMILY_BY_SERVICE: Readonly<Record<string, ServiceFamily>> = {
  cr: 'cr',
  containerregistry: 'cr',
  vpc: 'vpc',
  kubernetes: 'kubernetes',
};

/** One API of the fake. `path` is the template after `/v1`, as in the SDKs' request definitions. */
export interface FakeRoute<S> {
  readonly family: ServiceFamily;
  readonly action: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  /** Returns the envelope's `result` (undefined → `{}`), or throws FakeApiError. */
  readonly handle: (input: RouteInput, state: S) => unknown;
}
