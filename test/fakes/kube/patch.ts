/**
 * The three PATCH flavours of the Kubernetes API, as the fake API server applies them:
 * RFC 6902 JSON patch, RFC 7386 merge patch, and strategic merge patch with per-type list
 * semantics taken from the Kubernetes OpenAPI (x-kubernetes-patch-strategy / patch-merge-key).
 * Only the types and fields the tests touch are described; lists not described are atomic,
 * which is what the real server does for lists without a patch strategy.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/** A patch the server refuses; code/reason become the Status answer. */
export class PatchError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly cause?: string,
  ) {
    super(message);
  }
}

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

// ---------------------------------------------------------------- RFC 6902

interface Op {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(422, 'Invalid', 'the server rejected our request due to an error in our request', `invalid JSON pointer ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** What the real server answers when a JSON patch operation cannot be applied (patch.go: 422 via NewGenericServerResponse). */
function jsonPatchFailure(cause: string): PatchError {
  return new PatchError(422, 'Invalid', 'the server rejected our request due to an error in our request', cause);
}

function getAt(doc: Json, tokens: string[]): { found: boolean; value?: Json } {
  let cur: Json = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(t) || Number(t) >= cur.length) return { found: false };
      cur = cur[Number(t)];
    } else if (isObject(cur)) {
      if (!Object.prototype.hasOwnProperty.call(cur, t)) return { found: false };
      cur = cur[t];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: cur };
}

function parentOf(doc: Json, tokens: string[], path: string, opName: string): { parent: Json; key: string } {
  if (tokens.length === 0) throw jsonPatchFailure(`${opName} operation does not apply to the document root: ${path}`);
  const parent = getAt(doc, tokens.slice(0, -1));
  if (!parent.found || (parent.value === null || typeof parent.value !== 'object')) {
    throw jsonPatchFailure(`${opName} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  return { parent: parent.value, key: tokens[tokens.length - 1] };
}

function addAt(doc: Json, path: string, value: Json): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return clone(value);
  const { parent, key } = parentOf(doc, tokens, path, 'add');
  if (Array.isArray(parent)) {
    const idx = key === '-' ? parent.length : /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : NaN;
    if (!(idx >= 0 && idx <= parent.length)) throw jsonPatchFailure(`add operation does not apply: index out of bounds: ${path}`);
    parent.splice(idx, 0, clone(value));
  } else {
    (parent as JsonObject)[key] = clone(value);
  }
  return doc;
}

function removeAt(doc: Json, path: string, opName = 'remove'): Json {
  const tokens = parsePointer(path);
  const { parent, key } = parentOf(doc, tokens, path, opName);
  if (Array.isArray(parent)) {
    const idx = /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : NaN;
    if (!(idx >= 0 && idx < parent.length)) throw jsonPatchFailure(`${opName} operation does not apply: doc is missing key: ${path}: missing value`);
    parent.splice(idx, 1);
  } else {
    if (!Object.prototype.hasOwnProperty.call(parent, key)) throw jsonPatchFailure(`${opName} operation does not apply: doc is missing key: ${path}: missing value`);
    delete (parent as JsonObject)[key];
  }
  return doc;
}

/** RFC 6902, atomically: on any failing operation nothing is applied. */
export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw new PatchError(400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = clone(target) as Json;
  for (const raw of patch as Op[]) {
    if (!isObject(raw as unknown) || typeof raw.path !== 'string') throw new PatchError(400, 'BadRequest', 'invalid JSON patch operation');
    switch (raw.op) {
      case 'add':
        doc = addAt(doc, raw.path, raw.value as Json);
        break;
      case 'remove':
        doc = removeAt(doc, raw.path);
        break;
      case 'replace': {
        const tokens = parsePointer(raw.path);
        if (tokens.length === 0) {
          doc = clone(raw.value as Json);
          break;
        }
        if (!getAt(doc, tokens).found) throw jsonPatchFailure(`replace operation does not apply: doc is missing key: ${raw.path}: missing value`);
        doc = removeAt(doc, raw.path, 'replace');
        doc = addAt(doc, raw.path, raw.value as Json);
        break;
      }
      case 'move':
      case 'copy': {
        const from = getAt(doc, parsePointer(raw.from ?? ''));
        if (!from.found) throw jsonPatchFailure(`${raw.op} operation does not apply: doc is missing from path: ${raw.from}: missing value`);
        const value = clone(from.value as Json);
        if (raw.op === 'move') doc = removeAt(doc, raw.from ?? '', 'move');
        doc = addAt(doc, raw.path, value);
        break;
      }
      case 'test': {
        const got = getAt(doc, parsePointer(raw.path));
        // evanphx/json-patch: a missing path compares as null
        const actual = got.found ? got.value : null;
        if (!deepEqual(actual, raw.value ?? null)) throw jsonPatchFailure(`testing value ${raw.path} failed: test failed`);
        break;
      }
      default:
        throw new PatchError(400, 'BadRequest', `Unexpected kind: ${String(raw.op)}`);
    }
  }
  return doc;
}

