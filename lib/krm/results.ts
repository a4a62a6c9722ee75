/**
 * `results` entries of the output ResourceList (KRM Functions Specification, "Result"):
 * `message` (required), `severity` (`error` | `warning` | `info`), `resourceRef` {apiVersion,
 * kind, name, namespace}, `field` {path} (only together with resourceRef), `file` {path, index}.
 * kpt prints them and writes them to `--results-dir`; kustomize ignores them, so every error is
 * also written to stderr by the caller.
 */
import type { ConfigError } from '../config';

export type Severity = 'error' | 'warning' | 'info';

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface FileRef {
  path: string;
  index?: number;
}

export interface KrmResult {
  message: string;
  severity: Severity;
  resourceRef?: ResourceRef;
  field?: { path: string };
  file?: FileRef;
}

/** Where a result points: an object, one of its fields, its file. */
export interface Located {
  ref?: ResourceRef;
  field?: string;
  file?: FileRef;
}

/** Where results about the config point: the functionConfig as a whole, and per config path. */
export interface ResultTarget {
  ref?: ResourceRef;
  file?: FileRef;
  /** The object field a config issue path (`dashboard.service.port`) came from, if known. */
  locate(issuePath: string): Located;
}

export function result(severity: Severity, message: string, where: Located = {}): KrmResult {
  const r: KrmResult = { message, severity };
  if (where.ref) {
    r.resourceRef = where.ref;
    // The spec allows `field` only together with `resourceRef`.
    if (where.field) r.field = { path: where.field };
  }
  if (where.file) r.file = where.file;
  return r;
}

/**
 * One error result per config issue. The message is exactly the line `jcrkit synth` prints for it
 * (`<dotted path>: <message with fix>`), so the two front doors report a bad config identically.
 */
export function configErrorResults(err: ConfigError, target: ResultTarget): KrmResult[] {
  return err.issues.map((i) => result('error', `${i.path}: ${i.message}`, target.locate(i.path)));
}

/** Orders results error → warning → info (stable inside each group), as people read them. */
export function sortResults(results: KrmResult[]): KrmResult[] {
  const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  return results.map((r, i) => ({ r, i })).sort((a, b) => rank[a.r.severity] - rank[b.r.severity] || a.i - b.i).map(({ r }) => r);
}

export function hasErrors(results: KrmResult[]): boolean {
  return results.some((r) => r.severity === 'error');
}
