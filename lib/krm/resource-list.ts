/**
 * Reading and writing the ResourceList (KRM Functions Specification: `apiVersion:
 * config.kubernetes.io/v1` — v1beta1 is also accepted — `kind: ResourceList`, `items`,
 * `functionConfig`, `results`).
 *
 * Items are kept as `yaml` nodes of the input Document and the output is that same Document,
 * edited in place: passed-through items keep their comments, key order and quoting ("functions
 * SHOULD preserve comments", spec section "Operations"), which a round trip through plain objects
 * would lose.
 * For convenience a plain multi-document stream is accepted too and wrapped into a new ResourceList.
 */
import { Document, isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parse, parseAllDocuments, Scalar, visit, YAMLMap, YAMLSeq } from 'yaml';
import { clip, MAX_ALIAS_COUNT, quote } from '../config';
import { InputError } from '../core/errors';
import type { KrmResult } from './results';

export const RESOURCE_LIST_V1 = 'config.kubernetes.io/v1';
/** The pre-2021 spelling; kyaml's reader still accepts it, so we do too. */
export const RESOURCE_LIST_V1BETA1 = 'config.kubernetes.io/v1beta1';
const ACCEPTED_VERSIONS = [RESOURCE_LIST_V1, RESOURCE_LIST_V1BETA1];

/** Input that is not a ResourceList or YAML at all; reported as an error result (bad input, exit 2). */
export class ResourceListError extends InputError {}

export interface ResourceList {
  /** The document written back: the input's own ResourceList document, or a new one around a plain stream. */
  doc: Document;
  /** `items` of `doc`; passed-through entries are the input's own nodes. */
  items: YAMLSeq;
  /** The `functionConfig` node (read with the config rules by the caller); undefined when absent or null. */
  functionConfigNode?: unknown;
  /** Line numbers of the input, for messages. */
  lineCounter: LineCounter;
  /**
   * What makes the input not a ResourceList of KRM objects (an item that is a scalar, has no kind,
   * expands an alias bomb, an unsupported ResourceList version...). Each is an error result; the
   * items are then passed back exactly as they came.
   */
  problems: string[];
}

/** A new, empty v1 ResourceList (the answer to input that could not be parsed). */
export function emptyResourceList(): ResourceList {
  const doc = new Document({ apiVersion: RESOURCE_LIST_V1, kind: 'ResourceList', items: [] });
  return { doc, items: doc.get('items', true) as YAMLSeq, lineCounter: new LineCounter(), problems: [] };
}

/**
 * Reads the input. Throws ResourceListError only when there is nothing to pass back (not YAML, a single
 * scalar or list); any other problem is listed in `problems` with the items kept as they are.
 */
export function parseResourceList(text: string): ResourceList {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { prettyErrors: true, lineCounter });
  if (!Array.isArray(docs)) return emptyResourceList(); // an empty stream (only comments or nothing)
  for (const d of docs) {
    if (d.errors.length > 0) throw new ResourceListError(`the input is not valid YAML: ${clip(d.errors[0].message.split('\n')[0].replace(/:$/, ''), 200)}. Fix: send a ResourceList (kind: ResourceList, items: [...]) or a stream of KRM objects`);
  }
  const nonEmpty = docs.filter((d) => d.contents !== null);
  const lists = nonEmpty.filter((d) => isMap(d.contents) && d.get('kind') === 'ResourceList');
  if (lists.length > 0) {
    if (nonEmpty.length > 1) throw new ResourceListError('the input holds a ResourceList and other documents. Fix: send one ResourceList, or a plain stream of objects');
    return fromListDocument(lists[0], lineCounter);
  }
  if (nonEmpty.length === 1 && !isMap(nonEmpty[0].contents)) {
    throw new ResourceListError(`the input is ${nodeKind(nonEmpty[0].contents)}, not a ResourceList. Fix: send a ResourceList (apiVersion: ${RESOURCE_LIST_V1}, kind: ResourceList, items: [...]) or a stream of KRM objects`);
  }
  return fromStream(nonEmpty, lineCounter);
}

