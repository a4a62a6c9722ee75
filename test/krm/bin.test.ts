/**
 * Black box: the built bin/jcrkit-fn.js as a separate process, from a foreign working directory,
 * against the built `jcrkit synth` for every example config (files compared one by one), plus the
 * process contract: only the ResourceList on stdout, non-zero exit on error, kustomize's legacy
 * exec-plugin calling convention, and `jcrkit fn` as a yargs command.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { parseConfigYaml } from '../../lib/config';
import { stripAddedAnnotations } from '../../lib/krm';
import { CLI_BIN, configMap, ensureBuilt, exampleConfigs, FN_BIN, jcrKit, Obj, parseOutput, resourceList, ROOT, run } from './helpers';

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'jcrkit-krm-bin-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const fn = (input: string, opts: { env?: NodeJS.ProcessEnv; args?: string[] } = {}) => run(process.execPath, [FN_BIN, ...(opts.args ?? [])], { input, cwd: work, env: opts.env });

function readDir(dir: string, prefix = ''): Record<string, Obj[]> {
  const out: Record<string, Obj[]> = {};
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, readDir(join(dir, e.name), rel));
    else out[rel] = (parseAllDocuments(readFileSync(join(dir, e.name), 'utf8')) as { toJS(): Obj }[]).map((d) => d.toJS());
  }
  return out;
}

describe.each(exampleConfigs().map((e, i) => [e.name, e.text, i] as const))('%s: jcrkit-fn = jcrkit synth', (name, text, i) => {
  test('the same objects in the same files', () => {
    const out = fn(resourceList([], jcrKit(parseConfigYaml(text, name))));
    expect(out.stderr).not.toMatch(/^error/m);
    expect(out.status).toBe(0);
    const byFile: Record<string, Obj[]> = {};
    for (const o of parseOutput(out.stdout).items) {
      const file = o.metadata.annotations['internal.config.kubernetes.io/path'].replace(/^jcrkit\//, '');
      (byFile[file] ??= []).push(stripAddedAnnotations(o));
    }
    const cfg = join(work, `config-${i}.yaml`);
    writeFileSync(cfg, text);
    const dist = join(work, `dist-${i}`);
    const synth = run(process.execPath, [CLI_BIN, 'synth', '--config', cfg, '--out', dist, '--quiet'], { cwd: work });
    expect(synth.stderr).not.toMatch(/^error|invalid config/m);
    expect(synth.status).toBe(0);
    expect(byFile).toEqual(readDir(dist));
  });
});

test('runs from any working directory, directly through its shebang', () => {
  const out = run(FN_BIN, [], { input: resourceList([], configMap({ 'registry.name': 'acme' })), cwd: work });
  expect(out.status).toBe(0);
  expect(parseOutput(out.stdout).items.length).toBeGreaterThan(10);
});

test('stdout holds exactly one ResourceList; warnings go to stderr', () => {
  const out = fn(resourceList([], configMap({ 'registry.name': 'acme', 'admin.tokenSecret': 'true' })));
  expect(out.status).toBe(0);
  const { results } = parseOutput(out.stdout);
  expect(out.stdout.startsWith('apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n')).toBe(true);
  expect(out.stderr).toMatch(/^warning: admin\.tokenSecret: true renders/m);
  expect(results.filter((r) => r.severity === 'warning').map((r) => r.message)).toEqual([expect.stringMatching(/^admin\.tokenSecret: true renders/)]);
});

test('invalid config: exit 2 (bad input), the ResourceList with error results on stdout, synth\'s message on stderr', () => {
  const foreign = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep', namespace: 'apps' } };
  const out = fn(resourceList([foreign], configMap({ 'dashboard.service.nodePort': '99' })));
  expect(out.status).toBe(2);
  const { items, results } = parseOutput(out.stdout);
  expect(items).toEqual([foreign]);
  expect(results).toEqual([expect.objectContaining({ severity: 'error', field: { path: "data['dashboard.service.nodePort']" } })]);
  expect(out.stderr).toContain('error: invalid config (functionConfig ConfigMap/function-input):\n  dashboard.service.nodePort: 99 is outside the Kubernetes NodePort range');
});

test('JCR_PASSWORD is ignored: no pull Secret is ever rendered by the function', () => {
  const out = fn(resourceList([]), { env: { JCR_PASSWORD: 'hunter2' } });
  expect(out.status).toBe(0);
  expect(out.stdout).not.toContain('hunter2');
  expect(parseOutput(out.stdout).items.some((o) => o.type === 'kubernetes.io/dockerconfigjson')).toBe(false);
  expect(out.stderr).toMatch(/JCR_PASSWORD is ignored by the KRM function/);
});

test('stray arguments are a usage error (exit 2), not silently ignored', () => {
  const out = fn(resourceList([]), { args: ['--config', 'x.yaml'] });
  expect(out.status).toBe(2);
  expect(out.stdout).toBe('');
  expect(out.stderr).toMatch(/unexpected arguments: --config x.yaml/);
});

test('kustomize legacy exec plugin convention: config file as the only argument, config text in the environment', () => {
  const config = stringify(jcrKit({ registry: { name: 'acme', region: 'cn-east-2' } }));
  const file = join(work, 'kust-plugin-config-1');
  writeFileSync(file, config);
  const out = fn('', { args: [file], env: { KUSTOMIZE_PLUGIN_CONFIG_STRING: config, KUSTOMIZE_PLUGIN_CONFIG_ROOT: work } });
  expect(out.status).toBe(0);
  const { items } = parseOutput(out.stdout);
  expect(items.find((o) => o.kind === 'Deployment')?.spec.template.spec.containers[0].image).toMatch(/^acme-cn-east-2\.jcr\.service\.jdcloud\.com\//);
});

test('`jcrkit fn` (the yargs command module) is the same function', () => {
  const script = `require(${JSON.stringify(require.resolve('yargs/yargs', { paths: [ROOT] }))})(['fn']).strict().command(require(${JSON.stringify(join(ROOT, 'build/lib/cli/commands/fn.js'))}).fnCommand).parseAsync()`;
  const input = resourceList([], configMap({ 'registry.name': 'acme' }));
  const viaCommand = run(process.execPath, ['-e', script], { input, cwd: work });
  const viaBin = fn(input);
  expect(viaCommand.status).toBe(0);
  expect(viaCommand.stdout).toBe(viaBin.stdout);
});
