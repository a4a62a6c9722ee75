/** Shared helpers of the KRM function tests: ResourceList text, rendered objects, the built bin. */
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { parseConfigYaml, validateConfig } from '../../lib/config';
import { stripAddedAnnotations } from '../../lib/krm';
import { REFRESHER_BUNDLE_PATH } from '../../lib/core/package-root';
import { KubeObject, renderStack } from '../../lib/render';
import { exampleConfigs as allExampleConfigs } from '../helpers/examples';

export const ROOT = join(__dirname, '..', '..');
export const FN_BIN = join(ROOT, 'bin', 'jcrkit-fn.js');
export const CLI_BIN = join(ROOT, 'bin', 'jcrkit.js');
/** A fixed refresher bundle so in-process outputs (and goldens) do not depend on the built bundle's bytes. */
export const FIXED_BUNDLE = '// jcrkit refresher bundle (fixed stand-in for KRM tests)\nconsole.log("refresh");\n';

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function resourceList(items: unknown[], functionConfig?: unknown, apiVersion = 'config.kubernetes.io/v1'): string {
  const list: Obj = { apiVersion, kind: 'ResourceList', items };
  if (functionConfig !== undefined) list.functionConfig = functionConfig;
  return stringify(list);
}

export function jcrKit(spec: unknown, name = 'jcrkit', annotations?: Record<string, string>): Obj {
  return { apiVersion: 'jcrkit.io/v1alpha1', kind: 'JcrKit', metadata: { name, ...(annotations ? { annotations } : {}) }, spec };
}

export function configMap(data: Record<string, string>, name = 'function-input'): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

/** Parses function output and checks it is exactly one ResourceList document. */
export function parseOutput(text: string): { items: Obj[]; results: Obj[]; list: Obj } {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length !== 1) throw new Error(`expected exactly one YAML document on stdout, got ${Array.isArray(docs) ? docs.length : 0}:\n${text.slice(0, 500)}`);
  if (docs[0].errors.length > 0) throw new Error(`stdout is not valid YAML: ${docs[0].errors[0].message}`);
  const list = docs[0].toJS() as Obj;
  if (list.kind !== 'ResourceList') throw new Error(`stdout is a ${list.kind}, not a ResourceList`);
  return { items: list.items ?? [], results: list.results ?? [], list };
}

export const isGenerated = (o: Obj) => o?.metadata?.annotations?.['config.jcrkit.io/generated-by'] === 'jcrkit-fn';

/** The generated items of an output, with the KRM annotations removed: comparable with renderStack's objects. */
export function generatedObjects(text: string): Obj[] {
  return parseOutput(text).items.filter(isGenerated).map((o) => stripAddedAnnotations(o));
}

/** What `jcrkit synth` renders for a config text (the same validate + renderStack path). */
export function synthObjects(configText: string, refresherBundle: string | undefined = FIXED_BUNDLE): KubeObject[] {
  const { config } = validateConfig(parseConfigYaml(configText, 'test'), 'test');
  return renderStack(config, { refresherBundle }).files.flatMap((f) => f.objects);
}

export const byIdentity = (a: Obj, b: Obj) => id(a).localeCompare(id(b));
export const id = (o: Obj) => `${o.apiVersion}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** Every example config (test/helpers/examples.ts): the embedded default, examples/*.yaml, JcrKit specs, fleet clusters. */
export function exampleConfigs(): { name: string; text: string }[] {
  return allExampleConfigs().map(([name, text]) => ({ name, text }));
}

export function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function run(cmd: string, args: string[], opts: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  const env = { ...process.env };
  delete env.JCR_PASSWORD;
  delete env.JCRKIT_CONFIG;
  Object.assign(env, opts.env);
  return spawnSync(cmd, args, { input: opts.input ?? '', cwd: opts.cwd ?? ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

// ---- the built bin ----------------------------------------------------------------------------

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (name.endsWith('.ts')) newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}

/**
 * Makes sure build/ holds the bundled function and the refresher bundle, newer than every source
 * file: runs the project's own `npm run build` when not. A mkdir lock keeps parallel jest workers
 * from compiling into build/ at the same time.
 */
export function ensureBuilt(): void {
  const target = join(ROOT, 'build', 'bundle', 'jcrkit-fn.js');
  const bundle = join(ROOT, REFRESHER_BUNDLE_PATH);
  const fresh = () => {
    if (!existsSync(target) || !existsSync(bundle)) return false;
    const sources = Math.max(newestMtime(join(ROOT, 'lib')), newestMtime(join(ROOT, 'charts')));
    return statSync(target).mtimeMs >= sources;
  };
  if (fresh()) return;
  const lock = join(ROOT, 'build', '.krm-test-build.lock');
  mkdirSync(join(ROOT, 'build'), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      spawnSync('sleep', ['0.5']);
    }
  }
  try {
    if (fresh()) return; // another worker built it while we waited
    const r = run('npm', ['run', 'build'], { cwd: ROOT });
    // Other people's files may fail to type-check while tsc still emits ours: judge by the outputs.
    if (!existsSync(target) || !existsSync(bundle)) {
      throw new Error(`npm run build did not produce ${target} and ${bundle}:\n${r.stdout}\n${r.stderr}`);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function parseYamlFile(path: string): unknown {
  return parse(readFileSync(path, 'utf8'));
}