function fromListDocument(doc: Document, lineCounter: LineCounter): ResourceList {
  const problems: string[] = [];
  const apiVersion = doc.get('apiVersion');
  if (!ACCEPTED_VERSIONS.includes(String(apiVersion))) {
    problems.push(`unsupported ResourceList apiVersion ${isScalar(doc.get('apiVersion', true)) ? quote(apiVersion) : nodeKind(doc.get('apiVersion', true))}. Fix: use ${RESOURCE_LIST_V1}`);
  }
  let items = doc.get('items', true);
  if (items === undefined || items === null || (isNode(items) && !isSeq(items) && (items as Scalar).value === null)) {
    items = new YAMLSeq();
    doc.set('items', items);
  }
  if (!isSeq(items)) {
    // Nothing that could be passed back as items: answer with the document as it came, and why.
    problems.push(`ResourceList.items is ${nodeKind(items)}, not a list. Fix: send \`items: []\` or a list of objects`);
    return { doc, items: new YAMLSeq(), lineCounter, problems };
  }
  // JSON input (the spec accepts it) parses as flow collections; write the list itself in block
  // style so the answer stays readable. Items keep their own style.
  (doc.contents as YAMLMap).flow = false;
  const functionConfig = doc.get('functionConfig', true);
  items.items.forEach(commentOnFirstKey);
  const list: ResourceList = { doc, items, functionConfigNode: isNode(functionConfig) && !(isScalar(functionConfig) && functionConfig.value === null) ? functionConfig : undefined, lineCounter, problems };
  items.items.forEach((n, i) => {
    const problem = itemProblem(list, n);
    if (problem) problems.push(`items[${i}]${lineOf(lineCounter, n)} ${problem}`);
  });
  return list;
}

/**
 * kyaml (kpt) writes an item's head comment after the dash (`- # comment`), i.e. on the first key,
 * and after a function ran it copies the comments of each input item (matched by
 * `internal.config.kubernetes.io/id`) back onto the output item where they are missing. The `yaml`
 * library reads that comment onto the mapping and would write it before the dash, which kyaml
 * counts as a different comment: every `kpt fn eval` would then add one more copy of a file's
 * header comment. Keeping it on the first key writes it back exactly where kyaml had it.
 */
function commentOnFirstKey(item: unknown): void {
  if (!isMap(item) || !item.commentBefore || item.items.length === 0) return;
  const key = item.items[0].key;
  if (!isScalar(key)) return;
  key.commentBefore = key.commentBefore ? `${item.commentBefore}\n${key.commentBefore}` : item.commentBefore;
  item.commentBefore = undefined;
}

function fromStream(docs: Document[], lineCounter: LineCounter): ResourceList {
  const list = { ...emptyResourceList(), lineCounter };
  for (const [i, d] of docs.entries()) {
    const node = d.contents!;
    if (!isMap(node)) {
      // Not an object: not an item either. The objects of the stream are passed back unchanged.
      list.problems.push(`document ${i + 1} of the input stream${lineOf(lineCounter, node)} is ${nodeKind(node)}, not a KRM object. Fix: remove it; every document must be an object with apiVersion and kind`);
      continue;
    }
    // A comment at the top of a document belongs to the Document, not to its contents; move it
    // onto the item so it survives the wrapping.
    if (d.commentBefore) node.commentBefore = node.commentBefore ? `${d.commentBefore}\n${node.commentBefore}` : d.commentBefore;
    if (d.comment) node.comment = node.comment ? `${node.comment}\n${d.comment}` : d.comment;
    commentOnFirstKey(node);
    list.items.items.push(node);
    const problem = itemProblem(list, node);
    if (problem) list.problems.push(`document ${i + 1} of the input stream${lineOf(lineCounter, node)} ${problem}`);
  }
  return list;
}

/** `a string`, `a list`... for messages about input that is not an object. */
function nodeKind(node: unknown): string {
  if (isAlias(node)) return `an alias (*${clip(node.source, 40)})`;
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'empty';
    return `a ${typeof v === 'object' ? 'tagged value' : typeof v} (${quote(v, 40)})`;
  }
  return 'not YAML data';
}

function lineOf(lineCounter: LineCounter, node: unknown): string {
  const offset = isNode(node) ? node.range?.[0] : undefined;
  return offset === undefined ? '' : ` (line ${lineCounter.linePos(offset).line})`;
}

