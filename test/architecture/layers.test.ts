/**
 * The folders of the program form layers that import downward only, and no module imports itself
 * through a cycle. Like go-containerregistry's pkg/registry/depcheck_test.go, the rule is data in
 * the test: a new folder, or an edge that points up, fails here until the README's architecture
 * drawing and this table agree.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Lower numbers are lower layers. A folder may import only folders of strictly lower layers (and itself). */
const LAYERS: Record<string, number> = {
  'lib/core': 0, // pure helpers: errors and exit codes, redaction, backoff, stdin, --set parsing
  'lib/model': 1, // shared data: the refresh plan, the .dockerconfigjson payload
  'lib/jdcloud': 2, // clients
  'lib/kube': 2,
  'lib/registry': 2,
  'lib/config': 3,
  'lib/constructs': 4,
  charts: 5,
  'lib/render': 6,
  'lib/refresher': 6,
  'lib/krm': 7,
  'lib/cloud': 7,
  'lib/cli': 8,
  main: 9, // main.ts, the cdk8s app
};

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const files = [...walk(join(ROOT, 'lib')), ...walk(join(ROOT, 'charts')), join(ROOT, 'main.ts')].map((f) => relative(ROOT, f));
const fileSet = new Set(files);

function folderOf(file: string): string {
  if (file === 'main.ts') return 'main';
  const parts = file.split('/');
  return parts[0] === 'lib' ? `lib/${parts[1]}` : parts[0];
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = normalize(join(dirname(from), spec));
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) if (fileSet.has(candidate)) return candidate;
  return base; // outside the program (test/, a build output): reported by the edge check
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|(?:^|\n)\s*import\s+['"](\.{1,2}\/[^'"]+)['"]|(?:^|[^\w.])(?:require|import)\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** file → files it imports (relative imports only; packages are not layers). */
const graph = new Map<string, string[]>();
for (const f of files) {
  const src = readFileSync(join(ROOT, f), 'utf8');
  const targets: string[] = [];
  for (const m of src.matchAll(IMPORT)) {
    const t = resolveImport(f, m[1] ?? m[2] ?? m[3]);
    if (t) targets.push(t);
  }
  graph.set(f, targets);
}

test('every program folder has a layer', () => {
  const unknown = [...new Set(files.map(folderOf))].filter((d) => !(d in LAYERS));
  expect(unknown).toEqual([]);
});

test('folders import downward only (no test code, no upward edge)', () => {
  const bad: string[] = [];
  for (const [from, targets] of graph) {
    const a = folderOf(from);
    for (const to of targets) {
      if (!fileSet.has(to)) {
        bad.push(`${from} → ${to} (outside lib/, charts/ and main.ts)`);
        continue;
      }
      const b = folderOf(to);
      if (a !== b && !(LAYERS[b] < LAYERS[a])) bad.push(`${from} → ${to} (${a} [${LAYERS[a]}] may not import ${b} [${LAYERS[b]}])`);
    }
  }
  expect(bad).toEqual([]);
});

test('no import cycle between modules', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'visiting');
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (!graph.has(t)) continue;
      if (state.get(t) === 'visiting') cycles.push([...stack.slice(stack.indexOf(t)), t].join(' → '));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  expect(cycles).toEqual([]);
});

test('benchmarks and tests are not part of the production build', () => {
  const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
  expect(build.include.filter((p) => p.startsWith('test') || p.startsWith('bench'))).toEqual([]);
});
