/**
 * Loading a config: YAML text → object → schema validation → resolution, with every problem
 * reported as a ConfigError whose issues carry the dotted field path and the fix.
 *
 * Sources, first match wins: an explicit path (`--config`), `JCRKIT_CONFIG`, the embedded default.
 * A file is either a plain config or a `JcrKit` object whose `spec` is one (jcrkit-object.ts).
 * Overrides (CLI flags, kpt `key=value` arguments) are applied by dotted path before validation,
 * so they are checked exactly like file values.
 */
import { closeSync, constants, fstatSync, openSync, readSync, Stats, statSync } from 'node:fs';
import { Document, isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { clip, ConfigError, ConfigFileError, ConfigIssue, quote } from './errors';
import { DEFAULT_CONFIG_SOURCE, DEFAULT_CONFIG_YAML } from './default-config';
import { Resolved, resolveConfig } from './resolve';
import { configFromFile } from './jcrkit-object';
import { configSchema } from './schema';

export interface LoadOptions {
  /** Explicit config file (`--config`). */
  path?: string;
  /** Environment to read `JCRKIT_CONFIG` from. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Dotted-path overrides applied on top of the file, e.g. `{ 'registry.name': 'foo' }`. */
  overrides?: Record<string, unknown>;
  /**
   * Where each override came from, by dotted path (`{ 'registry.name': '--registry-name' }`), so
   * an error about that value names the flag instead of the file it was applied to.
   */
  overrideOrigins?: Record<string, string>;
}

export interface LoadedConfig extends Resolved {
  /** Where the config came from (file path or "embedded default config"). */
  source: string;
}

// ---- reading the file ------------------------------------------------------------------------

/** The largest config file read. A jcrkit config is a few KB; the cap keeps `--config /dev/zero`-like input bounded. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_CONFIG_TEXT = `1 MiB (${MAX_CONFIG_BYTES} bytes)`;

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * The text of a config file: a regular file (a directory, FIFO, device or socket is refused before
 * a byte is read, so `/dev/zero` or a pipe can neither grow without bound nor block), at most
 * MAX_CONFIG_BYTES, valid UTF-8 (a BOM is dropped). `via` names where the path came from, for the fix.
 */
export function readConfigFile(path: string, via = '--config or JCRKIT_CONFIG'): string {
  const fail = (message: string): never => {
    throw new ConfigFileError(path, via, message);
  };
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    // Some kinds cannot even be opened (a socket: ENXIO); say what the path is, not just the errno.
    const st = statOrUndefined(path);
    if (st && !st.isFile()) return fail(`is ${fileKind(st)}, not a regular file; jcrkit reads a config only from a regular file. Fix: give ${via} the path of a YAML file`);
    const code = (e as NodeJS.ErrnoException).code;
    return fail(`cannot read the config file (${code ?? clip((e as Error).message)}). Fix: check the path given to ${via}`);
  }
  let bytes: Buffer;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) fail(`is ${fileKind(st)}, not a regular file; jcrkit reads a config only from a regular file. Fix: give ${via} the path of a YAML file`);
    if (st.size > MAX_CONFIG_BYTES) fail(`is ${st.size} bytes, more than the ${MAX_CONFIG_TEXT} a config file may have. Fix: give ${via} the path of a jcrkit config (a few KB of YAML)`);
    // Read one byte past the cap: a file that grows while it is read is refused the same way.
    bytes = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, bytes, length, bytes.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > MAX_CONFIG_BYTES) fail(`is more than the ${MAX_CONFIG_TEXT} a config file may have. Fix: give ${via} the path of a jcrkit config (a few KB of YAML)`);
    }
    bytes = bytes.subarray(0, length);
  } catch (e) {
    if (e instanceof ConfigFileError) throw e;
    return fail(`cannot read the config file (${(e as NodeJS.ErrnoException).code ?? clip((e as Error).message)}). Fix: check the path given to ${via}`);
  } finally {
    closeSync(fd);
  }
  const decoded = decodeUtf8(bytes);
  if ('text' in decoded) return decoded.text;
  return fail(`is not valid UTF-8 (the first invalid byte is on line ${decoded.line}, byte offset ${decoded.offset}). Fix: save the file as UTF-8`);
}

