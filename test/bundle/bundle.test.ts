/**
 * The bundles users run (scripts/bundle.js): each is one file that works with nothing beside it —
 * no node_modules, no package.json, no build/refresher/ — and renders exactly what the checkout
 * renders. An Argo CD config management plugin runs build/bundle/jcrkit.js that way.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/render';

const BUNDLE = join(ROOT, 'build', 'bundle');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const RESOURCE_LIST = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: cfg}\n  data: {registry.name: acme}\n';

/** A copy of one bundle in an empty directory outside the checkout. */
function alone(file: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'jcrkit-bundle-'));
  copyFileSync(join(BUNDLE, file), join(dir, file));
  return { dir, path: join(dir, file) };
}

function node(args: string[], opts: { cwd: string; input?: string; env?: NodeJS.ProcessEnv }) {
  return spawnSync(process.execPath, args, { cwd: opts.cwd, input: opts.input ?? '', env: { PATH: process.env.PATH, HOME: opts.cwd, ...opts.env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

test('build/bundle/jcrkit.js alone: --version, and synth renders what bin/jcrkit.js renders', () => {
  const { dir, path } = alone('jcrkit.js');
  const version = node([path, '--version'], { cwd: dir });
  expect(version.stdout).toBe(`${VERSION}\n`);
  const lone = node([path, 'synth', '--stdout'], { cwd: dir });
  const checkout = node([join(ROOT, 'bin', 'jcrkit.js'), 'synth', '--stdout'], { cwd: ROOT });
  expect(lone.status).toBe(0);
  expect(lone.stdout).toBe(checkout.stdout);
  expect(lone.stdout).toContain('kind: ConfigMap'); // the refresher program, embedded in the bundle
});

test('build/bundle/cdk8s-app.js alone renders dist/ byte for byte', () => {
  const { dir, path } = alone('cdk8s-app.js');
  const r = node([path], { cwd: dir, env: { CDK8S_OUTDIR: join(dir, 'out'), JCRKIT_CONFIG: '', JCR_PASSWORD: '' } });
  expect(r.status).toBe(0);
  const dist = readdirSync(join(ROOT, 'dist')).filter((f) => f.endsWith('.k8s.yaml')).sort();
  expect(readdirSync(join(dir, 'out')).sort()).toEqual(dist);
  for (const f of dist) expect(readFileSync(join(dir, 'out', f), 'utf8')).toBe(readFileSync(join(ROOT, 'dist', f), 'utf8'));
});

test('build/bundle/jcrkit-fn.js alone is the function bin/jcrkit-fn.js runs', () => {
  const { dir, path } = alone('jcrkit-fn.js');
  const lone = node([path], { cwd: dir, input: RESOURCE_LIST });
  const checkout = node([join(ROOT, 'bin', 'jcrkit-fn.js')], { cwd: ROOT, input: RESOURCE_LIST });
  expect(lone.status).toBe(0);
  expect(lone.stdout).toBe(checkout.stdout);
  expect(lone.stdout).toContain('acme-cn-north-1.jcr.service.jdcloud.com');
});

test('a bundle keeps a V8 code cache per command beside it, and a bad one is only recompiled', () => {
  const { dir, path } = alone('jcrkit.js');
  const cache = join(dir, '.v8-cache');
  expect(node([path, '--version'], { cwd: dir, env: { JCRKIT_NO_CODE_CACHE: '1' } }).stdout).toBe(`${VERSION}\n`);
  expect(existsSync(cache)).toBe(false);
  expect(node([path, '--version'], { cwd: dir }).stdout).toBe(`${VERSION}\n`);
  expect(node([path, 'synth', '--help'], { cwd: dir }).status).toBe(0);
  const files = readdirSync(cache).sort();
  expect(files).toEqual([expect.stringMatching(/^jcrkit-_-\d+-\d+-v[\d.]+-\w+\.v8$/), expect.stringMatching(/^jcrkit-synth-/)]);
  writeFileSync(join(cache, files[0]), 'not a code cache');
  expect(node([path, '--version'], { cwd: dir }).stdout).toBe(`${VERSION}\n`);
  expect(readFileSync(join(cache, files[0]), 'utf8')).not.toBe('not a code cache'); // rejected by V8, written again
  expect(node([path, '--version'], { cwd: dir }).stdout).toBe(`${VERSION}\n`);
});

test('the bundles name no path of this checkout (the same sources build the same bytes anywhere)', () => {
  for (const f of ['jcrkit.js', 'jcrkit-fn.js', 'cdk8s-app.js']) expect(readFileSync(join(BUNDLE, f), 'utf8')).not.toContain(ROOT);
});

test("string-width's stand-in answers only strings both real copies measure as their length", () => {
  const { SINGLE_WIDTH } = require(join(ROOT, 'scripts', 'bundle.js')) as { SINGLE_WIDTH: RegExp };
  const chars: string[] = [];
  for (let c = 0; c <= 0xffff; c++) if (c < 0xd800 || c > 0xdfff) if (SINGLE_WIDTH.test(String.fromCharCode(c))) chars.push(String.fromCharCode(c));
  // both copies are ESM-only: measure in a child node
  const copies = ['node_modules/yargs/node_modules/string-width/index.js', 'node_modules/cliui/node_modules/string-width/index.js'].map((p) => join(ROOT, p));
  const script = `const chars = ${JSON.stringify(chars)}; const bad = [];
    for (const file of ${JSON.stringify(copies)}) { const sw = (await import(file)).default; for (const c of chars) if (sw(c) !== 1) bad.push(file + ' U+' + c.charCodeAt(0).toString(16)); }
    console.log(JSON.stringify(bad));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(chars.length).toBeGreaterThan(95); // printable ASCII and more
  expect(JSON.parse(r.stdout)).toEqual([]);
});
