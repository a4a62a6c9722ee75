/**
 * `cdk8s synth -o DIR`: cdk8s-cli empties DIR before the app runs (cdk8s-cli synth.ts:
 * `fs.rmSync(outdir, {recursive: true, force: true})`), so no app can keep it. jcrkit says so on
 * every such run and names the way that does keep it: JCRKIT_OUT=DIR (or jcrkit synth --out DIR).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/render';

/** The repository's cdk8s.yaml `app:` command (`node build/bundle/cdk8s-app.js`), with an absolute path, to run from elsewhere. */
function cdk8sApp(): string {
  const app = /^app: node (\S+)$/m.exec(readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8'));
  if (!app) throw new Error('cdk8s.yaml has no `app: node FILE` line');
  return `node ${join(ROOT, app[1])}`;
}

const cdk8s = join(ROOT, 'node_modules', '.bin', 'cdk8s');
const FILES = ['0000-dashboard.k8s.yaml', '0001-token-refresher.k8s.yaml', '0002-dashboard-admin.k8s.yaml'];

let work: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'jcrkit-cdk8s-o-'));
  writeFileSync(join(work, 'cdk8s.yaml'), `language: typescript\napp: ${cdk8sApp()}\noutput: build/cdk8s.out\n`);
  writeFileSync(join(work, 'bad.yaml'), 'registry: {name: pocexam, region: cn-north-1}\ndashboard: {preset: v3}\n');
  env = { ...process.env, JCRKIT_CONFIG: '', JCR_PASSWORD: '', JCRKIT_OUT: '' };
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const synth = (args: string[], extra: NodeJS.ProcessEnv = {}) => spawnSync(cdk8s, ['synth', ...args], { cwd: work, env: { ...env, ...extra }, encoding: 'utf8' });

test('-o DIR renders into DIR and warns that cdk8s deleted it first', () => {
  const r = synth(['-o', 'out']);
  expect(r.status).toBe(0);
  expect(readdirSync(join(work, 'out')).sort()).toEqual(FILES);
  expect(r.stderr).toMatch(/warning: cdk8s synth -o out deleted out before jcrkit ran, so a bad config leaves it deleted .* JCRKIT_OUT=out npx cdk8s synth, or jcrkit synth --out out/);
});

test('-o DIR with a bad config: DIR is gone (cdk8s-cli removed it), and the message says why and what to use instead', () => {
  expect(synth(['-o', 'out']).status).toBe(0);
  const r = synth(['-o', 'out'], { JCRKIT_CONFIG: join(work, 'bad.yaml') });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/dashboard\.preset: unknown preset "v3"/);
  expect(r.stderr).toMatch(/note: cdk8s synth -o out deleted out before jcrkit ran .* JCRKIT_OUT=out npx cdk8s synth, or jcrkit synth --out out/);
  expect(existsSync(join(work, 'out', FILES[0]))).toBe(false);
});

test('JCRKIT_OUT=DIR: a bad config leaves DIR exactly as it was', () => {
  expect(synth([], { JCRKIT_OUT: 'out' }).status).toBe(0);
  const before = Object.fromEntries(FILES.map((f) => [f, readFileSync(join(work, 'out', f), 'utf8')]));
  const r = synth([], { JCRKIT_OUT: 'out', JCRKIT_CONFIG: join(work, 'bad.yaml') });
  expect(r.status).not.toBe(0);
  expect(r.stderr).not.toMatch(/deleted out/);
  expect(Object.fromEntries(FILES.map((f) => [f, readFileSync(join(work, 'out', f), 'utf8')]))).toEqual(before);
  expect(existsSync(join(work, 'dist'))).toBe(false);
});