/**
 * Strict UTF-8 decoding (TextDecoder with fatal: true; a leading BOM is dropped): the text, or where
 * the first invalid byte sequence starts. Lenient decoding would turn such bytes into U+FFFD, which
 * would then flow into names and the refresh plan.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { offset: number; line: number } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    // The longest prefix that decodes (an incomplete sequence at its end allowed, as in streaming
    // mode) ends where the first invalid sequence starts; validity of prefixes is monotone.
    let lo = 0;
    let hi = bytes.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
        lo = mid;
      } catch {
        hi = mid - 1;
      }
    }
    // At `lo` is either an invalid byte or the byte that breaks a sequence begun just before it;
    // in the second case the bad sequence starts at that sequence's lead byte.
    let offset = lo;
    let start = lo;
    while (start > 0 && lo - start < 3 && (bytes[start - 1] & 0xc0) === 0x80) start--;
    const lead = start - 1;
    if (lead >= 0 && bytes[lead] >= 0xc0) {
      const need = bytes[lead] >= 0xf0 ? 4 : bytes[lead] >= 0xe0 ? 3 : 2;
      if (lead + need > lo) offset = lead;
    }
    let line = 1;
    for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
    return { offset, line };
  }
}

// ---- YAML → plain data -----------------------------------------------------------------------

/**
 * How every config YAML is read: the YAML 1.2 core schema only (`resolveKnownTags: false`, so
 * `!!binary`, `!!set`, `!!timestamp` are not turned into Buffers, Sets and Dates), no `<<` merge
 * keys, duplicate keys an error.
 */
export const CONFIG_YAML_OPTIONS = { schema: 'core', resolveKnownTags: false, merge: false, uniqueKeys: true, prettyErrors: true } as const;
/**
 * Aliases may expand to at most this many nodes (the `yaml` library's own guard): a few anchors
 * are fine, a "billion laughs" document is an error instead of exhausting memory.
 */
export const MAX_ALIAS_COUNT = 100;

/** The tags of the YAML 1.2 core schema: the only ones a config may carry. */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

