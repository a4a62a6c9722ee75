/**
 * The KRM function as a pure function: input text → output text, exit code and stderr text. No
 * process state is touched, so tests and the bench call it directly; main.ts does the I/O.
 *
 * Contract (KRM Functions Specification,
 * https://github.com/kubernetes-sigs/kustomize/blob/kustomize/v5.8.1/cmd/config/docs/api-conventions/functions-spec.md):
 * - the output is always exactly one ResourceList, also on failure (then with the input items
 *   unchanged and `results` saying why), and the exit code is non-zero iff a result is an error;
 * - output items = input items − this function's earlier output that it renders again (recognised
 *   by the `config.jcrkit.io/generated-by` annotation and the object's identity) + the freshly
 *   rendered objects, so running it again on its own output changes nothing. Earlier output it no
 *   longer renders is kept, with a warning result naming it;
 * - input that is not a ResourceList of KRM objects (a list, a scalar, not UTF-8, an item without
 *   kind, an alias bomb) and any config problem are error results with exit code 2, the items
 *   passed back unchanged; the function's own failures exit 1;
 * - every other item, including the functionConfig that kustomize passes as an item, is passed
 *   through as the same YAML node (comments kept).
 */
import { isMap, isNode, isScalar } from 'yaml';
import { EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, exitCodeFor } from '../core/errors';
import { ConfigError, clip, decodeUtf8, yamlToData } from '../config';
import { GENERATED_BY, GENERATED_BY_VALUE, LEGACY_INDEX, LEGACY_PATH, INDEX, PATH } from './annotations';
import { isJcrKit, loadFunctionConfig, usesBase } from './function-config';
import { generateObjects } from './generate';
import { appendItems, emptyResourceList, filterItems, itemValues, ResourceListError, parseResourceList, ResourceList, setResults, serialiseResourceList } from './resource-list';
import { configErrorResults, hasErrors, KrmResult, ResourceRef, result, sortResults } from './results';

/** Exit codes (lib/core/errors.ts, every front door's contract): 0 done, 1 the function failed, 2 bad input (input or config). */
export { EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK } from '../core/errors';

export interface RunOptions {
  /** Refresher bundle text; @default read from build/refresher/ like `jcrkit synth` (tests pass a fixed one). */
  refresherBundle?: string;
}

export interface RunOutput {
  /** One ResourceList document: the only thing that may go to stdout. */
  outputText: string;
  exitCode: number;
  /** Human-readable lines for stderr (errors and warnings, as `jcrkit synth` prints them). */
  stderr: string;
}

/**
 * @param input the ResourceList as text, or as the bytes read from stdin (then it must be UTF-8)
 */
export function runFunction(input: string | Uint8Array, opts: RunOptions = {}): RunOutput {
  const log: string[] = [];
  if (typeof input !== 'string') {
    const decoded = decodeUtf8(input);
    if (!('text' in decoded)) return inputErrorOutput(`the input is not valid UTF-8 (the first invalid byte is on line ${decoded.line}, byte offset ${decoded.offset}). Fix: send a ResourceList as UTF-8 YAML or JSON`);
    input = decoded.text;
  }
  let list: ResourceList;
  try {
    list = parseResourceList(input);
  } catch (e) {
    if (!(e instanceof ResourceListError)) {
      const message = `cannot read the input: ${clip(e instanceof Error ? e.message : String(e), 200)}`;
      return finish(emptyResourceList(), [result('error', message)], [`error: ${message}`], EXIT_BAD_INPUT);
    }
    return inputErrorOutput(e.message);
  }
  if (list.problems.length > 0) {
    // Not a ResourceList of KRM objects: nothing is rendered, and the items go back as they came.
    for (const p of list.problems) log.push(`error: ${p}`);
    return finish(list, list.problems.map((p) => result('error', p)), log, EXIT_BAD_INPUT);
  }
  try {
    return transform(list, opts, log);
  } catch (e) {
    // A bug or an environment problem (e.g. the refresher bundle is missing): still answer with a
    // ResourceList that passes the items through, as the spec asks.
    const message = e instanceof Error ? e.message : String(e);
    log.push(`error: ${message}`);
    return finish(list, [result('error', message)], log, exitCodeFor(e));
  }
}

