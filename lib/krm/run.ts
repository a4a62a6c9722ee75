/**
 * The KRM function as a pure function: input text → output text, exit code and stderr text. No
 * process state is touched, so tests and the bench call it directly; main.ts does the I/O.
 *
 * Contract (KRM Functions Specification,
 * https://github.com/kubernetes-sigs/kustomize/blob/kustomize/v5.8.1/cmd/config/docs/api-conventions/functions-spec.md):
 * - the output is always exactly one ResourceList, also on failure (then with the input items
 *   unchanged and `results` saying why), and the exit code is non-zero iff a result is an error;
 * - output items = input items − this function's earlier output (recognised by the
 *   `config.jcrkit.io/generated-by` annotation) + the freshly rendered objects, so running it again
 *   on its own output changes nothing;
 * - every other item, including the functionConfig that kustomize passes as an item, is passed
 *   through as the same YAML node (comments kept).
 */
import { GENERATED_BY, GENERATED_BY_VALUE, LEGACY_INDEX, LEGACY_PATH, INDEX, PATH } from './annotations';
import { isJcrKit, loadFunctionConfig } from './function-config';
import { generateObjects } from './generate';
import { appendItems, emptyResourceList, filterItems, InputError, itemValues, parseResourceList, ResourceList, setResults, serialiseResourceList } from './resource-list';
import { configErrorResults, hasErrors, KrmResult, result, sortResults } from './results';

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

export function runFunction(inputText: string, opts: RunOptions = {}): RunOutput {
  const log: string[] = [];
  let list: ResourceList;
  try {
    list = parseResourceList(inputText);
  } catch (e) {
    const message = e instanceof InputError ? e.message : `cannot read the input: ${e instanceof Error ? e.message : String(e)}`;
    log.push(`error: ${message}`);
    return finish(emptyResourceList(), [result('error', message)], log);
  }
  try {
    return transform(list, opts, log);
  } catch (e) {
    // A bug or an environment problem (e.g. the refresher bundle is missing): still answer with a
    // ResourceList that passes the items through, as the spec asks.
    const message = e instanceof Error ? e.message : String(e);
    log.push(`error: ${message}`);
    return finish(list, [result('error', message)], log);
  }
}

function transform(list: ResourceList, opts: RunOptions, log: string[]): RunOutput {
  // The package's own JcrKit (kpt `fn eval` on a package holding jcrkit.yaml, a plain stream, or
  // this function's output fed back) is the config when the functionConfig sets nothing, and the
  // base that kpt's `-- key=value` overrides apply to. Two of them would be ambiguous.
  const values = itemValues(list);
  const jcrkits = values.filter(isJcrKit);
  if (jcrkits.length > 1 && !isJcrKit(list.functionConfig)) {
    const message = `the input holds ${jcrkits.length} JcrKit objects and no JcrKit functionConfig; only one can configure a run. Fix: pass the one to use as functionConfig (kpt: --fn-config FILE), or keep one JcrKit per package`;
    log.push(`error: ${message}`);
    return finish(list, [result('error', message)], log);
  }

  const loaded = loadFunctionConfig(list.functionConfig, jcrkits.length === 1 ? jcrkits[0] : undefined);
  if (loaded.error) {
    log.push(loaded.error.message);
    return finish(list, configErrorResults(loaded.error, loaded.target), log);
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
    return finish(list, [...errors, ...results], log);
  }

  filterItems(list, (v) => !isOurs(v));
  appendItems(list, generated.objects);
  results.push(...generated.notes.map((n) => result('info', n)));
  return finish(list, results, log);
}

function finish(list: ResourceList, results: KrmResult[], log: string[]): RunOutput {
  const sorted = sortResults(results);
  setResults(list, sorted);
  return { outputText: serialiseResourceList(list), exitCode: hasErrors(sorted) ? 1 : 0, stderr: log.map((l) => `${l}\n`).join('') };
}

// ---- items ------------------------------------------------------------------------------------

type Item = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown; annotations?: Record<string, unknown> } };

function isObject(v: unknown): v is Item {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Earlier output of this function: the only items it removes. */
export function isOurs(v: unknown): boolean {
  return isObject(v) && v.metadata?.annotations?.[GENERATED_BY] === GENERATED_BY_VALUE;
}

/** group/kind/namespace/name: what makes two objects the same object for the API server. */
function identity(v: Item): string {
  const apiVersion = String(v.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return [group, String(v.kind ?? ''), String(v.metadata?.namespace ?? ''), String(v.metadata?.name ?? '')].join('/');
}

function conflictResult(v: Item): KrmResult {
  const meta = v.metadata ?? {};
  const ref = { apiVersion: String(v.apiVersion), kind: String(v.kind), name: String(meta.name), ...(meta.namespace ? { namespace: String(meta.namespace) } : {}) };
  const path = meta.annotations?.[PATH] ?? meta.annotations?.[LEGACY_PATH];
  const index = Number(meta.annotations?.[INDEX] ?? meta.annotations?.[LEGACY_INDEX] ?? 0);
  const where = typeof path === 'string' ? ` (${path})` : '';
  return result(
    'error',
    `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}${where} is also rendered by jcrkit but was not written by it. ` +
      `Fix: delete that item (for example files copied from jcrkit synth's dist/); jcrkit fn writes its own copy under jcrkit/ and replaces it on every run`,
    { ref, file: typeof path === 'string' ? { path, index: Number.isInteger(index) ? index : 0 } : undefined },
  );
}