function tagName(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

/**
 * A YAML node of `doc` (the whole document by default) as plain data, refusing what a config can
 * never mean: tags outside the core schema (each named with its field and line), aliases that
 * expand beyond MAX_ALIAS_COUNT, and aliases that make a value contain itself. Issue paths are
 * dotted paths below the node, prefixed with `prefix`.
 */
export function yamlToData(doc: Document, source: string, opts: { node?: unknown; prefix?: string; lineCounter?: LineCounter } = {}): unknown {
  const node = opts.node === undefined ? doc.contents : opts.node;
  const issues: ConfigIssue[] = [];
  const lineOf = (offset: number | undefined): string => {
    if (offset === undefined || !opts.lineCounter) return '';
    return ` (line ${opts.lineCounter.linePos(offset).line})`;
  };
  // Iterative walk: a deeply nested document must not overflow the stack. Each node is visited
  // once, so aliases (which may point outside `node`) are followed without re-walking a bomb.
  const stack: { n: unknown; path: PropertyKey[] }[] = [{ n: node, path: [] }];
  const visited = new Set<unknown>();
  while (stack.length > 0) {
    const { n, path } = stack.pop()!;
    if (isAlias(n)) {
      const target = n.resolve(doc);
      if (!target) {
        issues.push({ path: joinPath(opts.prefix, path), message: `the YAML alias *${clip(n.source, 40)}${lineOf(n.range?.[0])} refers to no anchor &${clip(n.source, 40)} before it. Fix: define the anchor first, or quote the value if "*" is meant literally` });
      } else {
        stack.push({ n: target, path });
      }
      continue;
    }
    if (!isNode(n) || visited.has(n)) continue;
    visited.add(n);
    if (n.tag && !CORE_TAGS.has(n.tag)) {
      issues.push({
        path: joinPath(opts.prefix, path),
        message: `the YAML tag ${clip(tagName(n.tag), 40)}${lineOf(n.range?.[0])} is not supported: a config holds only strings, numbers, booleans, null, lists and mappings (the YAML core schema). Fix: remove the tag and write the value plainly (quote it to make it a string)`,
      });
    }
    if (isMap(n)) {
      for (let i = n.items.length - 1; i >= 0; i--) {
        const pair = n.items[i];
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        stack.push({ n: pair.value, path: [...path, String(key)] });
        if (isNode(pair.key) && !isScalar(pair.key)) {
          issues.push({ path: joinPath(opts.prefix, path), message: `has a key that is a list or mapping${lineOf(pair.key.range?.[0])}. Fix: write plain keys` });
        } else if (isScalar(pair.key)) {
          stack.push({ n: pair.key, path });
        }
      }
    } else if (isSeq(n)) {
      for (let i = n.items.length - 1; i >= 0; i--) stack.push({ n: n.items[i], path: [...path, i] });
    }
  }
  if (issues.length > 0) throw new ConfigError(source, issues);
  let value: unknown;
  try {
    value = isNode(node) ? node.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT }) : node;
  } catch (e) {
    if (e instanceof ReferenceError) {
      throw new ConfigError(source, [
        {
          path: joinPath(opts.prefix, []),
          message: `its YAML aliases (*name) expand to more than ${MAX_ALIAS_COUNT} values, the pattern of an "alias bomb" (${clip(e.message)}). Fix: write the values out instead of repeating them through anchors and aliases`,
        },
      ]);
    }
    throw e;
  }
  const cycle = cyclePath(value);
  if (cycle) throw new ConfigError(source, [{ path: joinPath(opts.prefix, cycle), message: 'is a YAML alias of a value that contains it (a cycle). Fix: remove the alias' }]);
  return value;
}

/** The path of the first value that contains itself (only aliases can make one), else undefined. */
function cyclePath(value: unknown): PropertyKey[] | undefined {
  const stack: { v: unknown; path: PropertyKey[]; ancestors: Set<unknown> }[] = [{ v: value, path: [], ancestors: new Set() }];
  while (stack.length > 0) {
    const { v, path, ancestors } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (ancestors.has(v)) return path;
    const inner = new Set(ancestors).add(v);
    for (const [k, x] of Object.entries(v)) stack.push({ v: x, path: [...path, Array.isArray(v) ? Number(k) : k], ancestors: inner });
  }
  return undefined;
}

function joinPath(prefix: string | undefined, path: PropertyKey[]): string {
  const rest = dotted(path);
  if (!prefix) return rest;
  if (rest === '(root)') return prefix;
  return rest.startsWith('[') ? `${prefix}${rest}` : `${prefix}.${rest}`;
}

/**
 * YAML text → plain data with the config file's rules (core schema, bounded aliases, plain values
 * only), but no check of its shape: the fleet file (fleet.ts) has a shape of its own.
 */
export function parseYamlData(text: string, source: string): unknown {
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { ...CONFIG_YAML_OPTIONS, lineCounter });
  } catch (e) {
    throw new ConfigError(source, [{ path: '(root)', message: `cannot be read as YAML (${clip((e as Error).message)}). Fix: correct the YAML syntax` }]);
  }
  if (doc.errors.length > 0) {
    // Only the first: after one syntax error the parser's further errors are mostly echoes of it
    // (an unclosed bracket is reported at three places), and one clear message beats four.
    const e = doc.errors[0];
    const pos = e.linePos?.[0];
    const where = pos ? `line ${pos.line}, column ${pos.col}` : 'unknown position';
    const more = doc.errors.length > 1 ? ' (fix it first: the parser may report more problems after it)' : '';
    throw new ConfigError(source, [
      { path: '(root)', message: `malformed YAML at ${where}: ${clip(e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), 200)}${more}. Fix: correct the YAML syntax (indentation, quotes, ':' after keys)` },
    ]);
  }
  return yamlToData(doc, source, { lineCounter });
}