/** The answer to input that holds no items to pass back: an empty ResourceList with one error result, exit 2. */
export function inputErrorOutput(message: string): RunOutput {
  return finish(emptyResourceList(), [result('error', message)], [`error: ${message}`], EXIT_BAD_INPUT);
}

function transform(list: ResourceList, opts: RunOptions, log: string[]): RunOutput {
  const values = itemValues(list);
  const bad = (err: ConfigError, ref: ResourceRef | undefined): RunOutput => {
    log.push(`error: ${err.message}`);
    return finish(list, err.issues.map((i) => result('error', `${i.path}: ${i.message}`, { ref, field: i.path === '(root)' ? undefined : i.path })), log, EXIT_BAD_INPUT);
  };

  // The functionConfig and the package's JcrKit are config: read with the config file's rules
  // (core-schema tags only, bounded aliases), not with the lenient rules of passed-through items.
  let functionConfig: unknown;
  if (list.functionConfigNode !== undefined) {
    const ref = nodeRef(list.functionConfigNode);
    try {
      functionConfig = yamlToData(list.doc, ref ? `functionConfig ${clip(ref.kind, 60)}/${clip(ref.name, 60)}` : 'functionConfig', { node: list.functionConfigNode, lineCounter: list.lineCounter });
    } catch (e) {
      if (e instanceof ConfigError) return bad(e, ref);
      throw e;
    }
  }

  // The package's own JcrKit (kpt `fn eval` on a package holding jcrkit.yaml, a plain stream, or
  // this function's output fed back) is the config when the functionConfig sets nothing, and the
  // base that kpt's `-- key=value` overrides apply to. Two of them would be ambiguous.
  const jcrkits = values.map((v, i) => ({ v, i })).filter(({ v }) => isJcrKit(v));
  if (jcrkits.length > 1 && !isJcrKit(functionConfig)) {
    const message = `the input holds ${jcrkits.length} JcrKit objects and no JcrKit functionConfig; only one can configure a run. Fix: pass the one to use as functionConfig (kpt: --fn-config FILE), or keep one JcrKit per package`;
    log.push(`error: ${message}`);
    return finish(list, [result('error', message)], log, EXIT_BAD_INPUT);
  }
  let base: unknown;
  if (jcrkits.length === 1 && usesBase(functionConfig)) {
    const node = list.items.items[jcrkits[0].i];
    const ref = nodeRef(node);
    try {
      base = yamlToData(list.doc, `functionConfig JcrKit/${clip(ref?.name, 60)}`, { node, lineCounter: list.lineCounter });
    } catch (e) {
      if (e instanceof ConfigError) return bad(e, ref);
      throw e;
    }
  }

  const loaded = loadFunctionConfig(functionConfig, base);
  if (loaded.error) {
    log.push(`error: ${loaded.error.message}`);
    return finish(list, configErrorResults(loaded.error, loaded.target), log, EXIT_BAD_INPUT);
  }
  const { config, warnings } = loaded.resolved;
  const results: KrmResult[] = warnings.map((w) => result('warning', w, { ref: loaded.target.ref, file: loaded.target.file }));
  for (const w of warnings) log.push(`warning: ${w}`);

  const generated = generateObjects(config, { refresherBundle: opts.refresherBundle });

  const fresh = new Set(generated.objects.map(identity));
  const conflicts = values.filter((v): v is Item => isObject(v) && !isOurs(v) && fresh.has(identity(v)));
  if (conflicts.length > 0) {
    // Replacing a hand-written object silently would lose the user's edits; keeping both would
    // make the package apply two versions of one object. Stop and say which.
    const errors = conflicts.map(conflictResult);
    for (const r of errors) log.push(`error: ${r.message}`);
    return finish(list, [...errors, ...results], log, EXIT_BAD_INPUT);
  }

  // Replaced: exactly the earlier output that this run renders again. Earlier output it no longer
  // renders (the config changed, e.g. admin.enabled: false) is not deleted behind the user's back:
  // it stays, and a warning names it.
  const stale = values.filter((v): v is Item => isOurs(v) && !fresh.has(identity(v)));
  for (const v of stale) {
    const r = staleResult(v);
    results.push(r);
    log.push(`warning: ${r.message}`);
  }
  filterItems(list, (v) => !(isOurs(v) && fresh.has(identity(v))));
  appendItems(list, generated.objects);
  results.push(...generated.notes.map((n) => result('info', n)));
  return finish(list, results, log, EXIT_FAILED);
}

