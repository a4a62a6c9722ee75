/**
 * `jcrkit synth --fleet FLEET --out DIR`: DIR/<cluster>/ for every cluster, each equal to `jcrkit
 * synth` of that cluster's merged config; every cluster validated before anything is written.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadFleet, mergeConfig } from '../../lib/config';
import { readRefresherBundle, renderStack } from '../../lib/render';
import { jcrkit } from '../helpers/cli';
import { FLEET_FILE } from '../helpers/examples';
import { ROOT } from '../helpers/render';

function readTree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) Object.assign(out, readTree(full, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = readFileSync(full, 'utf8');
  }
  return out;
}

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'jcrkit-fleet-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

test('examples/fleet/rendered is current (re-render it with the command in examples/fleet/fleet.yaml and commit the diff)', () => {
  const fleet = loadFleet(FLEET_FILE);
  const bundle = readRefresherBundle();
  const expected: Record<string, string> = {};
  for (const c of fleet.clusters) for (const f of renderStack(c.loaded.config, { refresherBundle: bundle }).files) expected[`${c.name}/${f.path}`] = f.yaml;
  expect(readTree(join(ROOT, 'examples', 'fleet', 'rendered'))).toEqual(expected);
});

test('every cluster directory equals jcrkit synth of that cluster\'s merged config', () => {
  const out = join(work, 'fleet');
  const r = jcrkit(['synth', '--fleet', FLEET_FILE, '--out', out]);
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/rendered 3 clusters of .*fleet\.yaml into .*: prod-a\/, prod-b\/, staging\//);
  const fleet = loadFleet(FLEET_FILE);
  expect(readdirSync(out).sort()).toEqual(fleet.clusters.map((c) => c.name).sort());
  for (const c of fleet.clusters) {
    writeFileSync(join(work, `${c.name}.yaml`), stringify(c.raw));
    const single = jcrkit(['synth', '--config', join(work, `${c.name}.yaml`), '--out', join(work, `single-${c.name}`), '-q']);
    expect(single.status).toBe(0);
    expect(readTree(join(out, c.name))).toEqual(readTree(join(work, `single-${c.name}`)));
  }
});

test('--set applies to every cluster, after the merge', () => {
  const out = join(work, 'fleet');
  expect(jcrkit(['synth', '--fleet', FLEET_FILE, '--out', out, '--set', 'pullSecret.email=ops@example.com', '-q']).status).toBe(0);
  for (const c of ['prod-a', 'prod-b', 'staging']) expect(readFileSync(join(out, c, '0001-token-refresher.k8s.yaml'), 'utf8')).toContain('"email":"ops@example.com"');
});

test('errors name the cluster and the field; nothing is written while any cluster is invalid', () => {
  const out = join(work, 'fleet');
  expect(jcrkit(['synth', '--fleet', FLEET_FILE, '--out', out, '-q']).status).toBe(0);
  const before = readTree(out);
  writeFileSync(
    join(work, 'bad.yaml'),
    stringify({
      defaults: { registry: { name: 'ACME', region: 'cn-north-1' } },
      clusters: { 'prod-a': { registry: { name: 'good' } }, 'prod-b': {}, staging: { registry: { name: 'good' }, dashboard: { service: { nodePort: 5 } } } },
    }),
  );
  const r = jcrkit(['synth', '--fleet', join(work, 'bad.yaml'), '--out', out]);
  expect(r.status).toBe(2); // bad input
  expect(r.stderr).toMatch(/^error: invalid config/);
  expect(r.stderr).toContain(join(work, 'bad.yaml'));
  expect(r.stderr).toMatch(/cluster prod-b: registry\.name \(from defaults\): "ACME" breaks JCR's registry naming rules\. Fix:/);
  expect(r.stderr).toMatch(/cluster staging: dashboard\.service\.nodePort: 5 is outside the Kubernetes NodePort range\. Fix:/);
  expect(r.stderr).not.toMatch(/cluster prod-a/);
  expect(readTree(out)).toEqual(before);
  expect(readdirSync(work).filter((n) => n.startsWith('.'))).toEqual([]);
});

test.each([
  ['an unknown top-level key', { defaults: {}, cluster: {} }, /cluster: unknown key\. Fix: remove it or use one of: defaults, clusters/],
  ['no clusters', { defaults: { registry: { name: 'acme', region: 'cn-north-1' } } }, /clusters: is required: cluster name → config keys/],
  ['a cluster name that is no DNS label', { clusters: { Prod_A: { registry: { name: 'acme', region: 'cn-north-1' } } } }, /clusters\.Prod_A: "Prod_A" is not a valid cluster name/],
  ['a cluster that is not a mapping', { clusters: { a: [1] } }, /clusters\.a: must be a mapping of config keys/],
])('a fleet file with %s is rejected', (_n, doc, message) => {
  writeFileSync(join(work, 'f.yaml'), stringify(doc));
  const r = jcrkit(['synth', '--fleet', join(work, 'f.yaml'), '--out', join(work, 'o')]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(existsSync(join(work, 'o'))).toBe(false);
});

test.each([
  ['--config', ['--config', FLEET_FILE], {}, /--fleet and --config both name the config/],
  ['--stdout', ['--stdout'], {}, /--fleet writes one directory per cluster/],
  ['a password', [], { JCR_PASSWORD: 'x' }, /--fleet renders GitOps output for many clusters, and a registry token belongs to none of it/],
])('--fleet with %s is a usage error', (_n, extra, env, message) => {
  const r = jcrkit(['synth', '--fleet', FLEET_FILE, '--out', join(work, 'o'), ...extra], { env });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(message);
});

test('a cluster that leaves the fleet, and objects a cluster stops rendering, are named with their delete commands', () => {
  const out = join(work, 'fleet');
  expect(jcrkit(['synth', '--fleet', FLEET_FILE, '--out', out, '-q']).status).toBe(0);
  writeFileSync(
    join(work, 'smaller.yaml'),
    readFileSync(FLEET_FILE, 'utf8')
      .replace(/^  prod-b:\n(    .*\n)+/m, '')
      .replace('namespaces: [default, workloads]', 'namespaces: [default]'),
  );
  const r = jcrkit(['synth', '--fleet', join(work, 'smaller.yaml'), '--out', out, '-q']);
  expect(r.status).toBe(0);
  expect(readdirSync(out).sort()).toEqual(['prod-a', 'staging']);
  expect(r.stderr).toContain(`no longer rendered into ${out}/prod-a/`);
  expect(r.stderr).toContain('kubectl delete -n workloads role.rbac.authorization.k8s.io/jcrkit-token-refresher');
  expect(r.stderr).toContain(`no longer rendered into ${out}/prod-b/ (the cluster left the fleet)`);
  expect(r.stderr).toContain('kubectl delete -n jcrkit-system cronjob.batch/jcrkit-token-refresher');
});

test('a missing fleet file is named with who named it', () => {
  const r = jcrkit(['synth', '--fleet', join(work, 'nope.yaml'), '--out', join(work, 'o')]);
  expect(r.status).toBe(2);
  expect(r.stderr.split('\n')[0]).toMatch(/^error: .*nope\.yaml \(named by --fleet\): cannot read/);
});

describe('merge', () => {
  test('mappings merge, lists and scalars replace, null brings back the jcrkit default', () => {
    expect(
      mergeConfig(
        { registry: { name: 'a', region: 'cn-north-1' }, pullSecret: { namespaces: ['x', 'y'], name: 'p' }, refresher: { tokenHours: 6 } },
        { registry: { name: 'b' }, pullSecret: { namespaces: ['z'] }, refresher: { tokenHours: null } },
      ),
    ).toEqual({ registry: { name: 'b', region: 'cn-north-1' }, pullSecret: { namespaces: ['z'], name: 'p' }, refresher: {} });
  });

  test('a __proto__ key is data, never the prototype', () => {
    const merged = mergeConfig({}, JSON.parse('{"__proto__": {"polluted": true}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(merged, '__proto__')).toBe(true);
    expect((merged as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('the defaults are not modified by a cluster', () => {
    const defaults = { pullSecret: { namespaces: ['x'] } };
    mergeConfig(defaults, { pullSecret: { namespaces: ['y'] } });
    expect(defaults).toEqual({ pullSecret: { namespaces: ['x'] } });
  });
});
