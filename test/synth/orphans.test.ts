/**
 * Objects that drop out of a render are named, with the command that removes them: `jcrkit synth`
 * and the cdk8s app compare the new render with what is already in the output directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteCommand, findOrphans, readPreviousRender } from '../../lib/render';
import { jcrkit } from '../helpers/cli';
import { renderYaml, ROOT } from '../helpers/render';

/** The repository's cdk8s.yaml `app:` command (`node build/bundle/cdk8s-app.js`), with an absolute path, to run from elsewhere. */
function cdk8sApp(): string {
  const app = /^app: node (\S+)$/m.exec(readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8'));
  if (!app) throw new Error('cdk8s.yaml has no `app: node FILE` line');
  return `node ${join(ROOT, app[1])}`;
}

const BASE = 'registry: {name: pocexam, region: cn-north-1}\npullSecret: {namespaces: [shop, web]}\ndashboard: {service: {loadBalancerSourceRanges: [203.0.113.0/24]}}\n';
const NEXT = 'registry: {name: pocexam, region: cn-north-1}\npullSecret: {namespaces: [shop]}\ndashboard: {service: {name: dashboard-public, loadBalancerSourceRanges: [203.0.113.0/24]}}\n';
const GONE = [
  'kubectl delete -n kubernetes-dashboard service/dashboard-lb',
  'kubectl delete -n web role.rbac.authorization.k8s.io/jcrkit-token-refresher',
  'kubectl delete -n web rolebinding.rbac.authorization.k8s.io/jcrkit-token-refresher',
];

/** The `kubectl delete` lines of a run's stderr. */
const deletes = (stderr: string) => stderr.split('\n').filter((l) => /^  kubectl .*delete /.test(l)).map((l) => l.trim());

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'jcrkit-orphans-'));
  writeFileSync(join(work, 'base.yaml'), BASE);
  writeFileSync(join(work, 'next.yaml'), NEXT);
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

test('jcrkit synth names every object the new render drops, with its kubectl delete command', () => {
  const out = join(work, 'out');
  const first = jcrkit(['synth', '--config', join(work, 'base.yaml'), '--out', out, '-q']);
  expect(first.status).toBe(0);
  expect(first.stderr).not.toMatch(/no longer rendered/);
  const r = jcrkit(['synth', '--config', join(work, 'next.yaml'), '--out', out, '-q']);
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(new RegExp(`warning: 3 objects are no longer rendered into ${out}/ but stay in the cluster until deleted`));
  expect(deletes(r.stderr)).toEqual(GONE);
  // Rendering the same config again reports nothing.
  const again = jcrkit(['synth', '--config', join(work, 'next.yaml'), '--out', out, '-q']);
  expect(again.stderr).not.toMatch(/no longer rendered/);
});

test('a bad config reports no orphans (nothing was replaced)', () => {
  const out = join(work, 'out');
  jcrkit(['synth', '--config', join(work, 'base.yaml'), '--out', out, '-q']);
  writeFileSync(join(work, 'bad.yaml'), 'registry: {name: pocexam, region: cn-north-1}\nrefresher: {enabled: nope}\n');
  const r = jcrkit(['synth', '--config', join(work, 'bad.yaml'), '--out', out]);
  expect(r.status).not.toBe(0);
  expect(r.stderr).not.toMatch(/no longer rendered/);
});

test('the cdk8s app compares with dist/ before publishing it', () => {
  const dir = join(work, 'app');
  mkdirSync(dir);
  writeFileSync(join(dir, 'cdk8s.yaml'), `language: typescript\napp: ${cdk8sApp()}\noutput: build/cdk8s.out\n`);
  const cdk8s = join(ROOT, 'node_modules', '.bin', 'cdk8s');
  const env = { ...process.env, JCR_PASSWORD: '' };
  expect(spawnSync(cdk8s, ['synth'], { cwd: dir, env: { ...env, JCRKIT_CONFIG: join(work, 'base.yaml') }, encoding: 'utf8' }).status).toBe(0);
  const r = spawnSync(cdk8s, ['synth'], { cwd: dir, env: { ...env, JCRKIT_CONFIG: join(work, 'next.yaml') }, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/warning: 3 objects are no longer rendered into dist\//);
  expect(deletes(r.stderr)).toEqual(GONE);
});

describe('orphan detection (unit)', () => {
  test('identity is group/kind/namespace/name: a new apiVersion of the same object is not an orphan', () => {
    const dir = join(work, 'd');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.k8s.yaml'), 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: jcrkit-token-refresher, namespace: kube-system}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: gone, namespace: x}\n');
    const orphans = findOrphans(readPreviousRender(dir), renderYaml(BASE).files);
    expect(orphans.objects.map((o) => deleteCommand(o.object))).toEqual(['kubectl delete -n x configmap/gone']);
  });

  test('cluster-scoped objects get no -n, a Namespace says what deleting it does', () => {
    expect(deleteCommand({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'dashboard-view' } })).toBe('kubectl delete clusterrolebinding.rbac.authorization.k8s.io/dashboard-view');
    expect(deleteCommand({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubernetes-dashboard' } })).toBe('kubectl delete namespace/kubernetes-dashboard   # deletes everything in the namespace');
    expect(deleteCommand({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' } }, { context: 'prod-a' })).toBe('kubectl --context prod-a delete -n n deployment.apps/d');
  });

  test('an unparseable file is reported, not guessed at', () => {
    const dir = join(work, 'd');
    mkdirSync(dir);
    writeFileSync(join(dir, 'broken.k8s.yaml'), 'kind: [\n');
    expect(readPreviousRender(dir).unreadable).toEqual(['broken.k8s.yaml']);
  });
});
