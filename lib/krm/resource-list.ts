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
import { Document, isMap, isNode, isScalar, isSeq, parse, parseAllDocuments, Scalar, visit, YAMLMap, YAMLSeq } from 'yaml';
import type { KrmResult } from './results';

export const RESOURCE_LIST_V1 = 'config.kubernetes.io/v1';
/** The pre-2021 spelling; kyaml's reader still accepts it, so we do too. */
export const RESOURCE_LIST_V1BETA1 = 'config.kubernetes.io/v1beta1';
const ACCEPTED_VERSIONS = [RESOURCE_LIST_V1, RESOURCE_LIST_V1BETA1];

/** Input that is not a ResourceList or YAML at all; reported as an error result. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export interface ResourceList {
  /** The document written back: the input's own ResourceList document, or a new one around a plain stream. */
  doc: Document;
  /** `items` of `doc`; passed-through entries are the input's own nodes. */
  items: YAMLSeq;
  /** `functionConfig` as plain data; undefined when absent. */
  functionConfig: unknown;
}

/** A new, empty v1 ResourceList (the answer to input that could not be parsed). */
export function emptyResourceList(): ResourceList {
  const doc = new Document({ apiVersion: RESOURCE_LIST_V1, kind: 'ResourceList', items: [] });
  return { doc, items: doc.get('items', true) as YAMLSeq, functionConfig: undefined };
}

export function parseResourceList(text: string): ResourceList {
  const docs = parseAllDocuments(text, { prettyErrors: true });
  if (!Array.isArray(docs)) return emptyResourceList(); // an empty stream (only comments or nothing)
  for (const d of docs) {
    if (d.errors.length > 0) throw new InputError(`the input is not valid YAML: ${d.errors[0].message}`);
  }
  const nonEmpty = docs.filter((d) => d.contents !== null);
  const lists = nonEmpty.filter((d) => isMap(d.contents) && d.get('kind') === 'ResourceList');
  if (lists.length > 0) {
    if (nonEmpty.length > 1) throw new InputError('the input holds a ResourceList and other documents. Fix: send one ResourceList, or a plain stream of objects');
    return fromListDocument(lists[0]);
  }
  return fromStream(nonEmpty);
}

function fromListDocument(doc: Document): ResourceList {
  const apiVersion = doc.get('apiVersion');
  if (!ACCEPTED_VERSIONS.includes(String(apiVersion))) {
    throw new InputError(`unsupported ResourceList apiVersion ${JSON.stringify(apiVersion)}. Fix: use ${RESOURCE_LIST_V1}`);
  }
  let items = doc.get('items', true);
  if (items === undefined || items === null || (isNode(items) && !isSeq(items) && (items as Scalar).value === null)) {
    items = new YAMLSeq();
    doc.set('items', items);
  }
  if (!isSeq(items)) throw new InputError('ResourceList.items is not a list. Fix: send `items: []` or a list of objects');
  // JSON input (the spec accepts it) parses as flow collections; write the list itself in block
  // style so the answer stays readable. Items keep their own style.
  (doc.contents as YAMLMap).flow = false;
  const functionConfig = doc.get('functionConfig', true);
  items.items.forEach(commentOnFirstKey);
  return { doc, items, functionConfig: isNode(functionConfig) ? functionConfig.toJS(doc) : functionConfig ?? undefined };
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

function fromStream(docs: Document[]): ResourceList {
  const list = emptyResourceList();
  for (const d of docs) {
    const node = d.contents!;
    // A comment at the top of a document belongs to the Document, not to its contents; move it
    // onto the item so it survives the wrapping.
    if (d.commentBefore) node.commentBefore = node.commentBefore ? `${d.commentBefore}\n${node.commentBefore}` : d.commentBefore;
    if (d.comment) node.comment = node.comment ? `${node.comment}\n${d.comment}` : d.comment;
    commentOnFirstKey(node);
    list.items.items.push(node);
  }
  return list;
}

/** The items as plain data, index-aligned with `list.items.items`. */
export function itemValues(list: ResourceList): unknown[] {
  return list.items.items.map((n) => (isNode(n) ? n.toJS(list.doc) : n));
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