/** Why an item is not a KRM object (a mapping with string apiVersion and kind, metadata a mapping), else undefined. */
function itemProblem(list: ResourceList, node: unknown): string | undefined {
  const fix = 'Fix: every item must be an object with apiVersion, kind and metadata.name';
  if (!isMap(node)) return `is ${nodeKind(node)}, not a KRM object. ${fix}`;
  let value: unknown;
  try {
    value = node.toJS(list.doc, { maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof ReferenceError) return `uses YAML aliases that expand to more than ${MAX_ALIAS_COUNT} values (an "alias bomb"). Fix: write the values out instead of repeating them through aliases`;
    throw e;
  }
  const o = value as Record<string, unknown>;
  const missing = (['apiVersion', 'kind'] as const).filter((k) => typeof o[k] !== 'string' || o[k] === '');
  if (missing.length > 0) return `has no ${missing.join(' and no ')} (a string), so it is not a KRM object. ${fix}`;
  if (o.metadata !== undefined && (o.metadata === null || typeof o.metadata !== 'object' || Array.isArray(o.metadata))) return `has a metadata that is not a mapping. ${fix}`;
  return undefined;
}

/** The items as plain data, index-aligned with `list.items.items` (undefined for an item that cannot be read). */
export function itemValues(list: ResourceList): unknown[] {
  return list.items.items.map((n) => {
    if (!isNode(n)) return n;
    try {
      return n.toJS(list.doc, { maxAliasCount: MAX_ALIAS_COUNT });
    } catch {
      return undefined;
    }
  });
}

/** Keeps the items for which `keep(value, index)` is true (comments of removed items go with them). */
export function filterItems(list: ResourceList, keep: (value: unknown, index: number) => boolean): void {
  const values = itemValues(list);
  list.items.items = list.items.items.filter((_, i) => keep(values[i], i));
}

/** Appends plain objects as new block-style items. */
export function appendItems(list: ResourceList, objects: unknown[]): void {
  if (objects.length === 0) return;
  list.items.flow = false; // `items: []` in the input would otherwise print the new objects inline
  for (const o of objects) {
    // No anchors/aliases for shared sub-objects: some consumers reject them.
    const node = list.doc.createNode(o, { aliasDuplicateObjects: false });
    quoteYaml11Ambiguous(node);
    list.items.items.push(node);
  }
}

/** Replaces `results` (never accumulates: the output of one run may be the input of the next). */
export function setResults(list: ResourceList, results: KrmResult[]): void {
  list.doc.delete('results');
  if (results.length > 0) list.doc.set('results', list.doc.createNode(results, { aliasDuplicateObjects: false }));
}

/** The output text: exactly one YAML document. No line folding, so long values stay on one line. */
export function serialiseResourceList(list: ResourceList): string {
  return list.doc.toString({ lineWidth: 0 });
}

/**
 * Quotes strings that YAML 1.2 reads as strings but YAML 1.1 does not (`yes`, `on`, `0777`,
 * `1_000`, `12:30`...). The `yaml` library writes 1.2, but `kubectl apply` converts manifests with
 * sigs.k8s.io/yaml (go-yaml v2, YAML 1.1), so a plain `on` would become `true` on its way to the
 * API server. cdk8s writes dist/ with its 1.1 schema for the same reason.
 */
function quoteYaml11Ambiguous(node: unknown): void {
  visit(node as Document, {
    Scalar(_, s) {
      if (typeof s.value === 'string' && s.type !== Scalar.QUOTE_DOUBLE && readsDifferentlyIn11(s.value)) s.type = Scalar.QUOTE_DOUBLE;
    },
  });
}

/** Cheap pre-check: only these starts can resolve to a non-string in YAML 1.1 (bool, null, int, float, timestamp, merge, value). */
const MAYBE_NOT_A_STRING_IN_11 = /^(?:[-+]?[.\d]|[~=]$|<<$|(?:y|yes|n|no|true|false|on|off|null)$)/i;

function readsDifferentlyIn11(v: string): boolean {
  // Multi-line values are written as block scalars, which never resolve to another type.
  if (v.includes('\n') || !MAYBE_NOT_A_STRING_IN_11.test(v)) return false;
  try {
    return parse(v, { version: '1.1' }) !== v;
  } catch {
    return true;
  }
}
