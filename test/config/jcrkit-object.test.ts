/** Every --config also accepts a JcrKit object file (a kpt package's jcrkit.yaml). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../lib/config';
import { jcrkit } from '../helpers/cli';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'jcrkit-jcrkitobj-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const file = (text: string) => {
  const p = join(work, 'jcrkit.yaml');
  writeFileSync(p, text);
  return p;
};

test('the spec of a JcrKit object is the config; metadata is ignored', () => {
  const plain = loadConfig({ path: file('registry: {name: acme, region: cn-east-2}\nadmin: {clusterRole: view}\n'), env: {} }).config;
  const typed = loadConfig({
    path: file('apiVersion: jcrkit.io/v1alpha1\nkind: JcrKit\nmetadata:\n  name: x\n  annotations: {config.kubernetes.io/local-config: "true"}\nspec:\n  registry: {name: acme, region: cn-east-2}\n  admin: {clusterRole: view}\n'),
    env: {},
  }).config;
  expect(typed).toEqual(plain);
});

test('overrides apply to the spec, and issues name config paths', () => {
  const p = file('apiVersion: jcrkit.io/v1alpha1\nkind: JcrKit\nmetadata: {name: x}\nspec:\n  registry: {name: acme, region: cn-east-2}\n');
  expect(loadConfig({ path: p, env: {}, overrides: { 'refresher.tokenHours': 3 } }).config.refresher.tokenHours).toBe(3);
  expect(() => loadConfig({ path: p, env: {}, overrides: { 'refresher.tokenHours': 30 } })).toThrow(/refresher\.tokenHours: 30 is outside/);
});

test.each([
  ['another version', 'apiVersion: jcrkit.io/v1\nkind: JcrKit\nspec: {}\n', /apiVersion: jcrkit\.io\/v1 is not supported\. Fix: use apiVersion: jcrkit\.io\/v1alpha1/],
  ['no spec', 'apiVersion: jcrkit.io/v1alpha1\nkind: JcrKit\nmetadata: {name: x}\n', /spec: is required: it holds the jcrkit config/],
  ['a spec that is a list', 'apiVersion: jcrkit.io/v1alpha1\nkind: JcrKit\nspec: [a]\n', /spec: must be a mapping/],
])('a JcrKit with %s is rejected with the field and the fix', (_n, text, message) => {
  expect(() => loadConfig({ path: file(text), env: {} })).toThrow(message);
  const r = jcrkit(['synth', '--config', join(work, 'jcrkit.yaml'), '--stdout']);
  expect(r.status).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
});

test('JCRKIT_CONFIG accepts it too', () => {
  const p = file('apiVersion: jcrkit.io/v1alpha1\nkind: JcrKit\nmetadata: {name: x}\nspec:\n  registry: {name: acme, region: cn-east-2}\n');
  expect(loadConfig({ env: { JCRKIT_CONFIG: p } }).config.registry.host).toBe('acme-cn-east-2.jcr.service.jdcloud.com');
});
