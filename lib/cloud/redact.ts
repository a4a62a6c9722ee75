/**
 * Request bodies shown to people (`up --dry-run`, `cluster ensure --dry-run`): CreateCluster carries
 * the user's AK/SK (for the in-cluster plugins) and may carry a node password, so those keys are
 * masked at any depth before anything is printed.
 */
const SECRET_KEYS = new Set(['accessKey', 'secretKey', 'password', 'authorizationToken']);
export const REDACTED_VALUE = '<redacted>';

export function redactBody<T>(body: T): T {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEYS.has(k) && v !== undefined ? REDACTED_VALUE : visit(v)]),
      );
    }
    return value;
  };
  return visit(body) as T;
}