// ---------------------------------------------------------------- RFC 7386

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch as Json)) return clone(patch);
  const result: JsonObject = isObject(target as Json) ? clone(target as JsonObject) : {};
  for (const [k, v] of Object.entries(patch as JsonObject)) {
    if (v === null) delete result[k];
    else result[k] = applyMergePatch(result[k], v) as Json;
  }
  return result;
}

// ---------------------------------------------------------------- strategic merge

/** A list's patch semantics: merge by key, merge as a set of primitives, or (absent) atomic. */
interface ListStrategy {
  mergeKey?: string;
}

/** field path (maps as "a.b", list items as "a[]") → strategy, per kind; from the 1.32 OpenAPI. */
const META_LISTS: Record<string, ListStrategy> = {
  'metadata.finalizers': {},
  'metadata.ownerReferences': { mergeKey: 'uid' },
};
const STRATEGIC_LISTS: Record<string, Record<string, ListStrategy>> = {
  Secret: { ...META_LISTS },
  ConfigMap: { ...META_LISTS },
  // imagePullSecrets is x-kubernetes-list-type: atomic with no patch strategy: a strategic patch
  // replaces the whole list. `secrets` merges by name.
  ServiceAccount: { ...META_LISTS, secrets: { mergeKey: 'name' } },
  Pod: {
    ...META_LISTS,
    'spec.containers': { mergeKey: 'name' },
    'spec.initContainers': { mergeKey: 'name' },
    'spec.volumes': { mergeKey: 'name' },
    'spec.imagePullSecrets': { mergeKey: 'name' },
    'spec.containers[].env': { mergeKey: 'name' },
    'spec.containers[].ports': { mergeKey: 'containerPort' },
    'spec.containers[].volumeMounts': { mergeKey: 'mountPath' },
  },
};

export function supportsStrategicMerge(kind: string): boolean {
  return kind in STRATEGIC_LISTS;
}

export function applyStrategicMergePatch(kind: string, target: unknown, patch: unknown): unknown {
  const lists = STRATEGIC_LISTS[kind];
  if (!lists) throw new PatchError(415, 'UnsupportedMediaType', `strategic merge patch is not supported for ${kind} in the fake`);
  if (!isObject(patch as Json)) throw new PatchError(400, 'BadRequest', 'json: cannot unmarshal into Go value of type map[string]interface {}');
  return mergeMap(isObject(target as Json) ? (target as JsonObject) : {}, patch as JsonObject, '', lists);
}

function mergeMap(target: JsonObject, patch: JsonObject, path: string, lists: Record<string, ListStrategy>): JsonObject {
  if (patch.$patch === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return clone(rest);
  }
  const result = clone(target);
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch') continue;
    if (k.startsWith('$setElementOrder/')) continue; // order hint only
    if (k === '$retainKeys') throw new PatchError(400, 'BadRequest', '$retainKeys is not supported by the fake API server');
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const cur = result[field];
      if (Array.isArray(cur) && Array.isArray(v)) result[field] = cur.filter((x) => !v.some((d) => deepEqual(d, x)));
      continue;
    }
    const fieldPath = path ? `${path}.${k}` : k;
    if (v === null) {
      delete result[k];
    } else if (isObject(v)) {
      if (v.$patch === 'delete') delete result[k];
      else result[k] = mergeMap(isObject(result[k]) ? (result[k] as JsonObject) : {}, v, fieldPath, lists);
    } else if (Array.isArray(v) && lists[fieldPath]) {
      result[k] = mergeList(Array.isArray(result[k]) ? (result[k] as Json[]) : [], v, fieldPath, lists[fieldPath], lists);
    } else {
      // scalars and atomic lists replace
      result[k] = clone(v);
    }
  }
  return result;
}

function mergeList(target: Json[], patch: Json[], path: string, strategy: ListStrategy, lists: Record<string, ListStrategy>): Json[] {
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return clone(patch.filter((p) => !(isObject(p) && p.$patch === 'replace')));
  }
  const result = clone(target);
  if (!strategy.mergeKey) {
    for (const p of patch) if (!result.some((x) => deepEqual(x, p))) result.push(clone(p));
    return result;
  }
  const key = strategy.mergeKey;
  for (const p of patch) {
    if (!isObject(p) || !(key in p)) throw new PatchError(400, 'BadRequest', `map: ${JSON.stringify(p)} does not contain declared merge key: ${key}`);
    const idx = result.findIndex((x) => isObject(x) && deepEqual(x[key], p[key]));
    if (p.$patch === 'delete') {
      if (idx >= 0) result.splice(idx, 1);
    } else if (idx >= 0) {
      result[idx] = mergeMap(result[idx] as JsonObject, p, `${path}[]`, lists);
    } else {
      const { $patch: _ignored, ...rest } = p;
      result.push(clone(rest));
    }
  }
  return result;
}