/** Parses YAML text into a plain object; malformed YAML becomes a ConfigError with line/column. */
export function parseConfigYaml(text: string, source: string): unknown {
  const value = parseYamlData(text, source);
  if (value === null || value === undefined) {
    throw new ConfigError(source, [{ path: '(root)', message: 'the document is empty. Fix: write at least registry.name and registry.region (see examples/)' }]);
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(source, [{ path: '(root)', message: 'must be a mapping of keys (registry, pullSecret, refresher, dashboard, admin, images). Fix: start the file with `registry:`' }]);
  }
  return value;
}

/**
 * One `--set`-style value (kpt's `-- key=value`, ConfigMap data) read as YAML with the config
 * rules: `8443` is a number, `"8443"` a string, `[a, b]` a list, `!!binary x` an error. Text that
 * is not YAML on its own (`*x`, `a: b: c`) is taken as the string it is. Issue paths start at `path`.
 */
export function parseConfigValue(raw: string, path: string, source: string): unknown {
  if (raw === '') return '';
  const lineCounter = new LineCounter();
  const doc = parseDocument(raw, { ...CONFIG_YAML_OPTIONS, lineCounter });
  let unresolved = false;
  visit(doc, { Alias: (_, a) => void (unresolved ||= !a.resolve(doc)) });
  if (doc.errors.length > 0 || unresolved) return raw;
  return yamlToData(doc, source, { prefix: path, lineCounter });
}

/** Validates a plain object (from YAML, a KRM functionConfig, or tests) and resolves it. */
export function validateConfig(raw: unknown, source: string): Resolved {
  const notPlain = nonPlainValues(raw);
  if (notPlain.length > 0) throw new ConfigError(source, notPlain);
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(source, result.error.issues.flatMap((i) => toIssues(i, raw)));
  return resolveConfig(result.data, source);
}

/** Reads, overrides, validates and resolves the config from the first available source. */
export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const { raw, source, errorSource } = readRawConfig(opts);
  return { ...withOrigins(opts, errorSource, () => validateConfig(raw, errorSource)), source };
}

/**
 * The config document as a plain object with the overrides applied, not yet validated, and the
 * names of its source: `source` for people (a path or "embedded default config"), `errorSource`
 * for errors (says when the path came from JCRKIT_CONFIG).
 */
export function readRawConfig(opts: LoadOptions = {}): { raw: Record<string, unknown>; source: string; errorSource: string } {
  const env = opts.env ?? process.env;
  const path = opts.path ?? (env.JCRKIT_CONFIG ? env.JCRKIT_CONFIG : undefined);
  let text: string;
  let source: string;
  let errorSource: string;
  if (path) {
    source = path;
    errorSource = opts.path !== undefined ? path : `${path} from JCRKIT_CONFIG`;
    text = readConfigFile(path, opts.path !== undefined ? '--config' : 'JCRKIT_CONFIG');
  } else {
    source = errorSource = DEFAULT_CONFIG_SOURCE;
    text = DEFAULT_CONFIG_YAML;
  }
  // A JcrKit object (a kpt package's jcrkit.yaml) holds the config in spec.
  const raw = configFromFile(parseConfigYaml(text, errorSource), errorSource) as Record<string, unknown>;
  withOrigins(opts, errorSource, () => {
    for (const [key, value] of Object.entries(opts.overrides ?? {})) {
      if (value !== undefined) setByPath(raw, key, value);
    }
  });
  return { raw, source, errorSource };
}