/**
 * @param failure the exit code when a result is an error: EXIT_BAD_INPUT for problems with the
 *                input or config, EXIT_FAILED for the function's own failures
 */
function finish(list: ResourceList, results: KrmResult[], log: string[], failure: number): RunOutput {
  const sorted = sortResults(results);
  setResults(list, sorted);
  return { outputText: serialiseResourceList(list), exitCode: hasErrors(sorted) ? failure : EXIT_OK, stderr: log.map((l) => `${l}\n`).join('') };
}

/** The resourceRef of a YAML object node, read without converting the whole node (it may be the problem). */
function nodeRef(node: unknown): ResourceRef | undefined {
  if (!isNode(node) || !isMap(node)) return undefined;
  const str = (v: unknown) => (isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number') ? String(v.value) : '');
  const ref: ResourceRef = { apiVersion: str(node.get('apiVersion', true)), kind: str(node.get('kind', true)), name: str(node.getIn(['metadata', 'name'], true)) };
  const namespace = str(node.getIn(['metadata', 'namespace'], true));
  if (namespace) ref.namespace = namespace;
  return ref;
}

// ---- items ------------------------------------------------------------------------------------

type Item = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown; annotations?: Record<string, unknown> } };

function isObject(v: unknown): v is Item {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Earlier output of this function: the only items it removes. */
export function isOurs(v: unknown): v is Item {
  return isObject(v) && v.metadata?.annotations?.[GENERATED_BY] === GENERATED_BY_VALUE;
}

/** group/kind/namespace/name: what makes two objects the same object for the API server. */
function identity(v: Item): string {
  const apiVersion = String(v.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return [group, String(v.kind ?? ''), String(v.metadata?.namespace ?? ''), String(v.metadata?.name ?? '')].join('/');
}

/** Where an item came from: its resourceRef and, when an orchestrator says, its file. */
function placeOfItem(v: Item): { ref: ResourceRef; file?: { path: string; index: number }; text: string } {
  const meta = v.metadata ?? {};
  const ref: ResourceRef = { apiVersion: String(v.apiVersion), kind: String(v.kind), name: String(meta.name), ...(meta.namespace ? { namespace: String(meta.namespace) } : {}) };
  const path = meta.annotations?.[PATH] ?? meta.annotations?.[LEGACY_PATH];
  const index = Number(meta.annotations?.[INDEX] ?? meta.annotations?.[LEGACY_INDEX] ?? 0);
  const file = typeof path === 'string' ? { path, index: Number.isInteger(index) ? index : 0 } : undefined;
  const text = `${clip(ref.kind, 60)} ${ref.namespace ? `${clip(ref.namespace, 63)}/` : ''}${clip(ref.name, 100)}${file ? ` (${clip(file.path, 100)})` : ''}`;
  return { ref, file, text };
}

function staleResult(v: Item): KrmResult {
  const { ref, file, text } = placeOfItem(v);
  return result(
    'warning',
    `${text} carries ${GENERATED_BY}: ${GENERATED_BY_VALUE} but the current config does not render it (output of an earlier config?); it was kept, not deleted. ` +
      `Fix: delete the item if the object is no longer wanted, or remove the annotation to keep it as your own`,
    { ref, file },
  );
}

function conflictResult(v: Item): KrmResult {
  const { ref, file, text } = placeOfItem(v);
  return result(
    'error',
    `${text} is also rendered by jcrkit but was not written by it. ` +
      `Fix: delete that item (for example files copied from jcrkit synth's dist/); jcrkit fn writes its own copy under jcrkit/ and replaces it on every run`,
    { ref, file },
  );
}
