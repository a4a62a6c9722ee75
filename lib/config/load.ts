/**
 * Loading a config: YAML text → object → schema validation → resolution, with every problem
 * reported as a ConfigError whose issues carry the dotted field path and the fix.
 *
 * Sources, first match wins: an explicit path (`--config`), `JCRKIT_CONFIG`, the embedded default.
 * Overrides (CLI flags, kpt `key=value` arguments) are applied by dotted path before validation,
 * so they are checked exactly like file values.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, ConfigIssue } from './errors';
import { DEFAULT_CONFIG_SOURCE, DEFAULT_CONFIG_YAML } from './default-config';
import { Resolved, resolveConfig } from './resolve';
import { configSchema } from './schema';

export interface LoadOptions {
  /** Explicit config file (`--config`). */
  path?: string;
  /** Environment to read `JCRKIT_CONFIG` from. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Dotted-path overrides applied on top of the file, e.g. `{ 'registry.name': 'foo' }`. */
  overrides?: Record<string, unknown>;
}

export interface LoadedConfig extends Resolved {
  /** Where the config came from (file path or "embedded default config"). */
  source: string;
}

/** Parses YAML text into a plain object; malformed YAML becomes a ConfigError with line/column. */
export function parseConfigYaml(text: string, source: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      const where = pos ? `line ${pos.line}, column ${pos.col}` : 'unknown position';
      return { path: '(root)', message: `malformed YAML at ${where}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}. Fix: correct the YAML syntax (indentation, quotes, ':' after keys)` };
    });
    throw new ConfigError(source, issues);
  }
  const value = doc.toJS();
  if (value === null || value === undefined) {
    throw new ConfigError(source, [{ path: '(root)', message: 'the document is empty. Fix: write at least registry.name and registry.region (see examples/)' }]);
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(source, [{ path: '(root)', message: 'must be a mapping of keys (registry, pullSecret, refresher, dashboard, admin, images). Fix: start the file with `registry:`' }]);
  }
  return value;
}

/** Validates a plain object (from YAML, a KRM functionConfig, or tests) and resolves it. */
export function validateConfig(raw: unknown, source: string): Resolved {
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(source, result.error.issues.flatMap((i) => toIssues(i, raw)));
  return resolveConfig(result.data, source);
}

/** Reads, overrides, validates and resolves the config from the first available source. */
export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  const path = opts.path ?? (env.JCRKIT_CONFIG ? env.JCRKIT_CONFIG : undefined);
  let text: string;
  let source: string;
  if (path) {
    source = path;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ConfigError(path, [{ path: '(file)', message: `cannot read the config file (${code ?? (e as Error).message}). Fix: check the path given to --config or JCRKIT_CONFIG` }]);
    }
  } else {
    source = DEFAULT_CONFIG_SOURCE;
    text = DEFAULT_CONFIG_YAML;
  }
  const raw = parseConfigYaml(text, source) as Record<string, unknown>;
  for (const [key, value] of Object.entries(opts.overrides ?? {})) {
    if (value !== undefined) setByPath(raw, key, value);
  }
  return { ...validateConfig(raw, source), source };
}

/**
 * Sets `a.b.c` in a nested object, creating mappings on the way. A segment that names a scalar
 * is an error (it would silently discard the scalar).
 */
export function setByPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  if (parts.some((p) => p === '')) throw new ConfigError('override', [{ path: dotted, message: 'is not a dotted key path. Fix: write e.g. dashboard.service.port=443' }]);
  let node: Record<string, unknown> = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === undefined || next === null) {
      node[part] = {};
    } else if (typeof next !== 'object' || Array.isArray(next)) {
      throw new ConfigError('override', [{ path: dotted, message: `cannot set a key below "${part}", which is not a mapping. Fix: override "${part}" itself` }]);
    }
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

// ---- zod issue → message with fix ------------------------------------------------------------

type ZodIssue = z.core.$ZodIssue;

function dotted(path: PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** Unwraps default/optional wrappers to reach the object schema at a path, for "allowed keys". */
function allowedKeysAt(path: PropertyKey[]): string[] {
  let s: any = configSchema; // eslint-disable-line @typescript-eslint/no-explicit-any
  const unwrap = () => {
    while (s?._zod?.def && ['default', 'prefault', 'optional', 'nullable'].includes(s._zod.def.type)) s = s._zod.def.innerType;
  };
  unwrap();
  for (const p of path) {
    if (s?._zod?.def?.type !== 'object') return [];
    s = s._zod.def.shape[p as string];
    unwrap();
  }
  return s?._zod?.def?.type === 'object' ? Object.keys(s._zod.def.shape) : [];
}

function toIssues(i: ZodIssue, raw: unknown): ConfigIssue[] {
  const path = i.path as PropertyKey[];
  switch (i.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(path);
      return i.keys.map((k) => ({
        path: dotted([...path, k]),
        message: `unknown key. Fix: remove it${allowed.length ? ` or use one of: ${allowed.join(', ')}` : ''}`,
      }));
    }
    case 'invalid_type': {
      const got = valueAt(raw, path);
      if (got === undefined) return [{ path: dotted(path), message: `is required (${i.expected}). Fix: add it to the config` }];
      const hint = i.expected === 'number' && typeof got === 'string' && /^\d+$/.test(got) ? ` Fix: write ${got} without quotes` : ` Fix: write a ${i.expected}`;
      return [{ path: dotted(path), message: `expected ${i.expected}, got ${describe(got)}.${hint}` }];
    }
    case 'invalid_value':
      return [{ path: dotted(path), message: `${describe(valueAt(raw, path))} is not allowed. Fix: use one of ${i.values.map((v) => String(v)).join(', ')}` }];
    case 'invalid_format':
      return [{ path: dotted(path), message: `${describe(valueAt(raw, path))} ${i.message}` }];
    default:
      return [{ path: dotted(path), message: i.message }];
  }
}