/** Runs `step`; a ConfigError from it comes back with each issue naming the override it is about. */
export function withOrigins<T>(opts: LoadOptions, errorSource: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const origins = Object.entries(opts.overrideOrigins ?? {});
    const originOf = (path: string) => origins.find(([key]) => path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`))?.[1];
    throw new ConfigError(errorSource, e.issues.map((i) => ({ ...i, origin: i.origin ?? originOf(i.path) })));
  }
}

/**
 * Config values are plain data: what JSON or core-schema YAML can hold. Anything else (a Buffer or
 * Set from a YAML 1.1 tag read elsewhere, a Date, a function, a class instance) is refused by path,
 * so it never reaches the schema's messages as "a mapping".
 */
function nonPlainValues(raw: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const stack: { v: unknown; path: PropertyKey[] }[] = [{ v: raw, path: [] }];
  const seen = new Set<unknown>();
  while (stack.length > 0 && issues.length < 20) {
    const { v, path } = stack.pop()!;
    if (v === null || v === undefined || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') continue;
    const proto = typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
    // A plain object's prototype is Object.prototype (of whichever realm made it: structuredClone
    // and vm contexts have their own), whose own prototype is null; or it has none at all.
    const plain = Array.isArray(v) || proto === null || (proto !== undefined && Object.getPrototypeOf(proto) === null);
    if (!plain) {
      const what = typeof v === 'object' ? (proto?.constructor?.name ?? 'object') : typeof v;
      issues.push({ path: dotted(path), message: `is a ${clip(what, 40)} value, not a string, number, boolean, list or mapping (from a YAML tag such as !!binary, !!set or !!timestamp?). Fix: write the value plainly` });
      continue;
    }
    if (seen.has(v)) continue; // shared (aliased) values are checked once; cycles are refused when read
    seen.add(v);
    for (const [k, x] of Object.entries(v as object)) stack.push({ v: x, path: [...path, Array.isArray(v) ? Number(k) : k] });
  }
  return issues;
}

/** Defines an own, enumerable property: `__proto__` stays a key and never reaches the prototype. */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Sets `a.b.c` in a nested object, creating mappings on the way. A segment that names a scalar
 * is an error (it would silently discard the scalar). Only own properties are followed and set,
 * so `__proto__.x` or `constructor.x` become keys (reported as unknown), never prototype pollution.
 */
export function setByPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  if (parts.some((p) => p === '')) throw new ConfigError('override', [{ path: dotted, message: 'is not a dotted key path. Fix: write e.g. dashboard.service.port=443' }]);
  let node: Record<string, unknown> = target;
  for (const part of parts.slice(0, -1)) {
    const next = Object.hasOwn(node, part) ? node[part] : undefined;
    if (next === undefined || next === null) {
      defineOwn(node, part, {});
    } else if (typeof next !== 'object' || Array.isArray(next)) {
      throw new ConfigError('override', [{ path: dotted, message: `cannot set a key below ${quote(part)}, which is not a mapping. Fix: override ${quote(part)} itself` }]);
    }
    node = node[part] as Record<string, unknown>;
  }
  defineOwn(node, parts[parts.length - 1], value);
}

// ---- zod issue → message with fix ------------------------------------------------------------

type ZodIssue = z.core.$ZodIssue;

/** `a.b[0].c`; keys are written as they are (a 5 MB key is cut, see clip). */
function dotted(path: PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${clip(String(p), 60)}`)).join('');
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, p)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `string ${quote(v)}`;
  return `${typeof v} ${clip(String(v))}`;
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
      const hint = i.expected === 'number' && typeof got === 'string' && /^\d+$/.test(got) ? ` Fix: write ${got.length <= 20 ? got : 'the number'} without quotes` : ` Fix: write a ${i.expected}`;
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
